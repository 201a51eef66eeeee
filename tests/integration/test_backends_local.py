"""Local GGUF models through the pool with the REAL embedded model: budget, LRU swap, idle unload, CLI test."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from agents.backends.base import ChatMessage, ChatOptions
from app.llm.pool import ModelPool
from app.llm.service import ModelService
from app.core.paths import EMBEDDED_MODEL_NAME, embedded_model_path
from app.core.settings import ModelSettings, Settings

pytestmark = pytest.mark.model

ASK = [ChatMessage("user", "Say hello in one short sentence.")]


def test_one_resident_model_swaps_on_demand_and_unloads_when_idle(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    settings = Settings(model=ModelSettings(n_ctx=1024, max_resident=1, idle_unload_seconds=1.0, n_threads=2))
    pool = ModelPool(settings, home)
    service = ModelService(home, settings, pool)
    try:
        service.add_gguf("smol-2k", embedded_model_path(), n_ctx=2048)
        service.assign("ceo", ["smol-2k"])
        first = pool.backend_for("content").chat(ASK, ChatOptions(max_tokens=64))
        assert first.model == EMBEDDED_MODEL_NAME and first.text and first.tokens_in > 0
        assert pool.resident == [EMBEDDED_MODEL_NAME]
        second = pool.backend_for("ceo").chat(ASK, ChatOptions(max_tokens=64))
        assert second.model == "smol-2k" and second.text
        assert pool.resident == ["smol-2k"]  # the budget of one unloaded the other
        deadline = time.monotonic() + 10
        while pool.resident and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pool.resident == []
        test = service.test("smol-2k")
        assert test.reply and test.tokens_per_second > 0
    finally:
        pool.close()


def test_cli_models_test_prints_reply_and_speed(tmp_path):
    run = subprocess.run([sys.executable, "-m", "app.cli.main", "--home", str(tmp_path / "home"), "models", "test",
                          EMBEDDED_MODEL_NAME], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "tokens/s" in run.stdout and EMBEDDED_MODEL_NAME in run.stdout
