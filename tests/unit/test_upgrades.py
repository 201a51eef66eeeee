"""Upgrades keep data: every earlier schema version migrates to the current one with nothing lost.

The fixtures in tests/data/ (one per schema version, written by tests/support/fixture_db.py)
are frozen examples of old data folders. These tests iterate over ``MIGRATIONS``, so a new
migration is covered as soon as its predecessor's fixture is committed.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.core.errors import StoreError
from app.store.backup import DamagedDatabase, NewerDatabase, backups
from app.store.db import Database
from app.store.migrations import MIGRATIONS
from tests.support.fixture_db import fixture_path, write_fixture

KEPT_TABLES = ("task", "decision", "step", "artifact", "event", "routing_example")
EARLIER = [m.version for m in MIGRATIONS[:-1]]
LATEST = MIGRATIONS[-1].version


def _rows(path: Path) -> dict[str, dict[int, dict[str, object]]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        found: dict[str, dict[int, dict[str, object]]] = {}
        for table in KEPT_TABLES:
            found[table] = {r["id"]: dict(r) for r in conn.execute(f"SELECT * FROM {table}")}
        return found
    finally:
        conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("version", EARLIER or [LATEST])
def test_every_earlier_version_has_a_fixture(version: int) -> None:
    assert fixture_path(version).exists(), (
        f"No fixture for schema version {version}: run `python tests/support/fixture_db.py` and commit "
        f"{fixture_path(version).relative_to(Path.cwd()) if fixture_path(version).is_relative_to(Path.cwd()) else fixture_path(version)}")


@pytest.mark.parametrize("version", sorted(int(p.stem.removeprefix("schema-v")) for p in
                                           fixture_path(1).parent.glob("schema-v*.db")))
def test_a_fixture_migrates_to_the_current_schema_keeping_every_row(version: int, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db_file = home / "bureau.db"
    shutil.copy(fixture_path(version), db_file)
    before = _rows(db_file)
    assert before["task"] and before["decision"] and before["step"] and before["artifact"]

    db = Database(home)
    db.close()

    conn = sqlite3.connect(db_file)
    try:
        applied = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
    finally:
        conn.close()
    assert applied == {m.version for m in MIGRATIONS}
    after = _rows(db_file)
    for table, rows in before.items():
        assert set(after[table]) == set(rows), table
        for row_id, row in rows.items():
            new = after[table][row_id]
            assert {k: new[k] for k in row} == row, (table, row_id)  # every old column, same value
    pending = version != LATEST
    made = [p for p in backups(home) if p.name.startswith("pre-migration-")]
    assert len(made) == (1 if pending else 0)
    if pending:  # the backup is the database as it was before the migration
        assert made[0].name.startswith(f"pre-migration-v{version}-to-v{LATEST}-")
        assert _rows(made[0]) == before
        check = sqlite3.connect(made[0])
        assert {r[0] for r in check.execute("SELECT version FROM schema_migrations")} == \
            {m.version for m in MIGRATIONS if m.version <= version}
        check.close()


def test_migrated_database_serves_the_app(tmp_path: Path) -> None:
    """The oldest fixture opens in the real services: tasks listed, a task shown with its steps."""
    from app.company import Company

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(fixture_path(MIGRATIONS[0].version), home / "bureau.db")
    company = Company.open(home)
    try:
        rows = _rows(home / "bureau.db")
        assert len(company.tasks.list_tasks()) == len(rows["task"])
        for task_id in rows["task"]:  # every task reads back through the ORM with all it holds
            detail = company.tasks.detail(task_id)
            assert detail.task.text == rows["task"][task_id]["text"]
            assert [d.id for d in detail.decisions] == sorted(
                d["id"] for d in rows["decision"].values() if d["task_id"] == task_id)
            assert [s.key for s in detail.steps] == [
                s["key"] for s in sorted(rows["step"].values(), key=lambda r: r["id"]) if s["task_id"] == task_id]
            assert len(detail.artifacts) == sum(a["task_id"] == task_id for a in rows["artifact"].values())
    finally:
        company.close()


def test_a_fresh_database_makes_no_migration_backup(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    Database(home).close()
    Database(home).close()
    assert backups(home) == []


def test_a_newer_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db_file = write_fixture(home / "bureau.db", LATEST)
    conn = sqlite3.connect(db_file)
    conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', '2031-01-01')", (LATEST + 1000,))
    conn.commit()
    conn.close()
    digest = _sha(db_file)
    with pytest.raises(NewerDatabase, match="newer Bureau") as caught:
        Database(home)
    assert str(LATEST + 1000) in caught.value.message
    assert caught.value.fix
    assert _sha(db_file) == digest
    assert not Path(f"{db_file}-wal").exists()
    assert backups(home) == []


def test_overwritten_bytes_are_detected_at_start_and_the_newest_backup_is_offered(tmp_path: Path) -> None:
    from app.store.backup import copy_database

    home = tmp_path / "home"
    home.mkdir()
    db_file = write_fixture(home / "bureau.db", LATEST, tasks=300)
    copy_database(db_file, home / "backups" / "daily-2024-05-01.db")
    newest = copy_database(db_file, home / "backups" / "daily-2024-05-02.db").path
    size = db_file.stat().st_size
    with open(db_file, "r+b") as f:  # garbage over pages in the middle; the header stays valid
        f.seek(size // 2)
        f.write(b"\xde\xad\xbe\xef" * 2048)
    digest = _sha(db_file)
    with pytest.raises(DamagedDatabase) as caught:
        Database(home)
    assert caught.value.backup == newest
    assert f"bureau restore {newest}" in str(caught.value)
    assert _sha(db_file) == digest  # reported, never silently replaced


def test_damaged_header_is_reported_as_a_store_error(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "bureau.db").write_bytes(b"garbage" * 1000)
    with pytest.raises(StoreError, match="no backup to restore"):
        Database(home)


def test_a_big_database_is_checked_at_its_first_open_of_the_day(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import app.store.backup as backup

    monkeypatch.setattr(backup, "ALWAYS_CHECK_BYTES", 0)  # every file counts as big
    calls: list[str] = []
    real = sqlite3.connect

    class Spy:  # counts quick_check runs on the connections prepare_open makes
        def __init__(self, *a, **k):  # noqa: ANN002, ANN003
            self._c = real(*a, **k)

        def execute(self, sql, *a):  # noqa: ANN001, ANN002
            if "quick_check" in sql:
                calls.append(sql)
            return self._c.execute(sql, *a)

        def close(self) -> None:
            self._c.close()

    home = tmp_path / "home"
    home.mkdir()
    write_fixture(home / "bureau.db", LATEST)
    monkeypatch.setattr(backup.sqlite3, "connect", Spy)
    backup.prepare_open(home / "bureau.db")
    backup.prepare_open(home / "bureau.db")
    assert len(calls) == 1
    (home / "backups" / backup.CHECKED_MARKER).write_text("2001-01-01")  # a new day
    backup.prepare_open(home / "bureau.db")
    assert len(calls) == 2
