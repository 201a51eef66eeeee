"""Backup, check and restore times for a large data folder (default 100,000 tasks).

    python bench/backup.py [--tasks 100000] [--keep DIR]

Fills a fresh data folder with tasks that look like real ones (text, a route and a plan decision,
one journalled step with output, an artifact row, three events each), then times:
`bureau backup` (SQLite online backup API, whole file in one step), the start-up checks
(PRAGMA quick_check), the daily backup when today's exists (a stat), and `bureau restore`.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.store.backup import check_file, copy_database, daily_backup, prepare_open  # noqa: E402
from app.store.db import Database  # noqa: E402
from app.store.restore import restore  # noqa: E402


def fill(db_path: Path, count: int) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    ts = "2025-01-01 10:00:00.000000"
    body = "Write a short blog post about keeping a tidy desk, with three practical tips. " * 3
    output = "# A tidy desk\n\n" + "Clear the surface every evening and keep only what you use. " * 12
    conn.execute("BEGIN")
    for i in range(1, count + 1):
        conn.execute("INSERT INTO task (id, title, text, status, priority, team, confidence, created_at, updated_at) "
                     "VALUES (?, ?, ?, 'done', 'normal', 'content', 0.93, ?, ?)", (i, f"Task {i}", body, ts, ts))
        conn.execute("INSERT INTO decision (task_id, kind, team, confidence, rationale, payload, created_at) "
                     "VALUES (?, 'route', 'content', 0.93, 'blog post: long-form writing', ?, ?)",
                     (i, json.dumps({"alternatives": [{"team": "marketing", "score": 0.04}]}), ts))
        conn.execute("INSERT INTO step (task_id, key, team, role, status, attempts, model, tokens_in, tokens_out, "
                     "started_at, finished_at, output) VALUES (?, 'work', 'content', 'writer', 'done', 1, "
                     "'smollm2-135m', 300, 200, ?, ?, ?)", (i, ts, ts, output))
        conn.execute("INSERT INTO artifact (task_id, step_key, name, path, media_type, size, sha256, idem_key, "
                     "created_at) VALUES (?, 'work', 'post.md', ?, 'text/markdown', 800, ?, ?, ?)",
                     (i, f"artifacts/task-{i}/post.md", f"{i:064x}", f"{i}:work:post.md", ts))
        for kind in ("status", "decision", "status"):
            conn.execute("INSERT INTO event (task_id, kind, status, payload, created_at) VALUES (?, ?, 'done', "
                         "'{}', ?)", (i, kind, ts))
        if i % 10_000 == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def timed(label: str, fn, repeat: int = 3) -> float:  # noqa: ANN001
    best = min(_once(fn) for _ in range(repeat))
    print(f"{label}: {best * 1000:.0f} ms")
    return best


def _once(fn) -> float:  # noqa: ANN001
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the data folder here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = args.keep or Path(tmp) / "home"
        home.mkdir(parents=True, exist_ok=True)
        Database(home).close()
        db_path = home / "bureau.db"
        started = time.perf_counter()
        fill(db_path, args.tasks)
        print(f"{args.tasks:,} tasks: {db_path.stat().st_size / 1e6:.0f} MB, filled in {time.perf_counter() - started:.0f} s")
        target = home / "backups" / "bench.db"
        timed("backup (online backup API, copy synced and renamed)", lambda: copy_database(db_path, target))
        timed("start-up checks (quick_check, schema version)", lambda: prepare_open(db_path))
        timed("PRAGMA quick_check alone", lambda: check_file(db_path))
        daily_backup(home, db_path)
        timed("daily backup when today's exists", lambda: daily_backup(home, db_path), repeat=5)
        timed("restore (checks, copy of the current aside, copy in)", lambda: restore(home, target), repeat=1)
        started = time.perf_counter()
        Database(home).close()
        print(f"open the database (checks and migrations included): {(time.perf_counter() - started) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
