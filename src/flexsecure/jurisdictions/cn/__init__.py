"""China: flexible employees' pension and medical insurance, platform workers' injury protection."""
