"""The model pool: which backend serves each role, and which llama.cpp models stay in memory.

- ``backend_for(role)`` gives the role's chain from models.json (``bureau models assign``):
  the first model that is reachable answers; ``BackendUnavailable`` moves on to the next.
  A role without an assignment uses its team's ``TeamSpec.model``, else ``default()``.
- Local GGUF models obey a memory budget: at most ``settings.model.max_resident`` loaded at
  once (least recently used unloaded first), idle ones unloaded after
  ``settings.model.idle_unload_seconds``, and waiting requests served interactive first.
- A model whose fit estimate says it won't fit in the free memory is refused with
  ``ModelTooLarge`` naming a smaller choice, instead of swapping the laptop to a halt.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from agents.backends.base import (
    BackendError,
    BackendUnavailable,
    CancelCheck,
    Capabilities,
    ChatMessage,
    ChatOptions,
    ChatResult,
    ModelBackend,
    Priority,
    TokenCallback,
)
from agents.backends.circuit import CircuitBreaker
from agents.gguf.fit import ModelTooLarge, advise, available_memory, estimate_bytes, footprint_of, gb
from agents.gguf.check import check_gguf
from agents.gguf.meta import GgufInfo
from agents.backends.llama import LlamaCppBackend
from agents.backends.ollama import OllamaBackend
from agents.backends.openai_compat import OpenAICompatBackend
from app.core.errors import BureauError
from app.llm.registry import REGISTRY_FILE, GgufSource, ModelEntry, ModelRegistry, OllamaSource
from app.core.paths import EMBEDDED_MODEL_NAME, embedded_model_path
from app.core.secrets import Secrets, model_key_name
from app.core.settings import Settings, settings_getter
from teams import TEAMS
from teams.base import TeamSpec

log = logging.getLogger(__name__)


class Loadable(Protocol):
    """What the pool needs of a llama.cpp backend (LlamaCppBackend, or a fake in tests)."""

    def load(self) -> None: ...
    def chat(self, messages: Sequence[ChatMessage], options: ChatOptions = ..., *,
             on_token: TokenCallback | None = None, cancelled: CancelCheck | None = None) -> ChatResult: ...
    def close(self) -> None: ...


LlamaFactory = Callable[..., Loadable]


class Residency:
    """At most ``capacity`` local models loaded; LRU eviction; idle unload; interactive requests first."""

    def __init__(self, capacity: int, idle_seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = max(1, capacity)
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._cond = threading.Condition()
        self._resident: OrderedDict[LocalModel, None] = OrderedDict()  # least recently used first
        self._in_use: Counter[LocalModel] = Counter()
        self._last_used: dict[LocalModel, float] = {}
        self._queue: list[tuple[int, int]] = []
        self._tickets = itertools.count()
        self._stop = threading.Event()
        self._reaper: threading.Thread | None = None

    @contextmanager
    def use(self, model: LocalModel, priority: Priority) -> Iterator[None]:
        """Hold ``model`` loaded for one request."""
        ticket = (int(priority), next(self._tickets))
        with self._cond:
            heapq.heappush(self._queue, ticket)
            try:
                while not self._admit(model, ticket):
                    self._cond.wait()
            finally:
                self._queue.remove(ticket)
                heapq.heapify(self._queue)
                self._cond.notify_all()
            self._in_use[model] += 1
            self._resident[model] = None
            self._resident.move_to_end(model)
        try:
            model.ensure_loaded()
        except BaseException:
            self._release(model, drop=not model.loaded)
            raise
        self._start_reaper()
        try:
            yield
        finally:
            self._release(model)

    def _admit(self, model: LocalModel, ticket: tuple[int, int]) -> bool:
        if self._queue[0] != ticket:
            return False  # someone more urgent (or earlier) goes first
        if model in self._resident or len(self._resident) < self.capacity:
            return True
        victim = next((m for m in self._resident if self._in_use[m] == 0), None)
        if victim is None:
            return False  # every resident model is busy: wait for one to finish
        self._evict(victim, "to make room")
        return True

    def _release(self, model: LocalModel, *, drop: bool = False) -> None:
        with self._cond:
            self._in_use[model] -= 1
            self._last_used[model] = self._clock()
            if drop and self._in_use[model] <= 0:
                self._resident.pop(model, None)
            self._cond.notify_all()

    def _evict(self, model: LocalModel, why: str) -> None:
        log.info("Unloading %s %s.", model.name, why)
        self._resident.pop(model, None)
        self._last_used.pop(model, None)
        model.unload()

    def unload_idle(self) -> list[str]:
        """Unload models unused for ``idle_seconds``; their names."""
        if self.idle_seconds <= 0:
            return []
        now = self._clock()
        with self._cond:
            idle = [m for m in self._resident
                    if self._in_use[m] == 0 and now - self._last_used.get(m, now) >= self.idle_seconds]
            for m in idle:
                self._evict(m, f"after {self.idle_seconds:.0f} s idle")
            self._cond.notify_all()
        return [m.name for m in idle]

    def forget(self, model: LocalModel) -> None:
        with self._cond:
            if model in self._resident and self._in_use[model] == 0:
                self._evict(model, "on close")

    @property
    def resident(self) -> list[str]:
        with self._cond:
            return [m.name for m in self._resident if m.loaded]

    def _start_reaper(self) -> None:
        with self._cond:
            if self.idle_seconds <= 0 or self._reaper is not None or self._stop.is_set():
                return
            self._reaper = threading.Thread(target=self._reap, name="bureau-model-reaper", daemon=True)
            self._reaper.start()

    def _reap(self) -> None:
        interval = max(0.05, min(30.0, self.idle_seconds / 4))
        while not self._stop.wait(interval):
            self.unload_idle()

    def close(self, wait: float = 10.0) -> None:
        """Stop the reaper and unload every model once its requests are done (a busy one is left loaded)."""
        self._stop.set()
        if self._reaper is not None:
            self._reaper.join(timeout=5)
        with self._cond:
            self._cond.wait_for(lambda: not any(self._in_use[m] > 0 for m in self._resident), timeout=wait)
            for model in [m for m in self._resident if self._in_use[m] <= 0]:
                self._evict(model, "on shutdown")


class LocalModel(ModelBackend):
    """A GGUF file served by llama.cpp under the pool's memory budget and fit check."""

    capabilities = Capabilities(streaming=True, json_schema=True)

    def __init__(self, path: Path, *, name: str, n_ctx: int, n_threads: int | None, residency: Residency,
                 memory: Callable[[], int], factory: LlamaFactory,
                 alternatives: Callable[[], list[tuple[str, int]]] = list) -> None:
        self.path = path
        self.name = name
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self._residency = residency
        self._memory = memory
        self._factory = factory
        self._alternatives = alternatives
        self._info: GgufInfo | None = None
        self._inner: Loadable | None = None
        self._lock = threading.Lock()

    def info(self) -> GgufInfo:
        if self._info is None:
            self._info = read_checked(self.path)
        return self._info

    @property
    def loaded(self) -> bool:
        return self._inner is not None

    def ensure_loaded(self) -> None:
        with self._lock:
            if self._inner is not None:
                return
            footprint = footprint_of(self.info(), self.n_ctx)
            advice = advise(footprint, self._memory(), [a for a in self._alternatives() if a[0] != self.name])
            if not advice.ok_to_load:
                raise ModelTooLarge(f"{self.name} {advice.message}, so Bureau will not load it.",
                                    fix=advice.suggestion or "Choose a smaller model.")
            inner = self._factory(self.path, name=self.name, n_ctx=footprint.n_ctx, n_threads=self.n_threads)
            inner.load()
            self._inner = inner
            log.info("Loaded %s (%s, n_ctx %d).", self.name, gb(advice.need_bytes), footprint.n_ctx)

    def unload(self) -> None:
        with self._lock:
            if self._inner is not None:
                self._inner.close()
                self._inner = None

    def chat(self, messages: Sequence[ChatMessage], options: ChatOptions = ChatOptions(), *,
             on_token: TokenCallback | None = None, cancelled: CancelCheck | None = None) -> ChatResult:
        with self._residency.use(self, options.priority):
            assert self._inner is not None
            return self._inner.chat(messages, options, on_token=on_token, cancelled=cancelled)

    def close(self) -> None:
        self._residency.forget(self)


class FallbackChain(ModelBackend):
    """A role's models in order: the first reachable one answers."""

    capabilities = Capabilities(streaming=True, json_schema=True)

    def __init__(self, members: Sequence[tuple[str, Callable[[], ModelBackend]]]) -> None:
        if not members:
            raise ValueError("a chain needs at least one model")
        self.members = list(members)
        self.name = self.members[0][0]

    def chat(self, messages: Sequence[ChatMessage], options: ChatOptions = ChatOptions(), *,
             on_token: TokenCallback | None = None, cancelled: CancelCheck | None = None) -> ChatResult:
        failures: list[BackendUnavailable] = []
        for name, get in self.members:
            try:
                backend = get()
            except BureauError as exc:
                raise BackendError(exc.message, fix=exc.fix) from exc
            try:
                return backend.chat(messages, options, on_token=on_token, cancelled=cancelled)
            except BackendUnavailable as exc:
                log.warning("Model %s is unavailable (%s); trying the next one for this role.", name, exc.message)
                failures.append(exc)
        if len(failures) == 1:
            raise failures[0]
        raise BackendUnavailable("None of this role's models is reachable: " +
                                 " ".join(f.message for f in failures), fix=failures[0].fix)


class ModelPool:
    """The configured models, created on first use and shared by the engine's steps."""

    def __init__(self, settings: Settings | Callable[[], Settings], home: Path | None = None, *,
                 teams: Mapping[str, TeamSpec] = TEAMS, secrets: Secrets | None = None,
                 memory: Callable[[], int] = available_memory, llama_factory: LlamaFactory = LlamaCppBackend) -> None:
        self._settings = settings_getter(settings)
        self._teams = teams
        settings = self._settings()
        self.home = home
        self.secrets = secrets or Secrets()
        self._memory = memory
        self._factory = llama_factory
        self.residency = Residency(settings.model.max_resident, settings.model.idle_unload_seconds)
        self._lock = threading.RLock()
        self._locals: dict[tuple[str, str, int], LocalModel] = {}
        self._remotes: dict[str, tuple[str, ModelBackend]] = {}
        self._registry = ModelRegistry()
        self._stamp: tuple[int, int] | None = None

    @property
    def settings(self) -> Settings:
        """The settings in effect now."""
        return self._settings()

    def roles(self) -> tuple[str, ...]:
        """Who can be given a model: the CEO and every team (built-in and the founder's)."""
        return ("ceo", *self._teams)

    # -- the public three ------------------------------------------------------------
    def default(self) -> ModelBackend:
        cfg = self.settings.model
        if cfg.gguf_path:
            path = Path(cfg.gguf_path).expanduser()
            return self._local(path, path.stem, cfg.n_ctx)
        return self._local(embedded_model_path(), EMBEDDED_MODEL_NAME, cfg.n_ctx)

    def backend_for(self, role: str) -> ModelBackend:
        """The model for ``role`` (a team name or "ceo"): its chain, its team's model, or the default."""
        chain = self.chain_for(role)
        if not chain:
            return self.default()
        return FallbackChain([(name, partial(self.backend_named, name)) for name in chain])

    def preload(self, role: str = "ceo") -> str:
        """Load the model ``role`` uses now, under the memory budget (blocking: call it off the GUI thread).

        Returns the model's name. A remote model (Ollama, OpenAI-compatible) has nothing to load here.
        """
        backend = self.backend_for(role)
        if isinstance(backend, FallbackChain):
            backend = backend.members[0][1]()
        if isinstance(backend, LocalModel):
            with self.residency.use(backend, Priority.INTERACTIVE):
                pass  # loading happens on entry; the model stays resident until it idles out
        return backend.name

    def close(self) -> None:
        self.residency.close()
        with self._lock:
            for _, backend in self._remotes.values():
                backend.close()
            self._remotes.clear()
            self._locals.clear()

    # -- lookups ---------------------------------------------------------------------
    def chain_for(self, role: str) -> list[str]:
        """The names the role tries in order; empty means the default model."""
        registry = self.registry()
        if role in registry.roles:
            return list(registry.roles[role])
        team = self._teams.get(role) if role != "ceo" else None
        if team is not None and team.model:
            if registry.has(team.model):
                return [team.model]
            log.warning("Team %s names model %r, which is not configured; using the default.", role, team.model)
        return []

    def backend_named(self, name: str) -> ModelBackend:
        """The configured model ``name`` (the embedded default included); ``NotFound`` names the fix."""
        cfg = self.settings.model
        if name == EMBEDDED_MODEL_NAME:
            return self._local(embedded_model_path(), name, cfg.n_ctx)
        entry = self.registry().get(name)
        if isinstance(entry.source, GgufSource):
            return self._local(Path(entry.source.path).expanduser(), name, entry.source.n_ctx or cfg.n_ctx)
        return self._remote(entry)

    def registry(self) -> ModelRegistry:
        """models.json as last saved (re-read when the file changes; a broken file keeps the last good one)."""
        if self.home is None:
            return self._registry
        path = self.home / REGISTRY_FILE
        try:
            st = path.stat()
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._registry = ModelRegistry.load(self.home)
                except BureauError as exc:
                    log.error("%s Keeping the models configured before.", exc)
                self._stamp = stamp
            return self._registry

    @property
    def resident(self) -> list[str]:
        return self.residency.resident

    def local_estimates(self) -> list[tuple[str, int]]:
        """(name, estimated bytes) of every local model that can be read: the smaller-choice candidates."""
        cfg = self.settings.model
        found: list[tuple[str, int]] = []
        candidates: list[tuple[str, Path, int]] = [(EMBEDDED_MODEL_NAME, embedded_model_path(), cfg.n_ctx)]
        candidates += [(e.name, Path(e.source.path).expanduser(), e.source.n_ctx or cfg.n_ctx)
                       for e in self.registry().models if isinstance(e.source, GgufSource)]
        for name, path, n_ctx in candidates:
            try:
                found.append((name, estimate_bytes(footprint_of(read_checked(path), n_ctx))))
            except BackendError:
                continue
        return found

    # -- construction ------------------------------------------------------------------
    def _local(self, path: Path, name: str, n_ctx: int) -> LocalModel:
        key = (name, str(path), n_ctx)
        with self._lock:
            model = self._locals.get(key)
            if model is None:
                model = LocalModel(path, name=name, n_ctx=n_ctx, n_threads=self.settings.model.n_threads,
                                   residency=self.residency, memory=self._memory, factory=self._factory,
                                   alternatives=self.local_estimates)
                self._locals[key] = model
            return model

    def _remote(self, entry: ModelEntry) -> ModelBackend:
        fingerprint = entry.model_dump_json()
        with self._lock:
            cached = self._remotes.get(entry.name)
            if cached is not None and cached[0] == fingerprint:
                return cached[1]
            if cached is not None:
                cached[1].close()
            # A dead server opens the breaker, so queued tasks wait instead of each burning its retries.
            backend = CircuitBreaker(build_remote(entry, self.secrets, n_ctx=self.settings.model.n_ctx))
            self._remotes[entry.name] = (fingerprint, backend)
            return backend


@functools.lru_cache(maxsize=64)
def _checked(path: str, mtime_ns: int, size: int) -> GgufInfo:
    return check_gguf(Path(path))


def read_checked(path: Path) -> GgufInfo:
    """``check_gguf`` once per file version (path, mtime, size): listing many models stays fast."""
    try:
        st = path.stat()
    except OSError:
        return check_gguf(path)  # raises ModelFileError naming the fix
    return _checked(str(path), st.st_mtime_ns, st.st_size)


def build_remote(entry: ModelEntry, secrets: Secrets, *, n_ctx: int | None = None) -> ModelBackend:
    """An Ollama or OpenAI-compatible backend for ``entry``; its API key comes from the keyring.

    ``n_ctx`` is sent to Ollama as ``num_ctx``, so long prompts are not cut to its small default.
    """
    src: Any = entry.source
    if isinstance(src, OllamaSource):
        return OllamaBackend(src.model, host=src.host, name=entry.name, timeout=entry.timeout_s, n_ctx=n_ctx)
    key = secrets.get(model_key_name(entry.name)) if src.has_api_key else None
    if src.has_api_key and not key:
        raise BureauError(f"The API key of {entry.name} is missing from the OS keyring.",
                          fix=f"Store it again: `bureau models key {entry.name} --api-key-env VAR`.")
    return OpenAICompatBackend(src.model, base_url=src.base_url, api_key=key, name=entry.name,
                               timeout=entry.timeout_s)
