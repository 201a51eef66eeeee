"""Clauses worded like orders that ask for no team's work: what the founder rules out, what the work is for or starts
from, a fix someone else ships, what reaches a team, what others say or already do, a part after "and" with a verb
of its own, and an opening that reports results (agents/routing/unasked.py, clauses.py, joins.py, openings.py,
spots.py).

Each text is written for this file; a one-team task must come back as one step.
"""

from __future__ import annotations

import pytest

from agents.ceo import triage
from agents.routing.joins import one_movement
from agents.routing.openings import opens
from agents.routing.router import Router
from agents.routing.unasked import asks_nothing, others_say, reaches_team, says_of_itself


@pytest.fixture
def router(builtin_router: Router) -> Router:
    return builtin_router  # the session's router (tests/unit/conftest.py)


def teams_of(router: Router, text: str) -> tuple[str, ...]:
    return triage(router, text).plan.teams


@pytest.mark.parametrize("clause", [
    "ignore that part, Dana is rewriting it anyway",
    "skip it for now",
    "Not a sales pitch please",
    "no code change should be needed",
    "want them for the quarterly investor letter",
    "need it for my board deck",
    "fix ETA is friday",
    "use the numbers from the finance sheet",
    "use those as examples",
    "the FAQ itself will get updated some other time",
])
def test_clauses_that_order_nothing(clause: str) -> None:
    assert asks_nothing(clause, clause)


@pytest.mark.parametrize("clause", [
    "fix the export",
    "use it in the launch campaign",
    "then use it as the attachment for the proposal",
    "want a landing page for the webinar",
    "deploy the hotfix",
])
def test_orders_still_order(clause: str) -> None:
    assert not asks_nothing(clause, clause)


def test_what_reaches_a_team_is_no_work_for_it() -> None:
    agents = {"support": "support", "sales": "sales"}
    assert reaches_team("Support gets complaints that invoices arrive twice", agents)
    assert reaches_team("every week support gets some angry emails about the app", agents)
    assert not reaches_team("Support gets back to her today", agents)
    assert not reaches_team("the designers get complaints", agents)


def test_a_part_with_its_own_subject_and_verb() -> None:
    assert says_of_itself("a lot of the new subscribers are asking where to start")
    assert says_of_itself("the docs are missing a section")
    assert not says_of_itself("a landing page that is converting")
    assert not says_of_itself("a short FAQ")


def test_what_others_say_or_already_do() -> None:
    assert others_say("Customers keep asking about refunds in the inbox")
    assert others_say("harbor couriers says the map freezes every evening")
    assert others_say("Tomasz is already on the bug")
    assert others_say("our members have been complaining that the app logs them out")
    assert not others_say("The pricing page still says 2023")
    assert not others_say("I said we would")


def test_particles_after_and_are_one_movement() -> None:
    assert one_movement("and", "when they log out", "back in (twice today)")
    assert one_movement("and", "log in", "out again, and the cart is empty")
    assert not one_movement("and", "fix it", "a help article about it")
    # a "then" inside a relative clause: what the founder does with the work afterwards
    assert one_movement("then", "3-4 messaging pillars, which we ", "use in the sales deck")
    assert not one_movement("then", "write the guide, ", "share it in the newsletter")


def test_an_opening_that_reports_results_is_no_deliverable() -> None:
    assert not opens("The podcast ad in March brought us 90 trials", item=False)
    assert not opens("A review from Oak Lane Clinic reports that reminders arrive twice", item=False)
    assert opens("Landing page for the spring retreat", item=False)


@pytest.mark.parametrize(("text", "team"), [
    ("The podcast ad in March brought us 90 trials from Texas, wow! For the April newsletter I need the main article "
     "telling how we got started in Texas, personal from me. Not a sales text please.", "content"),
    ("Write a script that exports every finished workout from last month to csv, want them for the year-in-review "
     "post.", "code"),
    ("Every week support gets some angry emails about late payouts that maybe come from this code. Write tests for "
     "the payout scheduling logic, coverage there is zero.", "code"),
    ("ticket from Pine & Co: members see the wrong renewal date in the portal. Dev already found the bug, fix ETA "
     "friday. reply so they know it's known + the workaround (check the invoice in stripe)", "support"),
    ("We still keep API keys in plain env files on the build boxes. Ideally they'd move into Vault and get injected "
     "at boot. The app already reads everything from env vars so no code change should be needed.", "devops"),
    ("Reply to the App Store review from the woman who said our recipe card had the oven temperature wrong, be kind, "
     "the card itself will get fixed some other time.", "support"),
    ("Customers have been complaining that their saved filters vanish when they log out and back in (I've replied to "
     "a few already) - can you fix the bug in the filter storage?", "code"),
])
def test_one_team_tasks_stay_one_step(router: Router, text: str, team: str) -> None:
    assert teams_of(router, text) == (team,)


def test_a_then_use_it_handoff_is_still_a_step(router: Router) -> None:
    text = ("Write a two-page overview of our scheduling engine for partners, and then use it as the attachment for "
            "the partnership proposal to Brightwell Clinics.")
    assert set(teams_of(router, text)) == {"content", "sales"}


def test_an_ask_heading_on_its_own_line_holds_the_asks(router: Router) -> None:
    text = ("Context: two clinics asked for reminders by WhatsApp, not just SMS.\n"
            "Ask:\n"
            "1. Build WhatsApp as a reminder channel in the clinic settings.\n"
            "2. Once it's live, announce it: a short email to all clinics and a LinkedIn post.\n"
            "Deadline: end of the month.")
    plan = triage(router, text).plan
    assert set(plan.teams) == {"code", "marketing"}
    assert plan.waits_for("code", "marketing")


def test_a_list_item_led_by_what_it_starts_from_is_an_order(router: Router) -> None:
    text = ("Oakfield's renewal is in six weeks and I want to go in with numbers.\n"
            "1. Write a SQL query against the replica: bookings per month for their account since they joined.\n"
            "2. With those numbers, draft the renewal email to their practice manager proposing the annual plan.")
    plan = triage(router, text).plan
    assert set(plan.teams) == {"code", "sales"}
    assert plan.waits_for("code", "sales")
