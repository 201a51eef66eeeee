"""People named with their role stand for their team, for the rest of the task; a goal or the state of things
is no request by itself; small joins of short tasks ("+ 5 linkedin posts", "... once its shipped")."""

from __future__ import annotations

import pytest

from agents.routing.people import people_as_teams
from agents.routing.router import Router
from tests.support.planning import plan_of, requests

AGENTS = {"backend": "code", "devs": "code", "socials": "marketing", "ops guy": "devops", "ops": "devops",
          "designer": "marketing", "frontend": "code"}


@pytest.mark.parametrize(("said", "read"), [
    ("Priya on the backend needs to add Apple Pay", "backend needs to add Apple Pay"),
    ("have Tom who does our socials post it", "have socials post it"),
    ("our ops guy Marek should renew the cert", "ops guy should renew the cert"),
    ("Get Jonas on the frontend to fix it", "Get frontend to fix it"),
])
def test_a_person_named_with_a_role_is_that_role(said: str, read: str) -> None:
    assert people_as_teams(said, AGENTS) == read


def test_the_name_alone_later_is_the_same_team() -> None:
    assert people_as_teams("Tom who does our socials drafts it. Then Tom posts it.", AGENTS) == \
        "socials drafts it. Then socials posts it."


@pytest.mark.parametrize("text", [
    "Once the devs finish the Google Calendar sync, announce it",  # "the devs finish the" is no role of "Google"
    "Have the devs add Czech to the invoice templates",
    "Carla from Acme wants a quote",  # "Acme" is no team
])
def test_no_role_no_change(text: str) -> None:
    assert people_as_teams(text, AGENTS) == text


def test_a_named_person_makes_the_plan(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Marta on the backend has to finish the bulk export by Friday. Once it's in, Leo who does "
                           "our socials announces it.")
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("code", "marketing")


@pytest.mark.parametrize("goal", [
    "Customers should be able to pay invoices by bank transfer.",
    "i want ppl to be able to book a lesson online.",
    "The goal is to pass the security review in May.",
    "Right now we lose leads every weekend.",
])
def test_a_goal_or_the_state_of_things_is_no_request(goal: str) -> None:
    assert requests(goal + " Add bank transfer to the checkout.") == ["Add bank transfer to the checkout"]


def test_a_goal_does_not_make_a_plan(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Customers should be able to pay invoices by ACH, not just card. Add Stripe ACH to checkout "
                           "and handle the webhooks for payments that settle later.")
    assert plan.teams == ("code",)


def test_a_counted_thing_after_a_plus_is_its_own(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "newsletter article on our pricing change + 5 linkedin posts from it")
    assert set(plan.teams) == {"content", "marketing"}
    assert requests("fix the bug + 2 tests for it")[0] == "fix the bug"


def test_an_opening_thing_keeps_its_when() -> None:
    assert requests("tutorial for the zapier integration once its shipped")[0].startswith("tutorial for the zapier")


@pytest.mark.parametrize("aside", [
    "Marketing handles the send, this is just the article.",
    "sales promised it to a prospect but that's not your problem.",
    "sales can wait.",
    "marketing: nothing, relax",
])
def test_a_part_left_out_of_this_task_is_no_request(aside: str) -> None:
    assert requests("Write the June newsletter article. " + aside) == ["Write the June newsletter article"]


def test_a_greeting_in_another_language_asks_nothing() -> None:
    assert requests("Hola! Please fix the checkout for carts over 20 items") == ["fix the checkout for carts over 20 items"]


def test_things_joined_by_a_plus_are_two_things(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "blog post + tweet about the v2 launch")
    assert set(plan.teams) == {"content", "marketing"}
    assert requests("fix the login + the signup bug")[0] == "fix the login"  # one verb, its two things
