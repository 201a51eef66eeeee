"""End to end on the real embedded model: a knowledge folder with a pricing page and a refund policy;
a support task about a refund is answered from the policy, reviewed against it, and kept as a draft."""

import json
from pathlib import Path

import pytest

from app.tasks.service import NewTask

pytestmark = pytest.mark.model

KB = Path(__file__).resolve().parents[2] / "bench" / "grounding_kb"


def test_refund_reply_is_grounded_in_the_policy_and_held_as_a_draft(company):
    company.update_settings(budgets={"max_rework_rounds": 1})
    company.knowledge.add(KB)
    company.profile.set("product_name", "Acme Notes")
    task = company.tasks.submit(NewTask(text="Reply to ana@customer.example: she bought Acme Notes 12 days ago "
                                             "and asks for a refund", team="support"))
    company.engine().run_until_idle(max_wait=900)
    detail = company.tasks.detail(task.id)
    assert detail.task.status in {"delivered", "needs_decision"}, detail.task.waiting_reason
    work = [s for s in detail.steps if s.kind == "work"]
    given = json.loads(work[0].input)["grounding"]
    assert {"source": "refunds.md", "section": "Refund policy"} in given["sources"]  # the policy was retrieved
    final = [s for s in work if s.status == "done"][-1]
    problems = company.grounding.problems(task_id=task.id, journal_key=final.key, output=final.output,
                                          task_text=detail.task.text)
    if detail.task.status == "delivered":  # the review passed it: every citation and figure checks out
        assert problems == []
    else:  # the review sent it back and it still fails: the reason names the exact claim
        review = json.loads([d for d in detail.decisions if d.kind == "review"][-1].payload)
        assert review["verdicts"][0]["notes"]
    (draft,) = company.outbound.list(task_id=task.id)
    assert draft.recipients == ("ana@customer.example",) and draft.status == "draft" and draft.body
