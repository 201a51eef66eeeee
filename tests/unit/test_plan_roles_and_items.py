"""Multi-team phrasing read in a later round: roles by their job title, labels and asides inside to-do items,
work fed by what an earlier step finds, and a wanted thing's purpose that is no report.

Each test pins one rule with a text written for this file, and where it matters a near text that must keep
its old reading.
"""

from __future__ import annotations

import pytest

from agents.ceo import Plan, triage
from agents.routing.clauses import split
from agents.routing.lexicon import builtin_settings
from agents.routing.rewrites import handed_to
from agents.routing.router import Router, builtin_team_profiles

VERBS = builtin_settings().action_verbs
AGENTS = {"devs": "code", "ops": "devops", "marketing": "marketing", "sales": "sales", "support": "support",
          "ae": "sales", "cs": "support"}


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(builtin_team_profiles())


def plan_of(router: Router, text: str) -> Plan:
    return triage(router, text).plan


def test_what_a_wanted_thing_is_to_say_and_when_is_no_report(router: Router) -> None:
    plan = plan_of(router, "Need the Helm chart for the new region written and applied, and the data residency page in "
                           "our docs updated to say customer data stays in Frankfurt once that's done.")
    assert set(plan.teams) == {"devops", "content"} and plan.waits_for("devops", "content")
    plan = plan_of(router, "need the referral rewards designed, and then the referral tracking built into the signup "
                           "flow once that's settled")
    assert set(plan.teams) == {"marketing", "code"} and plan.waits_for("marketing", "code")
    plan = plan_of(router, "Our customer asked about SSO and the API limits. Draft her a reply.")
    assert len(plan.teams) == 1  # what she asked shares a verb that asks for nothing


def test_work_that_must_come_first_after_a_but(router: Router) -> None:
    plan = plan_of(router, "Schedule the promo emails for the cooking course, but the first two lessons have to be "
                           "written before anything goes out.")
    assert set(plan.teams) == {"marketing", "content"} and plan.waits_for("content", "marketing")
    plan = plan_of(router, "Schedule the promo emails for the cooking course, but keep them short.")
    assert plan.teams == ("marketing",)


@pytest.mark.parametrize("joined", [", and based on what customers say, ", ". Based on what customers say, ",
                                    ", and based on the results "])
def test_work_fed_by_what_an_earlier_step_finds(router: Router, joined: str) -> None:
    plan = plan_of(router, f"Summarise this month's support tickets about the booking page{joined}rework the homepage "
                           "messaging.")
    assert set(plan.teams) == {"support", "marketing"} and plan.waits_for("support", "marketing")


def test_roles_by_their_job_title(router: Router) -> None:
    plan = plan_of(router, "eng fix the invoice rounding bug, and AE send Northwind the revised quote once it's fixed")
    assert set(plan.teams) == {"code", "sales"} and plan.waits_for("code", "sales")
    assert handed_to("AE pls tell their IT lead the sandbox is ready", VERBS, AGENTS) == (
        "sales", "tell their IT lead the sandbox is ready")
    assert handed_to("CS ask her for the logs", VERBS, AGENTS) == ("support", "ask her for the logs")
    assert handed_to("support tells me it's fine", VERBS, AGENTS) is None  # what a team said
    assert handed_to("devs tell us it works", VERBS, AGENTS) is None
    assert handed_to("marketing wants to know the price", VERBS, AGENTS) is None


def test_an_aside_before_a_to_do_item_keeps_it_an_item_of_its_own(router: Router) -> None:
    plan = plan_of(router, "1. fix the broken size filter on the shop\n2. separately - a banner ad for the summer sale")
    assert set(plan.teams) == {"code", "marketing"}
    assert not plan.waits_for("code", "marketing")  # "separately": side by side, whatever the fallback order


def test_a_label_inside_a_to_do_item_keeps_the_hand_off_after_it(router: Router) -> None:
    plan = plan_of(router, "release prep:\n- write the changelog for 3.1\n- known bug: the PDF export cuts off long "
                           "tables, devs should fix that in parallel")
    assert set(plan.teams) == {"content", "code"}
    plan = plan_of(router, "release prep:\n- write the changelog for 3.1\n- known bug: the PDF export cuts off long "
                           "tables, mention it under known issues")
    assert plan.teams == ("content",)


def test_a_staged_rollout_first_is_no_order_between_steps(router: Router) -> None:
    plan = plan_of(router, "Upgrade the billing service to Django 5 and then roll it out to staging first, with "
                           "production the week after if nothing breaks.")
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("code", "devops")
    plan = plan_of(router, "Write the release notes, but deploy the new search to production first.")
    assert plan.waits_for("devops", "content")  # a plain "first" still puts its step first


def test_before_we_send_puts_the_part_first(router: Router) -> None:
    plan = plan_of(router, "Answer the Brightwater tender questions, and our API docs are stale, so rewrite the "
                           "authentication section before we send anything.")
    assert set(plan.teams) == {"sales", "content"} and plan.waits_for("content", "sales")


def test_a_team_named_alone_before_a_dash_takes_the_item(router: Router) -> None:
    plan = plan_of(router, "launch prep:\n1. backend guy — add CSV export to the reports page\n2. our writer — document "
                           "the export in the help centre once it's in\n3. CS — give a heads up to the five customers "
                           "who asked for it")
    assert set(plan.teams) == {"code", "content", "support"} and plan.waits_for("code", "content")


def test_hand_offs_with_an_adverb_a_question_or_a_dated_thing(router: Router) -> None:
    plan = plan_of(router, "Acme sent a security questionnaire, AE pls fill it out. half the answers depend on our "
                           "backups, so SRE first confirm we have encrypted nightly backups")
    assert set(plan.teams) == {"sales", "devops"} and plan.waits_for("devops", "sales")
    plan = plan_of(router, "our writer: case study on how Lumen cut churn using us. then AE uses it in the follow-ups "
                           "to the leads from last week")
    assert set(plan.teams) == {"content", "sales"} and plan.waits_for("content", "sales")
    assert handed_to("can growth do a newsletter blast", VERBS, {"growth": "marketing"}) == (
        "marketing", "do a newsletter blast")
    assert handed_to("Ops set up a read replica last week", VERBS, AGENTS) is None  # news, not an order
    plan = plan_of(router, "pricing test on the signup page — growth writes the variants + decides what we measure, "
                           "eng wires up the split test in the app")
    assert set(plan.teams) == {"marketing", "code"}


def test_a_condition_without_its_comma_and_how_to_run_the_parts(router: Router) -> None:
    plan = plan_of(router, "the build box cert expired. fix the CI pipeline pls, and once builds go through again fix "
                           "the crash on the settings screen")
    assert set(plan.teams) == {"devops", "code"} and plan.waits_for("devops", "code")
    plan = plan_of(router, "Have the devs add Apple Pay to checkout, and ask ops to move the webhook secrets into the "
                           "secrets manager. Two separate things, do them in parallel.")
    assert set(plan.teams) == {"code", "devops"} and not plan.waits_for("code", "devops")
    plan = plan_of(router, "need the marketing site moved off heroku onto netlify with our domain and https, and while "
                           "that's happening someone rewrite the getting started guide, it's been wrong since v3")
    assert set(plan.teams) == {"devops", "content"} and not plan.waits_for("devops", "content")


def test_a_team_word_before_a_noun_is_no_hand_off(router: Router) -> None:
    plan = plan_of(router, "Set up SPF and DKIM for our domain so marketing emails stop landing in spam.")
    assert plan.teams == ("devops",)
    assert handed_to("marketing emails the list on friday", VERBS, AGENTS) == ("marketing", "email the list on friday")


@pytest.mark.parametrize("text, first, then", [
    ("The cert on our shop expired and checkout is down. Renew it, and once the store is back up, email the customers "
     "who wrote in about failed orders with an apology.", "devops", "support"),
    ("Once the devs finish the Outlook calendar sync, announce it in this month's newsletter.", "code", "marketing"),
    ("the backups haven't run since tuesday. ask ops to fix the backup job, and once backups are confirmed working "
     "email the enterprise customers that their data is safe", "devops", "support"),
])
def test_a_condition_keeps_its_order_and_a_team_in_it_does_its_part(router: Router, text: str, first: str,
                                                                     then: str) -> None:
    plan = plan_of(router, text)
    assert set(plan.teams) == {first, then} and plan.waits_for(first, then)


def test_what_is_news_scope_or_one_question_makes_no_step(router: Router) -> None:
    plan = plan_of(router, "The devs ship multiplayer mode on the 14th. Plan the launch: a Product Hunt post, a TikTok "
                           "teaser schedule for the two weeks before, and a press release for gaming sites.")
    assert plan.teams == ("marketing",)
    plan = plan_of(router, "The devs ship the new API on friday, then support tells the beta customers.")
    assert set(plan.teams) == {"code", "support"} and plan.waits_for("code", "support")  # a sequence, not news
    plan = plan_of(router, "newsletter article for april: recap of what we shipped (offline mode, faster sync) + a "
                           "short piece on the customer meetup. just the article, marketing handles the send")
    assert plan.teams == ("content",)
    clauses, _ = split("could you check the proration logic and whether refunds and plan downgrades are handled "
                       "correctly?", VERBS, agents=AGENTS)
    assert [c.request for c in clauses] == [True]


def test_the_parts_of_what_is_needed_and_what_it_is_made_from(router: Router) -> None:
    clauses, _ = split("Need a referral program for the climbing gym: the referral feature built into the app, the "
                       "messaging for it, and a pitch to our partner gyms to co-promote it.", VERBS, agents=AGENTS)
    assert clauses[0].title and sum(c.request for c in clauses) == 3
    plan = plan_of(router, "Need release notes for 2.4 from this changelog: dark mode, CSV import, faster search")
    assert plan.teams == ("content",)  # what the notes are made from, not work for the devs


@pytest.mark.parametrize("text, first, then", [
    ("write a how-to for the new bulk edit feature but like the dev has to actually finish bulk edit first lol",
     "code", "content"),
    ("i wanna test the pricing headline so whoever does marketing comes up with a few variants and once we have "
     "those the dev wires up the split test", "marketing", "code"),
    ("i want a blog post about how we halved our cloud bill but before the writer starts on it our ops person should "
     "pull the real numbers", "devops", "content"),
])
def test_dictated_hand_offs_without_commas(router: Router, text: str, first: str, then: str) -> None:
    plan = plan_of(router, text)
    assert set(plan.teams) == {first, then} and plan.waits_for(first, then)


def test_bullets_under_notes_are_material_and_a_before_needs_its_comma(router: Router) -> None:
    plan = plan_of(router, "Notes from the planning call:\n- marketing will do the launch email\n- sales will ping the "
                           "three pilot customers\n\nMy part: add the annual plan to the billing code.")
    assert len(plan.teams) == 1  # what others will do, written down, is no step of this task
    plan = plan_of(router, "Write the launch post, but before the devs merge it check the copy")
    assert plan.teams == ("marketing",)


def test_what_introduces_the_work_is_no_step(router: Router) -> None:
    plan = plan_of(router, "oh and two separate things, our sales guy follows up with the clinics from the conference "
                           "with quotes and the support folks help the clinic in leeds that can't log in")
    assert set(plan.teams) == {"sales", "support"}
    plan = plan_of(router, "Trade fair next month. The attendee list is in the shared drive. Get marketing to write the "
                           "booth messaging and have sales book meetings with the attendees on our list.")
    assert set(plan.teams) == {"marketing", "sales"}
    plan = plan_of(router, "Two blog posts about our hiring story")
    assert plan.teams == ("content",)


@pytest.mark.parametrize("text", [
    "Write the 2.4 release notes from this changelog:\n- dark mode\n- CSV import\n- faster search",
    "Renewal call with Hartley Foods on Thursday. Their ticket history:\n- Feb: sync failed\n- May: slow reports\n\n"
    "Prep me for the call.",
])
def test_bullets_the_work_reads_from_are_no_fan_out(router: Router, text: str) -> None:
    plan = plan_of(router, text)
    assert plan.shape == "single" and len(plan.steps) == 1


def test_bullets_of_pieces_still_fan_out(router: Router) -> None:
    plan = plan_of(router, "Blog posts for this month:\n- pricing explained\n- how we built sync")
    assert plan.shape == "fanout" and len(plan.steps) == 2


@pytest.mark.parametrize("text, first, then", [
    ("renewal for the clinic group is due in 3 wks, prep the renewal proposal. b4 that someone needs to write a sql "
     "query for their usage numbers per location", "code", "sales"),
    ("Ask Priya (our devops contractor) to move the database to Frankfurt, and have Tom on the dev side update the "
     "retry logic in the app after she's done.", "devops", "code"),
    ("Ops: move the docs site to Cloudflare Pages.\nContent: rewrite the outdated Getting started section before the "
     "move happens.", "content", "devops"),
    ("Announce the new Zapier integration on our socials. It's not finished yet though, so the devs need to complete "
     "the OAuth flow and the three triggers first.", "code", "marketing"),
    ("any chance marketing could write up personas for the agency tier, and after that sales builds a lead list that "
     "matches them?", "marketing", "sales"),
    ("Step 1: Pull a list of 40 heads of operations at 3PL warehouses.\nStep 2: Write a cold email sequence to them.\n"
     "Step 3: Once the sequence is drafted, the landing page the emails link to needs copy: headline, benefits, CTA.",
     "sales", "marketing"),
    ("Asks:\n1. Deploy the sync to production behind the feature flag.\n2. After 1, write the help-center article "
     "explaining how to connect a store.", "devops", "content"),
])
def test_order_in_shorthand_labels_and_numbered_steps(router: Router, text: str, first: str, then: str) -> None:
    plan = plan_of(router, text)
    assert set(plan.teams) == {first, then} and plan.waits_for(first, then)


def test_a_team_addressed_by_name_and_what_the_asks_serve(router: Router) -> None:
    plan = plan_of(router, "About yesterday's outage: ops, please write the postmortem with the timeline. Support, "
                           "send the apology to affected customers with a credit.")
    assert set(plan.teams) == {"devops", "support"}
    clauses, _ = split("Goal: get the new Shopify sync out this week.\nAsks:\n1. Deploy it to production.", VERBS,
                       agents=AGENTS)
    assert [c.bare for c in clauses if c.request] == ["Deploy it to production"]


def test_a_condition_before_a_colon_and_a_line_labelled_with_a_team(router: Router) -> None:
    plan = plan_of(router, "v2 of the app is ready. Once ops has the new API live in prod: content writes the release "
                           "notes and marketing does the app store copy.")
    assert set(plan.teams) == {"devops", "content", "marketing"}
    assert plan.waits_for("devops", "content") and plan.waits_for("devops", "marketing")
    clauses, _ = split("sales: go through the attendee list and send personal follow-ups to the 30 people who asked "
                       "questions", VERBS, agents=AGENTS)
    assert [c.agent for c in clauses if c.request] == ["sales", "sales"]


def test_one_hand_off_with_two_verbs(router: Router) -> None:
    plan = plan_of(router, "Fill out the security questionnaire, but before we submit it, have ops turn on encryption "
                           "at rest for the database and enable audit logging.")
    assert set(plan.teams) == {"sales", "devops"} and plan.waits_for("devops", "sales")
    plan = plan_of(router, "have the devs fix the export bug and tell the customer")
    assert set(plan.teams) == {"code", "support"}  # telling someone is no more of the devs' work


def test_notes_heads_and_another_teams_part_make_no_step(router: Router) -> None:
    plan = plan_of(router, "Meeting notes:\n- devs ship dark mode next Tuesday\n- ops has scaled up the servers\n\nPlan "
                           "the Product Hunt launch: tagline, description and maker comment.")
    assert plan.teams == ("marketing",)
    plan = plan_of(router, "Write the script for a 3-minute YouTube tutorial on reconciling a bank feed. Marketing will "
                           "cut it into shorts and run the channel, that part isn't yours.")
    assert plan.teams == ("content",)
