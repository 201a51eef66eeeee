"""Clause-level team choice: the object of the verb over the verb, charter boundary words, reports as context,
and plan confidence that reflects whether a clause's signals agree (agents/routing/objects.py, segments.py)."""

from __future__ import annotations

import pytest

from agents.ceo import triage
from agents.routing.clauses import Clause
from agents.routing.lexicon import LexiconHit
from agents.routing.objects import object_phrase, read_object
from agents.routing.router import Router, builtin_team_profiles
from agents.routing.segments import DISAGREEING_SURENESS, ClauseVerdict, plan_segments


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(builtin_team_profiles())


def _hits(*items: tuple[str, str, float, int]) -> list[LexiconHit]:
    return [LexiconHit(team, words, words, weight, position) for team, words, weight, position in items]


@pytest.mark.parametrize(("bare", "phrase"), [
    ("build a public changelog page on its own subdomain", "a public changelog page"),
    ("set up uptime alerts for the api", "uptime alerts"),
    ("survey what our competitors charge for seats", ""),
    ("rewrite the email digest job in go", "the email digest job"),
])
def test_the_object_is_the_noun_phrase_after_the_verb(bare: str, phrase: str) -> None:
    assert object_phrase(bare) == phrase


def test_an_unmistakable_object_takes_the_say_from_a_weak_verb() -> None:
    match = lambda text: _hits(("devops", "dockerfile", 5.2, 1))  # noqa: E731
    reading = read_object("write a dockerfile", match, {"content": 1.0}, {"content": 1.0})
    assert reading.verb_team == "content" and reading.object_team == "devops" and reading.disagree
    assert reading.adjust["content"] < 0


def test_a_deciding_verb_keeps_its_say_and_a_weak_object_changes_nothing() -> None:
    match = lambda text: _hits(("content", "docs", 5.2, 1))  # noqa: E731
    assert read_object("deploy the docs", match, {"devops": 5.0}, {}).adjust == {}
    weak = lambda text: _hits(("support", "row", 2.0, 1))  # noqa: E731
    assert read_object("fix the header row", weak, {"code": 3.0}, {}).adjust == {}


def test_a_thing_the_cues_know_is_built_is_left_to_the_cues() -> None:
    match = lambda text: _hits(("marketing", "pricing page", 5.2, 1))  # noqa: E731
    reading = read_object("build the pricing page", match, {"code": 2.5}, {}, made=lambda phrase: True)
    assert reading.adjust == {}


@pytest.mark.parametrize(("clause", "team"), [
    ("research what the other scheduling apps charge per seat", "marketing"),
    ("look into what rivals charge for the team tier", "marketing"),
    ("set up auto-renewal", "devops"),
])
def test_charter_boundary_words_decide_a_clause(router: Router, clause: str, team: str) -> None:
    assert router._classify_clause(clause).team == team


def test_pricing_research_then_a_post_is_marketing_then_content(router: Router) -> None:
    plan = triage(router, "look into what competitors charge for seats, then write a blog post comparing them").plan
    assert set(plan.teams) == {"marketing", "content"}


@pytest.mark.parametrize("text", [
    "the import broke overnight and users lost their tags. write an apology email to the affected customers",
    "the invoice page doesnt load for some accounts, support got 9 tickets about it. add a retry on the fetch",
    "this came in from a lead at a law firm, draft my reply: 'do you offer volume pricing for 40 seats?'",
])
def test_an_opening_report_is_context_not_a_request(router: Router, text: str) -> None:
    assert len(triage(router, text).plan.teams) == 1


def test_a_clause_whose_signals_disagree_is_not_sure_enough_for_autopilot() -> None:
    sure = ClauseVerdict("code", 9.0, 0.97)
    assert sure.sureness == 0.97
    assert ClauseVerdict("code", 9.0, 0.97, disagree=("object",)).sureness == DISAGREEING_SURENESS
    assert ClauseVerdict("devops", 9.0, 0.5, strong=True, disagree=("examples",)).sureness >= 0.9


def test_a_step_carrying_an_unclear_request_for_another_team_is_unsure() -> None:
    clauses = [Clause("write the guide", "write the guide", True), Clause("finish the triggers", "finish the triggers", True),
               Clause("announce it", "announce it", True, refers=True)]
    verdicts = {"write the guide": ClauseVerdict("content", 9.0, 0.99), "announce it": ClauseVerdict("marketing", 9.0, 0.99),
                "finish the triggers": ClauseVerdict("code", 2.0, 0.4)}
    segments = plan_segments(clauses, lambda c: verdicts[c.bare])
    assert [s.team for s in segments] == ["content", "marketing"]
    assert segments[0].confidence == DISAGREEING_SURENESS and segments[1].confidence == 0.99
    verdicts["finish the triggers"] = ClauseVerdict("content", 2.0, 0.4)  # unclear but the same team: just more work
    assert plan_segments(clauses, lambda c: verdicts[c.bare])[0].confidence == 0.99
