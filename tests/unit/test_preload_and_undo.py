"""The model is really preloaded at start (issue 9), and a cancel can be undone (issue 10)."""

from __future__ import annotations

import pytest

from app.company import Company
from app.core.errors import InvalidTransition
from app.core.paths import EMBEDDED_MODEL_NAME
from app.core.status import Status
from app.gui.shell.engine_host import load_default_model
from app.llm.pool import FallbackChain, ModelPool
from app.tasks.service import NewTask
from app.tasks.undo import undo_cancel
from tests.support.fake_llama import FakeLlama


@pytest.fixture
def fake_pool(company: Company) -> ModelPool:
    FakeLlama.log = []
    pool = ModelPool(company.settings, company.home, memory=lambda: 16 * 2**30, llama_factory=FakeLlama)
    company.models.close()
    company.models = pool
    return pool


def test_the_default_model_is_loaded_by_preload(company: Company, fake_pool: ModelPool) -> None:
    preloaded = load_default_model(company)
    assert preloaded.name == EMBEDDED_MODEL_NAME and preloaded.loaded
    assert FakeLlama.log == [f"load {EMBEDDED_MODEL_NAME}"]  # the old code checked for LlamaCppBackend: no load
    assert fake_pool.resident == [EMBEDDED_MODEL_NAME]
    fake_pool.backend_for("ceo").chat  # noqa: B018 - the first request finds it loaded
    assert FakeLlama.log.count(f"load {EMBEDDED_MODEL_NAME}") == 1


def test_a_role_with_a_chain_preloads_its_first_model(company: Company, fake_pool: ModelPool,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fake_pool, "chain_for", lambda role: [EMBEDDED_MODEL_NAME])
    assert isinstance(fake_pool.backend_for("ceo"), FallbackChain)
    assert fake_pool.preload("ceo").loaded
    assert fake_pool.resident == [EMBEDDED_MODEL_NAME]


def test_undo_cancel_goes_back_to_the_status_and_banner_before(company: Company) -> None:
    task = company.tasks.submit(NewTask(text="Write a blog post"))
    with company.db.write() as s:  # as triage would leave it
        from app.store.journal import get_task, set_status

        t = get_task(s, task.id)
        set_status(company.db, s, t, Status.NEEDS_DECISION, reason="Waiting for you: content or marketing?")
    company.tasks.cancel(task.id)
    back = undo_cancel(company.db, task.id)
    assert back.status == Status.NEEDS_DECISION.value
    assert back.waiting_reason == "Waiting for you: content or marketing?"
    actions = [d.payload for d in company.tasks.detail(task.id).decisions if d.kind == "founder"]
    assert '"undo_cancel"' in actions[-1]
    with pytest.raises(InvalidTransition):
        undo_cancel(company.db, task.id)  # not cancelled any more


def test_undo_of_a_cancel_while_running_queues_it_again(company: Company) -> None:
    task = company.tasks.submit(NewTask(text="Write a blog post"))
    with company.db.write() as s:
        from app.store.journal import get_task, set_status

        set_status(company.db, s, get_task(s, task.id), Status.RUNNING)
    company.tasks.cancel(task.id)
    assert undo_cancel(company.db, task.id).status == Status.QUEUED.value
