"""Write a realistic Bureau database at a given schema version (the fixtures in tests/data/).

    python tests/support/fixture_db.py            # writes tests/data/schema-vN.db for every version
    python tests/support/fixture_db.py --version 2 --out /tmp/v2.db

The file is what a founder's data folder held under that version: tasks in every status, the
CEO's decisions, journalled steps, artifacts, events, routing corrections (and team profiles
from version 2). Only the migrations up to the version are applied, and only the columns the
table has at that version are written, so the script keeps working as migrations are added.
Commit the files it writes: they are frozen examples of old data folders.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.store.migrations import MIGRATIONS, _statements  # noqa: E402

DATA = ROOT / "tests" / "data"
TEAMS = ("content", "code", "devops", "marketing", "sales", "support")
STATUSES = ("inbox", "needs_decision", "queued", "running", "in_review", "rework", "delivered", "done",
            "failed", "cancelled")


def fixture_path(version: int) -> Path:
    return DATA / f"schema-v{version}.db"


def write_fixture(path: Path, version: int, *, tasks: int = 24) -> Path:
    """A database at schema ``version`` with ``tasks`` tasks and everything that hangs off them."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                     "applied_at TEXT NOT NULL)")
        conn.execute("BEGIN")
        for migration in MIGRATIONS:
            if migration.version > version:
                break
            for statement in _statements(migration.sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                         (migration.version, migration.name, f"2024-0{min(migration.version, 9)}-01T09:00:00+00:00"))
        _fill(conn, tasks)
        conn.execute("COMMIT")
        conn.execute("VACUUM")
    finally:
        conn.close()
    return path


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, object]) -> int:
    columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    if not columns:
        return 0
    keep = {k: v for k, v in row.items() if k in columns}
    marks = ", ".join("?" * len(keep))
    cur = conn.execute(f"INSERT INTO {table} ({', '.join(keep)}) VALUES ({marks})", tuple(keep.values()))
    return int(cur.lastrowid or 0)


def _fill(conn: sqlite3.Connection, count: int) -> None:
    for i in range(1, count + 1):
        team = TEAMS[i % len(TEAMS)]
        status = STATUSES[i % len(STATUSES)]
        ts = f"2024-05-{1 + i % 28:02d} 10:{i % 60:02d}:00.000000"
        text = (f"Task {i}: write the {team} piece about topic {i} — naïve café ✓ with \"quotes\", "
                f"newlines\nand a second paragraph. " * (1 + i % 3))
        task_id = _insert(conn, "task", {
            "title": f"Task {i} for {team}", "text": text, "status": status,
            "priority": ("low", "normal", "high", "urgent")[i % 4], "due": f"2024-06-{1 + i % 28:02d}" if i % 3 else None,
            "team": team if status != "inbox" else None, "requested_team": team if i % 5 == 0 else None,
            "confidence": round(0.5 + (i % 50) / 100, 2), "sensitive": i % 7 == 0, "round": i % 3,
            "waiting_reason": "The CEO was not sure" if status == "needs_decision" else None,
            "source": ("cli", "gui")[i % 2], "created_at": ts, "updated_at": ts,
            "claimed_by": "laptop:4242:abc123" if status == "running" else None,
            "lease_until": ts if status == "running" else None, "recoveries": i % 2,
            "budget": json.dumps({"rounds": 3, "tokens": 1000 * i}) if i % 4 == 0 else "{}",
        })
        if status == "inbox":
            continue
        _insert(conn, "decision", {"task_id": task_id, "kind": "route", "team": team, "confidence": 0.9,
                                   "rationale": f"{team} owns this: it asks for {team} work",
                                   "payload": json.dumps({"alternatives": [{"team": "content", "score": 0.2}]}),
                                   "created_at": ts})
        _insert(conn, "decision", {"task_id": task_id, "kind": "plan", "team": team, "confidence": None,
                                   "rationale": "one step", "payload": json.dumps({"shape": "single",
                                                                                  "steps": [{"key": "s1"}]}),
                                   "created_at": ts})
        for n in range(1, 1 + i % 3 + 1):
            _insert(conn, "step", {
                "task_id": task_id, "key": f"s{n}", "team": team, "role": "worker", "kind": "work",
                "status": "done" if status in ("delivered", "done", "in_review") else "running",
                "attempts": n, "model": "smollm2-135m", "tokens_in": 100 * n, "tokens_out": 50 * n,
                "started_at": ts, "finished_at": ts, "output": f"# Result {i}.{n}\n\nSome words. " * 5,
                "error": None, "input": json.dumps({"brief": text[:40]}),
            })
        if status in ("delivered", "done"):
            _insert(conn, "decision", {"task_id": task_id, "kind": "review", "team": team, "confidence": None,
                                       "rationale": "passes the rubric",
                                       "payload": json.dumps({"verdict": "pass", "notes": "good"}),
                                       "created_at": ts})
            _insert(conn, "artifact", {
                "task_id": task_id, "step_key": "s1", "name": f"result-{i}.md",
                "path": f"artifacts/task-{task_id}/result-{i}.md", "media_type": "text/markdown",
                "size": 120 + i, "sha256": f"{i:064x}", "idem_key": f"{task_id}:s1:result-{i}.md", "created_at": ts})
        for kind, st in (("status", "queued"), ("decision", None), ("status", status)):
            _insert(conn, "event", {"task_id": task_id, "kind": kind, "status": st,
                                    "payload": json.dumps({"note": "fixture"}), "created_at": ts})
    _insert(conn, "routing_example", {"text": "Fix the login bug", "team": "code", "source": "correction",
                                      "task_id": 2, "created_at": "2024-05-02 10:00:00.000000"})
    _insert(conn, "team_profile", {"name": "legal", "description": "contracts and terms",
                                   "keywords": json.dumps(["contract", "terms"]), "builtin": 0,
                                   "created_at": "2024-05-03 10:00:00.000000"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", type=int, help="schema version (default: every version)")
    parser.add_argument("--out", type=Path, help="output file (default tests/data/schema-vN.db)")
    parser.add_argument("--force", action="store_true", help="rewrite fixtures that exist (they are frozen)")
    args = parser.parse_args(argv)
    versions = [args.version] if args.version else [m.version for m in MIGRATIONS]
    for version in versions:
        target = args.out or fixture_path(version)
        if target.exists() and not args.out and not args.force:
            print(f"{target} exists (kept)")
            continue
        print(write_fixture(target, version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
