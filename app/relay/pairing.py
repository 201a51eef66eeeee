"""Pairing two devices by a short code: SPAKE2 over the relay, as Magic Wormhole does.

The code is ``NNNN-xxxx-xxxx``: the first group names the meeting place on the relay
(``bureau.pair.NNNN``), the rest is the password (40 bits) that never crosses the wire. The
desktop hosts; the new device (a phone-side CLI or a runner) joins:

1. device -> desktop  ``hello``: its SPAKE2 message. The desktop answers with its own and a
   session id; each hello spends one of the code's three tries.
2. device -> desktop  ``confirm``: a MAC proving it derived the same key, and (boxed with
   that key) its long-term X25519 public key, name and kind.
3. desktop -> device: its own MAC and, boxed, the device id, the desktop's public key and the
   device's relay password. The code is now used up.

A wrong code gives different keys, so the MAC fails and the device is told only "the code
is wrong or no longer valid". The code expires after 10 minutes, works once, and three tries
without success burn it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nacl.exceptions import CryptoError
from nacl.secret import SecretBox
from spake2 import SPAKE2_A, SPAKE2_B

from app.core.errors import BureauError, InvalidInput
from app.relay.crypto import b64, unb64

CODE_TTL = 600.0
MAX_TRIES = 3
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i
ID_A, ID_B = b"bureau-desktop", b"bureau-device"
NOT_VALID = "The pairing code is wrong or no longer valid."


class PairingFailed(BureauError):
    """Pairing did not complete; the message never says which part of the code was wrong."""


def _derive(key: bytes, purpose: bytes) -> bytes:
    return hashlib.blake2b(purpose, key=key, digest_size=32, person=b"bureau-pairing").digest()


def _mac(key: bytes, side: bytes) -> str:
    return b64(hmac.new(_derive(key, b"confirm"), side, hashlib.sha256).digest())


def _box(key: bytes) -> SecretBox:
    return SecretBox(_derive(key, b"box"))


@dataclass
class PairingCode:
    nameplate: str
    secret: str
    expires_at: float
    tries_left: int = MAX_TRIES
    used: bool = False

    @classmethod
    def new(cls, *, ttl: float = CODE_TTL, clock: Callable[[], float] = time.time) -> PairingCode:
        nameplate = f"{secrets.randbelow(9000) + 1000}"
        secret = "".join(secrets.choice(ALPHABET) for _ in range(8))
        return cls(nameplate, secret, clock() + ttl)

    @property
    def text(self) -> str:
        return f"{self.nameplate}-{self.secret[:4]}-{self.secret[4:]}"

    def why_invalid(self, now: float) -> str | None:
        if self.used:
            return "used"
        if now >= self.expires_at:
            return "expired"
        if self.tries_left <= 0:
            return "burned after three wrong tries"
        return None


def parse_code(text: str) -> tuple[str, str]:
    """(nameplate, secret) from what the founder typed; spaces and case do not matter."""
    cleaned = "".join(text.split()).lower()
    nameplate, _, rest = cleaned.partition("-")
    secret = rest.replace("-", "")
    if not (nameplate.isdigit() and len(nameplate) == 4 and len(secret) == 8 and all(c in ALPHABET for c in secret)):
        raise InvalidInput(f"{text!r} is not a pairing code.",
                           fix="Type the code the desktop shows, like 4821-k7qm-xr2d (from `bureau relay pair`).")
    return nameplate, secret


@dataclass(frozen=True)
class Joiner:
    """What the joining device tells the desktop about itself (inside the box)."""

    kind: str  # "device" or "runner"
    name: str
    public_key: str


Grant = dict[str, Any]  # what the desktop hands the new device: ids, keys, its relay password


@dataclass
class PairingHost:
    """The desktop's side. ``admit`` registers the joiner and returns its grant (called once)."""

    code: PairingCode
    admit: Callable[[Joiner], Grant]
    clock: Callable[[], float] = time.time
    sessions: dict[str, bytes] = field(default_factory=dict)
    paired: Joiner | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if self.code.used or self.clock() >= self.code.expires_at:
                return {"error": NOT_VALID}
            step = request.get("step")
            try:
                if step == "hello":
                    return self._hello(unb64(str(request["b"])))
                if step == "confirm":
                    return self._confirm(request)
            except (KeyError, ValueError, TypeError):
                pass
            return {"error": NOT_VALID}

    def waiting(self) -> bool:
        """Whether a device may still pair: the code is valid, or a try that is under way may finish."""
        with self.lock:
            if self.paired is not None or self.code.used or self.clock() >= self.code.expires_at:
                return False
            return self.code.tries_left > 0 or bool(self.sessions)

    def _hello(self, msg_b: bytes) -> dict[str, Any]:
        if self.code.tries_left <= 0:
            return {"error": NOT_VALID}
        self.code.tries_left -= 1  # every attempt spends a try; a right one also uses the code up
        spake = SPAKE2_A(self.code.secret.encode(), idA=ID_A, idB=ID_B)
        msg_a = spake.start()
        key = spake.finish(msg_b)
        sid = secrets.token_hex(8)
        self.sessions[sid] = key
        return {"a": b64(msg_a), "sid": sid}

    def _confirm(self, request: dict[str, Any]) -> dict[str, Any]:
        key = self.sessions.pop(str(request["sid"]), None)
        if key is None or not hmac.compare_digest(str(request["mac"]), _mac(key, b"device")):
            return {"error": NOT_VALID}
        try:
            about = json.loads(_box(key).decrypt(unb64(str(request["box"]))))
        except CryptoError:
            return {"error": NOT_VALID}
        joiner = Joiner(kind=str(about["kind"]), name=str(about["name"])[:80], public_key=str(about["public_key"]))
        if joiner.kind not in ("device", "runner"):
            return {"error": NOT_VALID}
        self.sessions.clear()
        try:
            grant = self.admit(joiner)
            self.paired = joiner
        finally:
            self.code.used = True  # set last: the host waits while the code is still valid
        return {"mac": _mac(key, b"desktop"), "box": b64(bytes(_box(key).encrypt(json.dumps(grant).encode())))}


class PairingGuest:
    """The joining device's side."""

    def __init__(self, secret: str, joiner: Joiner) -> None:
        self.spake = SPAKE2_B(secret.encode(), idA=ID_A, idB=ID_B)
        self.joiner = joiner
        self.key: bytes | None = None

    def hello(self) -> dict[str, Any]:
        return {"step": "hello", "b": b64(self.spake.start())}

    def confirm(self, reply: dict[str, Any]) -> dict[str, Any]:
        if "error" in reply:
            raise PairingFailed(str(reply["error"]), fix="Ask for a new code with `bureau relay pair` on the desktop.")
        try:
            self.key = self.spake.finish(unb64(str(reply["a"])))
        except Exception:  # noqa: BLE001 - any malformed answer is the same failure
            raise PairingFailed(NOT_VALID, fix="Ask for a new code.") from None
        about = json.dumps({"kind": self.joiner.kind, "name": self.joiner.name, "public_key": self.joiner.public_key})
        return {"step": "confirm", "sid": reply.get("sid"), "mac": _mac(self.key, b"device"),
                "box": b64(bytes(_box(self.key).encrypt(about.encode())))}

    def finish(self, reply: dict[str, Any]) -> Grant:
        if "error" in reply or self.key is None:
            raise PairingFailed(str(reply.get("error", NOT_VALID)),
                                fix="Check the code, or ask for a new one with `bureau relay pair` on the desktop.")
        if not hmac.compare_digest(str(reply.get("mac")), _mac(self.key, b"desktop")):
            raise PairingFailed("The desktop could not prove it knows the code.", fix="Ask for a new code.")
        try:
            return dict(json.loads(_box(self.key).decrypt(unb64(str(reply["box"])))))
        except (CryptoError, KeyError, ValueError):
            raise PairingFailed(NOT_VALID, fix="Ask for a new code.") from None
