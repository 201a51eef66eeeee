"""The OpenAI-compatible backend against the REAL llama_cpp.server on loopback (embedded model)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from agents.backends.base import (
    BackendError,
    BackendUnavailable,
    Cancelled,
    ChatMessage,
    ChatOptions,
    Priority,
    ReplyTruncated,
)
from agents.backends.openai_compat import OpenAICompatBackend, OpenAIServer
from app.cli.main import main
from app.core.errors import BureauError
from app.llm.pool import ModelPool
from app.llm.registry import REGISTRY_FILE
from app.llm.service import ModelService
from app.core.paths import embedded_model_path
from app.core.settings import Settings
from tests.support.memory_keyring import MemoryKeyring, memory_keyring
from tests.support.servers import garbage_server, llama_cpp_server, silent_server

pytestmark = pytest.mark.model

API_KEY = "test-key-4b1d"
ASK = [ChatMessage("user", "Say hello in one short sentence.")]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with llama_cpp_server(embedded_model_path(), api_key=API_KEY, n_ctx=2048) as base_url:
        yield base_url


@pytest.fixture
def backend(server: str) -> Iterator[OpenAICompatBackend]:
    b = OpenAICompatBackend("smollm2", base_url=server, api_key=API_KEY, name="lcpp", timeout=60)
    yield b
    b.close()


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as ring:
        yield ring


def test_lists_models_and_streams_a_reply(server, backend):
    models = OpenAIServer(server, api_key=API_KEY).list_models()
    assert models and models[0].id.endswith(".gguf")
    pieces: list[str] = []
    result = backend.chat(ASK, ChatOptions(max_tokens=64, priority=Priority.INTERACTIVE), on_token=pieces.append)
    assert result.text and "".join(pieces) == result.text
    assert result.model == "lcpp" and result.tokens_out == len(pieces) and result.tokens_in > 0
    assert result.finish_reason == "stop" and result.tokens_per_second > 0


def test_json_schema_answers_are_valid_json(backend):
    schema = {"type": "object", "properties": {"team": {"type": "string", "enum": ["code", "sales"]},
                                               "confidence": {"type": "number"}},
              "required": ["team", "confidence"]}
    result = backend.chat([ChatMessage("user", "Which team fixes a login bug? Answer in JSON.")],
                          ChatOptions(max_tokens=64, json_schema=schema, temperature=0.0))
    data = json.loads(result.text)
    assert data["team"] in {"code", "sales"} and isinstance(data["confidence"], int | float)
    assert backend.schema_form == "json_object"  # llama-cpp-python's server refused the standard form once


def test_truncation_and_cancel_are_reported(backend):
    with pytest.raises(ReplyTruncated) as err:
        backend.chat([ChatMessage("user", "Write a long story about a cat.")], ChatOptions(max_tokens=4))
    assert err.value.partial
    with pytest.raises(Cancelled):
        backend.chat(ASK, ChatOptions(max_tokens=64), cancelled=lambda: True)
    assert backend.chat(ASK, ChatOptions(max_tokens=64)).text  # the connection is still usable


def test_a_wrong_or_missing_api_key_is_a_clear_permanent_error(server):
    wrong = OpenAICompatBackend("smollm2", base_url=server, api_key="not-the-key")
    with pytest.raises(BackendError, match="refused the API key") as err:
        wrong.chat(ASK, ChatOptions(max_tokens=8))
    assert not err.value.transient and "bureau models key" in (err.value.fix or "")
    assert "not-the-key" not in str(err.value)
    with pytest.raises(BackendError, match="wants an API key"):
        OpenAIServer(server).list_models()


def test_unreachable_hung_and_garbage_servers(server):
    with pytest.raises(BackendUnavailable, match=r"127\.0\.0\.1:9/v1 is not reachable") as err:
        OpenAICompatBackend("m", base_url="http://127.0.0.1:9").chat(ASK)
    assert err.value.transient and "base URL" in (err.value.fix or "")
    with silent_server() as url:
        with pytest.raises(BackendUnavailable, match="did not answer within 1 s"):
            OpenAICompatBackend("m", base_url=url, timeout=1.0).chat(ASK)
    with garbage_server() as url:
        with pytest.raises(BackendError, match="not the OpenAI API") as err:
            OpenAICompatBackend("m", base_url=url).chat(ASK)
        assert not err.value.transient and "/v1" in (err.value.fix or "")
        with pytest.raises(BackendError, match="not the OpenAI API"):
            OpenAIServer(url).list_models()
    with pytest.raises(BackendError, match="has no"):
        OpenAICompatBackend("m", base_url=server.replace("/v1", "/nope"), api_key=API_KEY).chat(ASK)


def test_the_service_adds_tests_and_falls_back(server, tmp_path, ring):
    home = tmp_path / "home"
    home.mkdir()
    settings = Settings()
    pool = ModelPool(settings, home)
    service = ModelService(home, settings, pool)
    try:
        with pytest.raises(BackendError, match="refused the API key"):
            service.add_openai("bad", "smollm2", base_url=server, api_key="wrong")
        assert not (home / REGISTRY_FILE).exists() and not ring.items
        info = service.add_openai("lcpp", "smollm2", base_url=server, api_key=API_KEY)
        assert info.has_api_key and info.fit.verdict == "remote"
        assert API_KEY not in (home / REGISTRY_FILE).read_text()
        result = service.test("lcpp")
        assert result.reply and result.tokens_per_second > 0
        service.add_openai("dead", "smollm2", base_url="http://127.0.0.1:9/v1", check=False)
        service.assign("content", ["dead", "lcpp"])
        answer = pool.backend_for("content").chat(ASK, ChatOptions(max_tokens=64))
        assert answer.model == "lcpp"  # the first choice was unreachable
    finally:
        pool.close()


def test_cli_test_prints_the_reply_and_speed(server, tmp_path, ring, monkeypatch, capsys):
    home = tmp_path / "cli-home"
    monkeypatch.setenv("LCPP_KEY", API_KEY)
    assert main(["--home", str(home), "models", "add", "lcpp", "--openai", "smollm2", "--base-url", server,
                 "--api-key-env", "LCPP_KEY"]) == 0
    assert main(["--home", str(home), "models", "openai", "list", "--base-url", server,
                 "--api-key-env", "LCPP_KEY"]) == 0
    capsys.readouterr()
    assert main(["--home", str(home), "models", "test", "lcpp"]) == 0
    out = capsys.readouterr().out
    assert "tokens/s" in out and "lcpp" in out and API_KEY not in out


def test_a_missing_key_in_the_keyring_names_the_fix(server, tmp_path, ring):
    home = tmp_path / "home2"
    home.mkdir()
    pool = ModelPool(Settings(), home)
    service = ModelService(home, Settings(), pool)
    try:
        service.add_openai("lcpp", "smollm2", base_url=server, api_key=API_KEY)
        ring.items.clear()
        with pytest.raises(BureauError, match="missing from the OS keyring"):
            pool.backend_named("lcpp")
        service.assign("sales", ["lcpp"])
        with pytest.raises(BackendError, match="missing from the OS keyring"):
            pool.backend_for("sales").chat(ASK)  # the engine sees a BackendError naming the fix
    finally:
        pool.close()
