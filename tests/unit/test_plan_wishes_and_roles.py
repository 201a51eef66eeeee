"""Requests read in this round: wishes that ask for work ("a post on it would be nice", "it would be great if the
export handled ...", "what if we moved ..., and then announced it"), needs said of a thing ("there should be a
guide", "a list of 25 bakeries is needed", "they should be deployed"), other connectives (", along with", "as well
as", "before we write ..."), a role's own verb after a comma or "then" ("CS apologise to ...", "SDRs then build
..."), "fill in the form", "then redeploy", "write one" after "we don't have a ...", a quote for a named buyer and
an event with its day ("Board meeting Thursday.") that is when, not work.

Each test pins one rule with a text written for this file and, where it matters, a near text that must keep its
old reading.
"""

from __future__ import annotations

import pytest

from agents.routing.clauses import split
from agents.routing.connectives import connectives_as_said
from agents.routing.context import team_news, without_team_news
from agents.routing.rewrites import as_order
from agents.routing.router import Router
from agents.routing.verbs import starts_order
from agents.routing.wishes import wished, wishes_as_said
from tests.support.planning import VERBS, plan_of, requests

AGENTS = {"ops": "devops", "devs": "code", "cs": "support", "sdrs": "sales", "writers": "content", "growth": "marketing"}


def test_fill_in_is_an_order_and_a_bug_in_is_not() -> None:
    assert starts_order("fill", "in") and starts_order("loop", "in")
    assert not starts_order("bug", "in") and not starts_order("ticket", "in")
    assert requests("Rotate the keys on the build servers and fill in the vendor form Orion Bank sent us") == [
        "Rotate the keys on the build servers", "fill in the vendor form Orion Bank sent us"]


def test_a_verb_that_names_its_team_is_not_read_with_the_work_before_it(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Patch the memory leak in the image worker, then redeploy.")
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("code", "devops")


def test_code_and_devops_pairs_of_words_count_for_their_own_teams(builtin_router: Router) -> None:
    lexicon = builtin_router._lexicon
    for text, team in (("review the PR", "code"), ("rewrite the search service", "code"),
                       ("run the migration tonight", "devops"), ("publish the builds", "devops")):
        hits = lexicon.match(text, max_chars=100)
        assert not any(h.team == "support" for h in hits), text
        assert any(h.team == team and "…" in h.words for h in hits), text
    assert builtin_router.route("Answer the two-star Capterra review about our onboarding").team == "support"


def test_a_role_with_its_own_verb_after_then_is_the_next_step_even_with_a_date_in_it() -> None:
    clauses = [c for c in split("Translate the setup guide into Polish, then CS sends it to the schools who asked for "
                                "it last week.", VERBS, agents=AGENTS)[0] if c.request]
    assert [(c.bare, c.agent) for c in clauses] == [
        ("Translate the setup guide into Polish", ""), ("send it to the schools who asked for it last week", "support")]
    news = split("Translate the setup guide into Polish. CS sent it to the schools last week.", VERBS, agents=AGENTS)[0]
    assert [c.bare for c in news if c.request] == ["Translate the setup guide into Polish"]


def test_a_role_that_apologises_after_a_comma_is_a_step_of_its_own() -> None:
    clauses = [c for c in split("the booking emails are going out twice. devs fix it, CS apologise to the gyms that "
                                "complained", VERBS, agents=AGENTS)[0] if c.request]
    assert [c.agent for c in clauses] == ["code", "support"]


def test_a_role_then_its_verb_hands_the_work_to_that_role() -> None:
    clauses = split("Personas are done. SDRs then build a list of 80 clinic managers who match them.", VERBS,
                    agents=AGENTS)[0]
    assert [(c.bare, c.agent) for c in clauses if c.request] == [
        ("build a list of 80 clinic managers who match them", "sales")]


def test_write_one_is_about_the_thing_the_task_says_is_missing(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "four tickets this week asking how to export invoices to Excel. we don't have a "
                                   "help article on exports at all. write one, then answer the tickets with a link "
                                   "to it")
    assert set(plan.teams) == {"content", "support"} and plan.waits_for("content", "support")


@pytest.mark.parametrize(("text", "wanted"), [
    ("oh and a short post on how we pick our suppliers would be nice at some point",
     "get a short post on how we pick our suppliers"),
    ("a couple of tests for the invoice maths would be great to have", "get a couple of tests for the invoice maths"),
    ("it would be great if the receipt PDF showed the VAT number", "make the receipt PDF showed the VAT number"),
])
def test_a_wish_for_a_thing_is_a_request(text: str, wanted: str) -> None:
    assert requests(text) == [wanted]


def test_praise_or_a_wish_about_us_asks_for_no_work() -> None:
    assert requests("The new dashboard would be great for sales demos.") == []
    assert wished("it would be great if we could all meet on Friday", "all meet on Friday") is None


def test_a_quote_for_a_named_buyer_is_a_piece_of_its_own(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "we need someone to renew the TLS cert on shop.fernhill.io before Monday and "
                                   "someone to put together a quote for Larkspur Florists, they want 25 seats")
    assert set(plan.teams) == {"devops", "sales"}


@pytest.mark.parametrize(("text", "said"), [
    ("Build a shortlist of 30 garden centres in Kent, along with a Facebook campaign for their customers.",
     "Build a shortlist of 30 garden centres in Kent, and a Facebook campaign for their customers."),
    ("Draft the tender reply as well as a one-page overview in Welsh.",
     "Draft the tender reply, and a one-page overview in Welsh."),
    ("Merge the search refactor before we write the release notes for 3.1.",
     "Merge the search refactor, then write the release notes for 3.1."),
    ("The TLS certificate lapsed overnight and has to be renewed.",
     "The TLS certificate lapsed overnight, and it has to be renewed."),
])
def test_other_connectives_join_two_pieces_of_work(text: str, said: str) -> None:
    assert connectives_as_said(text) == said


@pytest.mark.parametrize("text", [
    "Fix the checkout bug before we launch.",  # a moment, no work of ours named
    "a setup guide as well as screenshots",
    "Send the quote before we get the numbers back from finance.",
])
def test_a_moment_or_a_part_is_not_another_piece_of_work(text: str) -> None:
    assert connectives_as_said(text) == text


@pytest.mark.parametrize(("text", "wanted"), [
    ("There should be a help article on pairing the scanner.", ["get a help article on pairing the scanner"]),
    ("A list of 25 bakeries in Leeds is needed for the outreach.", ["get A list of 25 bakeries in Leeds for the outreach"]),
    ("The SMS reminders need to be built, and once they work they should be deployed to production.",
     ["build The SMS reminders", "deploy them to production"]),
])
def test_a_need_said_of_a_thing_is_a_request(text: str, wanted: list[str]) -> None:
    assert requests(text) == wanted


def test_the_past_tense_of_a_wish_asks_for_the_work(builtin_router: Router) -> None:
    assert wishes_as_said("what if we moved the docs to Mintlify, and then we announced it") == (
        "what if we move the docs to Mintlify, and then announce it")
    assert wishes_as_said("We moved the docs to Mintlify and then announced it.") == (
        "We moved the docs to Mintlify and then announced it.")
    plan = plan_of(builtin_router, "it would be great if someone wrote a short guide to our loyalty card, and then we "
                                   "turned it into an Instagram ad series for the spring")
    assert set(plan.teams) == {"content", "marketing"} and plan.waits_for("content", "marketing")


@pytest.mark.parametrize("text", [
    "Board meeting Thursday. Write me a SQL query for churn by cohort off the accounts table.",
    "Trade show on the 14th. Draft a one-pager on the new scanner for our booth.",
])
def test_an_event_and_its_day_is_when_not_work(builtin_router: Router, text: str) -> None:
    assert len(plan_of(builtin_router, text).teams) == 1


@pytest.mark.parametrize(("text", "news"), [
    ("the devs finished the queue changes", True),
    ("support already refunded her", True),
    ("ops moved the database last night", True),
    ("the devs fix the queue", False),  # an order in the founder's shorthand
    ("support the new plan in the importer", False),
])
def test_what_a_team_did_is_news(text: str, news: bool) -> None:
    assert team_news(text, AGENTS | {"support": "support"}) is news


def test_what_a_team_did_is_no_step_and_no_part_of_what_it_refers_to(builtin_router: Router) -> None:
    clauses = split("Spring sale prep: the devs finished the coupon engine, so now containerise the checkout worker and scale the "
                    "web pool.", VERBS, agents=AGENTS)[0]
    assert [c.bare for c in clauses if c.request] == ["containerise the checkout worker", "scale the web pool"]
    assert without_team_news("A buyer got billed twice, support already refunded him", AGENTS | {"support": "support"}) == (
        "A buyer got billed twice")


def test_a_team_that_wants_a_thing_hands_no_work_on() -> None:
    assert as_order("Growth wants a loyalty program", VERBS, AGENTS) is None
    assert as_order("The devs need a staging box", VERBS, AGENTS) is None
    assert as_order("Client Marlowe wants a proposal and a demo", VERBS) == "get a proposal and a demo"


def test_writing_back_to_someone_is_a_reply(builtin_router: Router) -> None:
    assert builtin_router.route("Write back to Ilse at Norrland Dental and keep her posted").team == "support"


def test_what_a_team_needs_to_know_is_no_work_for_it() -> None:
    assert requests("support needs to see what the Fenwick account looked like before the import. restore last "
                    "night's backup into a scratch database", agents=AGENTS | {"support": "support"}) == [
        "restore last night's backup into a scratch database"]


def test_a_purpose_for_a_teams_people_is_no_step() -> None:
    assert requests("add a 'where did you hear about us' field to the signup form so the marketing people can see "
                    "which channels work", agents=AGENTS | {"marketing": "marketing"}) == [
        "add a field to the signup form so the marketing people can see which channels work"]


def test_send_them_one_is_about_the_thing_they_asked_for(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "clear the support inbox today, 40 unread. also Fernside Clinics asked for a quote "
                                   "on 12 seats, send them one")
    assert set(plan.teams) == {"sales", "support"}


def test_sorting_out_a_ticket_is_support(builtin_router: Router) -> None:
    assert builtin_router._classify_clause("sort out their password-reset ticket").team == "support"


def test_the_head_of_a_list_of_things_wanted_is_one_of_them() -> None:
    assert requests("Cookbook launch on the 9th. reader FAQ + the Instagram teaser posts") == [
        "reader FAQ", "the Instagram teaser posts"]
    assert requests("The customer said the export and the invoices are broken.") == []


def test_an_update_label_is_no_order(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "Update: the devs shipped the new importer. Next: write a Dockerfile for it and "
                                   "deploy it to the cluster.")
    assert plan.teams == ("devops",)


def test_at_mentions_in_a_chat_message_hand_lines_over_and_keep_the_rest() -> None:
    clauses = [c for c in split("Halden will sign if we have SCIM\n@devs build scim provisioning\nand when it's in, "
                                "send Halden a revised proposal", VERBS, agents=AGENTS)[0] if c.request]
    assert [c.agent for c in clauses] == ["code", ""] and clauses[1].then


def test_meeting_notes_with_at_mentions_still_read_as_notes() -> None:
    clauses = [c for c in split("- churn up 2% in October\n- two enterprise trials started\n@ops provision the EU "
                                "bucket\n@devs fix the export", VERBS, agents=AGENTS)[0] if c.request]
    assert [(c.bare, c.agent) for c in clauses] == [("provision the EU bucket", "devops"), ("fix the export", "code")]


def test_fix_it_is_about_what_was_said_since_the_last_request(builtin_router: Router) -> None:
    plan = plan_of(builtin_router, "translate the returns page into Dutch\nalso the size chart shows inches for EU "
                                   "shoppers which is... not ideal. fix pls")
    assert set(plan.teams) == {"code", "content"}


def test_a_settled_part_is_not_what_build_it_is_about(builtin_router: Router) -> None:
    from agents.routing.referents import antecedents_of
    clauses = split("we need a waitlist form on the site that saves to Airtable. copy is done, just build it", VERBS,
                    agents=AGENTS)[0]
    about = antecedents_of(clauses, AGENTS)[id(clauses[-1])]
    assert "waitlist form" in about and "copy is done" not in about
