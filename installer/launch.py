"""The bundle's entry point: `bureau` with no command opens the app; with one, it is the CLI."""

import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
