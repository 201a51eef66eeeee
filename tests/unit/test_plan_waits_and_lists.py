"""Orders and lists read in this round: a wait said inside the order's own clause ("don't post it until ops has
deployed it"), "before that have the devs ...", a wait said last ("..., after the feature is ready"), "after this
one" for "then", "is needed that ...", "make three things: a, b, and c", "I'd like X, and Y", a wanted thing with
its own relative clause, "apologise to the folks who emailed" and "ask content for an FAQ page".

Each test pins one rule with a text written for this file and, where it matters, a near text that must keep its
old reading.
"""

from __future__ import annotations

import pytest

from agents.routing.router import Router
from agents.routing.rewrites import waits_inside
from tests.support.planning import VERBS, plan_of, requests

AGENTS = {"ops": "devops", "devs": "code", "support": "support", "marketing": "marketing"}


@pytest.mark.parametrize(("text", "said"), [
    ("Don't tweet about the new API until ops has moved it to the new gateway.",
     "tweet about the new API, but only after ops has moved it to the new gateway."),
    ("email the waitlist only after the devs have shipped the invite flow",
     "email the waitlist, but only after the devs have shipped the invite flow"),
    ("dont start the webinar invites before the devs have fixed the signup form",
     "start the webinar invites, but only after the devs have fixed the signup form"),
    ("hold the refund emails till the payment fix is deployed",
     "hold the refund emails, but only after the payment fix is deployed"),
])
def test_a_wait_inside_the_order_is_said_as_work_first(text: str, said: str) -> None:
    assert waits_inside(text, VERBS, AGENTS) == said


@pytest.mark.parametrize("text", [
    "don't deploy until the tests have passed",  # "pass" is no work a team is asked for
    "keep the banner up until the sale is over",
    "we waited until support had answered everyone",
])
def test_a_wait_on_no_work_stays_as_it_is(text: str) -> None:
    assert waits_inside(text, VERBS, AGENTS) == text


def test_a_wait_inside_the_order_makes_two_steps_in_that_order(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Don't announce the Slack integration on LinkedIn until the devs have fixed the "
                                   "duplicate messages bug.")
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("code", "marketing")


def test_before_that_have_a_team_do_it_comes_first(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "send the renewal quote to Halden Foods, but before that have the devs fix the "
                                   "invoice export")
    assert set(plan.teams) == {"code", "sales"} and plan.waits_for("code", "sales")


def test_a_wait_said_last_holds_the_request_before_it(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "the app needs a dark mode toggle in settings. also: a help article explaining how "
                                   "to switch it on, after the toggle is ready")
    assert set(plan.teams) == {"code", "content"} and plan.waits_for("code", "content")


@pytest.mark.parametrize("text", [
    "Pls fix the rounding in the tax calculation and after this one answer the customer that it is corrected.",
    "fix the rounding in the tax calculation, after this reply to the customer that it is corrected",
])
def test_after_this_one_is_then(builtin_router: Router, text: str) -> None:
    plan = plan_of(builtin_router, text)
    assert set(plan.teams) == {"code", "support"} and plan.waits_for("code", "support")


def test_after_this_week_is_no_order() -> None:
    assert requests("after this week we change the pricing") == []


@pytest.mark.parametrize(("text", "asked"), [
    ("is needed that the shop sends a receipt by email", "make sure that the shop sends a receipt by email"),
    ("Is necessary to reduce our hosting bill", "reduce our hosting bill"),
])
def test_is_needed_that_is_an_order(text: str, asked: str) -> None:
    assert requests(text) == [asked]


def test_make_three_things_then_a_colon_list_is_a_to_do_list(builtin_router: Router) -> None:
    text = ("Please make three things for the launch: a blog article about the new scheduler, the LinkedIn posts for "
            "launch day, and deploy the scheduler to production.")
    assert set(plan_of(builtin_router, text).teams) == {"content", "marketing", "devops"}


def test_a_release_note_list_after_an_order_stays_material() -> None:
    assert requests("Write the release notes for 3.2: offline mode, faster search, new icons") == [
        "Write the release notes for 3.2"]


def test_id_like_a_thing_and_another_thing_are_two_requests() -> None:
    assert requests("I'd like a webhook for new bookings, and partner docs for it with a curl example") == [
        "get a webhook for new bookings", "partner docs for it with a curl example"]


def test_a_wanted_thing_with_its_own_relative_clause_is_an_order() -> None:
    assert requests("Need the staging database restored and the testers who lost their data emailed.") == [
        "restore the staging database", "email the testers who lost their data"]
    # no words between "who" and the participle: the participle is the relative clause's own verb
    assert "complain the customers who" not in requests("fix the bug, and the customers who complained")


def test_how_often_is_no_habit(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "list the five crashes users report most, then the devs fix them in order of how "
                                   "often they happen")
    assert "code" in plan.teams


def test_an_apology_to_the_people_who_wrote_is_a_step(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "the API was down for an hour this morning, find out what happened on the server + "
                                   "apologise to the customers who emailed")
    assert set(plan.teams) == {"devops", "support"}


def test_ask_a_team_for_a_thing_hands_it_over(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Get sales to follow up on the two open quotes, and ask content for a help article "
                                   "on importing contacts.")
    assert set(plan.teams) == {"sales", "content"}


def test_would_it_make_sense_for_a_team_to_is_a_hand_off(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "A bank sent us a 90-question security questionnaire. Would it make sense for ops to "
                                   "check our log retention first, and then for sales to fill it in?")
    assert set(plan.teams) == {"devops", "sales"} and plan.waits_for("devops", "sales")


@pytest.mark.parametrize(("text", "asked"), [
    ("Would someone tidy up the billing FAQ?", "tidy up the billing FAQ"),
    ("also i think we should email all our users about the new invoices", "email all our users about the new invoices"),
    ("Would it be OK to draft the reply to the tender?", "draft the reply to the tender"),
])
def test_more_hedges_are_requests(text: str, asked: str) -> None:
    assert requests(text) == [asked]


@pytest.mark.parametrize(("text", "asked"), [
    ("Client Fernway Foods wants a proposal for the two warehouses", "get a proposal for the two warehouses"),
    ("our investor asked for a one-page memo on churn", "get a one-page memo on churn"),
])
def test_a_relayed_want_is_work_asked_for(text: str, asked: str) -> None:
    assert requests(text) == [asked]


def test_a_relayed_question_is_no_order() -> None:
    assert requests("the customer asked whether we support SSO") == []


def test_a_sprint_list_read_from_is_no_fan_out(builtin_router: Router) -> None:
    text = ("Here's what's in this release:\n* saved searches\n* calendar sync\n* fix for duplicate invoices\n"
            "Deploy it to production tonight, then write the release notes.")
    plan = plan_of(builtin_router, text)
    assert set(plan.teams) == {"devops", "content"} and len(plan.steps) == 2


def test_before_the_thing_waits_for_the_step_about_that_thing(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "get marketing to write 4 ad variants for the meal planner, have the devs add UTM "
                                   "tracking to signup, and ask ops to raise the autoscaling limit before the ads go live")
    assert set(plan.teams) == {"marketing", "code", "devops"}
    assert plan.waits_for("devops", "marketing") and not plan.waits_for("devops", "code")


def test_before_an_event_that_is_no_step_orders_nothing_backwards(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "fix the invoice export bug and deploy it before the release goes out")
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("code", "devops")


def test_before_any_of_it_goes_out_comes_first(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "a carousel for the launch + the launch blog post. make sure the new pricing page "
                                   "is deployed to prod before any of it goes out")
    assert plan.waits_for("devops", "marketing") and plan.waits_for("devops", "content")


def test_a_piece_to_attach_to_it_comes_before(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "The tender from Lindqvist Foods is due Friday. Answer it, and write a short "
                                   "white paper on our cold-chain tracking to attach to it.")
    assert set(plan.teams) == {"sales", "content"} and plan.waits_for("content", "sales")


def test_checking_a_quoted_claim_is_part_of_the_reply(builtin_router: Router) -> None:
    text = ('A member wrote: "You billed me twice for June. Please refund one." Check that\'s right and draft the '
            'reply confirming the refund.')
    assert plan_of(builtin_router, text).teams == ("support",)


def test_get_a_thing_working_is_a_fix(builtin_router: Router) -> None:
    assert requests("but first get the invoice export working again") == ["fix the invoice export"]
    plan = plan_of(builtin_router, "Follow up with the three gyms I demoed to in May, but first get the class export "
                                   "working, all of them asked for it.")
    assert set(plan.teams) == {"code", "sales"} and plan.waits_for("code", "sales")


def test_dont_start_until_the_thing_is_made(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Write the reference docs for the new webhooks, but don't start until the endpoints "
                                   "are finished.")
    assert set(plan.teams) == {"code", "content"} and plan.waits_for("code", "content")


def test_only_after_two_hand_offs_waits_for_both(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Tell the affected shops their label printers work again, but only after the devs "
                                   "fix the print template and ops pushes the new build to every store.")
    assert set(plan.teams) == {"support", "code", "devops"}
    assert plan.waits_for("code", "support") and plan.waits_for("devops", "support")


def test_a_team_before_an_event_waits_for_the_step_about_it(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Orbit Gyms wants a demo next week. Sales, prep the demo and the pricing. Devs, "
                                   "before the demo, add the location switcher to the dashboard. Marketing can write a "
                                   "landing page for gym chains after the demo if it goes well.")
    assert set(plan.teams) == {"sales", "code", "marketing"}
    assert plan.waits_for("code", "sales") and plan.waits_for("sales", "marketing")


def test_a_team_addressed_before_its_order_keeps_it() -> None:
    assert requests("Devs, add the location switcher. Sales, prep the demo.",
                    agents={"devs": "code", "sales": "sales"}) == ["add the location switcher", "prep the demo"]


def test_after_a_team_finishes_it_their_part_comes_first(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Announce the new Zapier integration on LinkedIn, after the devs finish building it.")
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("code", "marketing")


def test_get_a_server_running_is_a_setup() -> None:
    assert requests("Before that, get the demo server running for their trial.") == ["set up the demo server for their trial"]


def test_news_about_a_team_is_no_step_even_when_its_name_is_a_verb(builtin_router: Router) -> None:
    text = ('A customer wrote in: "The stock report ignores the store filter." Support already replied to her, so just '
            'fix the filter.')
    assert plan_of(builtin_router, text).teams == ("code",)


def test_more_news_after_and_is_no_request() -> None:
    assert requests("The writers already did the docs and release notes for the feature.") == []
    assert requests("The devs already fixed the bug and deploy it tonight") == ["deploy it tonight"]


def test_mention_a_thing_names_no_recipient(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Follow up with Priya at Lakeside Yoga, she went quiet after the demo. Keep it short "
                                   "and mention the member app she liked.")
    assert plan.teams == ("sales",)


def test_find_out_why_it_breaks_is_engineering(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Find out why the invoice sync times out, fix it, and reply to everyone who complained.")
    assert set(plan.teams) == {"code", "support"} and plan.waits_for("code", "support")
