"""Requests read in this round: wishes that ask for work ("a post on it would be nice", "it would be great if the
export handled ..."), a role's own verb after a comma or "then" ("CS apologise to ...", "SDRs then build ..."),
"fill in the form", "then redeploy", "write one" after "we don't have a ...", and a quote for a named buyer.

Each test pins one rule with a text written for this file and, where it matters, a near text that must keep its
old reading.
"""

from __future__ import annotations

import pytest

from agents.routing.clauses import split
from agents.routing.router import Router
from agents.routing.verbs import starts_order
from agents.routing.wishes import wished
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
