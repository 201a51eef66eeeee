"""The founder's settings: a pydantic model kept as ``settings.json`` in the data folder."""

from __future__ import annotations

import threading
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agents.routing.router import DEFAULT_CONFIDENT_THRESHOLD
from app.core.jsonfile import load_model_file, save_model_file

SETTINGS_FILE = "settings.json"


class AutopilotPolicy(BaseModel):
    """Which CEO decisions proceed on their own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Literal["threshold", "manual"] = "threshold"
    threshold: float = Field(default=DEFAULT_CONFIDENT_THRESHOLD, ge=0.0, le=1.0)

    def allows(self, confidence: float) -> bool:
        match self.mode:
            case "threshold":
                return confidence >= self.threshold
            case "manual":
                return False


class ModelSettings(BaseModel):
    """How the local model runs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gguf_path: str | None = None  # None: the embedded default model
    n_ctx: int = Field(default=4096, ge=512, le=131072)
    n_threads: int | None = Field(default=None, ge=1)
    step_max_tokens: int = Field(default=768, ge=16)
    review_max_tokens: int = Field(default=160, ge=16)
    temperature: float = Field(default=0.2, ge=0.0, le=2.0)
    seed: int = 7
    max_resident: int = Field(default=1, ge=1, le=8)  # llama.cpp models loaded at once (app/llm/pool.py)
    idle_unload_seconds: float = Field(default=600.0, ge=0.0)  # unload an unused model after this; 0: never
    ollama_host: str = "http://127.0.0.1:11434"  # where `bureau models add NAME --ollama MODEL` looks by default


class Budgets(BaseModel):
    """Per-task limits; a task that exceeds one goes to the founder."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_rework_rounds: int = Field(default=2, ge=0, le=10)
    max_step_attempts: int = Field(default=3, ge=1, le=10)
    max_steps: int = Field(default=40, ge=1)  # model calls per task, retries included
    max_tokens: int = Field(default=40_000, ge=100)  # tokens in and out per task
    max_minutes: float = Field(default=60.0, gt=0)  # wall time from the first step


class Notifications(BaseModel):
    """When the desktop app tells the founder (tray message, taskbar alert)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    needs_decision: bool = True  # a task waits for the founder's decision
    delivered: bool = True  # work is ready to accept
    failed: bool = True  # a task failed
    sound: bool = False  # a short sound with each notification
    weekly_report: bool = False  # a schedule asks the content team for the week's report each Monday at 9


class Appearance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    theme: Literal["system", "light", "dark"] = "system"  # "system" follows the desktop


class Traces(BaseModel):
    """Export of task traces to the founder's OpenTelemetry collector (OTLP/HTTP); off without an endpoint."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    otlp_endpoint: str | None = None  # e.g. "http://localhost:4318" (the /v1/traces path is added); None: off
    headers_keyring: bool = False  # send the headers kept in the OS keyring (e.g. an auth token)
    timeout_seconds: float = Field(default=5.0, gt=0, le=60)  # per export, retries included

    @field_validator("otlp_endpoint")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not value.startswith(("http://", "https://")) or len(value) < 10:
            raise ValueError(f"the OTLP endpoint {value!r} must be an http:// or https:// URL, "
                             "e.g. http://localhost:4318")
        return value

    @property
    def enabled(self) -> bool:
        return self.otlp_endpoint is not None

    @property
    def traces_url(self) -> str | None:
        """The full OTLP/HTTP traces URL: a bare host:port gets the standard ``/v1/traces`` path."""
        if self.otlp_endpoint is None:
            return None
        scheme, _, rest = self.otlp_endpoint.partition("://")
        host, slash, path = rest.partition("/")
        return self.otlp_endpoint if path.strip("/") else f"{scheme}://{host}/v1/traces"


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    autopilot: AutopilotPolicy = AutopilotPolicy()
    model: ModelSettings = ModelSettings()
    budgets: Budgets = Budgets()
    review_with_model: bool = True
    notifications: Notifications = Notifications()
    appearance: Appearance = Appearance()
    traces: Traces = Traces()

    @classmethod
    def load(cls, home: Path) -> Settings:
        return load_model_file(cls, home / SETTINGS_FILE, what="The settings file",
                               fix="Fix or delete that file; Bureau then starts with default settings.")

    def save(self, home: Path) -> None:
        """Write atomically, so a crash never leaves half a file."""
        save_model_file(self, home / SETTINGS_FILE)

    def changed(self, **changes: Any) -> Settings:
        """A new, validated Settings with ``changes``; a dict for a section changes only the keys it names."""
        data = self.model_dump()
        for key, value in changes.items():
            if isinstance(value, BaseModel):
                value = value.model_dump()
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return Settings.model_validate(data)


class SettingsSource:
    """The settings in effect for one data folder, shared by the engine, the models and the faces.

    ``Settings`` are immutable: a change is a new object, swapped in by ``replace`` only after
    it was written to disk, so a failed save leaves the old settings in effect everywhere.
    """

    def __init__(self, home: Path, settings: Settings) -> None:
        self.home = home
        self._current = settings
        self._lock = threading.Lock()

    @classmethod
    def load(cls, home: Path) -> SettingsSource:
        return cls(home, Settings.load(home))

    def __call__(self) -> Settings:
        return self._current

    def replace(self, new: Settings) -> Settings:
        with self._lock:
            new.save(self.home)  # raises on failure: nothing is swapped
            self._current = new
        return new


def settings_getter(settings: Settings | Callable[[], Settings]) -> Callable[[], Settings]:
    """A way to read the settings in effect, from fixed settings or a ``SettingsSource``."""
    if isinstance(settings, Settings):
        return lambda: settings
    return settings
