"""The envelope every relay message travels in: a NaCl box between two paired devices.

Wire form (what the relay sees)::

    b"BR1." + sender id + b"." + nonce|ciphertext            (one recipient, crypto_box)
    b"BRM1." + sender id + b"." + JSON{keys, ct}            (several recipients: a random key boxed to each)

The plaintext inside carries the message id, a per-sender counter, sender and recipient ids,
the kind and the body, so nothing of meaning is outside the ciphertext. ``open_envelope``
rejects a modified box, an unknown or revoked sender, a message meant for someone else, and a
counter already seen or older than the replay window; a rejection is logged with the sender,
the reason and the size, never the content.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import Box, PrivateKey, PublicKey
from nacl.secret import SecretBox
from nacl.utils import random as random_bytes

from app.core.errors import BureauError

log = logging.getLogger("bureau.relay")

MAGIC = b"BR1."
MAGIC_MULTI = b"BRM1."
WINDOW = 64  # how far behind the newest counter a late message may still arrive
MAX_ENVELOPE = 8 * 1024 * 1024


class Rejected(BureauError):
    """A relay message that must not be trusted (reason in ``message``; never its content)."""


def new_message_id() -> str:
    return secrets.token_hex(16)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class Message:
    """A verified, decrypted relay message."""

    mid: str
    counter: int
    sender: str
    recipient: str
    kind: str
    body: dict[str, Any]
    sent_at: float


class ReplayWindow:
    """Per sender: the newest counter and which of the last ``size`` counters were seen."""

    def __init__(self, size: int = WINDOW) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._top: dict[str, int] = {}
        self._floor: dict[str, int] = {}  # at or below: seen before a restart
        self._seen: dict[str, set[int]] = {}

    def restore(self, sender: str, top: int) -> None:
        """Continue after a restart: everything at or below ``top`` counts as seen."""
        with self._lock:
            if top > self._top.get(sender, 0):
                self._top[sender] = top
            self._floor[sender] = max(self._floor.get(sender, 0), top)

    def top(self, sender: str) -> int:
        with self._lock:
            return self._top.get(sender, 0)

    def check(self, sender: str, counter: int) -> str | None:
        """Why ``counter`` is refused, or None (then it is recorded as seen)."""
        with self._lock:
            top = self._top.get(sender, 0)
            seen = self._seen.setdefault(sender, set())
            if counter <= 0:
                return "bad counter"
            if counter > top:
                self._top[sender] = counter
                self._seen[sender] = {c for c in seen if c > counter - self.size} | {counter}
                return None
            if counter <= top - self.size:
                return "older than the replay window"
            if counter <= self._floor.get(sender, 0) or counter in seen:
                return "replayed"
            seen.add(counter)
            return None


class Counter:
    """A sender's message counter, reserved in blocks so a restart never reuses one."""

    def __init__(self, load: Callable[[], int], save: Callable[[int], None], *, block: int = 1000) -> None:
        self._save = save
        self._block = block
        self._lock = threading.Lock()
        self._next = max(1, load())
        self._limit = self._next  # nothing reserved yet

    def next(self) -> int:
        with self._lock:
            if self._next >= self._limit:
                self._limit = self._next + self._block
                self._save(self._limit)
            value = self._next
            self._next += 1
            return value


@dataclass
class Keyring:
    """This device's identity and the public keys of the peers it trusts."""

    device_id: str
    private_key: PrivateKey
    peers: dict[str, PublicKey] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)

    @property
    def public_key(self) -> PublicKey:
        return self.private_key.public_key


class Envelopes:
    """Seal and open messages for one device; thread-safe."""

    def __init__(self, keys: Keyring, counter: Counter, *, window: ReplayWindow | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.keys = keys
        self.counter = counter
        self.window = window or ReplayWindow()
        self._clock = clock
        self._boxes: dict[str, Box] = {}
        self.rejected: list[tuple[str, str]] = []  # (sender, reason): what tests and the devices view read

    def _box(self, peer: str) -> Box:
        box = self._boxes.get(peer)
        if box is None:
            key = self.keys.peers.get(peer)
            if key is None:
                raise Rejected(f"Device {peer} is not paired with this one.", fix="Pair it with `bureau relay pair`.")
            box = self._boxes[peer] = Box(self.keys.private_key, key)
        return box

    def forget(self, peer: str) -> None:
        self._boxes.pop(peer, None)

    def _inner(self, recipient: str, kind: str, body: dict[str, Any], mid: str | None) -> tuple[str, bytes]:
        mid = mid or new_message_id()
        inner = {"mid": mid, "ctr": self.counter.next(), "from": self.keys.device_id, "to": recipient,
                 "kind": kind, "ts": self._clock(), "body": body}
        return mid, json.dumps(inner, separators=(",", ":")).encode()

    def seal(self, recipient: str, kind: str, body: dict[str, Any], *, mid: str | None = None) -> tuple[str, bytes]:
        """(message id, wire bytes) for ``recipient``."""
        mid, plain = self._inner(recipient, kind, body, mid)
        return mid, MAGIC + self.keys.device_id.encode() + b"." + bytes(self._box(recipient).encrypt(plain))

    def seal_many(self, recipients: list[str], kind: str, body: dict[str, Any], *,
                  mid: str | None = None) -> tuple[str, bytes]:
        """One message any of ``recipients`` can open (a random key, boxed to each)."""
        if not recipients:
            raise Rejected("There is nobody to send this to.", fix="Pair a runner first.")
        key = random_bytes(SecretBox.KEY_SIZE)
        mid, plain = self._inner("*", kind, body, mid)
        keys = {r: b64(bytes(self._box(r).encrypt(key))) for r in recipients}
        doc = {"keys": keys, "ct": b64(bytes(SecretBox(key).encrypt(plain)))}
        return mid, MAGIC_MULTI + self.keys.device_id.encode() + b"." + json.dumps(doc).encode()

    def open(self, wire: bytes, *, expect_kinds: tuple[str, ...] | None = None) -> Message:
        """Decrypt and verify ``wire``; ``Rejected`` (logged without content) when it cannot be trusted."""
        sender = "?"
        try:
            if len(wire) > MAX_ENVELOPE:
                raise Rejected("too large")
            multi = wire.startswith(MAGIC_MULTI)
            if not multi and not wire.startswith(MAGIC):
                raise Rejected("not a Bureau envelope")
            head, _, rest = wire[len(MAGIC_MULTI if multi else MAGIC):].partition(b".")
            sender = head.decode("ascii", "replace")[:40]
            if sender in self.keys.revoked:
                raise Rejected("sender is revoked")
            if sender not in self.keys.peers:
                raise Rejected("sender is not paired")
            try:
                if multi:
                    doc = json.loads(rest)
                    boxed = doc["keys"][self.keys.device_id]
                    key = bytes(self._box(sender).decrypt(unb64(boxed)))
                    plain = bytes(SecretBox(key).decrypt(unb64(doc["ct"])))
                else:
                    plain = bytes(self._box(sender).decrypt(rest))
            except (CryptoError, KeyError, ValueError, TypeError):
                raise Rejected("failed authentication (modified, or not for this device)") from None
            inner = json.loads(plain)
            if inner.get("from") != sender:
                raise Rejected("sender does not match the envelope")
            if inner.get("to") not in (self.keys.device_id, "*") or (inner.get("to") == "*") != multi:
                raise Rejected("addressed to another device")
            kind = str(inner.get("kind"))
            if expect_kinds is not None and kind not in expect_kinds:
                raise Rejected(f"unexpected kind {kind}")
            counter = int(inner["ctr"])
            why = self.window.check(sender, counter)
            if why is not None:
                raise Rejected(why)
            return Message(mid=str(inner["mid"]), counter=counter, sender=sender, recipient=str(inner["to"]),
                           kind=kind, body=dict(inner.get("body") or {}), sent_at=float(inner.get("ts") or 0))
        except Rejected as exc:
            benign = exc.message.startswith("unexpected kind")  # authentic, just not for this listener
            log.log(logging.DEBUG if benign else logging.WARNING, "relay: rejected a message from %s: %s (%d bytes)",
                    sender, exc.message, len(wire))
            self.rejected.append((sender, exc.message))
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            log.warning("relay: rejected a malformed message from %s (%d bytes)", sender, len(wire))
            self.rejected.append((sender, "malformed"))
            raise Rejected("malformed") from None
