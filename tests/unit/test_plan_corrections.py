"""What a founder takes back or puts off in the same breath asks no team: "..., no actually forget the blog, ...",
"the devs can chase the leak another time"."""

from __future__ import annotations

import pytest

from agents.routing.corrections import corrected
from agents.routing.router import Router
from agents.routing.unasked import put_off
from tests.support.planning import plan_of


@pytest.mark.parametrize(("said", "stands"), [
    ("draft a newsletter about the new dashboard, no actually forget the newsletter, just make three linkedin posts",
     "just make three linkedin posts"),
    ("Fix the search. Draft a tweet about it, no wait, skip the tweet. Deploy it tonight.",
     "Fix the search. Deploy it tonight."),
    ("set up a status page - actually no, drop that, renew the TLS cert", "renew the TLS cert"),
])
def test_a_withdrawn_ask_is_dropped_up_to_its_correction(said: str, stands: str) -> None:
    assert corrected(said) == stands


@pytest.mark.parametrize("said", [
    "there is no wait time at checkout, fix the queue",  # "no wait" that corrects nothing
    "fix the export, skip the tests for now",  # a withdrawal with no turn before it: a detail of the work
    "translate the guide into Italian no scratch that German",  # a turn that names nothing withdrawn: a detail
    "Forget the old pricing page, write a new one",
])
def test_a_turn_that_withdraws_no_ask_leaves_the_text_as_said(said: str) -> None:
    assert corrected(said) == said


def test_a_withdrawn_ask_plans_no_step_for_its_team(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "write a blog post about the new pricing, no actually forget the blog, just do a "
                                   "set of instagram posts about it for friday")
    assert plan.teams == ("marketing",) or sorted(plan.teams) == ["marketing"]


def test_work_put_off_for_another_time_is_no_step(builtin_router: Router) -> None:
    assert put_off("the devs can look for the leak some other time")
    assert put_off("code can hunt the leak another time")
    assert not put_off("then devops can deploy it next week")  # a later step, still asked
    plan = plan_of(builtin_router, "the api box keeps running out of memory at night. get it stable on the server "
                                   "side: bigger instance, swap, a memory alert. code can hunt the leak another time")
    assert sorted(plan.teams) == ["devops"]
    # the same work asked now is a step of its own
    plan = plan_of(builtin_router, "the api box keeps running out of memory at night. get it stable on the server "
                                   "side: bigger instance, swap, a memory alert. code, hunt down the leak as well")
    assert sorted(plan.teams) == ["code", "devops"]


def test_a_clause_with_its_own_subject_ends_a_condition(builtin_router: Router) -> None:
    # "after switching laptops he used | sign in with google" would read a feature's name as an order
    plan = plan_of(builtin_router, "a customer can't log in after switching laptops — he used sign in with google on "
                                   "the old one and a password on the new one, so now he has two accounts? help him "
                                   "get into the right one")
    assert sorted(plan.teams) == ["support"]
    from agents.routing.rewrites import comma_after_conditions

    verbs = builtin_router._lexicon.settings.action_verbs
    assert comma_after_conditions("once the tests pass roll it out", verbs) == "once the tests pass, roll it out"
    assert comma_after_conditions("after switching laptops he used sign in with google", verbs).count(",") == 0


def test_a_team_said_to_have_done_its_part_does_not_take_the_task_without_a_request(builtin_router: Router) -> None:
    # no clause reads as a request here ("now the app side: ..."), so the rest of the task decides, past the doer
    decision = builtin_router.route("devops already set up the Redis instance on staging. now the app side: cache "
                                    "courier status lookups for 5 mins in the api layer")
    assert decision.team == "code"
    # a finished thing whose team is only guessed from its name ("the status page post") is no doer to pass
    decision = builtin_router.route("The status page post is written and the customer apology went out. Left: the "
                                    "incident notes for Tuesday's outage, and the expired certificate that caused it "
                                    "needs replacing.")
    assert decision.team == "devops"


def test_a_thing_a_team_made_names_that_team_as_done_not_asked(builtin_router: Router) -> None:
    from agents.routing.context import doers

    agents = builtin_router._agents
    assert doers(["the restore runbook devops wrote is in very broken english"], agents) == {"devops"}
    assert doers(["the deck the marketing team made last week"], agents) == {"marketing"}
    assert doers(["the code I wrote last year"], agents) == frozenset()  # "code" alone is a thing, not the team
    decision = builtin_router.route("the onboarding deck marketing made is full of typos and clunky sentences. just "
                                    "proofread and tighten it, keep the structure")
    assert decision.team == "content"


def test_a_topic_named_for_a_team_that_did_its_part_is_no_step_of_its_own(builtin_router: Router) -> None:
    # "Tom's refund mess" names the topic; support already did its part, the fix is the ask
    plan = plan_of(builtin_router, "Tom's refund mess - support already sorted the refund and wrote back to him. now "
                                   "fix the proration bug that caused it")
    assert sorted(plan.teams) == ["code"]
    # "she will not believe us another time" puts nothing off: the reply is still asked, after the fix
    assert not put_off("Not before the fix, she will not believe us another time.")


def test_what_a_team_found_is_news_not_an_order_to_found_something(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Ops found the mail relay problem on Monday and fixed it. About 200 receipts never "
                                   "went out. Write a script that resends them, idempotent please.")
    assert sorted(plan.teams) == ["code"]
    plan = plan_of(builtin_router, "support found three more customers with the duplicate invoice bug. fix the bug "
                                   "and refund them")
    assert sorted(plan.teams) == ["code", "support"]
