"""models.json and the model service: validated, atomic, and free of secrets."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from agents.backends.base import BackendError
ROLES6 = ("ceo", "content", "code", "devops", "marketing", "sales", "support")
from app.core.errors import BureauError, InvalidInput, NotFound
from app.llm.pool import ModelPool
from app.llm.registry import REGISTRY_FILE, GgufSource, ModelEntry, ModelRegistry, OllamaSource
from app.llm.service import ModelService, is_loopback, suggest_name
from app.core.paths import EMBEDDED_MODEL_NAME
from app.core.secrets import Secrets, SecretsError, model_key_name
from app.core.settings import Settings
from tests.support.gguf_forge import forge_gguf, llama_metadata
from tests.support.memory_keyring import MemoryKeyring, memory_keyring

KEY = "sk-test-5f1b2c3d4e"


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as ring:
        yield ring


@pytest.fixture
def service(tmp_path: Path, ring: MemoryKeyring) -> Iterator[ModelService]:
    home = tmp_path / "home"
    home.mkdir()
    settings = Settings()
    pool = ModelPool(settings, home, memory=lambda: 16 * 2**30)
    yield ModelService(home, settings, pool, memory=lambda: 16 * 2**30)
    pool.close()


def test_the_embedded_default_is_always_listed_and_cannot_be_removed(service):
    infos = service.list_models()
    assert [i.name for i in infos] == [EMBEDDED_MODEL_NAME]
    assert infos[0].builtin and infos[0].fit.verdict == "fits" and infos[0].gguf is not None
    with pytest.raises(InvalidInput, match="embedded default"):
        service.remove(EMBEDDED_MODEL_NAME)


def test_add_gguf_checks_the_file_and_shows_metadata_and_fit(service, tmp_path):
    path = forge_gguf(tmp_path / "Tiny-Llama.Q8.gguf", llama_metadata())
    info = service.add_gguf("tiny", path)
    assert info.kind == "gguf" and info.gguf is not None and info.gguf.architecture == "llama"
    assert "llama" in info.summary and "F32" in info.summary and info.fit.verdict == "fits"
    assert [i.name for i in service.list_models()] == [EMBEDDED_MODEL_NAME, "tiny"]
    assert json.loads((service.home / REGISTRY_FILE).read_text())["models"][0]["source"]["path"] == str(path)


def test_bad_input_is_refused_and_nothing_configured_is_lost(service, tmp_path):
    good = forge_gguf(tmp_path / "good.gguf", llama_metadata())
    service.add_gguf("good", good)
    service.assign("code", ["good"])
    before = (service.home / REGISTRY_FILE).read_bytes()
    truncated = forge_gguf(tmp_path / "cut.gguf", llama_metadata(), truncate_data=64)
    alien = forge_gguf(tmp_path / "alien.gguf", llama_metadata("martian-lm"))
    attempts = [
        lambda: service.add_gguf("cut", truncated),
        lambda: service.add_gguf("alien", alien),
        lambda: service.add_gguf("good", good),  # name taken
        lambda: service.add_gguf("bad name!", good),
        lambda: service.add_ollama("o", "qwen2.5:3b", host="localhost:99999", check=False),
        lambda: service.add_openai("x", "m", base_url="ftp://nowhere", check=False),
        lambda: service.assign("cfo", ["good"]),
        lambda: service.assign("code", ["nope"]),
        lambda: service.remove("good"),  # still assigned
        lambda: service.remove("nope"),
    ]
    for attempt in attempts:
        with pytest.raises((BureauError, BackendError)) as err:
            attempt()
        assert err.value.fix, err.value
    assert (service.home / REGISTRY_FILE).read_bytes() == before
    assert not list(service.home.glob("*.tmp"))


def test_a_broken_models_json_is_reported_and_never_overwritten(service, tmp_path):
    (service.home / REGISTRY_FILE).write_text('{"version": 1, "models": [{"name": 3}]}')
    with pytest.raises(BureauError, match="is not valid") as err:
        service.list_models()
    assert "does not overwrite" in (err.value.fix or "")
    with pytest.raises(BureauError):
        service.add_gguf("x", forge_gguf(tmp_path / "x.gguf", llama_metadata()))
    assert (service.home / REGISTRY_FILE).read_text() == '{"version": 1, "models": [{"name": 3}]}'


def test_saving_is_atomic(tmp_path, monkeypatch):
    home = tmp_path
    registry = ModelRegistry().with_model(ModelEntry(name="o", source=OllamaSource(model="m", host="h")))
    registry.save(home)
    before = (home / REGISTRY_FILE).read_text()

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(BureauError, match="No space left") as err:
        registry.with_assignment("ceo", ["o"], roles=ROLES6).save(home)
    assert "nothing was changed" in (err.value.fix or "")
    assert (home / REGISTRY_FILE).read_text() == before
    assert not list(home.glob(".models-*"))


def test_assignments_and_chains(service, tmp_path):
    service.add_gguf("tiny", forge_gguf(tmp_path / "t.gguf", llama_metadata()))
    service.add_ollama("big", "qwen2.5:14b", host="http://gpu-box:11434", check=False)
    result = service.assign("code", ["big", "tiny", EMBEDDED_MODEL_NAME])
    assert result.chain == ("big", "tiny", EMBEDDED_MODEL_NAME)
    assert dict(result.advice)["big"].verdict == "remote"
    roles = service.assignments()
    assert roles["code"] == ["big", "tiny", EMBEDDED_MODEL_NAME] and roles["ceo"] == []
    assert service.pool.backend_for("code").name == "big"
    service.unassign("code")
    assert service.assignments()["code"] == []
    with pytest.raises(InvalidInput, match="names a model twice"):
        service.assign("ceo", ["tiny", "tiny"])


def test_assigning_a_model_that_will_not_fit_needs_force(service, tmp_path):
    service.memory = lambda: 300 * 2**20
    service.add_gguf("tiny", forge_gguf(tmp_path / "t.gguf", llama_metadata()))
    with pytest.raises(InvalidInput, match="won't fit") as err:
        service.assign("ceo", [EMBEDDED_MODEL_NAME])
    assert "--force" in (err.value.fix or "") and "tiny" in (err.value.fix or "")
    assert service.assignments()["ceo"] == []
    service.assign("ceo", [EMBEDDED_MODEL_NAME], force=True)
    assert service.assignments()["ceo"] == [EMBEDDED_MODEL_NAME]


def test_api_keys_live_in_the_keyring_only(service, ring, tmp_path):
    info = service.add_openai("remote", "qwen", base_url="http://10.0.0.5:8000", api_key=KEY, check=False)
    assert info.has_api_key and info.location == "http://10.0.0.5:8000/v1"
    assert ring.items[("bureau", model_key_name("remote"))] == KEY
    Settings().save(service.home)
    for path in service.home.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="ignore"), path
    backend = service.pool.backend_named("remote")
    assert KEY not in repr(backend) and KEY not in repr(backend.inner.server)  # type: ignore[attr-defined]
    service.set_api_key("remote", "sk-new-key-000")
    assert ring.items[("bureau", model_key_name("remote"))] == "sk-new-key-000"
    service.remove("remote")
    assert ("bureau", model_key_name("remote")) not in ring.items


def test_a_missing_keyring_is_a_clear_error_and_saves_nothing(service):
    import keyring
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())  # the `ring` fixture puts the previous one back
    with pytest.raises(SecretsError, match="OS keyring") as err:
        service.add_openai("remote", "qwen", base_url="http://10.0.0.5:8000", api_key=KEY, check=False)
    assert KEY not in str(err.value) and "keyring" in (err.value.fix or "")
    assert not service.registry().has("remote")
    service.add_gguf("t", forge_gguf(service.home / "t.gguf", llama_metadata()))
    with pytest.raises(InvalidInput, match="only those take an API key"):
        service.set_api_key("t", KEY)


def test_secrets_wrapper(ring):
    secrets = Secrets()
    secrets.set("k", "v")
    assert secrets.get("k") == "v" and ring.items[("bureau", "k")] == "v"
    secrets.delete("k")
    secrets.delete("k")  # missing is fine
    assert secrets.get("k") is None
    with pytest.raises(SecretsError, match="empty"):
        secrets.set("k", "")


def test_lookups_name_the_fix(service):
    with pytest.raises(NotFound, match="no configured model called 'ghost'") as err:
        service.describe("ghost")
    assert "bureau models list" in (err.value.fix or "")


def test_helpers():
    assert is_loopback("http://127.0.0.1:11434") and is_loopback("http://localhost:8080/v1")
    assert not is_loopback("http://192.168.1.20:11434")
    taken = {"qwen2.5-3b-instruct-q4_k_m"}
    assert suggest_name(Path("/x/Qwen2.5-3B-Instruct-Q4_K_M.gguf"), lambda n: False) == "qwen2.5-3b-instruct-q4_k_m"
    assert suggest_name(Path("/x/Qwen2.5-3B-Instruct-Q4_K_M.gguf"), taken.__contains__) == "qwen2.5-3b-instruct-q4_k_m-2"


def test_registry_roundtrip_and_validation(tmp_path):
    registry = ModelRegistry().with_model(ModelEntry(name="g", source=GgufSource(path="/m.gguf", n_ctx=2048)))
    registry = registry.with_assignment("support", ["g", EMBEDDED_MODEL_NAME], roles=ROLES6)
    registry.save(tmp_path)
    assert ModelRegistry.load(tmp_path) == registry
    with pytest.raises(InvalidInput, match="already exists"):
        registry.with_model(ModelEntry(name=EMBEDDED_MODEL_NAME, source=GgufSource(path="/m.gguf")))
