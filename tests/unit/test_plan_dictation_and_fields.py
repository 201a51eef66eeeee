"""Dictated run-ons, structured briefs and polite passives.

A founder dictating a voice memo runs the orders into the story ("... since this morning check the servers"); a
founder writing a ticket puts the work under "Description:" and "Deliverables:"; a polite founder says "the
Terraform could be cleaned up". Each test pins a rule with texts written for this file.
"""

from __future__ import annotations

import pytest

from agents.routing.clauses import split
from agents.routing.context import reports
from agents.routing.openings import opening_like_dropped
from agents.routing.passives import needs_done
from agents.routing.router import Router
from agents.routing.runons import run_ons_as_said
from tests.support.planning import VERBS, plan_of, requests


@pytest.mark.parametrize(("text", "cut"), [
    ("the booking page has been down since this morning check the load balancer", "this morning, check"),
    ("we are moving the menu from paper to online build the ordering form", "online, build"),
    ("the clinic gets twelve no shows a week I want a reminder text built", "a week, I want"),
    ("so the autumn launch I want a positioning doc first", "launch, I want"),
])
def test_a_dictated_order_starts_where_its_verb_acts_on_a_thing(text: str, cut: str) -> None:
    assert cut in run_ons_as_said(text, VERBS)


@pytest.mark.parametrize("text", [
    "the landing page copy the team wrote is fine",  # "copy" is a noun after "page"
    "the county library system put out an RFP for room booking",  # a past tense said of the words before it
    "the devs already set the discount up in checkout",  # said of someone
    "they asked for a discount in exchange for letting us publish a case study",  # "us publish": one clause
    "and then from the top three make the messaging for the campaign",  # the words before lead into the order
    "the cafes I want to reach are all in Porto",  # a thing the wish describes
    "the week after launch I want a tutorial on the blog",  # a time, not a topic
])
def test_no_run_on_where_the_verb_belongs_to_the_words_before(text: str) -> None:
    assert run_ons_as_said(text, VERBS) == text


def test_dictated_orders_make_a_plan(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "okay so the makers keep asking for a bulk upload for their listings build that and "
                                   "then write up a help page on how to fill in the template")
    assert [s.team for s in plan.steps] == ["code", "content"]
    plan = plan_of(builtin_router, "like write the setup guide for the new thermostat then tweet it out")
    assert [s.team for s in plan.steps] == ["content", "marketing"]


def test_a_spoken_like_opens_an_order_only_at_the_start() -> None:
    assert opening_like_dropped("like write the onboarding guide") == "write the onboarding guide"
    assert opening_like_dropped("so like fix the export") == "so fix the export"
    assert opening_like_dropped("like the last post, keep it short") == "like the last post, keep it short"


@pytest.mark.parametrize(("text", "teams"), [
    ("Goal: spring push for the tea shop\nDeliverables:\n- three Instagram ads for the new blends\n"
     "- a gift-card option in the checkout\nTimeline: both by March 1", {"marketing", "code"}),
    ("Ticket: SSO for the Ostrava account\n\nDescription: they won't renew without Azure AD login. Build it. When it "
     "works, send their IT lead an email offering a call.\n\nAC: login works end to end", {"code", "sales"}),
    ("Context: we sell used e-bikes in Lyon.\nSteps:\n1. a Google Ads campaign for Lyon and Grenoble\n"
     "2. a lead list of 30 bike shops for wholesale", {"marketing", "sales"}),
])
def test_labelled_fields_are_no_chat_and_deliverables_are_the_work(builtin_router: Router, text: str,
                                                                   teams: set[str]) -> None:
    assert set(plan_of(builtin_router, text).teams) == teams


def test_steps_to_reproduce_stay_material(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Bug: the export button does nothing on Safari.\nSteps to reproduce:\n"
                                   "- open the report page\n- click export\nPlease fix it.")
    assert plan.teams == ("code",)


def test_a_chat_handle_names_the_team(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "@devs add the CSV export to the reports page, the Hollis account keeps asking. "
                                   "once it's out pls follow up with their finance lead about the upgrade")
    assert [s.team for s in plan.steps] == ["code", "sales"]
    assert plan.steps[1].depends_on == (plan.steps[0].key,)


@pytest.mark.parametrize(("text", "teams"), [
    ("need the renewal quote for the Dunmore clinics by thursday. also separate thing: a short explainer on how "
     "the reminders work for the help centre", {"sales", "content"}),
    ("answer the three refund emails in the inbox pls. diff thing: notes for my pitch to the hotel group next week",
     {"support", "sales"}),
])
def test_a_separate_thing_label_opens_another_ask(builtin_router: Router, text: str, teams: set[str]) -> None:
    assert set(plan_of(builtin_router, text).teams) == teams


def test_a_noun_phrase_asked_with_please_is_a_request() -> None:
    assert "code review on PR #91 please" in requests("code review on PR #91 (the tax rewrite) pls\n"
                                                      "and someone proofread the pricing page")
    assert requests("release notes for 3.2: faster sync, fixed the login loop. short pls") == ["release notes for 3.2"]


def test_before_that_a_thing_is_wanted_first(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "we're switching the database host on sunday night. before that a blog post "
                                   "with the maintenance window. @devops handle the switch.")
    assert set(plan.teams) == {"content", "devops"}
    assert "first-response time" not in " ".join(requests("Write a script that dumps open tickets to a CSV with tags "
                                                          "and first-response time."))


def test_an_order_on_someones_thing_is_no_news() -> None:
    assert not reports("Restore Carla's deleted project from the backup", {})
    assert reports("Marek fixed the export last night", {})


@pytest.mark.parametrize(("lead", "order"), [
    ("the Terraform for the billing stack could be cleaned up", "clean the Terraform for the billing stack up"),
    ("a case study on how the Leeds gym uses us should probably be written up", None),
    ("the billing code that did it needs looking at", "look at the billing code that did it"),
    ("she should be thanked", "thank her"),
    ("the import tool would need building", None),
    ("the feature needs to actually get built first", "build the feature first"),
])
def test_polite_passives_ask_for_the_work(lead: str, order: str | None) -> None:
    said = needs_done(lead, VERBS)
    assert said is not None
    if order is not None:
        assert said == order


def test_that_needs_looking_at_keeps_what_it_is_about() -> None:
    assert "look at that" in requests("The nightly backups haven't run since Tuesday and that needs looking at.")


def test_polite_asks_make_a_plan(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "The checkout has been throwing 502s since the proxy upgrade. Could that be looked "
                                   "into? And would it be possible to draft an apology to the customers who got "
                                   "errors this morning.")
    assert set(plan.teams) == {"devops", "support"} or set(plan.teams) == {"code", "support"}
    plan = plan_of(builtin_router, "I was wondering if this month's newsletter could have an article on the new "
                                   "booking widget. The widget needs to actually get built first though.")
    assert set(plan.teams) == {"content", "code"}
    plan = plan_of(builtin_router, "I was wondering if we could add gift cards to the shop checkout and get it "
                                   "deployed before December. After it's live it might be nice to send an email "
                                   "campaign to the whole list about it.")
    assert "marketing" in plan.teams


def test_a_number_with_thousands_commas_is_no_list() -> None:
    clauses = split("I need the lead article: about 1,500 words on running 2,000 databases on ZFS.", VERBS)[0]
    assert not any(c.bare.startswith(("500", "000")) for c in clauses)


@pytest.mark.parametrize("text", [
    "Write the newsletter piece on how we roast our beans. Marketing sends the newsletter out, you only need to make "
    "the text.",
    "Users say the dashboard takes a minute to load since Friday. Support is already handling the replies, so don't "
    "worry about that part. What we need is monitoring on the web servers with an alert when pages get slow.",
    "Add a referral link per user on the account page. The campaign around it is theirs and comes later.",
    "Customers write to support since morning that the site is slow. Support handles the customers, from you I need "
    "to find what happened with the servers.",
])
def test_what_another_team_already_does_is_not_this_task(builtin_router: Router, text: str) -> None:
    assert len(plan_of(builtin_router, text).teams) == 1


def test_bullets_a_head_says_the_work_reads_from_are_material(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "release notes v3.1 from these merged PRs:\n- fix the timezone bug in reminders\n"
                                   "- bulk edit for tags\n- drop the old export API\nshort and friendly pls")
    assert plan.teams == ("content",)
