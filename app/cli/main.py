"""The `bureau` command: global options, the command families, and the one place errors are printed.

Every error reaches stderr as "bureau: error: ... " with exit code 2 and a message that names
the fix. Global options (`--home DIR`, `--json`) are accepted before or after the subcommand.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from app.cli.common import EXIT_ERROR, Handler

# The command families: each module's ``register(sub)`` adds its subcommands and returns their handlers.
FAMILIES: tuple[str, ...] = (
    "app.cli.tasks",
    "app.cli.llm",
    "app.cli.routing",
    "app.cli.plan",
    "app.cli.schedule",
    "app.cli.stats",
    "app.cli.review",
    "app.cli.backup",
    "app.cli.relay",
    "app.cli.company",
    "app.cli.kb",
    "app.cli.outbound",
    "app.cli.repo",
)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = argparse.ArgumentParser(prog="bureau", description="A small AI company on your own laptop. "
                                     "With no command, opens the desktop app.")
    parser.add_argument("--home", metavar="DIR", help="data folder (default: BUREAU_HOME or the per-user folder); "
                        "accepted before or after the command")
    parser.add_argument("--json", action="store_true", help="machine-readable output (also after the command)")
    from app import __version__

    parser.add_argument("--version", action="version", version=f"bureau {__version__}")
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
    from app.core.privacy import quiet_defaults

    quiet_defaults()  # before any library is imported: no telemetry, no phone-home
    _tolerant_streams()
    raw = list(sys.argv[1:] if argv is None else argv)
    rest, home, as_json = _global_options(raw)
    parser, handlers = build_parser()
    try:
        args = parser.parse_args(rest)
    except SystemExit as exc:  # `--help` (0) or a usage error argparse has printed (2)
        return 0 if exc.code in (0, None) else EXIT_ERROR
    args.home = home
    args.json = as_json
    try:
        from app.core.logs import setup_logging
        from app.core.paths import data_home

        setup_logging(data_home(home))  # logs/bureau.log in the data folder
    except Exception as exc:  # noqa: BLE001
        return _fail(exc)
    if args.command is None:
        from app.gui.shell.main import run_gui  # Qt is imported only here

        return run_gui(home=args.home)
    handler = handlers[args.command]
    try:
        if not getattr(handler, "opens_database", True):  # restore, logs: the database may be damaged
            return handler(None, args)  # type: ignore[arg-type]
        from app.company import Company

        company = Company.open(args.home)
        try:
            return handler(company, args)
        finally:
            company.close()
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`bureau tasks | head`): nothing more to say
        _silence_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place every error becomes a message
        return _fail(exc)


def _fail(exc: Exception) -> int:
    """Print ``exc`` as one line naming the fix (stderr, exit 2); `BUREAU_DEBUG=1` adds the traceback."""
    from app.cli.errors import BUG_FIX, as_bureau_error

    error = as_bureau_error(exc)
    line = str(error)
    if error.fix == BUG_FIX:  # a bug: the details go to a local crash report (nothing is sent anywhere)
        import traceback

        from app.core.logs import write_crash_report

        report = write_crash_report("".join(traceback.format_exception(exc)))
        if report is not None:
            line += f" The details are in {report}."
    print(f"bureau: error: {line}", file=sys.stderr)
    if os.environ.get("BUREAU_DEBUG"):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    return EXIT_ERROR


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture output)
        pass


def _tolerant_streams() -> None:
    """Text that came in as undecodable bytes (surrogate escapes) is printed escaped, never a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: leave it
                pass


if __name__ == "__main__":
    sys.exit(main())
