"""Offloading steps to runners on a real nats-server: where a step ran, a runner dying mid-step,
the relay going away, and sensitive tasks staying home."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.company import Company
from app.relay.desktop import DesktopRelay
from app.relay.runner import Runner
from app.tasks.service import NewTask
from tests.conftest import ScriptedBackend
from tests.support.memory_keyring import memory_keyring
from tests.support.relay import Capture, pair_with, relay_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ring() -> Iterator[None]:
    with memory_keyring():
        yield


def _steps(company: Company) -> list[tuple[int, str, str, int]]:
    with company.db.raw_read() as c:
        return [(r[0], r[1], r[2] or "", r[3]) for r in c.execute(
            "SELECT task_id, status, model, attempts FROM step WHERE kind = 'work' ORDER BY id")]


def _setup(company: Company, server, *, lease: float = 5.0, claim: float = 5.0) -> DesktopRelay:  # type: ignore[no-untyped-def]
    desk = DesktopRelay(company.home, company.db)
    desk.connect(server.url, server.state.desktop_password)
    desk.set_options(offload_teams=["content"], claim_timeout=claim, lease=lease)
    return desk


def test_offloaded_step_runs_on_a_runner_and_says_where(tmp_path: Path, scripted_company: Company,
                                                        ring: None) -> None:
    company = scripted_company
    with relay_server(tmp_path / "relay") as server, Capture(server) as cap:
        desk = _setup(company, server)
        pair_with(desk, tmp_path / "runner", url=server.url, role="runner", name="big-box")
        runner = Runner(tmp_path / "runner", ScriptedBackend(replies=("# From the runner\n\n" + "Runner text. " * 30,),
                                                             name="runner-model"), heartbeat=0.5)
        t = threading.Thread(target=runner.run, daemon=True)
        t.start()
        streamed: list[str] = []
        engine = company.engine(on_stream=lambda task_id, key, text: streamed.append(text))
        assert company.relay_link() is not None and company.relay_link().wait_online(10)
        normal = company.tasks.submit(NewTask(text="Write a note about the Pelican launch", team="content"))
        secret = company.tasks.submit(NewTask(text="Write a note about Heron payroll", team="content", sensitive=True))
        engine.run_until_idle(max_wait=60)
        runner.stopping.set()
        t.join(10)
    models = {(task_id, model) for task_id, _, model, _ in _steps(company)}
    assert {m for t, m in models if t == normal.id} == {"runner-model@runner:big-box"}
    assert {m for t, m in models if t == secret.id} == {"scripted"}
    assert any("Runner" in s for s in streamed)  # tokens streamed back from the runner
    assert b"Heron" not in cap.blob() and b"Pelican" not in cap.blob() and b"Runner text" not in cap.blob()
    normal_steps = [s for s in _steps(company) if s[0] == normal.id]
    assert len(set(cap.on("bureau.work."))) == len(normal_steps)  # only the non-sensitive task's steps were offered


def test_relay_offline_falls_back_to_local_work(tmp_path: Path, scripted_company: Company, ring: None) -> None:
    company = scripted_company
    with relay_server(tmp_path / "relay") as server:
        desk = _setup(company, server)
        pair_with(desk, tmp_path / "runner", url=server.url, role="runner", name="gone")
    # The relay is gone now.
    engine = company.engine()
    link = company.relay_link()
    assert link is not None and not link.online
    task = company.tasks.submit(NewTask(text="Write a short welcome note", team="content"))
    started = time.monotonic()
    engine.run_until_idle(max_wait=60)
    assert time.monotonic() - started < 20
    steps = _steps(company)
    assert steps and {(t, st, m) for t, st, m, _ in steps} == {(task.id, "done", "scripted")}


def test_a_runner_dying_mid_step_hands_the_step_to_another_exactly_once(
        tmp_path: Path, scripted_company: Company, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUREAU_RELAY_SECRETS", "file")
    monkeypatch.setenv("BUREAU_RELAY_PASSPHRASE", "test passphrase")
    company = scripted_company
    with relay_server(tmp_path / "relay") as server:
        desk = _setup(company, server, lease=2.0, claim=5.0)
        pair_with(desk, tmp_path / "slow", url=server.url, role="runner", name="slow")
        pair_with(desk, tmp_path / "fast", url=server.url, role="runner", name="fast")
        env = os.environ.copy()
        slow = subprocess.Popen([sys.executable, "-m", "tests.support.relay_procs", "runner", str(tmp_path / "slow"), "30"],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        fast: subprocess.Popen[bytes] | None = None
        try:
            engine = company.engine()
            assert company.relay_link() is not None and company.relay_link().wait_online(10)
            task = company.tasks.submit(NewTask(text="Write a note about tidy desks", team="content"))
            worker = threading.Thread(target=lambda: engine.run_until_idle(max_wait=90), daemon=True)
            worker.start()
            deadline = time.monotonic() + 30
            while not any(s[1] == "running" for s in _steps(company)) and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(1.5)  # the slow runner has claimed it and is working
            slow.send_signal(signal.SIGKILL)
            slow.wait(10)
            fast = subprocess.Popen([sys.executable, "-m", "tests.support.relay_procs", "runner", str(tmp_path / "fast")],
                                    cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            worker.join(90)
        finally:
            for p in (slow, fast):
                if p is not None and p.poll() is None:
                    p.send_signal(signal.SIGTERM)
                    p.wait(15)
    steps = _steps(company)
    assert steps and {(t, st, a) for t, st, _, a in steps} == {(task.id, "done", 1)}  # each recorded once
    assert {m for *_, m, _ in steps} == {"runner-scripted@runner:fast"}  # the killed runner's step went to the other
