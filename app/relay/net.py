"""Connecting to the relay (outbound only: nothing in Bureau listens on a port) and the JetStream layout."""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

from app.core.errors import BureauError
from app.relay import subjects as S

log = logging.getLogger("bureau.relay")
CA_ENV = "BUREAU_RELAY_CA"


class RelayUnreachable(BureauError):
    """The relay cannot be reached or refuses this device."""


def tls_context(url: str, ca_file: str | None = None) -> ssl.SSLContext | None:
    """TLS for ``tls://`` URLs: the system's CAs, plus ``ca_file`` or $BUREAU_RELAY_CA for a self-signed relay."""
    if not url.startswith("tls://"):
        return None
    ctx = ssl.create_default_context()
    ca = ca_file or os.environ.get(CA_ENV)
    if ca:
        ctx.load_verify_locations(ca)
    return ctx


async def connect(url: str, *, user: str, password: str, inbox: bool = True, reconnect: bool = True,
                  on_change: Callable[[bool], Awaitable[None] | None] | None = None, timeout: float = 5.0) -> Any:
    """A NATS connection as ``user``; ``RelayUnreachable`` names the fix when it fails."""
    import nats

    async def error_cb(exc: Exception) -> None:
        log.debug("relay connection: %s", type(exc).__name__)

    async def changed(up: bool) -> None:
        if on_change is not None:
            result = on_change(up)
            if asyncio.iscoroutine(result):
                await result

    async def down() -> None:
        await changed(False)

    async def up() -> None:
        await changed(True)

    servers = [u.strip() for u in url.split(",") if u.strip()]  # a cluster: several addresses
    kwargs: dict[str, Any] = dict(servers=servers, user=user, password=password, name=f"bureau-{user}",
                                  connect_timeout=min(timeout, 3.0), allow_reconnect=reconnect,
                                  max_reconnect_attempts=-1 if reconnect else 0, reconnect_time_wait=0.5,
                                  error_cb=error_cb, disconnected_cb=down, reconnected_cb=up)
    if inbox:
        kwargs["inbox_prefix"] = S.inbox(user)
    tls = tls_context(url)
    if tls is not None:
        kwargs["tls"] = tls
    try:
        nc = await asyncio.wait_for(nats.connect(**kwargs), timeout)
    except Exception as exc:  # noqa: BLE001 - every way of failing gets the same advice
        reason = str(exc) or type(exc).__name__
        raise RelayUnreachable(f"Cannot reach the relay at {url} as {user} ({reason}).",
                               fix="Check the relay address, that `bureau relay serve` runs there, the firewall, "
                                   "and that this device is still paired.") from None
    await changed(True)
    return nc


async def ensure_streams(js: Any, *, lease: float) -> None:
    """The two streams and their consumers (idempotent; the desktop creates them)."""
    from nats.js.api import AckPolicy, ConsumerConfig, RetentionPolicy, StorageType, StreamConfig
    from nats.js.errors import BadRequestError

    streams = (
        StreamConfig(name=S.CMD_STREAM, subjects=[f"{S.ROOT}.cmd.>"], retention=RetentionPolicy.WORK_QUEUE,
                     storage=StorageType.FILE, max_age=30 * 86400, duplicate_window=300),
        StreamConfig(name=S.WORK_STREAM, subjects=[f"{S.ROOT}.work.>"], retention=RetentionPolicy.WORK_QUEUE,
                     storage=StorageType.FILE, max_age=3600, duplicate_window=120),
    )
    for cfg in streams:
        try:
            await js.add_stream(cfg)
        except BadRequestError:
            await js.update_stream(cfg)
    consumers = ((S.CMD_STREAM, ConsumerConfig(durable_name=S.DESKTOP_CONSUMER, ack_policy=AckPolicy.EXPLICIT,
                                               ack_wait=30, max_ack_pending=1000)),
                 (S.WORK_STREAM, ConsumerConfig(durable_name=S.RUNNER_CONSUMER, ack_policy=AckPolicy.EXPLICIT,
                                                ack_wait=lease, max_deliver=5, max_ack_pending=256)))
    for stream, ccfg in consumers:
        try:
            await js.add_consumer(stream, ccfg)
        except BadRequestError as exc:  # an older config: keep it, it still works
            log.info("relay consumer %s kept as it was (%s)", ccfg.durable_name, exc)
