"""The coupling bugs the regrouping of the rooms fixed (issue 9), each pinned by a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.company import Company
from app.core.errors import StoreError
from app.core.paths import EMBEDDED_MODEL_NAME
from app.core.settings import AutopilotPolicy, Settings
from app.llm.pool import ModelPool
from app.llm.registry import GgufSource, ModelEntry, ModelRegistry
from app.llm.service import ModelService
from app.tasks.service import NewTask
from tests.support.fake_llama import HOLD, FakeLlama
from tests.support.gguf_forge import forge_gguf, llama_metadata


@pytest.fixture
def fake_models(company: Company, tmp_path: Path) -> Company:
    """The company's pool loads GGUF files with a fake llama.cpp; one extra model 'tiny' is configured."""
    FakeLlama.log = []
    HOLD.clear()
    path = forge_gguf(tmp_path / "tiny.gguf", llama_metadata())
    ModelRegistry().with_model(ModelEntry(name="tiny", source=GgufSource(path=str(path)))).save(company.home)
    company.__dict__["models"] = ModelPool(company.settings_source, company.home, teams=company.teams,
                                           memory=lambda: 64 * 2**30, llama_factory=FakeLlama)
    return company


def test_the_ceo_model_is_really_loaded_at_start(fake_models: Company):
    """The welcome said 'loaded' while nothing was: preload saw a chain or a pooled model, not llama.cpp."""
    pool = fake_models.models
    assert pool.resident == []
    assert pool.preload("ceo") == EMBEDDED_MODEL_NAME
    assert pool.resident == [EMBEDDED_MODEL_NAME]
    ModelService(fake_models.home, fake_models.settings_source, pool).assign("ceo", ["tiny"])
    assert pool.preload("ceo") == "tiny"  # through the role's fallback chain
    assert "tiny" in pool.resident


def test_a_team_the_founder_adds_can_get_its_own_model(fake_models: Company):
    fake_models.routing.add_team("qa", description="quality assurance: test plans and bug reports")
    service = ModelService(fake_models.home, fake_models.settings_source, fake_models.models)
    assert "qa" in service.roles()
    service.assign("qa", ["tiny"])
    assert service.assignments()["qa"] == ["tiny"]
    assert fake_models.models.backend_for("qa").name == "tiny"


def test_one_pause_for_the_app_and_the_command_line(home: Path):
    app, cli = Company.open(home), Company.open(home)
    try:
        engine = app.engine()
        cli.pause()  # `bureau pause`
        assert app.paused and engine.is_paused()
        app.resume()  # the app's Pause button, released
        assert not cli.paused and not engine.is_paused()
        cli.tasks.submit(NewTask(text="Write a short note about our opening hours"))
        app.pause()
        assert engine.tick() is False  # a paused engine takes no work
    finally:
        app.close()
        cli.close()


def test_settings_change_only_after_they_were_saved(company: Company, monkeypatch: pytest.MonkeyPatch):
    before = company.settings
    engine_view = company.engine().deps.settings  # what the engine thread reads

    def full_disk(self: Settings, home: Path) -> None:
        raise StoreError("The disk is full.", fix="Free some space.")

    monkeypatch.setattr(Settings, "save", full_disk)
    with pytest.raises(StoreError):
        company.update_settings(autopilot=AutopilotPolicy(mode="manual"))
    assert company.settings is before and engine_view() is before
    monkeypatch.undo()
    company.update_settings(autopilot=AutopilotPolicy(mode="manual"))
    assert engine_view().autopilot.mode == "manual"
    assert Settings.load(company.home).autopilot.mode == "manual"
    with pytest.raises(Exception):
        company.settings.autopilot.mode = "threshold"  # type: ignore[misc]  # immutable: no change in place
