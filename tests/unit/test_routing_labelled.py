"""The labelled one-team task sets vote on a whole task's team (resources/routing/labelled_examples.jsonl, written
by bench/examples.py); the steps of a plan are read without them, as the clause reader was trained."""

from __future__ import annotations

from agents.routing.examples import labelled_index
from agents.routing.router import MAX_ROUTE_CHARS, Router, RoutingExample, builtin_team_profiles

PROFILES = builtin_team_profiles()


def test_the_shipped_labelled_sets_cover_every_team() -> None:
    index = labelled_index(MAX_ROUTE_CHARS)
    assert index is not None and len(index) >= 5000
    teams = {n.example.team for text in ("fix the login bug", "reply to the customer", "renew the cert",
                                         "write a blog post", "post on linkedin", "send the quote")
             for n in index.neighbours(text, limit=12)}
    assert teams == {"code", "support", "devops", "content", "marketing", "sales"}


def test_labelled_examples_decide_a_task_the_lexicon_cannot_read() -> None:
    examples = [RoutingExample(text, "sales") for text in (
        "tidy the frobnik ledger for the Hamburg account", "tidy the frobnik ledger before the renewal call",
        "the frobnik ledger needs tidying for Acme")]
    text = "tidy the frobnik ledger for Globex"
    with_them = Router(PROFILES, labelled=examples).route(text)
    without = Router(PROFILES, labelled=False).route(text)
    assert with_them.team == "sales"
    assert without.team != "sales" or without.confidence < with_them.confidence


def test_the_steps_of_a_plan_do_not_change_with_the_labelled_sets() -> None:
    text = "Fix the CSV export timeout, then email the customers who reported it, and post about the fix on LinkedIn."
    examples = [RoutingExample("email the customers who reported the csv export timeout", "marketing")] * 3
    with_them = Router(PROFILES, labelled=examples).route(text)
    without = Router(PROFILES, labelled=False).route(text)
    assert [(s.team, s.follows) for s in with_them.segments] == [(s.team, s.follows) for s in without.segments]
    assert len(with_them.segments) >= 2


def test_a_router_with_founder_examples_keeps_the_labelled_sets() -> None:
    base = Router(PROFILES, labelled=[RoutingExample("tidy the frobnik ledger for Acme", "sales")] * 3)
    more = base.with_examples([RoutingExample("polish the zorbl deck", "marketing")])
    assert more.route("tidy the frobnik ledger for Initech").team == "sales"
