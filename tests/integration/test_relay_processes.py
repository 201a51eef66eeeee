"""The whole hybrid setup in separate processes on a real nats-server: a desktop engine, a remote
device (the CLI) and two runners. The relay is restarted while commands wait in JetStream."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.relay import subjects as S
from app.relay.desktop import DesktopRelay
from app.store.db import Database
from tests.support.relay import Capture, listening_sockets, pair_with, relay_server
from app.relay.server import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET_TEXT = "Write the Quetzal merger press note"
SENSITIVE_TEXT = "Summarise the Obsidian salary spreadsheet"


@pytest.fixture
def file_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUREAU_RELAY_SECRETS", "file")
    monkeypatch.setenv("BUREAU_RELAY_PASSPHRASE", "test passphrase")


def _bureau(home: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli.main", "--home", str(home), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout, env=os.environ.copy())


def _start(role: str, home: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.support.relay_procs", role, str(home), *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ.copy())


def _stop(procs: list[subprocess.Popen[str]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def _wait(predicate, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_hybrid_session_in_separate_processes(tmp_path: Path, file_secrets: None) -> None:
    desk_home, phone, r1, r2 = (tmp_path / n for n in ("desk", "phone", "runner1", "runner2"))
    port = free_port()
    procs: list[subprocess.Popen[str]] = []
    with relay_server(tmp_path / "relay", port=port) as server, Capture(server) as cap:
        db = Database(_mk(desk_home))
        desk = DesktopRelay(desk_home, db)
        desk.connect(server.url, server.state.desktop_password)
        desk.set_options(offload_teams=["content"], claim_timeout=10.0, lease=5.0)
        pair_with(desk, phone, url=server.url, role="device", name="phone")
        pair_with(desk, r1, url=server.url, role="runner", name="runner-1")
        pair_with(desk, r2, url=server.url, role="runner", name="runner-2")
        # The desktop is away: both commands wait in JetStream.
        for args in (("remote", "submit", SECRET_TEXT, "--team", "content", "--wait", "0.3"),
                     ("remote", "submit", SENSITIVE_TEXT, "--team", "content", "--sensitive", "--wait", "0.3")):
            done = _bureau(phone, *args, "--json")
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["queued"] is True
    # The relay restarts (same folder and port): nothing queued is lost.
    with relay_server(tmp_path / "relay", port=port) as server, Capture(server) as cap2:
        try:
            procs += [_start("runner", r1, "0.05"), _start("runner", r2, "0.05"), _start("desktop", desk_home)]
            assert _wait(lambda: _statuses(db) == {"delivered"} and len(_statuses_list(db)) == 2, 90), \
                (_statuses_list(db), _reasons(db))
            assert listening_sockets(procs[2].pid) == []  # the desktop process never listens
            steps = _work_steps(db)
            assert any("@runner:" in model for text, model in steps if text == SECRET_TEXT)
            assert all("@runner" not in model for text, model in steps if text == SENSITIVE_TEXT)
            listing = _bureau(phone, "remote", "tasks", "--json")
            assert listing.returncode == 0, listing.stderr
            assert {t["status"] for t in json.loads(listing.stdout)} == {"delivered"}
            # A replayed command and a modified one are refused: still two tasks, applied once each.
            import asyncio

            import nats

            async def replay() -> None:
                nc = await nats.connect(server.url, user=S.DESKTOP_USER, password=server.state.desktop_password,
                                        inbox_prefix=S.inbox(S.DESKTOP_USER))
                js = nc.jetstream()
                for data in cap.on("bureau.cmd."):
                    await js.publish(S.cmd(desk.devices()[0].id), data)
                    bad = bytearray(data)
                    bad[len(bad) // 2] ^= 0x01
                    await js.publish(S.cmd(desk.devices()[0].id), bytes(bad))
                await nc.close()

            asyncio.run(replay())
            time.sleep(2.0)
            assert len(_statuses_list(db)) == 2
            with db.raw_read() as c:
                assert c.execute("SELECT COUNT(*) FROM relay_inbox WHERE state = 'applied'").fetchone()[0] == 3
            # Revoking the phone cuts it off at once.
            phone_id = next(d.id for d in desk.devices() if d.name == "phone")
            desk.revoke(phone_id)
            refused = _bureau(phone, "remote", "tasks", "--wait", "2")
            assert refused.returncode == 2 and "relay" in refused.stderr
        finally:
            _stop(procs)
    blob = cap.blob() + cap2.blob()
    outputs = [o for o in _outputs(db) if o]
    for plain in ("Quetzal", "merger", "Obsidian", "salary", "desk tidy", "labelled tray"):
        assert plain.encode() not in blob, plain
    for o in outputs:
        assert o[:60].encode() not in blob
    offered = len(set(cap2.on("bureau.work.")))  # a publish retried by the client carries the same bytes
    assert offered == sum(1 for text, _ in _work_steps(db) if text == SECRET_TEXT)  # nothing about the sensitive one
    db.close()


def _mk(home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    return home


def _statuses_list(db: Database) -> list[str]:
    with db.raw_read() as c:
        return [r[0] for r in c.execute("SELECT status FROM task ORDER BY id")]


def _reasons(db: Database) -> list[str]:
    with db.raw_read() as c:
        return [r[0] or "" for r in c.execute("SELECT waiting_reason FROM task ORDER BY id")]


def _statuses(db: Database) -> set[str]:
    return set(_statuses_list(db))


def _work_steps(db: Database) -> list[tuple[str, str]]:
    with db.raw_read() as c:
        return [(r[0], r[1] or "") for r in c.execute(
            "SELECT t.text, s.model FROM step s JOIN task t ON t.id = s.task_id WHERE s.kind = 'work'")]


def _outputs(db: Database) -> list[str]:
    with db.raw_read() as c:
        return [r[0] for r in c.execute("SELECT output FROM step WHERE output IS NOT NULL")]
