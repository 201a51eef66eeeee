"""Requests said softly or around material, read in this round: hedged asks ("do you think we could ...",
"it might be worth ..."), a line after a pasted list, "and based on that ...", a "but ... first" with a
chat tail, a part of something just named, and "handle them" after what is waiting.

Each test pins one rule with a text written for this file and, where it matters, a near text that must keep
its old reading.
"""

from __future__ import annotations

import pytest

from agents.routing.clauses import split
from agents.routing.router import Router
from tests.support.planning import VERBS, plan_of, requests


@pytest.mark.parametrize(("text", "asked"), [
    ("do you think we could move the cron jobs to a queue?", "move the cron jobs to a queue"),
    ("I was wondering whether someone could proofread the handbook", "proofread the handbook"),
    ("it'd be great if someone could draft the renewal offer", "draft the renewal offer"),
    ("It might be worth upgrading the image library", "upgrade the image library"),
    ("it might be worth a short post thanking the beta testers", "get a short post thanking the beta testers"),
    ("Would it be possible to look into the slow search?", "look into the slow search"),
])
def test_a_hedged_ask_is_a_request(text: str, asked: str) -> None:
    assert requests(text) == [asked]


def test_a_guess_about_what_could_happen_is_no_request() -> None:
    assert requests("we could lose the account if this drags on") == []
    assert requests("do you think the pricing is too high") == []


def test_hedged_asks_for_two_teams_make_a_plan(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Do you think we could get the export fixed first? And then it might be worth letting "
                           "the customers who asked about it know it works.")
    assert set(plan.teams) == {"code", "support"} and plan.waits_for("code", "support")


def test_a_line_after_a_pasted_list_is_its_own_sentence(builtin_router: Router) -> None:
    text = "Changelog for 4.1:\n- saved filters\n- faster sync\nPlease turn it into release notes and a tweet thread"
    assert requests(text)[-2:] == ["turn it into release notes", "a tweet thread"]
    assert set(plan_of(builtin_router, text).teams) == {"content", "marketing"}


def test_based_on_that_without_its_comma_waits_for_the_finding(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "research what the other two scheduling apps charge and based on that write a comparison "
                           "article for the blog")
    assert set(plan.teams) == {"marketing", "content"} and plan.waits_for("marketing", "content")


def test_but_first_with_a_chat_tail_is_work_first() -> None:
    assert requests("write the setup guide for the widget, but finish building the widget first obv") == [
        "write the setup guide for the widget", "finish building the widget first obv"]


def test_a_part_of_the_thing_just_named_is_a_request_of_its_own(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Handle the refund for Ortiz Dental. Also our terms don't mention the new data processor, "
                           "so rewrite that section of the terms.")
    assert set(plan.teams) == {"support", "content"}


def test_handle_them_after_what_is_waiting_is_a_request() -> None:
    assert requests("We have six refund requests in the inbox, handle them.") == ["handle them"]
    assert requests("Two separate things, do them in parallel") == []


def test_arrows_between_steps_are_then(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "fix the duplicate invoices bug -> deploy -> email the customers who got two invoices")
    assert set(plan.teams) == {"code", "devops", "support"}
    assert plan.waits_for("code", "devops") and plan.waits_for("devops", "support")
    assert requests("write a tutorial, stripe → our app → slack, with screenshots") == [
        "write a tutorial, stripe → our app → slack, with screenshots"]  # a flow of data, no steps


def test_items_numbered_inside_a_line_are_items() -> None:
    assert requests("ok this chat log from the widget. 1) answer her, 2) devs fix the double booking, "
                    "3) then update the booking help page")[-3:] == [
        "answer her", "devs fix the double booking", "update the booking help page"]


def test_items_counted_in_words_are_items(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Three things this week. First, a blog post on the new tax rules. Second, a landing page "
                           "headline test. Third, follow-up emails to the five firms from the webinar.")
    assert set(plan.teams) == {"content", "marketing", "sales"}
    assert requests("Third one like this this week. Refund her.")[0].startswith("Third one")  # no count


def test_the_head_of_a_list_is_its_last_sentence(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Email from our partner below. Plan:\n1. devs build the Xero sync\n2. ops deploy it to "
                           "the EU region\n3. marketing: announce it once it's live")
    assert set(plan.teams) == {"code", "devops", "marketing"}


def test_a_head_over_pasted_lines_asks_nothing() -> None:
    assert requests("app review rejection from google:\n\n> Your listing mentions features the app lacks.\n\n"
                    "rewrite the play store description") == ["rewrite the play store description"]
    assert requests("my accountant's note below. set up nightly backups of the books server\n\n> the README is "
                    "outdated btw") == ["set up nightly backups of the books server"]


def test_make_it_so_names_its_own_thing() -> None:
    clauses = [c for c in split("Send their HR lead a group quote, and make it so the booking page takes one "
                                "payment for the whole group", VERBS)[0] if c.request]
    assert [c.elaborates for c in clauses] == [False, False]


def test_could_be_done_after_a_hedge_is_an_order() -> None:
    assert requests("I was wondering whether the help docs could be translated into Spanish") == [
        "translate the help docs into Spanish"]


def test_dictated_fillers_are_pauses() -> None:
    from agents.routing.text import expand_shorthand

    assert expand_shorthand("add rate limiting and also you know block those IPs") == \
        "add rate limiting and also, block those IPs"
    assert expand_shorthand("ship it tonight no wait actually tomorrow") == "ship it tonight, tomorrow"
    assert expand_shorthand("I'll let you know when it's live") == "I'll let you know when it's live"


def test_somebody_needs_to_starts_a_request_without_a_comma(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "send the roofing company a quote for the team plan and the help docs for the dispatch "
                           "board are still empty somebody needs to write the user guide for that")
    assert set(plan.teams) == {"sales", "content"}


def test_a_thing_named_first_puts_its_part_first(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "write a tutorial on syncing invoices + also build the sample app it walks through. "
                           "app first obviously")
    assert set(plan.teams) == {"content", "code"} and plan.waits_for("code", "content")
    plan = plan_of(builtin_router, "a blog post comparing the two vector stores + the devs add a qdrant adapter to the sdk. "
                           "adapter first so the post can mention it")
    assert plan.waits_for("code", "content")


def test_a_changelog_for_this_week_is_material(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Changelog for the app this week:\n- home screen widgets\n- fixed the sync crash on iPad\n"
                           "Turn this into release notes for the blog, and write a tweet thread announcing the widgets.")
    assert set(plan.teams) == {"content", "marketing"}
