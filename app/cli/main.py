"""The `bureau` command: global options, the command families, and the one place errors are printed.

Every error reaches stderr as "bureau: error: ... " with exit code 2 and a message that names
the fix. Global options (`--home DIR`, `--json`) are accepted before or after the subcommand.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from app.cli.common import EXIT_ERROR, Handler

# The command families: each module's ``register(sub)`` adds its subcommands and returns their handlers.
FAMILIES: tuple[str, ...] = (
    "app.cli.tasks",
    "app.cli.llm",
    "app.cli.routing",
    "app.cli.relay",
)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = argparse.ArgumentParser(prog="bureau", description="A small AI company on your own laptop. "
                                     "With no command, opens the desktop app.")
    parser.add_argument("--home", metavar="DIR", help="data folder (default: BUREAU_HOME or the per-user folder); "
                        "accepted before or after the command")
    parser.add_argument("--json", action="store_true", help="machine-readable output (also after the command)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    handlers: dict[str, Handler] = {}
    for family in FAMILIES:
        handlers.update(importlib.import_module(family).register(sub))
    return parser, handlers


def _global_options(argv: list[str]) -> tuple[list[str], str | None, bool]:
    """Take `--home DIR` / `--home=DIR` / `--json` from anywhere before a `--`."""
    rest: list[str] = []
    home: str | None = None
    as_json = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest += argv[i:]
            break
        if arg == "--json":
            as_json = True
        elif arg == "--home" and i + 1 < len(argv):
            home = argv[i + 1]
            i += 1
        elif arg.startswith("--home="):
            home = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return rest, home, as_json


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    raw = list(sys.argv[1:] if argv is None else argv)
    rest, home, as_json = _global_options(raw)
    parser, handlers = build_parser()
    args = parser.parse_args(rest)
    args.home = home
    args.json = as_json
    if args.command is None:
        from app.gui.shell.main import run_gui  # Qt is imported only here

        return run_gui(home=args.home)
    from app.core.errors import BureauError

    try:
        from app.company import Company

        company = Company.open(args.home)
    except BureauError as exc:
        return _fail(exc)
    try:
        return handlers[args.command](company, args)
    except BureauError as exc:
        return _fail(exc)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    finally:
        company.close()


def _fail(exc: Exception) -> int:
    print(f"bureau: error: {exc}", file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
