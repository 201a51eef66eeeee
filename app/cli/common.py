"""What every `bureau` subcommand shares: registering a command, printing its result, the handler type.

A command family is a module under ``app/cli/`` with ``register(sub) -> dict[str, Handler]``,
listed in ``app.cli.main.FAMILIES``. Keep a family's top-level imports light (argparse and
typing): the services it calls are imported inside its handlers, so that `bureau tasks`
does not pay for the model backends.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.company import Company

EXIT_ERROR = 2
Handler = Callable[["Company", argparse.Namespace], int]


def add_command(parent: Any, name: str, help_: str) -> argparse.ArgumentParser:
    """A subcommand with the `--json` switch every command has."""
    p: argparse.ArgumentParser = parent.add_parser(name, help=help_, description=help_)
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    return p


def out(args: argparse.Namespace, data: Any, text: str) -> int:
    """Print ``data`` as JSON under `--json`, else ``text``; exit code 0."""
    print(json.dumps(data, ensure_ascii=False, default=str) if getattr(args, "json", False) else text)
    return 0
