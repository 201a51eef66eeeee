"""Separate processes for relay tests: a desktop engine and a runner, both on scripted models.

    python -m tests.support.relay_procs desktop HOME     # the engine + relay link, until SIGTERM
    python -m tests.support.relay_procs runner HOME [DELAY]   # a runner, until SIGTERM

Secrets come from the passphrase-encrypted file (BUREAU_RELAY_SECRETS=file), as on a
machine without a keyring.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from agents.backends.base import ChatMessage, ChatOptions
from tests.conftest import ScriptedBackend


def answer(where: str) -> Callable[[Sequence[ChatMessage]], str]:
    """A plain answer about the task's subject, without repeated phrases (the review checks both)."""

    def reply(messages: Sequence[ChatMessage]) -> str:
        asked = messages[-1].content if messages else ""
        task = re.search(r"^Task: (.*)$", asked, re.M)
        about = task.group(1).strip().rstrip(".") if task else "the task"
        return (f"# Result from the {where} model about {about}\n\n" + _BODY + f" Everything here concerns {about}.")

    return reply


_BODY = ("Keeping a desk tidy starts with a small daily habit. Clear the "
         "surface each evening, file loose papers into one labelled tray, and return tools to a drawer. "
         "Cables stay bundled under the edge, a single plant adds calm, and a weekly five minute reset "
         "catches whatever slipped through. The result is less searching, fewer distractions and a workspace "
         "that invites focused work every morning.")


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
    scripted = ScriptedBackend(replies=(answer("local"),), name="local-scripted")
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

    backend = SlowScripted(delay, replies=(answer("runner"),), name="runner-scripted")
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
