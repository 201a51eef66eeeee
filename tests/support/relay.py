"""A real nats-server on loopback for relay tests (random port, temporary folder), and helpers."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.relay import subjects as S
from app.relay.desktop import DesktopRelay
from app.relay.pairing import PairingCode, PairingFailed
from app.relay.remote import join
from app.relay.server import RelayServer, free_port
from app.store.db import Database


@contextmanager
def relay_server(folder: Path, *, port: int | None = None) -> Iterator[RelayServer]:
    server = RelayServer(folder, host="127.0.0.1", port=port or free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def connect_desktop(home: Path, db: Database, server: RelayServer) -> DesktopRelay:
    desk = DesktopRelay(home, db)
    desk.connect(server.url, server.state.desktop_password)
    return desk


def pair_with(desk: DesktopRelay, home: Path, *, url: str, role: str = "device", name: str = "phone",
              wrong_first: int = 0) -> Any:
    """Pair ``home`` as a device or runner of the desktop (host in a thread, join here).

    ``wrong_first``: try that many wrong codes (same meeting place) before the right one.
    """
    codes: list[PairingCode] = []
    ready = threading.Event()
    result: list[Any] = []

    def host() -> None:
        result.append(desk.pair(on_code=lambda c: (codes.append(c), ready.set())))

    t = threading.Thread(target=host, daemon=True)
    t.start()
    assert ready.wait(10)
    for _ in range(wrong_first):
        wrong = codes[0].text[:5] + ("2222-2222" if codes[0].secret != "22222222" else "3333-3333")
        try:
            join(home, wrong, url=url, role=role, name=name)  # type: ignore[arg-type]
        except PairingFailed as exc:
            assert "wrong or no longer valid" in exc.message
        else:
            raise AssertionError("a wrong code paired")
    device = join(home, codes[0].text, url=url, role=role, name=name, timeout=25)  # type: ignore[arg-type]
    t.join(10)
    return device


class Capture:
    """Every message on the relay, as the relay operator could see it (the admin user subscribed to `>`)."""

    def __init__(self, server: RelayServer) -> None:
        self.server = server
        self.messages: list[tuple[str, bytes]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    def __enter__(self) -> Capture:
        self._thread.start()
        assert self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    async def _main(self) -> None:
        import nats

        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        nc = await nats.connect(self.server.url, user=S.ADMIN_USER, password=self.server.state.admin_password)

        async def grab(m: Any) -> None:
            self.messages.append((m.subject, bytes(m.data)))

        await nc.subscribe(">", cb=grab)
        await nc.flush()
        self._ready.set()
        await self._stop.wait()
        await nc.flush()
        await asyncio.sleep(0.2)
        await nc.close()

    def blob(self) -> bytes:
        return b"\n".join(s.encode() + b" " + d for s, d in self.messages)

    def on(self, prefix: str) -> list[bytes]:
        return [d for s, d in self.messages if s.startswith(prefix)]


def listening_sockets(pid: int | str = "self") -> list[str]:
    """TCP/TCP6 sockets in LISTEN state that process ``pid`` holds open."""
    inodes = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = []
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            parts = line.split()
            if parts[3] == "0A" and parts[9] in inodes:
                found.append(f"{table} {parts[1]}")
    return found
