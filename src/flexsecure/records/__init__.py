"""Records: the JSON documents flexsecure reads from platforms and hands to agencies."""
