"""The planner on every labelled set in tests/data: a floor that a change to the clause reader must not break.

The sets were written blind by separate writers (see bench/routing.py for the figures). Once a set has
been looked at, its failures may have been fixed, so these floors guard against regressions; they are
not the held-out figures (those come from a set's first run, reported in the closing notes).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.ceo import triage
from agents.routing.router import Router, builtin_team_profiles

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def router() -> Router:
    return Router(builtin_team_profiles())


def _rows(pattern: str) -> list[dict]:
    return [json.loads(line) for path in sorted(DATA.glob(pattern))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_multi_team_sets_keep_their_teams_and_order(router: Router) -> None:
    # floors a little below the figures at the end of the session (92.4 % exact set, 89.9 % stated order on 7,168
    # tasks; the sets added since, 134-155, wrote in harder styles; the reader has learnt from these sets, so these
    # are no held-out figures)
    rows = _rows("plans_*_own.jsonl")
    assert len(rows) >= 500
    exact = orders = kept = 0
    for row in rows:
        plan = triage(router, row["text"]).plan
        teams = frozenset(plan.teams)
        exact += teams == frozenset(row["teams"]) or teams in {frozenset(t) for t in row.get("also_ok", ())}
        for first, then in row.get("before", ()):
            orders += 1
            kept += plan.waits_for(first, then)
    assert exact / len(rows) >= 0.91, f"exact team set on {exact}/{len(rows)}"
    assert kept / orders >= 0.885, f"stated order kept on {kept}/{orders}"


def test_one_team_sets_get_no_plan(router: Router) -> None:
    # the target is 1 in 180 on tasks the planner never saw, and in sample too: with 230-277 learnt and the
    # step check reading single words, 86 of 16,392 one-team tasks get a plan (0.52 %; the sets that joined were
    # written after the rules and gave about 3 % false plans unlearnt); 50 of 13,992 (0.36 %) the round before
    rows = _rows("routing_*_own.jsonl")
    assert len(rows) >= 800
    planned = [row["text"][:60] for row in rows if len(triage(router, row["text"]).plan.teams) >= 2]
    assert len(planned) <= len(rows) // 180, planned


def test_trap_sets_rarely_get_a_plan(router: Router) -> None:
    # one-team tasks written to trap a planner (other teams named as context, several verbs of one team, quoted
    # messages, lists): none gets a plan once the reader has learnt them, 13 of 240 when each set is held out (end of
    # the latest round); a floor, not the goal
    rows = _rows("traps_*_own.jsonl")
    assert len(rows) >= 240
    planned = [row["text"][:60] for row in rows if len(triage(router, row["text"]).plan.teams) >= 2]
    assert len(planned) <= len(rows) // 10, planned
