"""``python -m imurep``: the same command as ``imurep``."""

from imurep.cli.main import main

raise SystemExit(main())
