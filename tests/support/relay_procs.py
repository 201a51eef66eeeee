"""Separate processes for relay tests: a desktop engine and a runner, both on scripted models.

    python -m tests.support.relay_procs desktop HOME     # the engine + relay link, until SIGTERM
    python -m tests.support.relay_procs runner HOME [DELAY]   # a runner, until SIGTERM

Secrets come from the passphrase-encrypted file (BUREAU_RELAY_SECRETS=file), as on a
machine without a keyring.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path

from agents.backends.base import ChatOptions
from tests.conftest import ScriptedBackend


class SlowScripted(ScriptedBackend):
    def __init__(self, delay: float, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.delay = delay

    def chat(self, messages, options=None, *, on_token=None, cancelled=None):  # type: ignore[no-untyped-def]
        time.sleep(self.delay)
        return super().chat(messages, options or ChatOptions(), on_token=on_token, cancelled=cancelled)


def desktop(home: Path) -> None:
    from app.company import Company

    company = Company.open(home)
    scripted = ScriptedBackend(replies=("# Local result\n\n" + "Local words here. " * 30,), name="local-scripted")
    company.models.backend_for = lambda role: scripted  # type: ignore[method-assign]
    engine = company.engine(engine_id="desktop-proc")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    worker = threading.Thread(target=lambda: engine.run_forever(poll_seconds=0.1), daemon=True)
    worker.start()
    print("desktop ready", flush=True)
    while not stop.wait(0.2):
        pass
    engine.stop()
    company.close()


def runner(home: Path, delay: float) -> None:
    from app.relay.runner import Runner

    backend = SlowScripted(delay, replies=("# Runner result\n\n" + "Runner words here. " * 30,), name="runner-scripted")
    r = Runner(home, backend, heartbeat=0.5)
    signal.signal(signal.SIGTERM, lambda *_: r.stopping.set())
    print("runner ready", flush=True)
    r.run()


if __name__ == "__main__":
    role, folder = sys.argv[1], Path(sys.argv[2])
    if role == "desktop":
        desktop(folder)
    else:
        runner(folder, float(sys.argv[3]) if len(sys.argv) > 3 else 0.0)
