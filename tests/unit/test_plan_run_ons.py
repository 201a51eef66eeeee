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


def test_a_slash_between_pieces_of_work_and_a_sentence_led_by_and_a_thing() -> None:
    assert connectives_as_said("tiktok calendar for june / also reply to the angry reviews") == \
        "tiktok calendar for june; also reply to the angry reviews"
    assert connectives_as_said("A / B test the hero on the pricing page") == "A / B test the hero on the pricing page"
    assert connectives_as_said("Write the launch post for the new plan. Also a FAQ page for it.") == \
        "Write the launch post for the new plan, and a FAQ page for it."


def test_work_a_launch_involves_is_a_list_of_orders(builtin_router: Router) -> None:
    said = connectives_as_said("Launching the recipe scanner involves finishing the upload endpoint, deploying it to "
                               "the cluster, and writing a user guide. Thanks!")
    assert said == ("Launching the recipe scanner: Finish the upload endpoint, deploy it to the cluster, and write a "
                    "user guide. Thanks!")
    plan = plan_of(builtin_router, "Launching the recipe scanner involves finishing the upload endpoint, deploying it "
                                   "to the cluster, writing a user guide on good photos and running the launch ads")
    assert set(plan.teams) == {"code", "devops", "content", "marketing"}


def test_a_thing_that_should_go_out_after_a_fix_waits_for_it() -> None:
    assert connectives_as_said("Prepare the press release, which should only go out after the sync service is "
                               "scaled up.") == "Prepare the press release, once the sync service is scaled up."
    assert requests("Prepare the press release for launch day, which should only go out after the pairing service "
                    "has been scaled up") == ["Prepare the press release for launch day",
                                              "scale the pairing service up"]


def test_a_list_of_things_wanted_goes_on_after_an_oxford_comma() -> None:
    assert requests("I need the campaign page copy, a tier picker added to the pre-order page, and DNS plus an SSL "
                    "certificate for the preorder subdomain")[-2:] == [
        "DNS", "an SSL certificate for the preorder subdomain"]


def test_a_team_routine_is_no_hand_off_and_an_adjective_is_no_wanted_participle() -> None:
    agents = {"support": "support", "devs": "code"}
    assert requests("Our support folks answer the same billing question five times a day. Could someone write a "
                    "proper guide for the docs?", agents=agents) == ["write a proper guide for the docs"]
    assert requests("support answer her today, devs fix the sync bug", agents=agents) == [
        "answer her today", "fix the sync bug"]
    assert not any(r.startswith("lapse") for r in requests("The win-back campaign needs a list of lapsed customers"))


def test_an_arrow_before_a_condition_and_an_order_is_a_then() -> None:
    from agents.routing.connectives import arrows_as_then
    assert arrows_as_then("podcast ep 12 script -> once recorded run spotify ads for it", VERBS) == \
        "podcast ep 12 script, then once recorded, run spotify ads for it"
    assert arrows_as_then("zapier → our app → slack", VERBS) == "zapier → our app → slack"


def test_a_clock_time_ends_no_sentence() -> None:
    from agents.routing.text import expand_shorthand
    assert expand_shorthand("the 7 a.m. class was double-booked") == "the 7am class was double-booked"


def test_a_thing_to_be_made_before_the_order_at_the_start_of_a_sentence_is_work_first(builtin_router: Router) -> None:
    assert requests("Once the partner portal is built, write a short guide on how to log in") == [
        "build the partner portal", "write a short guide on how to log in"]
    assert requests("After the timezone bug in the booking reminders is fixed, reply to the clinics who asked")[0] == \
        "fix the timezone bug in the booking reminders"
    assert requests("Once builds go through again, fix the crash") == ["fix the crash"]  # no thing made: a condition
    assert requests("Once that's done, write the release notes") == ["write the release notes"]
    plan = plan_of(builtin_router, "Once the new search page is deployed, write the release notes")
    assert set(plan.teams) == {"devops", "content"} and plan.waits_for("devops", "content")


def test_a_checklist_is_a_to_do_list_and_a_next_step_under_an_item_is_a_step() -> None:
    assert requests("- [ ] upgrade Django to 4.2, fix whatever breaks\n- [ ] disk usage alerts on the worker boxes") == [
        "upgrade Django to 4.2", "fix whatever breaks", "disk usage alerts on the worker boxes"]
    assert requests("- [ ] a troubleshooting guide for the pairing issue\n"
                    "    - [ ] after that: a saved reply linking to it") == [
        "a troubleshooting guide for the pairing issue", "a saved reply linking to it"]
    assert requests("- [ ] a troubleshooting guide for the pairing issue\n    - android 14 only") == [
        "a troubleshooting guide for the pairing issue"]  # a sub-bullet that is no step stays a detail


def test_what_someone_deserves_is_sent_to_them(builtin_router: Router) -> None:
    assert requests("The swimmers who turned up to a full 6 a.m. lane deserve an apology") == [
        "send The swimmers who turned up to a full 6am lane an apology"]
    plan = plan_of(builtin_router, "The swimmers who turned up to a full lane deserve a proper apology, which should "
                                   "go out after the double-booking bug in the booking widget is fixed.")
    assert set(plan.teams) == {"code", "support"} and plan.waits_for("code", "support")
