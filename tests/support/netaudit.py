"""A full Bureau session that records every outgoing connection (run as a subprocess by a test).

    python tests/support/netaudit.py HOME REPORT OLLAMA_URL

An audit hook (``sys.addaudithook``) is installed before Bureau or any library is imported; it
records every ``socket.connect``/``socket.connect_ex`` and every name lookup of the process, in
all threads. The session: add an Ollama model on the given (test) server, submit a task and run
it end to end on the real embedded model with the CLI, list the models, then open the desktop
app offscreen until its board has loaded and close it. The records are written to REPORT as JSON.
"""

from __future__ import annotations

import json
import socket
import sys
import threading

RECORDS: list[dict[str, object]] = []
_LOCK = threading.Lock()


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in ("socket.connect", "socket.connect_ex"):
        sock, address = args[0], args[1]
        family = getattr(sock, "family", None)
        with _LOCK:
            RECORDS.append({"event": event, "family": int(family) if family is not None else None,
                            "address": address if isinstance(address, str) else
                            (list(address) if isinstance(address, tuple) else repr(address)),
                            "thread": threading.current_thread().name})
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        with _LOCK:
            RECORDS.append({"event": event, "host": repr(args[0]), "thread": threading.current_thread().name})


sys.addaudithook(_hook)


def main() -> int:
    home, report, ollama_url = sys.argv[1], sys.argv[2], sys.argv[3]
    import os

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    steps: list[tuple[str, int]] = []
    from app.cli.main import main as bureau

    def cli(*args: str) -> int:
        code = bureau(["--home", home, *args])
        steps.append((" ".join(args), code))
        return code

    cli("models", "add", "office-ollama", "--ollama", "smollm2:135m", "--host", ollama_url, "--json")
    cli("submit", "Write a short blog post about keeping a tidy desk", "--json")
    cli("run", "--until-idle", "--json")
    cli("models", "list", "--json")
    cli("show", "1", "--json")
    steps.append(("app", _app(home)))
    with open(report, "w", encoding="utf-8") as f:
        json.dump({"records": RECORDS, "steps": steps, "loopback": socket.gethostname()}, f)
    return 0


def _app(home: str) -> int:
    from PySide6.QtCore import QTimer

    from app.gui.shell.main import start_app

    app, launcher, hooks = start_app(home)
    seen = {"window": False}

    def check() -> None:
        controller = launcher.controller
        if controller is not None and controller.window.isVisible() and controller.board_model.loaded:
            seen["window"] = True
            app.quit()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(50)
    QTimer.singleShot(60_000, app.quit)
    try:
        app.exec()
    finally:
        hooks.uninstall()
        if launcher.controller is not None:
            launcher.controller.shutdown()
    return 0 if seen["window"] else 1


if __name__ == "__main__":
    sys.exit(main())
