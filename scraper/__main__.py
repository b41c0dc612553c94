"""``python -m scraper`` is the ``broadsheet`` command."""

from scraper.cli.main import main

raise SystemExit(main())
