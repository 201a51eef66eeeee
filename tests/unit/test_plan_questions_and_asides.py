"""Requests asked as questions, steps said with "we", and asides that are no work for another team.

A founder asks "how hard would it be to ...?" and means "please do it"; says "and then we turn those into a FAQ"
for the next step; and mentions other teams in passing ("Marta from the dev team can explain details", "support
gets ten tickets a week about it"), in forwarded emails, or in quotes for a press release. Each test pins a rule
with texts written for this file.
"""

from __future__ import annotations

import pytest

from agents.routing.clauses import split
from agents.routing.router import Router
from tests.support.planning import VERBS, plan_of, requests


@pytest.mark.parametrize(("text", "asked"), [
    ("How hard would it be to add a dark theme to the reader app?", "add a dark theme to the reader app"),
    ("how long would it take to move the image uploads to a CDN", "move the image uploads to a CDN"),
    ("what would it take to get receipts emailed after checkout?", "email receipts after checkout"),
    ("do we have a way to export every invoice from March as one zip?", "export every invoice from March as one zip"),
    ("is there any chance we pitch the yearly plan to the three cafes?", "pitch the yearly plan to the three cafes"),
])
def test_a_question_about_doing_something_asks_for_it(text: str, asked: str) -> None:
    assert requests(text) == [asked]


def test_questions_with_two_pieces_of_work_make_two_steps(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "How hard would it be to set up uptime alerts for the booking API? And "
                                   "separately, we need a help page explaining what the status colours mean.")
    assert set(plan.teams) == {"devops", "content"}
    plan = plan_of(builtin_router, "Could someone reply to the gym owner today so she knows we're on it, and could "
                                   "we actually dig into the sync bug too?")
    assert set(plan.teams) == {"support", "code"}


def test_a_next_step_said_with_we_or_i_is_an_order(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Wondering if support could go through last month's tickets and pull out the ten "
                                   "most common questions, and then we turn those into an FAQ page in the docs.")
    assert [s.team for s in plan.steps] == ["support", "content"]
    assert plan.steps[1].depends_on == (plan.steps[0].key,)
    # not a next step: what the founder wants to do is what we know, no order
    assert requests("I want to launch the loyalty scheme in May. Write the announcement email.") == [
        "Write the announcement email"]


def test_after_as_afterwards_orders_the_next_step(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "The CSV import breaks on names with accents. Please fix this and after answer "
                                   "the two customers who wrote us about it.")
    assert [s.team for s in plan.steps] == ["code", "support"]
    assert plan.steps[1].depends_on == (plan.steps[0].key,)


@pytest.mark.parametrize("text", [
    # a team that can tell you more is no step of its own
    "Blog article about our new audit log please, about 1000 words. Tomas from the dev team can explain details if "
    "you need.",
    "Fill in the vendor questionnaire from Halden Bank, our ops guy can confirm the technical details later.",
    # what a team gets as a rule
    "Could we add a 'copy link' button to the share dialog? Support gets about twenty tickets a week asking how.",
    # a bare order on the problem just stated, whoever spotted it
    "the checkout button double-charges on slow connections, can someone look at it? marketing spotted it in the "
    "ad reports",
    # a check on the work just asked for
    "Code review please for the rate limiter PR. Check it doesn't block paying accounts when traffic spikes.",
    # quotes in a press release
    "Write the press release about the Harbour Foods partnership. Quote from me + a quote from their CEO.",
    # where the material comes from
    "Play Store listing copy for 3.0 please. Release notes from the devs below, but the listing should sell.\n\n"
    "> 3.0: offline mode, new widgets, fixed login crash",
    # a topic said with "explains how", and "a new one" of the thing just named
    "Write an internal guide that explains how our support, sales and engineering people hand work over.",
    "Our mail API key leaked in a public repo. Revoke it, issue a new one and update it on the servers.",
    # a single bullet is one note, read as written
    "- a vet clinic reported the export times out, support already replied to her. make the export stream instead",
])
def test_asides_about_other_teams_make_no_plan(builtin_router: Router, text: str) -> None:
    plan = plan_of(builtin_router, text)
    assert len(set(plan.teams)) == 1, [(s.team, s.text) for s in plan.steps]


def test_a_forwarded_email_is_material_up_to_its_rule() -> None:
    text = ("Begin forwarded message:\n\nFrom: Ines Ruiz <ines@ruiz-partners.es>\nSubject: Spanish docs\n\n"
            "Hi, our clients want the setup guide in Spanish. Can you help?\nInes\n\n---\n"
            "Translate the setup guide into Spanish for Ines.")
    clauses, store = split(text, VERBS)
    asked = [c.bare for c in clauses if c.request]
    assert asked == ["Translate the setup guide into Spanish for Ines"]
    assert any("Can you help?" in s for s in store)  # the customer's question is what the work reads, kept whole


def test_a_quoted_title_after_a_colon_names_the_one_thing_asked_for() -> None:
    asked = requests("We need a real tutorial: 'How to send form answers to your board with Zapier', step by step, "
                     "with placeholders for screenshots.")
    assert len(asked) == 1 and "real tutorial" in asked[0]


@pytest.mark.parametrize("text", [
    # what a review looks at is the review
    "code review pls: Tom's PR adds partial refunds. check the webhook retries and whether the totals round right",
    # a pasted diff is material, whatever its comments say
    "review this diff before I merge it:\n\n+ def upload(path):\n+     # TODO: ops needs to set BUCKET in prod\n"
    "+     return s3.put(os.environ['BUCKET'], path)",
    # the bullets under an order's head are what it reads, a blank line between or not
    "Changelog for 5.2 from the eng channel:\n\n- New: bulk edit\n- Infra: moved workers to the new cluster\n\n"
    "Write the customer-facing release notes for this. Leave the infra line out.",
    "Turn Priya's rough notes into an internal doc on how we handle refunds:\n- refund within 14 days\n"
    "- chargebacks: escalate to me",
    "Write the release notes for 2.9. Here's what got merged:\n- fixed the timezone bug\n- new webhook for refunds\n"
    "- deploy pipeline moved to GitHub Actions",
    # what is said of a team, a person or customers
    "How do Acuity and Calendly price their team plans? Sales gets asked about it on calls.",
    "Marek runs a small IT shop in Gdansk and wants to resell our backup app. Draft reseller terms and a reply to him.",
    "Write the sunset article for the legacy Mac agent. Customers should move to the new installer by June.",
    "A help article on connecting a Stripe account, the feature Omar finished yesterday.",
    # a sent thing and a compound noun open no order
    "Email from Ruth at Greenway:\n\n\"Our export is broken since Monday.\"\n\nthe devs are on it. reply to Ruth and explain.",
    "Release notes for 3.0 are already done by the docs team, pasting them below.\n\n- offline mode\n- new widgets\n\n"
    "Write three social posts announcing 3.0.",
])
def test_what_the_work_reads_makes_no_plan(builtin_router: Router, text: str) -> None:
    plan = plan_of(builtin_router, text)
    assert len(set(plan.teams)) == 1, [(s.team, s.text) for s in plan.steps]


def test_lists_and_states_that_ask_for_several_pieces(builtin_router: Router) -> None:
    # an Oxford list of things after an order
    plan = plan_of(builtin_router, "add bulk discount pricing to the store, a help article on how it works, and a "
                                   "facebook ad for it")
    assert set(plan.teams) == {"code", "content", "marketing"}
    # built and live: made, then deployed
    plan = plan_of(builtin_router, "can we get the loyalty feature built and live on the site before May, and then "
                                   "a social calendar announcing it?")
    assert [s.team for s in plan.steps] == ["code", "devops", "marketing"]
    assert requests("the code's all done and live, I just need the docs") == ["get the docs"] or \
        "deploy" not in " ".join(requests("the code's all done and live, I just need the docs"))
    # a redeploy after a comma is an order of its own
    assert requests("fix it, redeploy, and after it's live reply to the tickets")[:2] == ["fix it", "redeploy"]


@pytest.mark.parametrize(("text", "asked"), [
    ("it might be nice to have a proper setup guide for the plugin", "get a proper setup guide for the plugin"),
    ("could that bug be looked at too?", "look at that bug too"),
    ("nobody has replied to the nine app store reviews yet", "reply to the nine app store reviews yet"),
])
def test_polite_and_indirect_requests_are_orders(text: str, asked: str) -> None:
    assert requests(text) == [asked]


def test_a_problem_and_a_polite_ask_make_two_steps(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "nobody has replied to the play store reviews about the sync crash. the crash "
                                   "itself needs fixing too obviously")
    assert set(plan.teams) == {"support", "code"}
    # what the devs just shipped is news, not work
    assert len(set(plan_of(builtin_router, "follow up with Dana at Corbin Freight, maybe mention the integrations "
                                           "the devs just shipped").teams)) == 1
