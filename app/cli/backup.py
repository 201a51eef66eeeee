"""`bureau backup|restore|logs`: copies of the database, restoring one, and the local log."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import Handler, add_command, out

if TYPE_CHECKING:
    from app.company import Company


def register(sub: Any) -> dict[str, Handler]:
    p = add_command(sub, "backup", "Copy the database to FILE (default: a new file in the data folder's "
                    "backups/); safe while an engine runs.")
    p.add_argument("file", nargs="?", type=Path)
    p.add_argument("--list", action="store_true", help="list the backups in the data folder, newest first")
    p = add_command(sub, "restore", "Replace the database with a backup (the current one is kept aside); "
                    "refused while the app or `bureau run` works on this data folder.")
    p.add_argument("file", type=Path)
    p = add_command(sub, "logs", "Show the local log (logs/bureau.log in the data folder).")
    p.add_argument("--follow", "-f", action="store_true", help="keep printing new lines (Ctrl+C stops)")
    p.add_argument("--lines", "-n", type=int, default=50, metavar="N", help="how many lines (default 50)")
    return {"backup": cmd_backup, "restore": without_company(cmd_restore), "logs": without_company(cmd_logs)}


def without_company(handler: Handler) -> Handler:
    """Mark a handler that works on the data folder without opening the database (it may be damaged)."""
    handler.opens_database = False  # type: ignore[attr-defined]
    return handler


def cmd_backup(company: Company, args: argparse.Namespace) -> int:
    from app.store.backup import backup_dir, backups, copy_database, stamp

    if args.list:
        found = backups(company.home)
        rows = [{"path": str(p), "bytes": p.stat().st_size, "modified": time.strftime(
            "%Y-%m-%d %H:%M:%S", time.localtime(p.stat().st_mtime))} for p in found]
        text = "\n".join(f"{r['modified']}  {r['bytes']:>12,}  {r['path']}" for r in rows) or "No backups yet."
        return out(args, rows, text)
    target = args.file or backup_dir(company.home) / f"bureau-{stamp()}.db"
    if target.exists() and target.is_dir():
        target = target / f"bureau-{stamp()}.db"
    info = copy_database(company.db.path, target)
    return out(args, {"path": str(info.path), "bytes": info.bytes, "tasks": info.tasks,
                      "seconds": round(info.seconds, 3)},
               f"Backed up {info.tasks} tasks to {info.path} ({info.bytes:,} bytes, {info.seconds:.2f} s).")


def cmd_restore(_company: None, args: argparse.Namespace) -> int:
    from app.core.paths import data_home
    from app.store.restore import restore

    result = restore(data_home(args.home), args.file)
    kept = f" The database it replaced is kept at {result.previous_kept_at}." if result.previous_kept_at else ""
    return out(args, {"restored_from": str(result.restored_from), "tasks": result.tasks,
                      "previous": str(result.previous_kept_at) if result.previous_kept_at else None},
               f"Restored {result.tasks} tasks from {result.restored_from}.{kept}")


def cmd_logs(_company: None, args: argparse.Namespace) -> int:
    from app.core.logs import log_file, newest_crash
    from app.core.paths import data_home

    home = data_home(args.home)
    path = log_file(home)
    lines = _tail(path, max(args.lines, 0))
    crash = newest_crash(home)
    if args.json and not args.follow:
        return out(args, {"path": str(path), "lines": lines, "newest_crash": str(crash) if crash else None}, "")
    if not args.json:
        print(f"# {path}" + (f" (newest crash report: {crash})" if crash else ""), file=sys.stderr)
    for line in lines:
        _emit(args, line)
    if args.follow:
        _follow(args, path)
    return 0


def _emit(args: argparse.Namespace, line: str) -> None:
    if args.json:
        import json

        print(json.dumps({"line": line}, ensure_ascii=False), flush=True)
    else:
        print(line, flush=True)


def _tail(path: Path, count: int) -> list[str]:
    if not path.exists() or count == 0:
        return []
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 256 * count))
        data = f.read().decode("utf-8", "replace")
    lines = data.splitlines()
    if size > 256 * count:
        lines = lines[1:]  # the first one may be cut
    return lines[-count:]


def _follow(args: argparse.Namespace, path: Path, *, poll: float = 0.3) -> None:
    """Print lines appended to ``path``, following it across rotation, until interrupted."""
    position = path.stat().st_size if path.exists() else 0
    inode = path.stat().st_ino if path.exists() else None
    buffer = ""
    while True:
        if path.exists():
            st = path.stat()
            if st.st_ino != inode or st.st_size < position:  # rotated: start the new file from its beginning
                inode, position = st.st_ino, 0
            if st.st_size > position:
                with open(path, "rb") as f:
                    f.seek(position)
                    chunk = f.read()
                position += len(chunk)
                buffer += chunk.decode("utf-8", "replace")
                *complete, buffer = buffer.split("\n")
                for line in complete:
                    _emit(args, line)
        time.sleep(poll)
