"""``python -m scraper`` is the ``broadsheet`` command."""

from scraper.cli import main

raise SystemExit(main())
