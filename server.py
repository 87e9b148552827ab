"""Start Troika: ``python server.py`` (see ``python server.py --help``)."""

from core.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
