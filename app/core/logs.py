"""Logs and crash reports stay on this machine, in the data folder.

- ``logs/bureau.log``: rotating (1 MB, five old files kept), INFO and above from Bureau's own
  loggers, WARNING and above from libraries. ``BUREAU_LOG`` sets the console level.
- ``crashes/crash-{stamp}.txt``: one file per unexpected error, with the traceback and the
  versions, that the error dialog opens and `bureau logs` points at. Nothing is sent anywhere.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import sys
import threading
from datetime import datetime
from pathlib import Path

LOG_DIR = "logs"
LOG_FILE = "bureau.log"
CRASH_DIR = "crashes"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
CRASH_KEEP = 50
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"

_lock = threading.Lock()
_handler: logging.handlers.RotatingFileHandler | None = None
_home: Path | None = None


def log_file(home: Path) -> Path:
    return home / LOG_DIR / LOG_FILE


def setup_logging(home: Path, *, console_level: str | None = None) -> Path:
    """Log to the data folder's rotating file (once per process and folder) and to stderr."""
    global _handler, _home
    level = (console_level or os.environ.get("BUREAU_LOG", "WARNING")).upper()
    root = logging.getLogger()
    with _lock:
        if not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
                   for h in root.handlers):
            console = logging.StreamHandler()
            console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
            console.setLevel(level)
            root.addHandler(console)
        path = log_file(home)
        if _handler is not None and _home == home:
            return path
        if _handler is not None:
            root.removeHandler(_handler)
            _handler.close()
            _handler = None
        _home = home
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                                           encoding="utf-8", delay=True)
        except OSError:
            return path  # a read-only data folder: the store reports it with its fix
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(_OwnInfo())
        handler.setLevel(logging.INFO)
        root.addHandler(handler)
        wanted = min(logging.INFO, logging.getLevelName(level) if level in logging.getLevelNamesMapping()
                     else logging.INFO)
        if root.level == logging.NOTSET or root.level > wanted:
            root.setLevel(wanted)  # the console handler keeps its own level
        _handler = handler
    return path


class _OwnInfo(logging.Filter):
    """INFO from Bureau's own modules; libraries only from WARNING up."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return record.name.split(".")[0] in {"app", "agents", "teams", "bench", "__main__"}


def crash_dir(home: Path | None = None) -> Path | None:
    folder = home or _home
    return folder / CRASH_DIR if folder is not None else None


def write_crash_report(details: str, *, home: Path | None = None) -> Path | None:
    """Write ``details`` (a traceback) to a new crash file; None when there is no data folder yet."""
    folder = crash_dir(home)
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now()
        path = folder / f"crash-{now:%Y%m%d-%H%M%S-%f}.txt"
        from app import __version__

        path.write_text(
            f"Bureau {__version__} crash report, {now.isoformat(timespec='seconds')}\n"
            f"Python {sys.version.split()[0]} on {platform.platform()}\n"
            f"This file stays on your computer; nothing was sent anywhere.\n\n{details}", encoding="utf-8")
        for old in sorted(folder.glob("crash-*.txt"), reverse=True)[CRASH_KEEP:]:
            old.unlink(missing_ok=True)
        logging.getLogger(__name__).error("crash report written to %s", path)
        return path
    except OSError:
        return None


def newest_crash(home: Path) -> Path | None:
    folder = crash_dir(home)
    files = sorted(folder.glob("crash-*.txt"), reverse=True) if folder and folder.is_dir() else []
    return files[0] if files else None
