"""The other side: joining by code, and a paired device's remote control of the desktop.

Every command is sealed to the desktop and published to JetStream, so it waits there while
the desktop sleeps; the answer comes back sealed on the device's own subject. A command
whose answer does not come within ``wait`` seconds is reported as queued, not lost.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from pathlib import Path
from typing import Any

from nacl.public import PrivateKey

from app.core.errors import BureauError
from app.relay import subjects as S
from app.relay.crypto import Rejected, b64
from app.relay.identity import LocalDevice, Role
from app.relay.net import connect
from app.relay.pairing import Joiner, PairingFailed, PairingGuest, parse_code

log = logging.getLogger("bureau.relay")


def join(home: Path, code: str, *, url: str, role: Role, name: str | None = None,
         passphrase: str | None = None, timeout: float = 15.0) -> LocalDevice:
    """Pair this data folder as a ``device`` or ``runner`` with the desktop showing ``code``."""
    nameplate, secret = parse_code(code)
    private = PrivateKey.generate()
    name = name or socket.gethostname()
    guest = PairingGuest(secret, Joiner(kind=role, name=name, public_key=b64(bytes(private.public_key))))

    async def exchange() -> dict[str, Any]:
        nc = await connect(url, user=S.PAIR_USER, password=S.PAIR_PASSWORD, inbox=False, reconnect=False)
        try:
            async def ask(payload: dict[str, Any]) -> dict[str, Any]:
                reply = await nc.request(S.pair(nameplate), json.dumps(payload).encode(), timeout=timeout)
                return dict(json.loads(reply.data))

            first = await ask(guest.hello())
            return guest.finish(await ask(guest.confirm(first)))
        except (PairingFailed, BureauError):
            raise
        except Exception as exc:  # noqa: BLE001 - no desktop waiting behind this code
            log.debug("pairing: %r", exc)
            raise PairingFailed("No desktop is waiting for this code on the relay.",
                                fix="Run `bureau relay pair` on the desktop and type its code within 10 minutes.") from None
        finally:
            await nc.close()

    grant = asyncio.run(exchange())
    return LocalDevice.create(home, role=role, name=name, url=url, user=str(grant["device_id"]),
                              password=str(grant["password"]), device_id=str(grant["device_id"]),
                              peers={str(grant["desktop_id"]): str(grant["desktop_key"])},
                              desktop_id=str(grant["desktop_id"]), passphrase=passphrase, private=private)


class RemoteClient:
    """`bureau remote ...` on a paired device."""

    def __init__(self, home: Path, *, device: LocalDevice | None = None) -> None:
        self.device = device or LocalDevice.load(home, "device")
        tops = self.device.state.options.get("tops", {})
        for peer, top in tops.items():
            self.device.envelopes.window.restore(peer, int(top))

    def send(self, kind: str, body: dict[str, Any], *, wait: float = 10.0) -> dict[str, Any]:
        return asyncio.run(self.send_async(kind, body, wait=wait))

    async def send_async(self, kind: str, body: dict[str, Any], *, wait: float = 10.0, nc: Any = None) -> dict[str, Any]:
        me = self.device
        desktop = me.state.desktop_id
        assert desktop is not None
        own = nc is None
        if own:
            nc = await connect(me.state.url, user=me.state.device_id, password=me.password, reconnect=False)
        answers: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        async def on_answer(m: Any) -> None:
            try:
                msg = me.envelopes.open(m.data, expect_kinds=("result",))
            except Rejected:
                return
            await answers.put(msg.body)

        sub = await nc.subscribe(S.out(me.state.device_id), cb=on_answer)
        try:
            mid, wire = me.envelopes.seal(desktop, kind, body)
            try:
                await nc.jetstream().publish(S.cmd(me.state.device_id), wire, headers={"Nats-Msg-Id": mid}, timeout=5)
            except Exception as exc:  # noqa: BLE001
                raise BureauError(f"The relay did not take the command ({type(exc).__name__}).",
                                  fix="Check that this device is still paired (`bureau relay devices` on the desktop).") from None
            deadline = asyncio.get_running_loop().time() + wait
            while True:
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    return {"queued": True, "message_id": mid}
                try:
                    answer = await asyncio.wait_for(answers.get(), left)
                except TimeoutError:
                    continue
                if answer.get("re") == mid:
                    self._remember_top(desktop)
                    return answer
        finally:
            await sub.unsubscribe()
            if own:
                await nc.close()

    async def watch(self, on_event: Any, *, seconds: float | None = None) -> None:
        """Call ``on_event(body)`` for each status change of tasks this device submitted, while connected."""
        me = self.device
        nc = await connect(me.state.url, user=me.state.device_id, password=me.password)

        async def got(m: Any) -> None:
            try:
                msg = me.envelopes.open(m.data, expect_kinds=("event",))
            except Rejected:
                return
            on_event(msg.body)

        await nc.subscribe(S.out(me.state.device_id), cb=got)
        try:
            if seconds is None:
                await asyncio.Event().wait()
            else:
                await asyncio.sleep(seconds)
        finally:
            await nc.close()

    def _remember_top(self, peer: str) -> None:
        state = self.device.state
        state.options.setdefault("tops", {})[peer] = self.device.envelopes.window.top(peer)
        state.save(self.device.home)
