"""Run-on orders (dictated or hurried text with no comma before a new order) and "and, separately, ...".

A new order starts where a base-form verb acts on a pronoun for what was just said ("... expires friday renew
that"); not after a subject, a modal, a causative or a determiner, and not when the pronoun starts a relative
clause ("the bug fix that shipped"). Each test pins the rule with texts written for this file.
"""

from __future__ import annotations

import pytest

from agents.routing.connectives import connectives_as_said
from agents.routing.router import Router
from agents.routing.runons import run_ons_as_said
from tests.support.planning import VERBS, plan_of, requests


@pytest.mark.parametrize(("text", "cut_before"), [
    ("the ssl cert on the booking site runs out on monday renew that and tell me when it's done", "renew that"),
    ("the invoice pdf has the wrong vat number since tuesday fix it asap", "fix it asap"),
    ("nine one-star reviews on the app store this week respond to those", "respond to those"),
    ("the export hangs for big workspaces um cut it down to a page at a time", "cut it down"),
])
def test_an_order_on_what_was_just_said_starts_a_clause(text: str, cut_before: str) -> None:
    assert f", {cut_before}" in run_ons_as_said(text, VERBS)


@pytest.mark.parametrize("text", [
    "the dashboard is slow and we need to fix that before the demo",  # a modal and "to"
    "can you look at the onboarding emails and fix them",  # a joiner before the verb
    "the hotfix from friday broke search, the bug fix that shipped yesterday",  # a relative clause
    "write a help article explaining how admins turn it on",  # a subject after "how"
    "have the devs rebuild it on the new queue",  # a causative
    "our wholesale clients love that we ship on saturdays",  # a plural subject and a verb of liking
    "write a short public reply to it for the forum",  # a noun after a determiner
    "the leak fix this morning made things worse",  # "this" before a noun is no object
    "the signup form that double-submits on slow connections needs a fix",  # a hyphenated verb after "that"
])
def test_a_verb_inside_its_own_clause_is_no_run_on(text: str) -> None:
    assert run_ons_as_said(text, VERBS) == text


def test_a_run_on_order_is_a_step_of_its_own(builtin_router: Router) -> None:
    assert requests("the camera screen crashes on android 14 when you open it from the menu fix that, then push "
                    "the build to the play store")[:2] == [
        "fix that",
        "push the build to the play store"]
    plan = plan_of(builtin_router, "the wildcard certificate for the customer portal expires thursday renew that "
                                   "and also draft a blog post about why we moved everyone to the new portal")
    assert set(plan.teams) == {"devops", "content"}


def test_and_separately_joins_another_piece_of_work(builtin_router: Router) -> None:
    assert connectives_as_said("Write the launch copy and, separately, a cold email to Holt Dental") == \
        "Write the launch copy, and a cold email to Holt Dental"
    assert connectives_as_said("Write the launch copy, and separately a cold email") == \
        "Write the launch copy, and a cold email"
