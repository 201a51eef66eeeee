"""Secrets (API keys) in the OS keyring, under the service name "bureau".

Nothing else in Bureau stores a secret: the model registry only records *that* a model has
a key. Values never appear in error messages, logs or ``repr``. Production uses keyring's
default backend (Keychain, Secret Service, KWallet, Windows Credential Locker); tests set
their own with ``keyring.set_keyring``.
"""

from __future__ import annotations

import keyring
import keyring.errors

from app.core.errors import BureauError

SERVICE = "bureau"
_FIX = ("Unlock or start the system keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential "
        "Manager); on a machine without one, configure a backend for Python's keyring "
        "(`python -m keyring --list-backends`).")


class SecretsError(BureauError):
    """The OS keyring cannot be used."""


def model_key_name(model_name: str) -> str:
    """The keyring entry that holds the API key of the configured model ``model_name``."""
    return f"model:{model_name}:api_key"


class Secrets:
    """A thin wrapper over ``keyring`` that turns its failures into errors naming the fix."""

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def __repr__(self) -> str:
        return f"Secrets(service={self.service!r})"

    def set(self, key: str, value: str) -> None:
        if not value:
            raise SecretsError(f"Refusing to store an empty secret for {key}.", fix="Give a non-empty value.")
        try:
            keyring.set_password(self.service, key, value)
        except keyring.errors.KeyringError as exc:
            raise SecretsError(f"Could not store {key} in the OS keyring ({type(exc).__name__}).", fix=_FIX) from None

    def get(self, key: str) -> str | None:
        try:
            return keyring.get_password(self.service, key)
        except keyring.errors.KeyringError as exc:
            raise SecretsError(f"Could not read {key} from the OS keyring ({type(exc).__name__}).", fix=_FIX) from None

    def delete(self, key: str) -> None:
        """Remove ``key``; missing is fine."""
        try:
            keyring.delete_password(self.service, key)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            raise SecretsError(f"Could not delete {key} from the OS keyring ({type(exc).__name__}).",
                               fix=_FIX) from None
