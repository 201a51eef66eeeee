"""`bureau runner`: a bigger machine taking offloaded steps from the relay's work queue.

A runner pulls one step at a time from the shared consumer; the consumer's ack deadline is
its lease, renewed (``in_progress``) with every heartbeat it sends the desktop. It streams
tokens back in small sealed batches and acknowledges the step after sending the result. A
runner that dies simply stops renewing: JetStream hands the step to another runner, or the
desktop runs it locally. Several runners on one relay share the queue: that is scaling out.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from pathlib import Path
from typing import Any

from agents.backends.base import BackendError, ChatMessage, ChatOptions, ModelBackend, ReplyTruncated
from app.relay import subjects as S
from app.relay.crypto import Rejected
from app.relay.identity import LocalDevice
from app.relay.net import connect

log = logging.getLogger("bureau.relay.runner")
TOKEN_FLUSH = 0.2


class Runner:
    def __init__(self, home: Path, backend: ModelBackend, *, heartbeat: float = 5.0,
                 device: LocalDevice | None = None) -> None:
        self.device = device or LocalDevice.load(home, "runner")
        self.backend = backend
        self.heartbeat = heartbeat
        self.done = 0
        self.stopping = threading.Event()

    def run(self, *, max_jobs: int | None = None) -> int:
        asyncio.run(self._main(max_jobs))
        return self.done

    async def _main(self, max_jobs: int | None) -> None:
        me = self.device
        while not self.stopping.is_set() and (max_jobs is None or self.done < max_jobs):
            try:
                nc = await connect(me.state.url, user=me.state.device_id, password=me.password)
            except BackendError:
                raise
            except Exception as exc:  # noqa: BLE001 - relay away: wait and try again
                log.warning("runner: %s", getattr(exc, "message", exc))
                await asyncio.sleep(2.0)
                continue
            try:
                psub = await nc.jetstream().pull_subscribe_bind(durable=S.RUNNER_CONSUMER, stream=S.WORK_STREAM)
                while not self.stopping.is_set() and (max_jobs is None or self.done < max_jobs):
                    try:
                        batch = await psub.fetch(1, timeout=1.0)
                    except TimeoutError:
                        continue
                    for m in batch:
                        await self._job(nc, m)
            except Exception as exc:  # noqa: BLE001
                log.warning("runner: connection trouble (%s); reconnecting", type(exc).__name__)
                await asyncio.sleep(1.0)
            finally:
                try:
                    await nc.close()
                except Exception:  # noqa: BLE001
                    pass

    async def _job(self, nc: Any, m: Any) -> None:
        me = self.device
        try:
            msg = me.envelopes.open(m.data, expect_kinds=("job",))
        except Rejected:
            await m.ack()
            return
        body = msg.body
        if time.time() > float(body.get("expires_at") or 0):
            await m.ack()  # the desktop has given up on it and worked locally
            return
        job, desk = str(body["job"]), msg.sender

        async def send(kind: str, payload: dict[str, Any]) -> None:
            _, wire = me.envelopes.seal(desk, kind, {"job": job, **payload})
            await nc.publish(S.result(me.state.device_id), wire)

        await send("claimed", {"runner_name": me.state.name})
        loop = asyncio.get_running_loop()
        pending: list[str] = []
        finished = asyncio.Event()

        def on_token(text: str) -> None:
            loop.call_soon_threadsafe(pending.append, text)

        async def beat() -> None:
            last = time.monotonic()
            while not finished.is_set():
                try:
                    await asyncio.wait_for(finished.wait(), TOKEN_FLUSH)
                except TimeoutError:
                    pass
                if pending:
                    text = "".join(pending)
                    pending.clear()
                    await send("tokens", {"text": text})
                if time.monotonic() - last >= self.heartbeat:
                    last = time.monotonic()
                    await m.in_progress()
                    await send("heartbeat", {})

        beater = asyncio.create_task(beat())
        opts = body.get("options") or {}
        options = ChatOptions(max_tokens=int(opts.get("max_tokens") or 512), temperature=float(opts.get("temperature") or 0),
                              seed=opts.get("seed"), json_schema=opts.get("json_schema"))
        messages = [ChatMessage(role=r, content=c) for r, c in body.get("messages") or []]
        try:
            result = await asyncio.to_thread(self.backend.chat, messages, options, on_token=on_token)
            reply: dict[str, Any] = {"text": result.text, "model": result.model, "tokens_in": result.tokens_in,
                                     "tokens_out": result.tokens_out, "finish_reason": result.finish_reason,
                                     "seconds": result.seconds, "runner_name": me.state.name}
        except ReplyTruncated as exc:
            reply = {"error": exc.message, "truncated": True, "max_tokens": exc.max_tokens}
        except BackendError as exc:
            reply = {"error": exc.message, "transient": exc.transient}
        finally:
            finished.set()
            await beater
        if pending:
            await send("tokens", {"text": "".join(pending)})
        await send("result", reply)
        await m.ack()
        self.done += 1
