"""The model service behind both the Models view and `bureau models`: list, add, remove,
assign, test, plus Ollama and OpenAI-compatible server admin. Every check happens before
anything is saved; the registry is written atomically; API keys go to the OS keyring.
"""

from __future__ import annotations

import ipaddress
import re
import threading
from contextlib import closing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from agents.backends.base import BackendError, ChatMessage, ChatOptions, Priority, ReplyTruncated
from agents.gguf.fit import (
    FitAdvice,
    Footprint,
    advise,
    available_memory,
    footprint_of,
    gb,
    remote_advice,
    unknown_advice,
)
from agents.gguf.check import check_gguf
from agents.gguf.meta import GgufInfo
from agents.backends.ollama import OllamaDetails, OllamaModel, OllamaServer, PullProgress
from agents.backends.openai_compat import OpenAIServer, ServerModel
from app.core.errors import BureauError, InvalidInput
from app.core.jsonfile import plain_message
from app.llm.pool import ModelPool, read_checked
from app.llm.registry import (
    NAME_PATTERN,
    GgufSource,
    ModelEntry,
    ModelRegistry,
    OllamaSource,
    OpenAISource,
)
from app.core.paths import EMBEDDED_MODEL_NAME, embedded_model_path
from app.core.secrets import Secrets, model_key_name
from app.core.settings import Settings, settings_getter

TEST_PROMPT = "Say hello to the founder in one short sentence."
TEST_MAX_TOKENS = 48
PROBE_TIMEOUT = 3.0


@dataclass(frozen=True)
class ModelInfo:
    """One configured model as the Models view and `bureau models list` show it."""

    name: str
    kind: str  # gguf, ollama, openai
    location: str  # file path, Ollama host or base URL
    remote_model: str | None
    builtin: bool
    roles: tuple[str, ...]
    fit: FitAdvice
    summary: str  # "llama · 135M · Q4_1 · ctx 8192 · 94 MB"
    problem: str | None = None
    has_api_key: bool = False
    gguf: GgufInfo | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name, "kind": self.kind, "location": self.location, "model": self.remote_model,
            "builtin": self.builtin, "roles": list(self.roles), "summary": self.summary, "problem": self.problem,
            "fit": {"verdict": self.fit.verdict, "need_bytes": self.fit.need_bytes,
                    "available_bytes": self.fit.available_bytes, "message": self.fit.message,
                    "suggestion": self.fit.suggestion},
            "has_api_key": self.has_api_key,
        }
        if self.gguf is not None:
            g = self.gguf
            data["gguf"] = {"architecture": g.architecture, "model_name": g.model_name,
                            "parameter_count": g.parameter_count, "quantisation": g.quantisation,
                            "context_length": g.context_length, "file_size": g.file_size,
                            "has_chat_template": g.chat_template is not None}
        return data


@dataclass(frozen=True)
class TestResult:
    """The answer to `bureau models test NAME`."""

    __test__ = False  # not a pytest test class
    name: str
    reply: str
    tokens_out: int
    seconds: float
    tokens_per_second: float
    truncated: bool = False


@dataclass(frozen=True)
class AssignAdvice:
    """The fit of each model in a role's chain, shown before the assignment is saved."""

    role: str
    chain: tuple[str, ...]
    advice: tuple[tuple[str, FitAdvice], ...]

    @property
    def refused(self) -> list[str]:
        return [name for name, a in self.advice if not a.ok_to_load]


def summary_of(info: GgufInfo, *, n_ctx: int | None = None) -> str:
    """One line about a GGUF model; ``n_ctx`` is the context it was configured with, when not the default."""
    ctx = f"ctx {info.context_length}" if info.context_length else "ctx ?"
    if n_ctx is not None and n_ctx != info.context_length:
        ctx = f"ctx {n_ctx}" + (f" (trained {info.context_length})" if info.context_length else "")
    return f"{info.architecture} · {info.parameters_label} · {info.quantisation} · {ctx} · {gb(info.file_size)}"


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def suggest_name(path: Path, taken: Callable[[str], bool]) -> str:
    """A free registry name from a file name: ``Qwen2.5-3B-Instruct-Q4_K_M.gguf`` -> ``qwen2.5-3b-instruct-q4_k_m``."""
    return free_name(path.stem, taken)


def free_name(text: str, taken: Callable[[str], bool], *, suffix: str = "") -> str:
    """``text`` made a valid model name that ``taken`` does not know (``-2``, ``-3``... when needed)."""
    base = re.sub(r"[^a-z0-9._:-]+", "-", text.lower()).strip("-._:")[:56] or "model"
    name, n = base, 2
    if taken(name) and suffix:
        name = base = f"{base}-{suffix}"
    while taken(name):
        name, n = f"{base}-{n}", n + 1
    return name


class ModelService:
    """Configured models: one instance per open data folder, safe to call from worker threads."""

    def __init__(self, home: Path, settings: Settings | Callable[[], Settings], pool: ModelPool, *,
                 secrets: Secrets | None = None, memory: Callable[[], int] = available_memory) -> None:
        self.home = home
        self._settings = settings_getter(settings)
        self.pool = pool
        self.secrets = secrets or pool.secrets
        self.memory = memory
        self._lock = threading.Lock()
        self._alternatives: list[tuple[str, int]] = []  # (name, bytes) of local models, per listing

    @property
    def settings(self) -> Settings:
        return self._settings()

    def roles(self) -> tuple[str, ...]:
        return self.pool.roles()

    def registry(self) -> ModelRegistry:
        return ModelRegistry.load(self.home)

    # -- listing ------------------------------------------------------------------------
    def list_models(self, *, probe: bool = True) -> list[ModelInfo]:
        """Every model, the embedded default first, each with its fit; ``probe`` asks Ollama hosts for sizes."""
        registry = self.registry()
        available = self.memory()
        self._alternatives = self.pool.local_estimates()
        tags: dict[str, list[OllamaModel] | BackendError] = {}
        infos = [self._embedded_info(registry, available)]
        for entry in registry.models:
            infos.append(self._info(entry, registry, available, tags if probe else None))
        return infos

    def describe(self, name: str) -> ModelInfo:
        registry = self.registry()
        if not registry.has(name):
            registry.get(name)  # raises NotFound naming the fix
        return next(i for i in self.list_models() if i.name == name)

    def _embedded_info(self, registry: ModelRegistry, available: int) -> ModelInfo:
        path = embedded_model_path()
        info = read_checked(path)
        defaulted = ("default",) if any(not self.pool.chain_for(role) for role in self.pool.roles()) else ()
        return ModelInfo(name=EMBEDDED_MODEL_NAME, kind="gguf", location=str(path), remote_model=None, builtin=True,
                         roles=(*defaulted, *registry.roles_of(EMBEDDED_MODEL_NAME)),
                         fit=self._advise(footprint_of(info, self.settings.model.n_ctx), available),
                         summary=summary_of(info), gguf=info)

    def _info(self, entry: ModelEntry, registry: ModelRegistry, available: int,
              tags: dict[str, list[OllamaModel] | BackendError] | None) -> ModelInfo:
        src = entry.source
        roles = tuple(registry.roles_of(entry.name))
        base: dict[str, Any] = {"name": entry.name, "kind": src.kind, "location": entry.location,
                                "builtin": False, "roles": roles}
        if isinstance(src, GgufSource):
            try:
                info = read_checked(Path(src.path).expanduser())
            except BackendError as exc:
                return ModelInfo(**base, remote_model=None, fit=unknown_advice("the file cannot be used"),
                                 summary="unreadable", problem=str(exc))
            fp = footprint_of(info, src.n_ctx or self.settings.model.n_ctx)
            return ModelInfo(**base, remote_model=None, fit=self._advise(fp, available),
                             summary=summary_of(info, n_ctx=src.n_ctx), gguf=info)
        if isinstance(src, OpenAISource):
            fit = remote_advice(src.base_url, same_machine=is_loopback(src.base_url))
            return ModelInfo(**base, remote_model=src.model, fit=fit,
                             summary=f"OpenAI-compatible · {src.model}", has_api_key=src.has_api_key)
        return self._ollama_info(entry, src, base, available, tags)

    def _ollama_info(self, entry: ModelEntry, src: OllamaSource, base: dict[str, Any], available: int,
                     tags: dict[str, list[OllamaModel] | BackendError] | None) -> ModelInfo:
        summary = f"Ollama · {src.model}"
        if tags is None:
            return ModelInfo(**base, remote_model=src.model, fit=remote_advice(src.host), summary=summary)
        if src.host not in tags:
            server = OllamaServer(src.host, timeout=PROBE_TIMEOUT)
            try:
                tags[src.host] = server.list_models()
            except BackendError as exc:
                tags[src.host] = exc
            finally:
                server.close()
        listed = tags[src.host]
        if isinstance(listed, BackendError):
            return ModelInfo(**base, remote_model=src.model, fit=remote_advice(src.host), summary=summary,
                             problem=listed.message)
        found = next((m for m in listed if m.name == src.model or m.name == f"{src.model}:latest"), None)
        if found is None:
            return ModelInfo(**base, remote_model=src.model, fit=remote_advice(src.host), summary=summary,
                             problem=f"{src.model} is not on {src.host}; pull it first.")
        summary = f"Ollama · {found.family} · {found.parameter_size} · {found.quantisation} · {gb(found.size_bytes)}"
        if not is_loopback(src.host):
            return ModelInfo(**base, remote_model=src.model, fit=remote_advice(src.host), summary=summary)
        fp = Footprint(weights_bytes=found.size_bytes, n_ctx=self.settings.model.n_ctx,
                       quantisation=found.quantisation or None)
        return ModelInfo(**base, remote_model=src.model, fit=self._advise(fp, available), summary=summary)

    def _advise(self, fp: Footprint, available: int) -> FitAdvice:
        return advise(fp, available, self._alternatives)

    # -- changes --------------------------------------------------------------------------
    def add_gguf(self, name: str, path: Path, *, n_ctx: int | None = None) -> ModelInfo:
        resolved = path.expanduser().resolve()
        info = check_gguf(resolved)  # not a GGUF, truncated, unsupported architecture: refused before saving
        if n_ctx is not None and info.context_length and n_ctx > info.context_length:
            raise InvalidInput(f"--n-ctx {n_ctx} is larger than the {info.context_length} tokens {resolved.name} "
                               "was trained with; the model would answer badly beyond that.",
                               fix=f"Use --n-ctx {info.context_length} or less.")
        entry = _entry(name, {"kind": "gguf", "path": str(resolved), "n_ctx": n_ctx})
        self._change(lambda r: r.with_model(entry))
        return self.describe(name)

    def add_ollama(self, name: str, model: str, *, host: str | None = None, check: bool = True) -> ModelInfo:
        entry = _entry(name, {"kind": "ollama", "model": model, "host": host or self.settings.model.ollama_host})
        if check:
            assert isinstance(entry.source, OllamaSource)
            with closing(OllamaServer(entry.source.host, timeout=PROBE_TIMEOUT * 3)) as server:
                server.show(model)  # unreachable host, or no such model: the error names the fix
        self._change(lambda r: r.with_model(entry))
        return self.describe(name)

    def add_openai(self, name: str, model: str, *, base_url: str, api_key: str | None = None,
                   check: bool = True) -> ModelInfo:
        entry = _entry(name, {"kind": "openai", "model": model, "base_url": base_url, "has_api_key": bool(api_key)})
        if check:
            assert isinstance(entry.source, OpenAISource)
            self.openai_models(entry.source.base_url, api_key)  # wrong URL or key: refused before saving
        self.registry().with_model(entry)  # name clash: refused before touching the keyring
        if api_key:
            self.secrets.set(model_key_name(name), api_key)
        try:
            self._change(lambda r: r.with_model(entry))
        except BureauError:
            if api_key:
                self.secrets.delete(model_key_name(name))
            raise
        return self.describe(name)

    def set_api_key(self, name: str, api_key: str) -> None:
        entry = self.registry().get(name)
        if not isinstance(entry.source, OpenAISource):
            raise InvalidInput(f"{name} is not an OpenAI-compatible model; only those take an API key.",
                               fix="Choose a model added with --openai.")
        self.secrets.set(model_key_name(name), api_key)
        if not entry.source.has_api_key:
            updated = entry.model_copy(update={"source": entry.source.model_copy(update={"has_api_key": True})})
            self._change(lambda r: r.replace_model(updated))

    def remove(self, name: str) -> None:
        entry = self.registry().get(name) if name != EMBEDDED_MODEL_NAME else None
        self._change(lambda r: r.without_model(name))
        if entry is not None and isinstance(entry.source, OpenAISource) and entry.source.has_api_key:
            self.secrets.delete(model_key_name(name))

    def preview_assignment(self, role: str, chain: Sequence[str]) -> AssignAdvice:
        """The fit of each model in ``chain`` for ``role``, without saving anything."""
        registry = self.registry()
        registry.with_assignment(role, list(chain), roles=self.pool.roles())  # unknown role or model: raises naming the fix
        by_name = {i.name: i for i in self.list_models(probe=True)}
        return AssignAdvice(role=role, chain=tuple(chain), advice=tuple((n, by_name[n].fit) for n in chain))

    def assign(self, role: str, chain: Sequence[str], *, force: bool = False) -> AssignAdvice:
        """Give ``role`` the models in ``chain`` (first choice first); refuses a model that won't fit unless forced."""
        preview = self.preview_assignment(role, chain)
        if preview.refused and not force:
            name = preview.refused[0]
            advice = dict(preview.advice)[name]
            raise InvalidInput(f"{name} {advice.message}.",
                               fix=f"{advice.suggestion or 'Choose a smaller model.'} (Or assign it anyway with --force.)")
        self._change(lambda r: r.with_assignment(role, list(chain), roles=self.pool.roles()))
        return preview

    def unassign(self, role: str) -> None:
        self._change(lambda r: r.without_assignment(role, roles=self.pool.roles()))

    def assignments(self) -> dict[str, list[str]]:
        """Every role's chain as the pool resolves it; ``[]`` means the default model."""
        return {role: self.pool.chain_for(role) for role in self.pool.roles()}

    def _change(self, change: Callable[[ModelRegistry], ModelRegistry]) -> None:
        with self._lock:
            change(self.registry()).save(self.home)

    # -- trying models ----------------------------------------------------------------------
    def test(self, name: str) -> TestResult:
        """One short interactive request through the pool (so fit checks and budgets apply)."""
        backend = self.pool.backend_named(name)
        options = ChatOptions(max_tokens=TEST_MAX_TOKENS, temperature=0.2, priority=Priority.INTERACTIVE)
        try:
            result = backend.chat([ChatMessage("user", TEST_PROMPT)], options)
        except ReplyTruncated as exc:
            return TestResult(name=name, reply=exc.partial, tokens_out=TEST_MAX_TOKENS, seconds=0.0,
                              tokens_per_second=0.0, truncated=True)
        return TestResult(name=name, reply=result.text.strip(), tokens_out=result.tokens_out, seconds=result.seconds,
                          tokens_per_second=result.tokens_per_second)

    def ollama(self, host: str | None = None) -> OllamaServer:
        """An Ollama host for list/show/pull/delete (default: settings.model.ollama_host); close it after use."""
        try:
            return OllamaServer(_usable_url(host or self.settings.model.ollama_host))
        except ValueError as exc:
            raise InvalidInput(str(exc), fix="Give the host as http://HOST:PORT.") from None

    def ollama_list(self, host: str | None = None) -> list[OllamaModel]:
        with closing(self.ollama(host)) as server:
            return server.list_models()

    def ollama_show(self, model: str, host: str | None = None) -> OllamaDetails:
        with closing(self.ollama(host)) as server:
            return server.show(model)

    def ollama_pull(self, model: str, host: str | None = None, *,
                    on_progress: Callable[[PullProgress], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> None:
        with closing(self.ollama(host)) as server:
            server.pull(model, on_progress=on_progress, cancelled=cancelled)

    def ollama_delete(self, model: str, host: str | None = None) -> None:
        users = [e.name for e in self.registry().models
                 if isinstance(e.source, OllamaSource) and e.source.model == model]
        if users:
            raise InvalidInput(f"The configured model(s) {', '.join(users)} use {model}.",
                               fix="Remove them first (`bureau models remove NAME`).")
        with closing(self.ollama(host)) as server:
            server.delete(model)

    def openai_models(self, base_url: str, api_key: str | None = None) -> list[ServerModel]:
        """The models an OpenAI-compatible server offers: the connection (and key) test."""
        try:
            server = OpenAIServer(_usable_url(base_url), api_key=api_key, timeout=PROBE_TIMEOUT * 5)
        except ValueError as exc:
            raise InvalidInput(str(exc), fix="Give the base URL as http://HOST:PORT/v1.") from None
        with closing(server):
            return server.list_models()


def _usable_url(url: str) -> str:
    """Refuse what no HTTP library can send (too long, control characters, undecodable bytes) as ValueError."""
    if len(url) > 2048:
        raise ValueError(f"That URL is {len(url):,} characters long.")
    if not url.isprintable() or any(ch.isspace() for ch in url):
        raise ValueError(f"The URL {url[:80]!r} contains spaces or control characters.")
    try:
        url.encode("utf-8")
    except UnicodeError:
        raise ValueError(f"The URL {url[:80]!r} is not valid text.") from None
    return url


def _entry(name: str, source: dict[str, Any]) -> ModelEntry:
    if not NAME_PATTERN.match(name):
        raise InvalidInput(f"{name!r} cannot be a model name.",
                           fix="Use 1-64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit.")
    try:
        return ModelEntry.model_validate({"name": name, "source": {k: v for k, v in source.items() if v is not None}})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InvalidInput(f"{'.'.join(str(p) for p in err['loc'][1:]) or 'model'}: {plain_message(err['msg'])}.",
                           fix="Correct it and add the model again; nothing was saved.") from None
