"""The model pool: role chains with fallback, LRU residency, idle unload, priority, fit refusal."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from agents.backends.base import BackendError, BackendUnavailable, ChatMessage, ChatOptions, Priority
from agents.gguf.fit import ModelTooLarge
ROLES6 = ("ceo", "content", "code", "devops", "marketing", "sales", "support")
from app.llm.pool import FallbackChain, ModelPool
from app.llm.registry import GgufSource, ModelEntry, ModelRegistry
from app.core.paths import EMBEDDED_MODEL_NAME, embedded_model_path
from app.core.settings import ModelSettings, Settings
from tests.conftest import ScriptedBackend
from tests.support.fake_llama import HOLD, FakeLlama
from tests.support.gguf_forge import forge_gguf, llama_metadata

HI = [ChatMessage("user", "hi")]


@pytest.fixture
def pool_home(tmp_path: Path) -> Path:
    FakeLlama.log = []
    HOLD.clear()
    home = tmp_path / "home"
    home.mkdir()
    registry = ModelRegistry()
    for name in ("a", "b", "c"):
        path = forge_gguf(tmp_path / f"{name}.gguf", llama_metadata())
        registry = registry.with_model(ModelEntry(name=name, source=GgufSource(path=str(path))))
    registry.save(home)
    return home


def make_pool(home: Path, *, max_resident: int = 1, idle: float = 0.0, memory: int = 64 * 2**30) -> ModelPool:
    settings = Settings(model=ModelSettings(max_resident=max_resident, idle_unload_seconds=idle))
    return ModelPool(settings, home, memory=lambda: memory, llama_factory=FakeLlama)


def test_roles_use_their_chain_then_the_team_model_then_the_default(pool_home):
    pool = make_pool(pool_home)
    assert pool.backend_for("code").name == EMBEDDED_MODEL_NAME  # nothing assigned
    ModelRegistry.load(pool_home).with_assignment("code", ["b", "a"], roles=ROLES6).save(pool_home)
    chain = pool.backend_for("code")  # the pool notices the file changed
    assert isinstance(chain, FallbackChain) and chain.name == "b"
    assert chain.chat(HI).model == "b"
    assert pool.backend_for("ceo").name == EMBEDDED_MODEL_NAME
    pool.close()


def test_fallback_moves_on_only_when_a_model_is_unavailable():
    down = ScriptedBackend(replies=[BackendUnavailable("Ollama at http://x:11434 is not reachable.", fix="Start it.")],
                           name="down")
    up = ScriptedBackend(replies=["ok"], name="up")
    chain = FallbackChain([("down", lambda: down), ("up", lambda: up)])
    assert chain.chat(HI).model == "up" and len(down.calls) == 1
    broken = ScriptedBackend(replies=[BackendError("bad request")], name="broken")
    with pytest.raises(BackendError, match="bad request"):
        FallbackChain([("broken", lambda: broken), ("up", lambda: up)]).chat(HI)
    with pytest.raises(BackendUnavailable, match="None of this role's models is reachable") as err:
        FallbackChain([("down", lambda: down), ("down2", lambda: down)]).chat(HI)
    assert err.value.transient and err.value.fix == "Start it."


def test_at_most_n_models_resident_least_recently_used_unloaded_first(pool_home):
    pool = make_pool(pool_home, max_resident=2)
    a, b, c = (pool.backend_named(n) for n in "abc")
    a.chat(HI)
    b.chat(HI)
    a.chat(HI)  # a is now the most recently used
    c.chat(HI)  # evicts b, not a
    assert pool.resident == ["a", "c"]
    assert FakeLlama.log.count("load a") == 1 and "close b" in FakeLlama.log and "close a" not in FakeLlama.log
    pool.close()
    assert pool.resident == [] and "close a" in FakeLlama.log


def test_a_busy_model_is_not_unloaded_and_interactive_requests_go_first(pool_home):
    pool = make_pool(pool_home, max_resident=1)
    a, b, c = (pool.backend_named(n) for n in "abc")
    HOLD["a"] = threading.Event()
    order: list[str] = []

    def run(model, priority, label):  # type: ignore[no-untyped-def]
        model.chat([ChatMessage("user", label)], ChatOptions(priority=priority))
        order.append(label)

    first = threading.Thread(target=run, args=(a, Priority.BACKGROUND, "a-first"))
    first.start()
    time.sleep(0.1)
    background = threading.Thread(target=run, args=(b, Priority.BACKGROUND, "b-background"))
    background.start()
    time.sleep(0.1)
    interactive = threading.Thread(target=run, args=(c, Priority.INTERACTIVE, "c-interactive"))
    interactive.start()
    time.sleep(0.1)
    assert "close a" not in FakeLlama.log  # a is busy: nobody may unload it
    HOLD["a"].set()
    for t in (first, background, interactive):
        t.join(5)
    assert order == ["a-first", "c-interactive", "b-background"]
    pool.close()


def test_idle_models_are_unloaded_after_the_timeout(pool_home):
    pool = make_pool(pool_home, max_resident=2, idle=0.2)
    pool.backend_named("a").chat(HI)
    assert pool.resident == ["a"]
    deadline = time.monotonic() + 5
    while pool.resident and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.resident == [] and "close a" in FakeLlama.log
    pool.backend_named("a").chat(HI)  # loads again on demand
    assert FakeLlama.log.count("load a") == 2
    pool.close()


def test_a_model_that_will_not_fit_is_refused_with_a_smaller_suggestion(pool_home):
    pool = make_pool(pool_home, memory=300 * 2**20)
    with pytest.raises(ModelTooLarge, match="won't fit, so Bureau will not load it") as err:
        pool.backend_named(EMBEDDED_MODEL_NAME).chat(HI)
    assert err.value.fix and "Try" in err.value.fix and "configured model" in err.value.fix
    assert not err.value.transient and pool.resident == []
    assert "load smollm2-135m" not in FakeLlama.log
    assert pool.backend_named("a").chat(HI).model == "a"  # the tiny forged model still fits
    pool.close()


def test_a_broken_file_fails_at_use_with_the_fix_and_the_pool_keeps_working(pool_home, tmp_path):
    broken = tmp_path / "broken.gguf"
    broken.write_text("not a model")
    ModelRegistry.load(pool_home).with_model(ModelEntry(name="broken", source=GgufSource(path=str(broken)))) \
        .save(pool_home)
    pool = make_pool(pool_home)
    with pytest.raises(BackendError, match="not a GGUF model file"):
        pool.backend_named("broken").chat(HI)
    assert pool.backend_named("a").chat(HI).model == "a"
    pool.close()


def test_a_broken_registry_file_keeps_the_last_good_one(pool_home):
    pool = make_pool(pool_home)
    ModelRegistry.load(pool_home).with_assignment("sales", ["c"], roles=ROLES6).save(pool_home)
    assert pool.backend_for("sales").name == "c"
    (pool_home / "models.json").write_text("{ not json")
    assert pool.backend_for("sales").name == "c"
    pool.close()


def test_the_default_follows_settings(tmp_path):
    other = forge_gguf(tmp_path / "custom.gguf", llama_metadata())
    settings = Settings(model=ModelSettings(gguf_path=str(other)))
    pool = ModelPool(settings, None, memory=lambda: 8 * 2**30, llama_factory=FakeLlama)
    assert pool.default().name == "custom"
    assert pool.backend_named(EMBEDDED_MODEL_NAME).path == embedded_model_path()  # type: ignore[attr-defined]
    pool.close()
