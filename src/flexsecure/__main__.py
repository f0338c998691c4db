"""``python -m flexsecure``: the command-line interface."""

from flexsecure.cli import main

raise SystemExit(main())
