"""Who this device is on the relay: its id, its X25519 key pair, its relay password, its peers.

Public facts (ids, public keys, the relay address, the counter reservation) live in a JSON file
in the data folder (``relay.json`` on the desktop, ``remote.json`` on a paired device,
``runner.json`` on a runner). The private key and the relay password are secrets: they live in
the OS keyring. Where no keyring works, Bureau says so; with ``BUREAU_RELAY_PASSPHRASE`` set it
keeps them in ``relay-secrets.enc`` instead, encrypted with a key derived from that passphrase
(Argon2id, then XSalsa20-Poly1305). Never in a plain file.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from nacl import pwhash
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey
from nacl.secret import SecretBox

from app.core.errors import BureauError
from app.core.secrets import Secrets, SecretsError
from app.relay.crypto import Counter, Envelopes, Keyring, b64, unb64

Role = Literal["desktop", "device", "runner"]
STATE_FILES: dict[str, str] = {"desktop": "relay.json", "device": "remote.json", "runner": "runner.json"}
SECRETS_FILE = "relay-secrets.enc"
PASSPHRASE_ENV = "BUREAU_RELAY_PASSPHRASE"


class RelayNotConfigured(BureauError):
    """This data folder has no relay identity for the asked role."""


def new_device_id() -> str:
    return secrets.token_hex(6)


class EncryptedFile:
    """Secrets in one file, each sealed with a key derived from the founder's passphrase."""

    _CHECK = b"bureau relay secrets"

    def __init__(self, path: Path, passphrase: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        doc = self._read()
        if doc is None:
            salt = os.urandom(pwhash.argon2id.SALTBYTES)
            doc = {"kdf": "argon2id", "salt": b64(salt), "ops": pwhash.argon2id.OPSLIMIT_INTERACTIVE,
                   "mem": pwhash.argon2id.MEMLIMIT_INTERACTIVE, "items": {}}
            self._box = SecretBox(self._derive(passphrase, doc))
            doc["check"] = b64(bytes(self._box.encrypt(self._CHECK)))
            self._write(doc)
        else:
            self._box = SecretBox(self._derive(passphrase, doc))
            try:
                self._box.decrypt(unb64(doc["check"]))
            except CryptoError:
                raise SecretsError(f"The passphrase does not open {path.name}.",
                                   fix=f"Set {PASSPHRASE_ENV} to the passphrase used when this device was paired.") from None

    @staticmethod
    def _derive(passphrase: str, doc: dict[str, Any]) -> bytes:
        return pwhash.argon2id.kdf(SecretBox.KEY_SIZE, passphrase.encode(), unb64(doc["salt"]),
                                   opslimit=int(doc["ops"]), memlimit=int(doc["mem"]))

    def _read(self) -> dict[str, Any] | None:
        if not self.path.exists():
            return None
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise SecretsError(f"{self.path.name} cannot be read ({exc}).", fix="Restore it from a backup or pair again.") from None

    def _write(self, doc: dict[str, Any]) -> None:
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        os.replace(tmp, self.path)

    def get(self, key: str) -> str | None:
        with self._lock:
            doc = self._read() or {"items": {}}
            sealed = doc["items"].get(key)
            return None if sealed is None else bytes(self._box.decrypt(unb64(sealed))).decode()

    def set(self, key: str, value: str) -> None:
        with self._lock:
            doc = self._read()
            assert doc is not None
            doc["items"][key] = b64(bytes(self._box.encrypt(value.encode())))
            self._write(doc)

    def delete(self, key: str) -> None:
        with self._lock:
            doc = self._read()
            if doc is not None and doc["items"].pop(key, None) is not None:
                self._write(doc)


class SecretStore:
    """The OS keyring when it works, else the passphrase-encrypted file; never a plain file."""

    def __init__(self, home: Path, *, passphrase: str | None = None) -> None:
        self.home = home
        self._passphrase = passphrase
        self._file: EncryptedFile | None = None
        self.backend = "keyring"
        self._keyring = Secrets()
        if os.environ.get("BUREAU_RELAY_SECRETS") == "file" or not self._keyring_works():
            self._use_file()

    def _keyring_works(self) -> bool:
        try:
            self._keyring.get("relay:probe")
            return True
        except SecretsError:
            return False

    def _use_file(self) -> None:
        passphrase = self._passphrase or os.environ.get(PASSPHRASE_ENV)
        if not passphrase:
            raise SecretsError("No OS keyring works here, so the relay keys have nowhere safe to live.",
                               fix=f"Unlock or install a keyring (GNOME Keyring, KWallet, Keychain), or set "
                                   f"{PASSPHRASE_ENV} to keep them in an encrypted file protected by that passphrase.")
        self.home.mkdir(parents=True, exist_ok=True)
        self._file = EncryptedFile(self.home / SECRETS_FILE, passphrase)
        self.backend = "file"

    def get(self, key: str) -> str | None:
        return self._file.get(key) if self._file else self._keyring.get(key)

    def set(self, key: str, value: str) -> None:
        if self._file:
            self._file.set(key, value)
        else:
            self._keyring.set(key, value)

    def delete(self, key: str) -> None:
        if self._file:
            self._file.delete(key)
        else:
            self._keyring.delete(key)


@dataclass
class DeviceState:
    """The public half of a device's relay identity (the JSON file)."""

    role: str
    device_id: str
    name: str
    url: str
    user: str
    public_key: str
    counter_limit: int = 1
    peers: dict[str, str] = field(default_factory=dict)  # device id -> public key (b64)
    desktop_id: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def path(home: Path, role: str) -> Path:
        return home / STATE_FILES[role]

    @classmethod
    def load(cls, home: Path, role: str) -> DeviceState:
        path = cls.path(home, role)
        if not path.exists():
            fix = {"desktop": "Connect this desktop with `bureau relay connect URL --secret S`.",
                   "device": "Pair this device with `bureau remote pair CODE --relay URL`.",
                   "runner": "Pair this runner with `bureau runner --pair CODE --relay URL`."}[role]
            raise RelayNotConfigured(f"This data folder has no relay {role} identity.", fix=fix)
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise RelayNotConfigured(f"{path.name} is damaged ({exc}).", fix="Pair again.") from None

    def save(self, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        path = self.path(home, self.role)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, path)


def key_name(device_id: str, what: str) -> str:
    return f"relay:{device_id}:{what}"


class LocalDevice:
    """A device's identity loaded from its data folder: state, secrets and its envelopes."""

    def __init__(self, home: Path, state: DeviceState, store: SecretStore) -> None:
        self.home = home
        self.state = state
        self.store = store
        self._lock = threading.Lock()
        raw = store.get(key_name(state.device_id, "private_key"))
        if raw is None:
            raise RelayNotConfigured(f"The private key of relay device {state.device_id} is missing from the "
                                     f"{'keyring' if store.backend == 'keyring' else 'encrypted secrets file'}.",
                                     fix="Pair this device again.")
        self.keys = Keyring(state.device_id, PrivateKey(unb64(raw)),
                            {peer: PublicKey(unb64(pk)) for peer, pk in state.peers.items()})
        self.envelopes = Envelopes(self.keys, Counter(lambda: state.counter_limit, self._save_counter))

    @classmethod
    def load(cls, home: Path, role: Role, *, passphrase: str | None = None) -> LocalDevice:
        return cls(home, DeviceState.load(home, role), SecretStore(home, passphrase=passphrase))

    @classmethod
    def create(cls, home: Path, *, role: Role, name: str, url: str, user: str, password: str,
               device_id: str | None = None, peers: dict[str, str] | None = None, desktop_id: str | None = None,
               passphrase: str | None = None, private: PrivateKey | None = None) -> LocalDevice:
        store = SecretStore(home, passphrase=passphrase)
        device_id = device_id or new_device_id()
        private = private or PrivateKey.generate()
        store.set(key_name(device_id, "private_key"), b64(bytes(private)))
        store.set(key_name(device_id, "password"), password)
        state = DeviceState(role=role, device_id=device_id, name=name, url=url, user=user,
                            public_key=b64(bytes(private.public_key)), peers=dict(peers or {}), desktop_id=desktop_id)
        state.save(home)
        return cls(home, state, store)

    @property
    def password(self) -> str:
        value = self.store.get(key_name(self.state.device_id, "password"))
        if value is None:
            raise RelayNotConfigured("The relay password of this device is missing.", fix="Pair this device again.")
        return value

    def _save_counter(self, limit: int) -> None:
        with self._lock:
            self.state.counter_limit = limit
            self.state.save(self.home)

    def add_peer(self, device_id: str, public_key: str) -> None:
        with self._lock:
            self.state.peers[device_id] = public_key
            self.keys.peers[device_id] = PublicKey(unb64(public_key))
            self.keys.revoked.discard(device_id)
            self.envelopes.forget(device_id)
            self.state.save(self.home)

    def drop_peer(self, device_id: str) -> None:
        with self._lock:
            self.state.peers.pop(device_id, None)
            self.keys.peers.pop(device_id, None)
            self.keys.revoked.add(device_id)
            self.envelopes.forget(device_id)
            self.state.save(self.home)

    def forget(self) -> None:
        """Remove this identity (its secrets and its file)."""
        for what in ("private_key", "password"):
            self.store.delete(key_name(self.state.device_id, what))
        DeviceState.path(self.home, self.state.role).unlink(missing_ok=True)
