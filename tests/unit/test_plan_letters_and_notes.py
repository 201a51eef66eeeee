"""Tasks written as letters and meeting notes, and a few hedged or clipped ways of asking.

Each test pins one reading with a text written for this file (agents/routing/letters.py, outline.py's
meeting sections, connectives.py, text.py, grammar.py's polite leads, and ceo.triage's shapes).
"""

from __future__ import annotations

import pytest

from agents.ceo import Plan, triage
from agents.routing.letters import letter_unwrapped
from agents.routing.outline import meeting_sections
from agents.routing.router import Router
from agents.routing.text import expand_shorthand
from agents.routing.asides import USES_MADE
from agents.routing.waits import ONLY_CONDITION

AGENTS = {name: name for name in ("content", "code", "devops", "marketing", "sales", "support")}


@pytest.fixture
def router(builtin_router: Router) -> Router:
    return builtin_router  # the session's router (tests/unit/conftest.py)


def plan_of(router: Router, text: str) -> Plan:
    return triage(router, text).plan


# -- letters ----------------------------------------------------------------------------------------------


def test_a_letters_greeting_and_sign_off_go_and_the_rest_stays() -> None:
    letter = "Hey all,\n\nPlease rebuild the pricing page.\n\nThanks!\n— Maya"
    assert letter_unwrapped(letter) == "Please rebuild the pricing page."
    assert letter_unwrapped("Hi Sam,\nfix the export\nCheers\nSam") == "fix the export"
    assert letter_unwrapped("hi can you fix the login") == "can you fix the login"
    # only whole lines sign off; a capitalised "Best" that names work stays
    for kept in ("Thanks for the fix, now write the post", "Best practices doc for the API", "Hey fix the login, it is broken"):
        assert letter_unwrapped(kept) == kept
    # what is forwarded below the sign-off stays, for the pasted-material reader
    forwarded = "answer him please\nThanks! — Maya\n\n---------- Forwarded message\nFrom: Bob\nwhere is my refund"
    assert letter_unwrapped(forwarded) == "answer him please\n\n---------- Forwarded message\nFrom: Bob\nwhere is my refund"
    assert letter_unwrapped("Best,\nMaya") == "Best,\nMaya"  # nothing but a sign-off: left as written


def test_a_letter_plans_its_asks_and_no_step_carries_the_sign_off(router: Router) -> None:
    plan = plan_of(router, "Hey all,\n\nReferrals: let's finally build the invite-a-friend flow in the app. "
                           "Then a few social posts announcing it.\n\nThanks!\n— Maya")
    assert set(plan.teams) == {"code", "marketing"}
    assert plan.waits_for("code", "marketing")
    assert not any("Maya" in step.text or "Hey all" in step.text for step in plan.steps)


# -- meeting notes ----------------------------------------------------------------------------------------


NOTES = ("Notes from Monday sync\nAttendees: DK, RS, me\nDecisions:\n- the tax engine gets pulled out of the monolith\n"
         "Action items:\n- refactor the tax engine into its own service with its own API. Owner: ?\n"
         "- when thats done: Dockerfile, k8s deployment, wire it into the CI pipeline. Owner: RS\nNext: DK estimate by wed")


def test_meeting_notes_keep_decisions_as_notes_and_action_items_as_the_list() -> None:
    text = meeting_sections(NOTES, AGENTS)
    notes, items = text.split("Action items:")
    assert "Attendees" not in text and "Owner" not in text and "estimate by wed" not in text
    assert notes.startswith("Notes from the meeting:") and "- the tax engine gets pulled out" in notes
    assert items.strip().splitlines() == ["- refactor the tax engine into its own service with its own API",
                                          "- when thats done: Dockerfile, k8s deployment, wire it into the CI pipeline"]
    # an owner who is a team stays whose the item is
    assert "Who: content" in meeting_sections("Action items:\n- the help article. Owner: content", AGENTS)
    plain = "fix the export\nthen tell the customers"
    assert meeting_sections(plain, AGENTS) == plain


def test_meeting_notes_plan_the_action_items_in_their_order(router: Router) -> None:
    plan = plan_of(router, NOTES)
    assert set(plan.teams) == {"code", "devops"}
    assert plan.waits_for("code", "devops")
    assert not any("Owner" in step.text or "Attendees" in step.text for step in plan.steps)


def test_when_thats_done_with_a_colon_is_a_wait(router: Router) -> None:
    plan = plan_of(router, "refactor tax calc into its own service. when thats done: Dockerfile, k8s deployment, "
                           "wire it into the CI pipeline")
    assert set(plan.teams) == {"code", "devops"}
    assert plan.waits_for("code", "devops")
    plan = plan_of(router, "build the referral tracking. once that's live: a help article on how referrals work")
    assert set(plan.teams) == {"code", "content"}
    assert plan.waits_for("code", "content")


# -- clipped and hedged asks ------------------------------------------------------------------------------


def test_a_bare_please_fix_is_an_order_on_the_report_before_it(router: Router) -> None:
    assert expand_shorthand("the sync double counts runs. pls fix, members are mad") == \
        "the sync double counts runs. please fix it, members are mad"
    assert expand_shorthand("it chokes on a BOM. fix") == "it chokes on a BOM. fix it"
    assert expand_shorthand("ship the bug fix.") == "ship the bug fix."  # a noun, no order
    plan = plan_of(router, "the Garmin sync double counts runs when a member edits a workout. pls fix, "
                           "coaches see twice the mileage\nstaging has had no db backup since march, "
                           "set up nightly backups for it")
    assert set(plan.teams) == {"code", "devops"}


def test_it_might_make_sense_to_is_an_order(router: Router) -> None:
    plan = plan_of(router, "It might make sense to do a short segment research brief first, and then off the "
                           "back of that build a list of 40 named companies and draft first-touch emails to them.")
    assert set(plan.teams) == {"marketing", "sales"}
    assert plan.waits_for("marketing", "sales")
    plan = plan_of(router, "It probably makes sense to finish the export properly, with tests. Ideally someone "
                           "would then write a short help article on it.")
    assert set(plan.teams) == {"code", "content"}
    assert plan.waits_for("code", "content")


def test_a_check_word_in_another_teams_work_does_not_make_a_one_team_review(router: Router) -> None:
    plan = plan_of(router, "We bought the new domain. It needs DNS, certs and 301 redirects from every old URL. "
                           "Once the switch is done and the redirects are verified, announce it with a LinkedIn "
                           "post and a short email to the list.")
    assert plan.shape != "verify"
    assert set(plan.teams) == {"devops", "marketing"}
    assert plan.waits_for("devops", "marketing")
    assert plan_of(router, "Write a blog post about our release and have it reviewed").shape == "verify"


def test_a_condition_on_work_done_is_no_spot_for_a_team(router: Router) -> None:
    for condition in ("And when it's fixed", "and if it's live before mid-November", "once the redirects are verified",
                      "When that is done"):
        assert ONLY_CONDITION.match(condition), condition
    for order in ("when it's fixed, tell the customers", "if the page is live, post it", "after the outage"):
        assert not ONLY_CONDITION.match(order), order
    text = ("Since Monday the visit confirmation emails go to spam for Gmail users. Can you check SPF/DKIM/DMARC of "
            "our sending domain? And when it's fixed, tell the customers who complained that it's solved.")
    task = router.planned(text).task
    assert task is not None and task.clauses
    assert not any(c.text.strip().startswith("And when") for c in task.clauses)  # the finder's spots come from these
    plan = plan_of(router, text)
    assert set(plan.teams) == {"devops", "support"}
    assert plan.waits_for("devops", "support")


def test_work_that_reads_something_already_made_asks_nothing_of_its_maker(router: Router) -> None:
    for reads in ("Using the persona document that marketing did (small agencies, owner-led), build me a lead list",
                  "use the personas from last months messaging doc to pick the titles",
                  "based on the deck we already have, draft the proposal"):
        assert USES_MADE.match(reads), reads
    for order in ("use the guide in the LinkedIn campaign", "using the new API, build the widget"):
        assert not USES_MADE.match(order), order
    plan = plan_of(router, "Using the persona document that marketing did (small agencies of 5-20 agents, the owner "
                           "is also the top seller), build me a lead list of 50 agencies in Madrid with the owner's "
                           "name and LinkedIn")
    assert plan.teams == ("sales",)


def test_going_after_a_market_is_no_wait(router: Router) -> None:
    assert expand_shorthand("Before we go after corporate wellness I want personas") == \
        "Before we pursue corporate wellness I want personas"
    assert expand_shorthand("we go after the launch") == "we go after the launch"  # a time: stays
    plan = plan_of(router, "Before we go after corporate wellness seriously I want personas for the buyers. Then use "
                           "those personas to build a target list of 40 named companies.")
    assert set(plan.teams) == {"marketing", "sales"}
    assert plan.waits_for("marketing", "sales") and not plan.waits_for("sales", "marketing")


def test_the_head_of_meeting_notes_is_no_spot_for_a_team(router: Router) -> None:
    text = ("Notes: the CFO at Harbor Freight Co wants our uptime history and DR plan for their procurement review.\n"
            "Action items:\n- pull the last 12 months of uptime and write up the DR runbook\n"
            "- (unrelated) sort out Harbor's payroll admin, she's locked out since the password reset")
    task = router.planned(text).task
    assert task is not None
    assert not any(c.bare.startswith("Notes from the meeting") for c in task.clauses)
    assert set(plan_of(router, text).teams) == {"devops", "support"}  # no sales step made of the notes
