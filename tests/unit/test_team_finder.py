"""The team finder: a team the plan lacks joins it when the finder is sure (agents/routing/finder.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.routing.clauses import Clause
from agents.routing.coverage import Coverage, TaskParts
from agents.routing.finder import (ADD_AT, ADD_FLOOR, HEARD_AT, MAX_ADDED, MULTI_AT, OWNED_SURE, SPOT_FLOOR, TeamFinder,
                                   best_spot, builtin_team_finder, finder_features, spots_of)
from agents.routing.router import Router, builtin_team_profiles
from agents.routing.segments import ClauseVerdict, PlanSegment
from agents.routing.verify import StepCheck

SIX = ("code", "content", "devops", "marketing", "sales", "support")
# a finder that trusts a spot read alone as the team's (and nothing else)
FINDER = TeamFinder(StepCheck(-3.0, {"alone": 6.0, "alone_top": 1.0}), add_at=0.6)


def _coverage(multi: float = 0.5, **teams: float) -> Coverage:
    return Coverage({t: teams.get(t, 0.01) for t in SIX}, multi)


def _read(text: str) -> Coverage:
    """A scripted reading of a piece alone: the team its telling word belongs to."""
    for word, team in (("whitepaper", "content"), ("questionnaire", "sales"), ("deploy", "devops"),
                       ("tweet", "marketing")):
        if word in text:
            return _coverage(0.3, **{team: 0.95})
    return _coverage(0.3, sales=0.4)


def _clause(text: str, *, request: bool = True, bare: str = "") -> Clause:
    return Clause(text, bare or text, request)


def _task(*clauses: Clause, team: str = "sales", read=_read) -> TaskParts:  # noqa: ANN001
    return TaskParts(clauses, lambda c: ClauseVerdict(team, 1.0, 1.0), team, _coverage(content=0.0), read)


WISHLIST = (_clause("please answer the security questionnaire"),
            _clause("Also on my wishlist: a whitepaper on our red-teaming", request=False, bare="on my wishlist"))


def test_a_one_team_task_gets_the_team_its_material_asks_for_at_its_place() -> None:
    plan = FINDER.found((), task=_task(*WISHLIST), heard=_coverage(content=0.9), known=frozenset(SIX))
    assert [s.team for s in plan] == ["sales", "content"]
    assert plan[0].text == "please answer the security questionnaire"
    assert "whitepaper on our red-teaming" in plan[1].text and "questionnaire" not in plan[1].text
    assert plan[1].confidence <= 0.9  # no surer than the whole task's reading of the team


def test_a_team_under_the_bar_or_the_whole_tasks_floor_is_not_added() -> None:
    doubting = TeamFinder(FINDER.model, add_at=0.999, heard_at=1.01)
    assert doubting.found((), task=_task(*WISHLIST), heard=_coverage(content=0.9), known=frozenset(SIX)) == ()
    assert FINDER.found((), task=_task(*WISHLIST), heard=_coverage(content=0.001), known=frozenset(SIX)) == ()
    assert ADD_AT >= 0.5  # a one-team task becomes a plan only when the shipped finder is at least even-handed


def test_a_team_the_whole_task_is_sure_of_joins_even_when_the_model_doubts_it() -> None:
    doubting = TeamFinder(FINDER.model, add_at=0.999)
    sure = _coverage(multi=MULTI_AT, content=HEARD_AT)
    assert [s.team for s in doubting.found((), task=_task(*WISHLIST), heard=sure, known=frozenset(SIX))] == [
        "sales", "content"]
    # ... but not when the task reads as one team's work, nor without a spot that leans to the team read alone
    one_teams = _coverage(multi=MULTI_AT - 0.1, content=0.99)
    assert doubting.found((), task=_task(*WISHLIST), heard=one_teams, known=frozenset(SIX)) == ()
    vague = _task(*WISHLIST, read=lambda text: _coverage(0.3, content=SPOT_FLOOR / 2, sales=0.9))
    assert doubting.found((), task=vague, heard=sure, known=frozenset(SIX)) == ()


def test_the_whole_tasks_reading_takes_no_request_the_rules_give_a_planned_team() -> None:
    doubting = TeamFinder(FINDER.model, add_at=0.999)
    sure = _coverage(multi=MULTI_AT, content=HEARD_AT)
    asked = (WISHLIST[0], _clause("Also on my wishlist: a whitepaper on our red-teaming"))  # a request now
    owned = TaskParts(asked, lambda c: ClauseVerdict("sales", 1.0, OWNED_SURE), "sales", _coverage(content=0.0), _read)
    assert doubting.found((), task=owned, heard=sure, known=frozenset(SIX)) == ()
    unsure = TaskParts(asked, lambda c: ClauseVerdict("sales", 1.0, OWNED_SURE / 2), "sales", _coverage(content=0.0),
                       _read)
    assert [s.team for s in doubting.found((), task=unsure, heard=sure, known=frozenset(SIX))] == ["sales", "content"]
    # the model sure of the team: its reading stands
    assert [s.team for s in FINDER.found((), task=owned, heard=sure, known=frozenset(SIX))] == ["sales", "content"]
    plan = Router(builtin_team_profiles()).route(
        "renewal call w/ Willow Creek HOA next wed, they're annoyed about the price going from $4 to $5/unit. prep me "
        "pls. also unrelated, staging TLS cert expired AGAIN, fix it and make it auto renew")
    assert sorted({s.team for s in plan.segments}) == ["devops", "sales"]  # not code for "fix it"


def test_a_team_the_whole_task_barely_hears_is_not_added_and_quoted_or_pasted_lines_are_no_spot() -> None:
    faint = _coverage(content=ADD_FLOOR / 2)
    assert FINDER.found((), task=_task(*WISHLIST), heard=faint, known=frozenset(SIX)) == ()
    quoted = (_clause("make sure the site takes 10x traffic on launch day"),
              _clause("> On Mon, Lea wrote:\n> the launch tweet is scheduled", request=False),
              _clause("+ def deploy(path): return push(path)", request=False))
    assert [s.clause for s in spots_of(quoted, _read)] == [0]
    sent = (_clause("Checklist a friend sent me: - deploy on a bigger box - tweet it", request=False,
                    bare="Checklist a friend sent me:"), _clause("write our tagline"))
    assert [s.clause for s in spots_of(sent, _read)] == [1]  # a list someone else wrote asks for nothing


def test_a_spot_that_says_it_comes_later_waits_for_the_steps_before_it() -> None:
    task = _task(_clause("fix the export timeout, then deploy the fix to production"), _clause("then tweet about the fix"),
                 team="code")
    plan = (PlanSegment("code", "fix the export timeout, then deploy the fix to production; then tweet about the fix", 0.9),)
    found = FINDER.found(plan, task=task, heard=_coverage(marketing=0.9, devops=0.9), known=frozenset(SIX))
    teams = [s.team for s in found]
    assert teams[0] == "code" and set(teams) == {"code", "devops", "marketing"}
    assert found[teams.index("marketing")].follows  # "then ...": after the work before it
    assert len(set(teams) - {"code"}) <= MAX_ADDED


def test_a_founders_own_team_and_a_task_without_a_reader_are_left_alone() -> None:
    plan = (PlanSegment("legal", "review the NDA", 0.9), PlanSegment("sales", "answer the questionnaire", 0.9))
    assert FINDER.found(plan, task=_task(*WISHLIST), heard=_coverage(content=0.9), known=frozenset(SIX)) == plan
    blind = TaskParts(WISHLIST, lambda c: ClauseVerdict("sales", 1.0, 1.0), "sales", None, None)
    assert FINDER.found((), task=blind, heard=_coverage(content=0.9), known=frozenset(SIX)) == ()


def test_the_features_read_the_best_spot_and_whether_it_is_material() -> None:
    spots = spots_of(WISHLIST, _read)
    spot = best_spot(spots, "content")
    assert spot is not None and spot.clause == 1 and "whitepaper" in spot.text
    features = finder_features((), "content", own="sales", heard=_coverage(content=0.9), core=_coverage(content=0.0),
                               spots=spots, clauses=WISHLIST)
    assert features["alone_top"] == 1.0 and features["material"] == 1.0 and features["request"] == 0.0
    assert features["heard"] == 0.9 and features["core"] == 0.0 and features["planned:1"] == 1.0
    assert features["pair:sales>content"] == 1.0


def test_a_stale_or_broken_finder_file_names_the_fix(tmp_path: Path) -> None:
    data = FINDER.to_json()
    assert TeamFinder.from_json(json.loads(json.dumps(data))) == FINDER
    with pytest.raises(ValueError, match="team_finder.py --write"):
        TeamFinder.from_json({**data, "format": 99})
    with pytest.raises(ValueError, match="team finder has no weights"):
        TeamFinder.from_json({"format": data["format"], "intercept": 0.0})


def test_the_shipped_finder_finds_the_second_ask_the_rules_read_as_one() -> None:
    assert builtin_team_finder().add_at == ADD_AT
    text = ("two unrelated things: daily backups for the Postgres box behind the shop (we almost lost it all in May) "
            "and a careful proofread of the long essay going out Friday")
    without = Router(builtin_team_profiles(), finder=False).route(text)
    found = Router(builtin_team_profiles()).route(text)
    assert without.team == "devops" and without.segments == ()  # the rules read one list of devops's
    assert [s.team for s in found.segments] == ["devops", "content"]
    assert found.segments[1].text == "a careful proofread of the long essay going out Friday"
    assert found.segments[1].follows == ()  # two unrelated things: no order


def test_a_one_team_task_with_another_teams_words_as_material_stays_one_teams() -> None:
    text = ("Reply to the customer who asked about the outage: the deploy on Friday broke the export, the fix "
            "shipped on Monday, and our blog post explains what happened.")
    assert Router(builtin_team_profiles()).route(text).segments == ()
