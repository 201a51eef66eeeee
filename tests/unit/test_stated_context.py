"""Context that reads like work: an event on a date ("big ad push next wk"), a day that opens a sentence ("Next
Monday starts the campaign"), things reported done ("release notes are up") and ticked checklist items
("- [x] keyword list"), the founder's own part ("I'll answer them myself", "Before I fill in the questionnaire") and
a fix someone else has planned ("it's a real bug, fix is planned for next sprint"), what a team needs to work from
("marketing needs numbers") and an event on a date ("We're launching on Product Hunt Tuesday"). None of them asks a team for work
(asides.py, grammar.py, rewrites.py, openings.py, spots.py, outline.py, unasked.py, clauses.py).

Each text is written for this file; a one-team task must come back as one step.
"""

from __future__ import annotations

import pytest

from agents.ceo import triage
from agents.routing.asides import PREAMBLE
from agents.routing.clauses import Clause
from agents.routing.grammar import THEN
from agents.routing.openings import reported_done
from agents.routing.outline import checked_as_done
from agents.routing.rewrites import handed_to
from agents.routing.router import Router
from agents.routing.spots import holds_no_team
from agents.routing.unasked import asks_nothing, event_told, needs_input


@pytest.fixture
def router(builtin_router: Router) -> Router:
    return builtin_router  # the session's router (tests/unit/conftest.py)


def teams_of(router: Router, text: str) -> tuple[str, ...]:
    return triage(router, text).plan.teams


@pytest.mark.parametrize("opening", ["big linkedin ad push next wk", "Partner webinar next thursday",
                                     "new pricing next mo"])
def test_an_event_on_a_date_is_a_preamble(opening: str) -> None:
    assert PREAMBLE.match(opening)


def test_next_with_a_day_is_a_date_not_an_order_word() -> None:
    assert THEN.match("Next Monday starts the campaign") is None
    assert THEN.match("next wk we launch") is None
    assert THEN.match("next, deploy it to staging") is not None
    assert THEN.match("next write the announcement") is not None


def test_a_day_is_no_person_handed_work(router: Router) -> None:
    verbs = router._lexicon.settings.action_verbs
    assert handed_to("Monday starts the big campaign", verbs, router._agents) is None
    assert handed_to("Marco builds the export", verbs, router._agents) is not None


@pytest.mark.parametrize("said", ["the changelog is up", "release notes are up, feature's shipped",
                                  "the landing page's live"])
def test_things_reported_done(said: str) -> None:
    assert reported_done(said)
    assert holds_no_team(Clause(text=said, bare=said, request=False))


@pytest.mark.parametrize("said", ["set up the staging server", "follow up with the lead", "write up the notes"])
def test_orders_with_up_are_not_reports(said: str) -> None:
    assert not reported_done(said)


def test_ticked_items_are_what_the_work_builds_on() -> None:
    text = "- [x] keyword research\n- [x] outline in notion\n- [ ] write the post from the outline"
    assert checked_as_done(text) == "> keyword research\n> outline in notion\n- [ ] write the post from the outline"
    done = "- [x] keyword research\n- [x] outline in notion"
    assert checked_as_done(done) == done  # nothing else asked: the list stays as it is


@pytest.mark.parametrize("text", [
    "Next Thursday kicks off our spring promo and we expect triple the usual traffic. Make sure the servers scale: "
    "autoscaling, more database connections, a CDN in front of the images",
    "- [x] keyword research for the pricing guide (the SEO sprint last month)\n- [x] outline in notion\n"
    "- [ ] write the full guide from the outline, about 2000 words",
    "pricing page is live, the changelog is up. draft the customer newsletter about the new plans",
])
def test_context_that_reads_like_work_makes_no_plan(router: Router, text: str) -> None:
    assert len(teams_of(router, text)) == 1, triage(router, text).plan


@pytest.mark.parametrize("clause", [
    "I'll answer them myself",
    "but i'll handle the refund emails myself",
    "Before I send the renewal quote to the client",
    "#88 is a real bug, fix is planned for the next sprint",
])
def test_the_founders_own_part_and_planned_fixes_order_nothing(clause: str) -> None:
    assert asks_nothing(clause, clause)


@pytest.mark.parametrize("clause", ["answer them yourself", "before you send it, fix the totals",
                                    "plan the fix for next sprint"])
def test_orders_around_them_still_order(clause: str) -> None:
    assert not asks_nothing(clause, clause)


def test_work_the_founder_does_first_makes_no_step(router: Router) -> None:
    text = ("#212 (exports with emoji in the file name fail) is a real bug, fix is planned for next sprint. meanwhile "
            "reply to the two customers who reported it with the workaround: rename the file first")
    assert teams_of(router, text) == ("support",)


@pytest.mark.parametrize("said", ["For the board deck sales needs numbers", "support needs access to the logs",
                                  "the marketing team wants fresh data from the signup funnel"])
def test_what_a_team_needs_to_work_from(said: str) -> None:
    assert needs_input(said)


@pytest.mark.parametrize("said", ["marketing needs a landing page", "sales needs to call them back"])
def test_work_a_team_needs_done_is_not_input(said: str) -> None:
    assert not needs_input(said)


@pytest.mark.parametrize("said", ["We're launching on Product Hunt Tuesday and the app fell over last time",
                                  "the spring sale starts friday", "Next Monday starts the big campaign"])
def test_an_event_on_a_date_is_told(said: str) -> None:
    assert event_told(said)


@pytest.mark.parametrize("said", ["deploy the fix on tuesday", "write the launch post for tuesday",
                                  "we're launching on Product Hunt, write the launch post"])
def test_work_on_a_date_is_no_event_told(said: str) -> None:
    assert not event_told(said)


@pytest.mark.parametrize("text", [
    "For the churn review sales needs numbers. Write SQL: cancellations per month since march, grouped by plan.",
    "We're going live on Product Hunt on Thursday and last launch the API fell over. Set up autoscaling on the API "
    "and the workers, and alerts on queue depth.",
])
def test_reasons_for_the_work_make_no_plan(router: Router, text: str) -> None:
    assert len(teams_of(router, text)) == 1, triage(router, text).plan
