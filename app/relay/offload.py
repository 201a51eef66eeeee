"""A step offloaded to cloud runners, seen by the engine as one more ``ModelBackend``.

``OffloadBackend.chat`` seals the request to every paired runner (one random key boxed to
each), offers it on the JetStream work queue and waits: a runner claims it (the consumer's
ack deadline is its lease, renewed by its heartbeats), streams tokens back and sends the result.
If no runner claims it in time, or the claimer goes quiet past its lease and nobody takes it
over, or the relay is offline, the step runs on the local model instead and the offer is
withdrawn; a late runner result is ignored, so a step is recorded once. The result names where
it ran (``model@runner:NAME``), which the step journal keeps.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from agents.backends.base import (
    BackendError,
    BackendUnavailable,
    CancelCheck,
    Cancelled,
    Capabilities,
    ChatMessage,
    ChatOptions,
    ChatResult,
    ModelBackend,
    ReplyTruncated,
    TokenCallback,
)
from app.relay.crypto import Message, new_message_id

if TYPE_CHECKING:
    from app.relay.link import RelayLink

log = logging.getLogger("bureau.relay")


class OffloadUnavailable(BackendUnavailable):
    """No runner took the step in time (the step then runs locally)."""


class JobWaiter:
    """Messages about one offered step, handed from the link's loop to the waiting engine thread."""

    def __init__(self) -> None:
        self.inbox: queue.Queue[Message] = queue.Queue()

    def put(self, msg: Message) -> None:
        self.inbox.put(msg)


class OffloadBackend(ModelBackend):
    capabilities = Capabilities(streaming=True, json_schema=True)

    def __init__(self, link: RelayLink, local: ModelBackend, *, team: str) -> None:
        self.link = link
        self.local = local
        self.team = team
        self.name = local.name
        self.last_fallback: str | None = None

    def chat(self, messages: Sequence[ChatMessage], options: ChatOptions = ChatOptions(), *,
             on_token: TokenCallback | None = None, cancelled: CancelCheck | None = None) -> ChatResult:
        try:
            return self._offload(messages, options, on_token, cancelled)
        except OffloadUnavailable as exc:
            self.last_fallback = exc.message
            log.info("offload: %s; running the step locally", exc.message)
            return self.local.chat(messages, options, on_token=on_token, cancelled=cancelled)

    def _offload(self, messages: Sequence[ChatMessage], options: ChatOptions, on_token: TokenCallback | None,
                 cancelled: CancelCheck | None) -> ChatResult:
        link = self.link
        link.refresh_peers()
        runners = link.runners()
        if not link.online:
            raise OffloadUnavailable("the relay is offline")
        if not runners:
            raise OffloadUnavailable("no runner is paired")
        opts = link.options
        claim_timeout, lease = float(opts["claim_timeout"]), float(opts["lease"])
        job = new_message_id()
        body: dict[str, Any] = {
            "job": job, "team": self.team, "messages": [[m.role, m.content] for m in messages],
            "options": {"max_tokens": options.max_tokens, "temperature": options.temperature, "seed": options.seed,
                        "json_schema": options.json_schema},
            "expires_at": time.time() + claim_timeout + 5 * lease,
        }
        _, wire = link.device.envelopes.seal_many(runners, "job", body, mid=job)
        waiter = JobWaiter()
        link.waiters[job] = waiter
        seq: int | None = None
        try:
            try:
                seq = link.call(link.publish_job(wire, job), timeout=6)
            except Exception as exc:  # noqa: BLE001 - the relay went away between the check and the offer
                raise OffloadUnavailable(f"the step could not be offered ({type(exc).__name__})") from None
            quiet_since = time.monotonic()
            limit = claim_timeout
            while True:
                if cancelled is not None and cancelled():
                    raise Cancelled("Cancelled.")
                try:
                    msg = waiter.inbox.get(timeout=0.1)
                except queue.Empty:
                    if time.monotonic() - quiet_since > limit:
                        raise OffloadUnavailable(f"no runner answered within {limit:.0f} s") from None
                    continue
                quiet_since = time.monotonic()
                if msg.kind in ("claimed", "heartbeat"):
                    limit = lease + claim_timeout  # the claimer's lease, then time for another to take over
                elif msg.kind == "tokens":
                    if on_token is not None and msg.body.get("text"):
                        on_token(str(msg.body["text"]))
                elif msg.kind == "result":
                    seq = None  # taken and acknowledged by the runner
                    return _result(msg)
        finally:
            link.waiters.pop(job, None)
            if seq is not None:
                try:
                    link.call(link.withdraw_job(seq), timeout=5)
                except Exception:  # noqa: BLE001 - the relay is gone; the offer expires on its own
                    pass


def _result(msg: Message) -> ChatResult:
    body = msg.body
    if body.get("error"):
        if body.get("truncated"):
            raise ReplyTruncated(max_tokens=int(body.get("max_tokens") or 0), partial="")
        if body.get("transient"):
            raise OffloadUnavailable(f"the runner's model failed: {body['error']}")
        raise BackendError(f"The runner's model failed: {body['error']}")
    where = f"{body.get('model')}@runner:{body.get('runner_name') or msg.sender}"
    return ChatResult(text=str(body.get("text") or ""), model=where, tokens_in=int(body.get("tokens_in") or 0),
                      tokens_out=int(body.get("tokens_out") or 0), finish_reason=str(body.get("finish_reason") or "stop"),
                      seconds=float(body.get("seconds") or 0.0))
