"""The whole workspace loop on the real embedded model, whatever it writes.

SmolLM2-135M rarely writes a valid edit; the point is that every reply is handled: edits
applied or refused with a reason, the tests run when something was applied, the result
recorded, the worktree cleaned, and the founder's repository byte-identical.
"""

import pytest

from tests.support.repos import TEST_COMMAND, fingerprint, leftovers, make_repo

pytestmark = pytest.mark.model


def test_the_loop_runs_on_whatever_the_small_model_writes(home, tmp_path):
    from app.company import Company
    from app.tasks.service import NewTask

    repo = make_repo(tmp_path)
    before = fingerprint(repo)
    company = Company.open(home)
    try:
        company.update_settings(model={"step_max_tokens": 160, "review_max_tokens": 64, "n_ctx": 2048},
                                budgets={"max_rework_rounds": 1, "max_step_attempts": 2})
        company.repos.add(repo, test_command=TEST_COMMAND, name="calc")
        task = company.tasks.submit(NewTask(text="Fix the add function in calc/core.py so the tests pass",
                                            team="code"))
        company.engine().run_until_idle(max_wait=300)
        detail = company.tasks.detail(task.id)
        assert detail.task.status in {"delivered", "needs_decision"}, detail.task.waiting_reason
        work = [s for s in detail.steps if s.kind == "work"]
        assert work and all(s.status == "done" and s.model == "smollm2-135m" for s in work)
        delivery = company.deliveries.delivery(task.id)
        from app.workspace.store import load_runs

        with company.db.raw_read() as conn:
            runs = load_runs(conn, task.id)
        assert [r.step_key for r in runs] == [s.key for s in work]  # one recorded run per work step
        for run in runs:
            print(f"{run.step_key}: refused={run.refused!r} paths={run.paths} "
                  f"after={run.tests_after.summary() if run.tests_after else None}")  # shown with -s
            assert run.refused or run.paths  # applied, or refused with the reason
            if run.paths:
                assert run.tests_after is not None and run.tests_after.command == TEST_COMMAND
            assert run.tests_before is not None and "1 failed" in run.tests_before.output
        assert delivery.newest.step_key == work[-1].key
        assert leftovers(home, "calc") == []  # every checkout reset and cleaned, its branch deleted
        assert fingerprint(repo) == before
    finally:
        company.close()
