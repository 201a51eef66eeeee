"""`bureau models ...` in-process: list, add, assign, remove, errors on stderr with exit 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.main import main
from app.llm.registry import REGISTRY_FILE
from app.core.paths import EMBEDDED_MODEL_NAME
from tests.support.gguf_forge import forge_gguf, llama_metadata
from tests.support.memory_keyring import MemoryKeyring, memory_keyring


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as ring:
        yield ring


def bureau(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--home", str(home), "models", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_the_embedded_default_with_its_fit(home, capsys):
    code, out, _ = bureau(home, capsys, "list", "--json")
    assert code == 0
    models = json.loads(out)
    assert models[0]["name"] == EMBEDDED_MODEL_NAME and models[0]["builtin"]
    assert models[0]["gguf"]["architecture"] == "llama" and models[0]["gguf"]["quantisation"] == "Q4_1"
    assert models[0]["fit"]["verdict"] in {"fits", "tight", "wont_fit"}
    code, out, _ = bureau(home, capsys, "list")
    assert "NAME" in out and EMBEDDED_MODEL_NAME in out and "Q4_1" in out


def test_add_show_assign_roles_unassign_remove(home, capsys, tmp_path):
    path = forge_gguf(tmp_path / "tiny.gguf", llama_metadata())
    code, out, err = bureau(home, capsys, "add", "tiny", "--gguf", str(path), "--n-ctx", "1024")
    assert code == 0, err
    assert "Added tiny" in out and "Fit:" in out
    code, out, _ = bureau(home, capsys, "show", "tiny")
    assert "architecture: llama" in out and "quantisation: F32" in out and "chat template: yes" in out
    code, out, err = bureau(home, capsys, "assign", "code", "tiny", EMBEDDED_MODEL_NAME, "--json")
    assert code == 0, err
    assert json.loads(out)["chain"] == ["tiny", EMBEDDED_MODEL_NAME]
    code, out, _ = bureau(home, capsys, "roles", "--json")
    assert json.loads(out)["code"] == ["tiny", EMBEDDED_MODEL_NAME] and json.loads(out)["ceo"] == []
    code, _, err = bureau(home, capsys, "remove", "tiny")
    assert code == 2 and "assigned to code" in err
    assert bureau(home, capsys, "unassign", "code")[0] == 0
    code, out, _ = bureau(home, capsys, "remove", "tiny")
    assert code == 0 and "Removed tiny" in out


@pytest.mark.parametrize("args, message", [
    (["add", "x", "--gguf", "/nonexistent/model.gguf"], "does not exist"),
    (["add", "x", "--ollama", "m", "--base-url", "http://h"], "--base-url and --api-key-env go with --openai"),
    (["add", "x", "--openai", "m"], "--openai needs --base-url"),
    (["add", "x", "--openai", "m", "--base-url", "http://10.0.0.5:8000", "--api-key-env", "BUREAU_TEST_UNSET_VAR"],
     "BUREAU_TEST_UNSET_VAR is not set"),
    (["add", "x", "--ollama", "m", "--host", "http://127.0.0.1:1", "--json"], "Ollama at http://127.0.0.1:1 is not reachable"),
    (["assign", "cfo", EMBEDDED_MODEL_NAME], "'cfo' is not a role"),
    (["assign", "ceo", "ghost"], "no configured model called 'ghost'"),
    (["remove", EMBEDDED_MODEL_NAME], "embedded default"),
    (["test", "ghost"], "no configured model called 'ghost'"),
    (["ollama", "list", "--host", "http://127.0.0.1:1"], "is not reachable"),
    (["openai", "list", "--base-url", "http://127.0.0.1:1/v1"], "is not reachable"),
])
def test_errors_name_the_fix_and_change_nothing(home, capsys, args, message):
    code, _, err = bureau(home, capsys, *args)
    assert code == 2 and message in err and err.startswith("bureau: error:")
    assert not (home / REGISTRY_FILE).exists()


def test_the_api_key_is_read_from_the_environment_once_and_kept_in_the_keyring(home, capsys, ring, monkeypatch):
    monkeypatch.setenv("MY_SERVER_KEY", "sk-from-env-123")
    code, out, err = bureau(home, capsys, "add", "remote", "--openai", "qwen", "--base-url", "http://10.0.0.5:8000",
                            "--api-key-env", "MY_SERVER_KEY", "--no-check", "--json")
    assert code == 0, err
    assert json.loads(out)["has_api_key"] is True and "sk-from-env" not in out
    assert ring.items[("bureau", "model:remote:api_key")] == "sk-from-env-123"
    assert "sk-from-env" not in (home / REGISTRY_FILE).read_text()
    monkeypatch.setenv("MY_SERVER_KEY", "sk-rotated-456")
    assert bureau(home, capsys, "key", "remote", "--api-key-env", "MY_SERVER_KEY")[0] == 0
    assert ring.items[("bureau", "model:remote:api_key")] == "sk-rotated-456"


def test_help_lists_the_actions(capsys):
    assert main(["models", "--help"]) == 0  # in-process, help returns its exit code instead of exiting
    out = capsys.readouterr().out
    for action in ("list", "add", "remove", "assign", "test", "ollama", "openai"):
        assert action in out
