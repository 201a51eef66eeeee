"""A SIGTERM closes the app from the event loop, never in the middle of other GUI-thread code.

The bundle test once caught the handler quitting (and so shutting the background pool) between
``TaskRunner.run``'s closed check and its ``submit``: the model's preload then crashed.
"""

from __future__ import annotations

import os
import signal

import pytest
from PySide6.QtCore import QObject

from app.gui.common.ops import TaskRunner
from app.gui.shell.main import SignalQuit


def test_a_signal_only_asks_and_the_event_loop_quits(qtbot) -> None:  # noqa: ANN001
    quits: list[int] = []
    owner = QObject()
    watcher = SignalQuit(owner, lambda: quits.append(1), interval_ms=20)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    watcher.install()
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        assert watcher.requested and quits == []  # nothing ran inside the handler
        qtbot.waitUntil(lambda: quits == [1], timeout=2000)
        assert not watcher.requested
        qtbot.wait(100)
        assert quits == [1]  # once per signal
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def test_a_runner_closed_under_a_run_call_drops_the_job_quietly(qtbot) -> None:  # noqa: ANN001
    errors: list[BaseException] = []
    runner = TaskRunner(errors.append)
    submit = runner._pool.submit

    def closing_first(fn, /, *args, **kwargs):  # noqa: ANN001, ANN202 - the race, made certain
        runner.close()
        return submit(fn, *args, **kwargs)

    runner._pool.submit = closing_first  # type: ignore[method-assign]
    assert runner.run(lambda: 1, label="Loading…") is None
    assert runner.activity == "" and not runner.busy
    assert errors == []


def test_an_open_runner_still_raises_when_its_pool_fails(qtbot) -> None:  # noqa: ANN001
    runner = TaskRunner(lambda exc: None)
    runner._pool.shutdown()  # not through close(): a bug, and it must show
    with pytest.raises(RuntimeError, match="after shutdown"):
        runner.run(lambda: 1)
    runner.close()
