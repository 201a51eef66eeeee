"""The desktop's relay chores: connect to a relay, pair a device or runner by code, list, revoke."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import BureauError, InvalidInput
from app.relay import subjects as S
from app.relay.identity import DeviceState, LocalDevice, new_device_id
from app.relay.net import connect, ensure_streams
from app.relay.pairing import Grant, Joiner, PairingCode, PairingHost
from app.relay.store import PairedDevice, RelayRecords
from app.store.db import Database

log = logging.getLogger("bureau.relay")
DEFAULT_OPTIONS: dict[str, Any] = {"offload_teams": [], "claim_timeout": 10.0, "lease": 30.0}


@dataclass(frozen=True)
class PairResult:
    device: PairedDevice | None
    code: str
    outcome: str  # "paired", "expired", "burned"


class DesktopRelay:
    """Set-up and management; the long-running link is ``app.relay.link.RelayLink``."""

    def __init__(self, home: Path, db: Database) -> None:
        self.home = home
        self.records = RelayRecords(db)

    @property
    def configured(self) -> bool:
        return DeviceState.path(self.home, "desktop").exists()

    def device(self) -> LocalDevice:
        return LocalDevice.load(self.home, "desktop")

    # -- connect ---------------------------------------------------------------------
    def connect(self, url: str, secret: str) -> DeviceState:
        """Remember the relay at ``url`` with the desktop secret `bureau relay serve` printed; checks it works."""
        if not url.startswith(("nats://", "tls://")):
            raise InvalidInput(f"{url!r} is not a relay address.", fix="Use nats://HOST:PORT or tls://HOST:PORT.")
        if not secret:
            raise InvalidInput("The desktop secret is empty.", fix="Copy it from the output of `bureau relay serve`.")

        async def check() -> None:
            nc = await connect(url, user=S.DESKTOP_USER, password=secret, reconnect=False)
            try:
                await ensure_streams(nc.jetstream(), lease=float(DEFAULT_OPTIONS["lease"]))
            finally:
                await nc.close()

        asyncio.run(check())
        if self.configured:
            old = self.device()
            old.state.url = url
            old.store.set(f"relay:{old.state.device_id}:password", secret)
            old.state.save(self.home)
            return old.state
        device = LocalDevice.create(self.home, role="desktop", name=socket.gethostname(), url=url,
                                    user=S.DESKTOP_USER, password=secret)
        device.state.options = dict(DEFAULT_OPTIONS)
        device.state.save(self.home)
        return device.state

    def set_options(self, **changes: Any) -> dict[str, Any]:
        device = self.device()
        for key, value in changes.items():
            if key not in DEFAULT_OPTIONS:
                raise InvalidInput(f"Unknown relay option {key}.", fix=f"Use one of: {', '.join(DEFAULT_OPTIONS)}.")
            device.state.options[key] = value
        device.state.save(self.home)
        return {**DEFAULT_OPTIONS, **device.state.options}

    def options(self) -> dict[str, Any]:
        return {**DEFAULT_OPTIONS, **self.device().state.options}

    # -- pairing ---------------------------------------------------------------------
    def pair(self, *, on_code: Callable[[PairingCode], None], ttl: float = 600.0) -> PairResult:
        """Show a code (through ``on_code``) and wait until a device uses it, it expires, or it burns."""
        return asyncio.run(self._pair(on_code, ttl))

    async def _pair(self, on_code: Callable[[PairingCode], None], ttl: float) -> PairResult:
        me = self.device()
        nc = await connect(me.state.url, user=S.DESKTOP_USER, password=me.password, reconnect=True)
        loop = asyncio.get_running_loop()
        code = PairingCode.new(ttl=ttl)

        def admit(joiner: Joiner) -> Grant:
            device_id = new_device_id()
            password = secrets.token_urlsafe(24)
            reply = asyncio.run_coroutine_threadsafe(
                nc.request(S.admin("add"), json.dumps({"id": device_id, "kind": joiner.kind,
                                                        "password": password}).encode(), timeout=10), loop).result(15)
            answer = json.loads(reply.data)
            if not answer.get("ok"):
                raise BureauError(f"The relay refused the new device: {answer.get('error')}.", fix="See the relay's log.")
            self.records.add_device(device_id, name=joiner.name, kind=joiner.kind, public_key=joiner.public_key)
            return {"device_id": device_id, "desktop_id": me.state.device_id, "desktop_key": me.state.public_key,
                    "password": password}

        host = PairingHost(code, admit=admit)

        async def handle(msg: Any) -> None:
            try:
                request = json.loads(msg.data)
                reply = await asyncio.to_thread(host.handle, request if isinstance(request, dict) else {})
            except Exception as exc:  # noqa: BLE001 - the joiner learns only that it failed
                log.warning("pairing: a request failed (%s)", type(exc).__name__)
                reply = {"error": "The pairing code is wrong or no longer valid."}
            if msg.reply:
                await nc.publish(msg.reply, json.dumps(reply).encode())

        sub = await nc.subscribe(S.pair(code.nameplate), cb=handle)
        await nc.flush()
        on_code(code)
        try:
            while await asyncio.to_thread(host.waiting):  # off the loop: admit holds the lock while it awaits the relay
                await asyncio.sleep(0.05)
        finally:
            await sub.unsubscribe()
            await nc.drain()
        if host.paired is not None:
            device = next(d for d in reversed(self.records.devices()) if d.public_key == host.paired.public_key)
            return PairResult(device, code.text, "paired")
        return PairResult(None, code.text, code.why_invalid(time.time()) or "expired")

    # -- devices ---------------------------------------------------------------------
    def devices(self) -> list[PairedDevice]:
        return self.records.devices()

    def revoke(self, ref: str) -> tuple[PairedDevice, bool]:
        """Cut a device off: refused here at once; its relay user removed. (device, relay reached)."""
        device = self.records.device(ref)
        self.records.revoke(device.id)

        async def tell_relay() -> bool:
            me = self.device()
            nc = await connect(me.state.url, user=S.DESKTOP_USER, password=me.password, reconnect=False)
            try:
                reply = await nc.request(S.admin("revoke"), json.dumps({"id": device.id}).encode(), timeout=10)
                return bool(json.loads(reply.data).get("ok", False)) or True
            finally:
                await nc.close()

        try:
            reached = asyncio.run(tell_relay())
        except BureauError as exc:
            log.warning("revoke: the relay could not be told (%s); the desktop refuses the device anyway", exc.message)
            reached = False
        except Exception:  # noqa: BLE001 - a timeout or refusal: the local revocation still holds
            reached = False
        return self.records.device(device.id), reached

