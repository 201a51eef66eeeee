"""The Ollama backend through the official ``ollama`` client, against OllamaDouble: a TEST DOUBLE
of the Ollama server (tests/support/ollama_double.py) answering with the REAL embedded model."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from agents.backends.base import BackendError, BackendUnavailable, Cancelled, ChatMessage, ChatOptions, ReplyTruncated
from agents.backends.ollama import OllamaBackend, OllamaServer, PullProgress, normalize_host
from app.cli.main import main
from app.llm.pool import ModelPool
from app.llm.registry import REGISTRY_FILE
from app.llm.service import ModelService
from app.core.paths import embedded_model_path
from app.core.settings import ModelSettings, Settings
from tests.support.ollama_double import OllamaDouble
from tests.support.servers import garbage_server, silent_server

pytestmark = pytest.mark.model

ASK = [ChatMessage("user", "Say hello in one short sentence.")]
MODEL = "smollm2:135m"


@pytest.fixture(scope="module")
def double() -> Iterator[OllamaDouble]:
    d = OllamaDouble(embedded_model_path(), installed=(MODEL,), library=(MODEL, "smollm2:latest"))
    d.start()
    yield d
    d.stop()


@pytest.fixture
def host(double: OllamaDouble) -> str:
    return double.url


def test_list_and_show(host):
    server = OllamaServer(host)
    listed = server.list_models()
    assert [m.name for m in listed] == [MODEL]
    assert listed[0].parameter_size == "135M" and listed[0].quantisation == "Q4_1" and listed[0].size_bytes > 9e7
    details = server.show(MODEL)
    assert details.family == "llama" and details.context_length == 8192 and details.block_count == 30
    assert details.parameter_count and details.parameter_count > 1e8 and "messages" in details.template
    assert details.capabilities == ("completion",)


def test_chat_streams_and_counts_tokens(host, double):
    backend = OllamaBackend(MODEL, host=host, name="local-ollama", n_ctx=2048)
    pieces: list[str] = []
    result = backend.chat(ASK, ChatOptions(max_tokens=64, seed=7), on_token=pieces.append)
    assert result.text and "".join(pieces) == result.text and result.model == "local-ollama"
    assert result.tokens_out == len(pieces) and result.tokens_in > 5 and result.finish_reason == "stop"
    options = double.chat_requests[-1]["options"]
    assert options["num_predict"] == 64 and options["seed"] == 7 and options["num_ctx"] == 2048
    with pytest.raises(ReplyTruncated):
        backend.chat([ChatMessage("user", "Write a long story about a cat.")], ChatOptions(max_tokens=4))
    with pytest.raises(Cancelled):
        backend.chat(ASK, ChatOptions(max_tokens=64), cancelled=lambda: True)


def test_json_answers_use_structured_output(host, double):
    schema = {"type": "object", "properties": {"team": {"type": "string", "enum": ["code", "sales"]}},
              "required": ["team"]}
    result = OllamaBackend(MODEL, host=host).chat(
        [ChatMessage("user", "Which team fixes a login bug? Answer in JSON.")],
        ChatOptions(max_tokens=48, json_schema=schema, temperature=0.0))
    assert json.loads(result.text)["team"] in {"code", "sales"}
    assert double.chat_requests[-1]["format"] == schema


def test_pull_with_progress_then_delete(host, double):
    server = OllamaServer(host)
    progress: list[PullProgress] = []
    server.pull("smollm2", on_progress=progress.append)  # no tag means :latest
    statuses = [p.status for p in progress]
    assert statuses[0] == "pulling manifest" and statuses[-1] == "success"
    fractions = [p.fraction for p in progress if p.fraction is not None]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert "smollm2:latest" in [m.name for m in server.list_models()]
    server.delete("smollm2:latest")
    assert [m.name for m in server.list_models()] == [MODEL]
    with pytest.raises(BackendError, match="no model 'smollm2:latest' to delete"):
        server.delete("smollm2:latest")


def test_pull_can_be_cancelled_and_unknown_names_are_refused(host, double):
    server = OllamaServer(host)
    seen: list[PullProgress] = []
    with pytest.raises(Cancelled, match="cancelled"):
        server.pull("smollm2:latest", on_progress=seen.append, cancelled=lambda: len(seen) >= 3)
    assert "smollm2:latest" not in [m.name for m in server.list_models()]
    with pytest.raises(BackendError, match="could not pull 'qwen9:404b': pull model manifest") as err:
        server.pull("qwen9:404b")
    assert "ollama.com/library" in (err.value.fix or "") and not err.value.transient


def test_errors_name_host_and_fix(host):
    with pytest.raises(BackendError, match="has no model 'llama9'") as err:
        OllamaBackend("llama9", host=host).chat(ASK)
    assert "bureau models ollama pull llama9" in (err.value.fix or "") and not err.value.transient
    with pytest.raises(BackendUnavailable, match=r"Ollama at http://127\.0\.0\.1:9 is not reachable") as err:
        OllamaBackend(MODEL, host="127.0.0.1:9").chat(ASK)
    assert "ollama serve" in (err.value.fix or "") and err.value.transient
    with silent_server() as url:
        with pytest.raises(BackendUnavailable, match="did not answer within 1 s"):
            OllamaBackend(MODEL, host=url, timeout=1.0).chat(ASK)
    with garbage_server() as url:
        with pytest.raises(BackendError, match="not Ollama's API") as err:
            OllamaServer(url).list_models()
        assert "11434" in (err.value.fix or "")
        with pytest.raises(BackendError, match="not Ollama's API"):
            OllamaBackend(MODEL, host=url).chat(ASK)
    with pytest.raises(ValueError, match="invalid port"):
        normalize_host("localhost:99999")
    assert normalize_host("gpu-box") == "http://gpu-box:11434"


def test_the_service_adds_lists_with_fit_tests_and_falls_back(host, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    settings = Settings(model=ModelSettings(ollama_host=host, n_ctx=2048))
    pool = ModelPool(settings, home)
    service = ModelService(home, settings, pool)
    try:
        with pytest.raises(BackendError, match="has no model 'nope'"):
            service.add_ollama("x", "nope")
        with pytest.raises(BackendUnavailable):
            service.add_ollama("x", MODEL, host="http://127.0.0.1:9")
        assert not (home / REGISTRY_FILE).exists()
        info = service.add_ollama("ol", MODEL)  # the default host comes from settings
        assert info.location == host and info.fit.verdict == "fits"  # loopback: judged against this machine
        assert "135M" in info.summary and "Q4_1" in info.summary
        result = service.test("ol")
        assert result.reply and result.tokens_per_second > 0
        service.add_ollama("offline", MODEL, host="http://127.0.0.1:9", check=False)
        listed = {i.name: i for i in service.list_models()}
        assert "not reachable" in (listed["offline"].problem or "")
        service.assign("support", ["offline", "ol"])
        assert pool.backend_for("support").chat(ASK, ChatOptions(max_tokens=64)).model == "ol"
    finally:
        pool.close()


def test_cli_ollama_commands(host, tmp_path, capsys):
    home = str(tmp_path / "cli-home")
    assert main(["--home", home, "models", "ollama", "list", "--host", host, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == MODEL
    assert main(["--home", home, "models", "ollama", "pull", "smollm2:latest", "--host", host]) == 0
    captured = capsys.readouterr()
    assert "Pulled smollm2:latest" in captured.out and "success" in captured.err
    assert main(["--home", home, "models", "ollama", "show", "smollm2:latest", "--host", host]) == 0
    assert "context 8192" in capsys.readouterr().out
    assert main(["--home", home, "models", "ollama", "delete", "smollm2:latest", "--host", host]) == 0
    assert main(["--home", home, "models", "ollama", "pull", "nope:0b", "--host", host]) == 2
    assert "could not pull 'nope:0b'" in capsys.readouterr().err
    assert main(["--home", home, "models", "add", "ol", "--ollama", MODEL, "--host", host]) == 0
    capsys.readouterr()
    assert main(["--home", home, "models", "test", "ol"]) == 0
    assert "tokens/s" in capsys.readouterr().out


def test_the_ollama_dialog_pulls_with_progress_cancels_and_adds(host, double, tmp_path, qtbot):
    from app.gui.common.ops import TaskRunner
    from app.gui.llm.controller import ModelsController, OllamaController
    from app.gui.llm.view import ModelsView, OllamaDialog

    home = tmp_path / "gui-home"
    home.mkdir()
    settings = Settings(model=ModelSettings(ollama_host=host))
    pool = ModelPool(settings, home)
    runner = TaskRunner(lambda exc: None)
    service = ModelService(home, settings, pool)
    view = ModelsView(service.roles())
    qtbot.addWidget(view)
    models = ModelsController(service, runner, view)
    models.refresh()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=10_000)
    dialog = OllamaDialog(host, view)
    qtbot.addWidget(dialog)
    ollama = OllamaController(models.service, runner, dialog, on_added=models.refresh, taken=models.taken)
    try:
        ollama.connect_host()
        qtbot.waitUntil(lambda: dialog.models.count() == 1, timeout=10_000)
        dialog.pull_name.setText("smollm2:latest")
        ollama.pull()
        qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=10_000)
        ollama.cancel_pull.set()
        qtbot.waitUntil(lambda: "cancelled" in dialog.status.text(), timeout=10_000)
        ollama.pull()
        qtbot.waitUntil(lambda: dialog.status.text().startswith("Pulled") or dialog.models.count() == 2,
                        timeout=20_000)
        qtbot.waitUntil(lambda: dialog.models.count() == 2, timeout=10_000)
        assert dialog.bar.value() == 1000
        dialog.models.setCurrentRow(0)
        qtbot.waitUntil(lambda: "context 8192" in dialog.details.text(), timeout=10_000)
        assert dialog.name.text() == "smollm2-135m-ollama"  # the embedded default already has that name
        ollama.add()
        qtbot.waitUntil(lambda: view.table.rowCount() == 2, timeout=10_000)
        assert view.table.item(1, 1).text() == "ollama"
        OllamaServer(host).delete("smollm2:latest")
    finally:
        runner.close()
        pool.close()
