"""Requests said softly or around material, read in this round: hedged asks ("do you think we could ...",
"it might be worth ..."), a line after a pasted list, "and based on that ...", a "but ... first" with a
chat tail, a part of something just named, and "handle them" after what is waiting.

Each test pins one rule with a text written for this file and, where it matters, a near text that must keep
its old reading.
"""

from __future__ import annotations

import pytest

from agents.ceo import Plan, triage
from agents.routing.clauses import split
from agents.routing.lexicon import builtin_settings
from agents.routing.router import Router, builtin_team_profiles

VERBS = builtin_settings().action_verbs


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(builtin_team_profiles())


def plan_of(router: Router, text: str) -> Plan:
    return triage(router, text).plan


def requests(text: str) -> list[str]:
    return [c.bare for c in split(text, VERBS)[0] if c.request]


@pytest.mark.parametrize(("text", "asked"), [
    ("do you think we could move the cron jobs to a queue?", "move the cron jobs to a queue"),
    ("I was wondering whether someone could proofread the handbook", "proofread the handbook"),
    ("it'd be great if someone could draft the renewal offer", "draft the renewal offer"),
    ("It might be worth upgrading the image library", "upgrade the image library"),
    ("it might be worth a short post thanking the beta testers", "get a short post thanking the beta testers"),
    ("Would it be possible to look into the slow search?", "look into the slow search"),
])
def test_a_hedged_ask_is_a_request(text: str, asked: str) -> None:
    assert requests(text) == [asked]


def test_a_guess_about_what_could_happen_is_no_request() -> None:
    assert requests("we could lose the account if this drags on") == []
    assert requests("do you think the pricing is too high") == []


def test_hedged_asks_for_two_teams_make_a_plan(router: Router) -> None:
    plan = plan_of(router, "Do you think we could get the export fixed first? And then it might be worth letting "
                           "the customers who asked about it know it works.")
    assert set(plan.teams) == {"code", "support"} and plan.waits_for("code", "support")


def test_a_line_after_a_pasted_list_is_its_own_sentence(router: Router) -> None:
    text = "Changelog for 4.1:\n- saved filters\n- faster sync\nPlease turn it into release notes and a tweet thread"
    assert requests(text)[-2:] == ["turn it into release notes", "a tweet thread"]
    assert set(plan_of(router, text).teams) == {"content", "marketing"}


def test_based_on_that_without_its_comma_waits_for_the_finding(router: Router) -> None:
    plan = plan_of(router, "research what the other two scheduling apps charge and based on that write a comparison "
                           "article for the blog")
    assert set(plan.teams) == {"marketing", "content"} and plan.waits_for("marketing", "content")


def test_but_first_with_a_chat_tail_is_work_first() -> None:
    assert requests("write the setup guide for the widget, but finish building the widget first obv") == [
        "write the setup guide for the widget", "finish building the widget first obv"]


def test_a_part_of_the_thing_just_named_is_a_request_of_its_own(router: Router) -> None:
    plan = plan_of(router, "Handle the refund for Ortiz Dental. Also our terms don't mention the new data processor, "
                           "so rewrite that section of the terms.")
    assert set(plan.teams) == {"support", "content"}


def test_handle_them_after_what_is_waiting_is_a_request() -> None:
    assert requests("We have six refund requests in the inbox, handle them.") == ["handle them"]
    assert requests("Two separate things, do them in parallel") == []
