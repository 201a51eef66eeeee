"""The desktop's link to the relay: a thread with an asyncio loop, connected outbound only.

It takes the commands paired devices queued in JetStream (applied exactly once, see
``commands``), answers each device with an encrypted result, and offers steps to runners
(``offload``). While the relay is unreachable it keeps trying; ``online`` says whether it is up.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from nacl.public import PublicKey

from agents.backends.base import ModelBackend
from app.relay import subjects as S
from app.relay.commands import KINDS, CommandApplier
from app.relay.crypto import Message, Rejected, unb64
from app.relay.identity import LocalDevice
from app.relay.net import connect, ensure_streams
from app.relay.offload import JobWaiter, OffloadBackend
from app.relay.store import RelayRecords
from app.store.db import Database
from app.tasks.service import TaskService

log = logging.getLogger("bureau.relay")
T = TypeVar("T")
RUNNER_KINDS = ("claimed", "heartbeat", "tokens", "result")


class RelayLink:
    def __init__(self, home: Path, db: Database, tasks: TaskService, *, device: LocalDevice | None = None) -> None:
        self.home = home
        self.db = db
        self.device = device or LocalDevice.load(home, "desktop")
        self.records = RelayRecords(db)
        self.applier = CommandApplier(tasks, self.records)
        self.online = False
        self.applied = 0
        self._kinds: dict[str, str] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._nc: Any = None
        self._js: Any = None
        self.waiters: dict[str, JobWaiter] = {}
        self._restored = False
        self.refresh_peers()

    @property
    def options(self) -> dict[str, Any]:
        from app.relay.desktop import DEFAULT_OPTIONS

        return {**DEFAULT_OPTIONS, **self.device.state.options}

    # -- lifecycle ---------------------------------------------------------------------
    def start(self, *, wait: float = 0.0) -> RelayLink:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), name="relay-link", daemon=True)
        self._thread.start()
        if wait:
            self.wait_online(wait)
        return self

    def wait_online(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not (self.online and self._ready.is_set()):
            time.sleep(0.02)
        return self.online

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            try:
                self._loop.call_soon_threadsafe(self._stop.set)
            except RuntimeError:
                pass
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
        """Run ``coro`` on the link's loop from another thread."""
        if self._loop is None:
            coro.close()
            raise RuntimeError("the relay link is not running")
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    # -- task events back to the device that submitted the task ----------------------
    def _on_db_events(self, events: list[Any]) -> None:
        loop, nc = self._loop, self._nc
        if loop is None or nc is None:
            return
        for e in events:
            if e.kind != "status" or e.task_id is None:
                continue
            device = self.records.device_for_task(e.task_id)
            if device is not None and device in self.device.keys.peers:
                asyncio.run_coroutine_threadsafe(self._send_event(device, e.task_id, str(e.status)), loop)

    async def _send_event(self, device: str, task_id: int, status: str) -> None:
        if self._nc is None:
            return
        _, wire = self.device.envelopes.seal(device, "event", {"task": task_id, "status": status})
        await self._nc.publish(S.out(device), wire)

    async def _main(self) -> None:
        unsubscribe = self.db.subscribe(self._on_db_events)
        try:
            await self._connect_loop()
        finally:
            unsubscribe()

    async def _connect_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        delay = 0.5
        while not self._stop.is_set():
            session = asyncio.ensure_future(self._session())
            stopper = asyncio.ensure_future(self._stop.wait())
            await asyncio.wait({session, stopper}, return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            if not session.done():  # stopping while connecting: do not wait for the relay
                session.cancel()
                await asyncio.gather(session, return_exceptions=True)
                break
            try:
                session.result()
                delay = 0.5
            except Exception as exc:  # noqa: BLE001 - the relay may be away for a while: keep trying
                self.online = False
                log.info("relay link: %s; retrying in %.0f s", getattr(exc, "message", type(exc).__name__), delay)
                try:
                    await asyncio.wait_for(self._stop.wait(), delay)
                except TimeoutError:
                    pass
                delay = min(delay * 2, 10.0)

    async def _on_change(self, up: bool) -> None:
        self.online = up

    async def _session(self) -> None:
        me = self.device
        nc = await connect(me.state.url, user=S.DESKTOP_USER, password=me.password, on_change=self._on_change)
        self._nc, self._js = nc, nc.jetstream()
        try:
            await ensure_streams(self._js, lease=float(self.options["lease"]))
            await nc.subscribe(f"{S.ROOT}.res.*", cb=self._on_runner)
            psub = await self._js.pull_subscribe_bind(durable=S.DESKTOP_CONSUMER, stream=S.CMD_STREAM)
            self._ready.set()
            assert self._stop is not None
            while not self._stop.is_set():
                if nc.is_closed:
                    raise ConnectionError("closed")
                try:
                    batch = await psub.fetch(64, timeout=0.5)
                except TimeoutError:
                    continue
                except Exception as exc:  # noqa: BLE001 - disconnected meanwhile: nats reconnects on its own
                    log.debug("relay link fetch: %s", type(exc).__name__)
                    await asyncio.sleep(0.2)
                    continue
                await asyncio.to_thread(self.refresh_peers)
                for m in batch:
                    await self._on_command(m)
        finally:
            self._ready.clear()
            self.online = False
            self._nc = self._js = None
            try:
                await asyncio.wait_for(nc.close(), 5)  # every command taken was acknowledged already
            except Exception:  # noqa: BLE001
                pass

    # -- peers -----------------------------------------------------------------------
    def refresh_peers(self) -> None:
        """Paired and revoked devices as the database has them now (pairing/revoking may be another process)."""
        keys, env = self.device.keys, self.device.envelopes
        devices = self.records.devices()
        for d in devices:
            if d.active:
                if d.id not in keys.peers:
                    keys.peers[d.id] = PublicKey(unb64(d.public_key))
                keys.revoked.discard(d.id)
            else:
                keys.peers.pop(d.id, None)
                keys.revoked.add(d.id)
                env.forget(d.id)
        self._kinds = {d.id: d.kind for d in devices}
        if not self._restored:
            for device_id, counter in self.records.counters().items():
                env.window.restore(device_id, counter)
            self._restored = True

    def runners(self) -> list[str]:
        return [d for d, k in self._kinds.items() if k == "runner" and d in self.device.keys.peers]

    # -- commands --------------------------------------------------------------------
    def _open(self, data: bytes, kinds: tuple[str, ...]) -> Message | None:
        try:
            return self.device.envelopes.open(data, expect_kinds=kinds)
        except Rejected:
            return None

    async def _on_command(self, m: Any) -> None:
        msg = self._open(m.data, KINDS)
        if msg is not None and self._kinds.get(msg.sender) != "device":
            log.warning("relay: refused a command from %s, which is not a paired device", msg.sender)
            msg = None
        if msg is not None:
            applied = await asyncio.to_thread(self.applier.apply, msg)
            self.applied += 0 if applied.duplicate else 1
            _, wire = self.device.envelopes.seal(msg.sender, "result",
                                                 {"re": msg.mid, "duplicate": applied.duplicate, **applied.result})
            assert self._nc is not None
            await self._nc.publish(S.out(msg.sender), wire)
        await m.ack()  # rejected ones too: a bad message must not come back forever

    # -- runners ---------------------------------------------------------------------
    async def _on_runner(self, m: Any) -> None:
        msg = self._open(m.data, RUNNER_KINDS)
        if msg is None or self._kinds.get(msg.sender) != "runner" or m.subject != S.result(msg.sender):
            return
        waiter = self.waiters.get(str(msg.body.get("job")))
        if waiter is not None:
            waiter.put(msg)
        if msg.kind in ("claimed", "result"):
            await asyncio.to_thread(self.records.seen, msg.sender, 0)

    def offload_for(self, task_id: int, team: str, backend: ModelBackend) -> ModelBackend:
        """The engine's hook: this step's backend, offered to runners when allowed. Sensitive tasks never are."""
        if team not in self.options.get("offload_teams", []):
            return backend
        with self.db.raw_read() as c:
            row = c.execute("SELECT sensitive FROM task WHERE id = ?", (task_id,)).fetchone()
        if row is None or bool(row[0]):
            return backend
        return OffloadBackend(self, backend, team=team)

    async def publish_job(self, wire: bytes, job: str) -> int:
        assert self._js is not None
        ack = await self._js.publish(S.work("step"), wire, headers={"Nats-Msg-Id": job}, timeout=5)
        return int(ack.seq)

    async def withdraw_job(self, seq: int) -> None:
        """Take an offered step back (fallen back to local work, or cancelled)."""
        if self._js is not None:
            try:
                await self._js.delete_msg(S.WORK_STREAM, seq)
            except Exception:  # noqa: BLE001 - already taken and acknowledged: nothing to withdraw
                pass
