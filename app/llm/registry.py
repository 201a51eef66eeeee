"""The configured models and which role uses which: ``models.json`` in the data folder.

Holds no secrets: an OpenAI-compatible model only records *that* it has an API key, which
lives in the OS keyring (app/core/secrets.py). Every change builds a new registry, validates it
whole, then replaces the file atomically, so a bad edit or a crash never loses what was
configured. The embedded default model is always listed and cannot be removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agents.backends.ollama import normalize_host
from agents.backends.openai_compat import normalize_base_url
from app.core.jsonfile import first_error, load_model_file, save_model_file
from app.core.errors import InvalidInput, NotFound
from app.core.paths import EMBEDDED_MODEL_NAME


REGISTRY_FILE = "models.json"
# A role is "ceo" or a team's name; which teams exist is the team catalogue's business, so a stored
# assignment for a team that was removed later still loads (it is simply not used).
_ROLE = re.compile(r"^[a-z][a-z0-9_-]{1,29}$")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
MAX_CHAIN = 4


class GgufSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["gguf"] = "gguf"
    path: str
    n_ctx: int | None = Field(default=None, ge=512, le=131072)  # None: settings.model.n_ctx


class OllamaSource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["ollama"] = "ollama"
    model: str = Field(min_length=1, max_length=200)
    host: str

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        return normalize_host(value)


class OpenAISource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["openai"] = "openai"
    model: str = Field(min_length=1, max_length=300)
    base_url: str
    has_api_key: bool = False  # the key itself is in the OS keyring

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return normalize_base_url(value)


Source = Annotated[GgufSource | OllamaSource | OpenAISource, Field(discriminator="kind")]


class ModelEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    source: Source
    timeout_s: float = Field(default=120.0, ge=1.0, le=3600.0)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME_PATTERN.match(value):
            raise ValueError("use 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
        return value

    @property
    def kind(self) -> str:
        return self.source.kind

    @property
    def location(self) -> str:
        src = self.source
        return src.path if isinstance(src, GgufSource) else src.host if isinstance(src, OllamaSource) else src.base_url


class ModelRegistry(BaseModel):
    """What models.json holds. Mutators return a new, validated registry; ``save`` writes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    models: tuple[ModelEntry, ...] = ()
    roles: dict[str, list[str]] = Field(default_factory=dict)  # role -> chain of model names, first choice first

    @model_validator(mode="after")
    def _consistent(self) -> ModelRegistry:
        names = [m.name for m in self.models]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"two models are called {name!r}")
            if name == EMBEDDED_MODEL_NAME:
                raise ValueError(f"{name!r} is the embedded default's name")
        known = set(names) | {EMBEDDED_MODEL_NAME}
        for role, chain in self.roles.items():
            if not _ROLE.match(role):
                raise ValueError(f"{role!r} is not a role name")
            if not chain or len(chain) > MAX_CHAIN or len(set(chain)) != len(chain):
                raise ValueError(f"the chain for {role} must name 1 to {MAX_CHAIN} different models")
            missing = [n for n in chain if n not in known]
            if missing:
                raise ValueError(f"{role} uses {', '.join(missing)}, which is not configured")
        return self

    # -- queries ---------------------------------------------------------------------
    def get(self, name: str) -> ModelEntry:
        for entry in self.models:
            if entry.name == name:
                return entry
        raise NotFound(f"There is no configured model called {name!r}.",
                       fix="See `bureau models list` for the names.")

    def has(self, name: str) -> bool:
        return name == EMBEDDED_MODEL_NAME or any(m.name == name for m in self.models)

    def roles_of(self, name: str) -> list[str]:
        return [role for role, chain in self.roles.items() if name in chain]

    # -- changes (each returns a new, validated registry) --------------------------------
    def with_model(self, entry: ModelEntry) -> ModelRegistry:
        if self.has(entry.name):
            raise InvalidInput(f"A model called {entry.name!r} already exists.",
                               fix="Choose another name, or remove the old one first (`bureau models remove NAME`).")
        return _checked(self, models=(*self.models, entry))

    def replace_model(self, entry: ModelEntry) -> ModelRegistry:
        self.get(entry.name)
        return _checked(self, models=tuple(entry if m.name == entry.name else m for m in self.models))

    def without_model(self, name: str) -> ModelRegistry:
        if name == EMBEDDED_MODEL_NAME:
            raise InvalidInput(f"{name} is the embedded default model; it is always available.",
                               fix="Assign other models to roles instead of removing it.")
        self.get(name)
        roles = self.roles_of(name)
        if roles:
            raise InvalidInput(f"{name} is assigned to {', '.join(roles)}.",
                               fix="Assign those roles another model first (`bureau models assign ROLE NAME`).")
        return _checked(self, models=tuple(m for m in self.models if m.name != name))

    def with_assignment(self, role: str, chain: list[str], *, roles: Sequence[str]) -> ModelRegistry:
        if role not in roles:
            raise InvalidInput(f"{role!r} is not a role.", fix=f"Use one of: {', '.join(roles)}.")
        if len(set(chain)) != len(chain):
            raise InvalidInput(f"The chain for {role} names a model twice.",
                               fix="Give each model once: the first choice, then its fallbacks.")
        if not chain or len(chain) > MAX_CHAIN:
            raise InvalidInput(f"The chain for {role} must name 1 to {MAX_CHAIN} models.",
                               fix="Give the first choice, then at most two fallbacks.")
        for name in chain:
            if not self.has(name):
                self.get(name)  # raises NotFound naming the fix
        return _checked(self, roles={**self.roles, role: list(chain)})

    def without_assignment(self, role: str, *, roles: Sequence[str]) -> ModelRegistry:
        if role not in roles and role not in self.roles:
            raise InvalidInput(f"{role!r} is not a role.", fix=f"Use one of: {', '.join(roles)}.")
        return _checked(self, roles={r: c for r, c in self.roles.items() if r != role})

    # -- file ------------------------------------------------------------------------
    @classmethod
    def load(cls, home: Path) -> ModelRegistry:
        return load_model_file(cls, home / REGISTRY_FILE, what="The model list", fix=(
            "Fix that file by hand, or move it away and add the models again; Bureau does not overwrite it."))

    def save(self, home: Path) -> None:
        """Validate, then write atomically (temporary file, fsync, rename)."""
        save_model_file(self, home / REGISTRY_FILE)


def _checked(registry: ModelRegistry, *, models: tuple[ModelEntry, ...] | None = None,
             roles: dict[str, list[str]] | None = None) -> ModelRegistry:
    data = registry.model_dump(mode="json")
    if models is not None:
        data["models"] = [m.model_dump(mode="json") for m in models]
    if roles is not None:
        data["roles"] = roles
    try:
        return ModelRegistry.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(f"That change would make the model list invalid: {first_error(exc)}.",
                           fix="Nothing was changed; correct the names and try again.") from exc

