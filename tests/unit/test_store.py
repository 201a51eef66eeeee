import sqlite3

import pytest

from app.core.errors import StoreError
from app.tasks.service import NewTask
from app.store.db import Database
from app.store.migrations import MIGRATIONS


def test_migrations_are_recorded_and_applied_once(home):
    home.mkdir()
    Database(home).close()
    Database(home).close()
    conn = sqlite3.connect(home / "bureau.db")
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [m.version for m in MIGRATIONS]


def test_pragmas_wal_and_foreign_keys(company):
    with company.db.raw_read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_foreign_keys_are_enforced(company):
    with pytest.raises(sqlite3.DatabaseError):
        with company.db.raw_write() as conn:
            conn.execute(
                "INSERT INTO decision (task_id, kind, created_at) VALUES (999, 'route', '2026-01-01')")


def test_event_log_is_append_only(company):
    company.tasks.submit(NewTask(text="Write release notes for 1.2"))
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        with company.db.raw_write() as conn:
            conn.execute("DELETE FROM event")
    assert company.db.events_since(0)


def test_listeners_get_events_after_commit(company):
    seen = []
    company.db.subscribe(lambda events: seen.extend(e.kind for e in events))
    company.tasks.submit(NewTask(text="Write release notes for 1.2"))
    assert seen == ["created"]


def test_full_disk_gives_a_clear_error_and_keeps_data(company):
    first = company.tasks.submit(NewTask(text="Keep me safe"))
    # Simulate a full disk: SQLite may not grow the file past its current size (this thread's connection).
    with company.db.raw_read() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="disk .* is full") as info:
        company.tasks.submit(NewTask(text="x" * 150_000))
    assert "Free some disk space" in str(info.value)
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert [t.text for t in company.tasks.list_tasks()] == [first.text]


def test_data_home_that_is_a_file_is_refused(tmp_path):
    from app.company import Company

    target = tmp_path / "afile"
    target.write_text("not a folder")
    with pytest.raises(StoreError, match="is a file"):
        Company.open(target)


def test_corrupt_database_is_reported(tmp_path):
    home = tmp_path / "h"
    home.mkdir()
    (home / "bureau.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="damaged or not a Bureau database"):
        Database(home)
    assert (home / "bureau.db").read_bytes().startswith(b"this is not sqlite")
