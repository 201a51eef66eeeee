"""The step check: a plan's second team the check doubts leaves the plan (agents/routing/verify.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agents.routing.coverage import Coverage, without_team
from agents.routing.router import Router, builtin_team_profiles
from agents.routing.segments import PlanSegment
from agents.routing.verify import (FAINT_BELOW, KEEP_BELOW, ONE_TEAM_SURE_BELOW, ONE_TEAMS_BELOW, OWN_HEARD_ABOVE,
                                  RULES_STAND, SILENT_BELOW, SURE_BELOW, UNHEARD_BELOW, Marks, StepCheck,
                                  builtin_step_check, faint_dropped, team_features)

SIX = ("code", "content", "devops", "marketing", "sales", "support")


def _coverage(multi: float = 0.5, **teams: float) -> Coverage:
    return Coverage({t: teams.get(t, 0.01) for t in SIX}, multi)


# a check that doubts a step whose first word is "wait" and trusts the reader's "heard"
CHECK = StepCheck(-1.0, {"v:wait": -5.0, "heard": 4.0}, keep_below=0.5)
UNSURE = RULES_STAND - 0.3  # how sure the rules are of the steps below: not enough for them to stand


def _read(text: str) -> Coverage:
    return _coverage(0.5, sales=0.9 if "Acme" in text else 0.01)


def _step(team: str, text: str, *, follows: tuple[int, ...] = (), confidence: float = UNSURE) -> PlanSegment:
    return PlanSegment(team, text, confidence, follows)


def _checked(segments: tuple[PlanSegment, ...], **teams: float) -> tuple[PlanSegment, ...]:
    heard = _coverage(**teams)
    return CHECK.checked(segments, team=segments[0].team, heard=heard, core=heard, read=_read, without=without_team)


def test_a_doubted_second_team_leaves_and_its_words_join_the_step_before() -> None:
    plan = (_step("support", "reply to the three angry emails"),
            _step("devops", "wait for the deploy pipeline, it can wait", follows=(0,)))
    assert _checked(plan, devops=0.9) == ()  # one team left: the task is support's alone
    plan3 = (*plan, _step("sales", "send the renewal quote to Acme", follows=(1,)))
    kept = _checked(plan3, devops=0.9, sales=0.9)
    assert [s.team for s in kept] == ["support", "sales"]
    assert kept[0].text == "reply to the three angry emails; wait for the deploy pipeline, it can wait"
    assert kept[1].follows == (0,)  # it waited for the step that left: it waits for what that step waited for


def test_a_team_the_check_trusts_stays() -> None:
    plan = (_step("code", "fix the export timeout"), _step("support", "tell the customers", follows=(0,)))
    assert _checked(plan, support=0.9) == plan
    assert CHECK.asked(team_features(plan, "support", own="code", heard=_coverage(support=0.9),
                                     core=_coverage(support=0.9), read=_read)) >= CHECK.keep_below
    assert KEEP_BELOW > CHECK.keep_below  # the shipped default is stricter than this test's check


def test_a_step_the_rules_are_sure_of_stands_unless_the_check_all_but_rules_it_out() -> None:
    plan = (_step("devops", "move the file storage to S3"),
            _step("marketing", "then mention it in the newsletter", follows=(0,), confidence=RULES_STAND))
    assert _checked(plan, marketing=0.1) == plan  # the check gives it 1 / (1 + e^0.6), 0.35: doubted, not ruled out
    unsure = (plan[0], _step("marketing", plan[1].text, follows=(0,)))
    assert _checked(unsure, marketing=0.1) == ()
    assert SURE_BELOW < KEEP_BELOW
    ruled_out = StepCheck(-1.0, {"v:wait": -5.0, "heard": 4.0, "v:then": -3.0}, keep_below=0.5)
    heard = _coverage(marketing=0.1)
    assert ruled_out.checked(plan, team="devops", heard=heard, core=heard, read=_read, without=without_team) == ()


def test_the_least_likely_team_goes_first_and_the_own_team_is_never_checked() -> None:
    plan = (_step("code", "wait on the fix"), _step("sales", "email Acme"), _step("marketing", "post on LinkedIn"))
    kept = _checked(plan, code=0.0, sales=0.3, marketing=0.9)  # sales: 1/(1+e^-0.2) > 0.5; code is the own team
    assert [s.team for s in kept] == ["code", "sales", "marketing"]
    kept = _checked(plan, sales=0.1, marketing=0.2)  # both doubted: sales (least likely) goes, then marketing
    assert kept == ()


def test_a_founders_own_team_is_not_checked() -> None:
    plan = (_step("code", "fix it"), _step("legal", "wait for the contract review"))
    assert _checked(plan) == plan


def test_team_features_read_the_steps_words_waits_and_readings() -> None:
    plan = (_step("code", "fix the export"), _step("support", "Then tell the customers who asked", follows=(0,)))
    features = team_features(plan, "support", own="code", heard=_coverage(0.7, support=0.8),
                             core=_coverage(0.7, support=0.6), read=_read)
    assert features["v:then"] == features["waits"] == features["pair:code>support"] == 1.0
    assert features["heard"] == 0.8 and features["core"] == 0.6 and features["multi"] == 0.7
    assert features["awaited"] == 0.0 and features["first"] == 0.0
    assert "w:custom" in features or "w:customer" in features
    assert features["alone"] == 0.01 and features["sure"] == UNSURE  # the steps read alone: no "Acme", no sales
    sales = team_features((plan[0], _step("sales", "email Acme")), "sales", own="code", heard=_coverage(),
                          core=_coverage(), read=_read)
    assert sales["alone"] == 0.9 and sales["alone_top"] == 1.0


def test_a_stale_or_broken_check_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bench/step_check.py --write"):
        StepCheck.from_json({"format": 99, "intercept": 0.0, "weights": {}})
    with pytest.raises(ValueError, match="bench/step_check.py --write"):
        StepCheck.from_json({"format": 1, "intercept": 0.0})
    again = StepCheck.from_json(json.loads(json.dumps(CHECK.to_json())))
    assert again == CHECK


def test_the_shipped_check_loads_and_the_router_can_go_without_it() -> None:
    check = builtin_step_check()
    assert len(check.weights) > 100 and 0.0 < check.keep_below < 1.0
    text = "Fix the timeout in the export and then tell the customers who reported it"
    with_check = Router(builtin_team_profiles()).route(text)
    without = Router(builtin_team_profiles(), check=False).route(text)
    assert [s.team for s in with_check.segments] == [s.team for s in without.segments] == ["code", "support"]
    # work of one team in another's words: the rules read "fix the broken headings" as code's step, the check rules
    # code out (a task of the labelled sets; the readers retrained on 643 sets now leave "use our blog post on uptime
    # as the hook" with sales before the check)
    mention = ("pls proofread the onboarding guide + fix the broken headings, and translate the intro into german "
               "while ur at it")
    assert [s.team for s in Router(builtin_team_profiles(), check=False).route(mention).segments] == ["code", "content"]
    assert Router(builtin_team_profiles()).route(mention).segments == ()


def test_a_second_team_the_reader_barely_hears_in_a_one_team_task_leaves() -> None:
    plan = (PlanSegment("sales", "Prep me for Friday's demo with Halcyon Spas"),
            PlanSegment("content", "Our blog post on clean ingredients got them interested, so open with that", UNSURE))
    faint = Coverage({"sales": 1.0, "content": FAINT_BELOW - 0.3}, ONE_TEAMS_BELOW / 2)
    assert faint_dropped(plan, team="sales", heard=faint, without=without_team) == ()
    several = Coverage(faint.teams, ONE_TEAMS_BELOW + 0.1)  # a task the reader hears as several teams' work
    assert faint_dropped(plan, team="sales", heard=several, without=without_team) == plan
    loud = Coverage({"sales": 1.0, "content": FAINT_BELOW + 0.1}, ONE_TEAMS_BELOW / 2)
    assert faint_dropped(plan, team="sales", heard=loud, without=without_team) == plan
    own = (plan[0], PlanSegment("legal", "check the NDA", UNSURE))  # a founder's own team, unknown to the reader
    assert faint_dropped(own, team="sales", heard=faint, without=without_team) == own
    sure = (plan[0], PlanSegment("marketing", "then mention it in the newsletter", RULES_STAND))  # sure rules stand
    assert faint_dropped(sure, team="sales", heard=faint, without=without_team) == sure


def test_sure_rules_give_way_where_the_reader_all_but_rules_out_several_teams() -> None:
    mention = PlanSegment("support", "Jess in support is already handling the replies to customers", RULES_STAND + 0.05)
    ask = PlanSegment("devops", "get the service back up", RULES_STAND + 0.05, follows=(0,))
    one = Coverage({"devops": 0.99, "support": UNHEARD_BELOW / 2}, ONE_TEAM_SURE_BELOW / 2)
    assert faint_dropped((mention, ask), team="devops", heard=one, without=without_team) == ()
    # the reader less sure of one team, or hearing the second team: the sure rules stand
    unsure = Coverage(one.teams, ONE_TEAM_SURE_BELOW + 0.01)
    assert faint_dropped((mention, ask), team="devops", heard=unsure, without=without_team) == (mention, ask)
    heard = Coverage({"devops": 0.99, "support": UNHEARD_BELOW + 0.05}, ONE_TEAM_SURE_BELOW / 2)
    assert faint_dropped((mention, ask), team="devops", heard=heard, without=without_team) == (mention, ask)
    vague = Coverage({"devops": OWN_HEARD_ABOVE - 0.3, "support": UNHEARD_BELOW / 2}, ONE_TEAM_SURE_BELOW / 2)
    assert faint_dropped((mention, ask), team="devops", heard=vague, without=without_team) == (mention, ask)
    # a step said to come next ("..., and then mention it in the newsletter") is asked for, however faint the reader
    # hears it
    move = PlanSegment("devops", "Move the file storage to S3")
    then = PlanSegment("marketing", "mention the faster uploads in next month's newsletter", RULES_STAND, follows=(0,))
    quiet = Coverage({"devops": 0.9, "marketing": SILENT_BELOW / 5}, ONE_TEAM_SURE_BELOW / 2)
    stated = Marks(stated=frozenset({then.text}))
    assert faint_dropped((move, then), team="devops", heard=quiet, without=without_team, marks=stated) == (move, then)
    # heard a little (not all but silent), a later step stays even when nothing says it comes next
    faint = Coverage({"devops": 0.9, "marketing": SILENT_BELOW + 0.05}, ONE_TEAM_SURE_BELOW / 2)
    assert faint_dropped((move, then), team="devops", heard=faint, without=without_team) == (move, then)


def test_a_team_the_reader_all_but_never_hears_is_no_step_when_its_part_only_refers_to_earlier_work() -> None:
    # "the CI is red ... it is our self-hosted runner. could you fix it please?": "fix it" read as code's, the CI
    # devops's; the reader hears code not at all in a task it reads as one team's
    ci = PlanSegment("devops", "the CI is red since morning; npm ERR! code ENOSPC", RULES_STAND)
    fix = PlanSegment("code", "could you fix it please", 1.0, follows=(0,))
    silent = Coverage({"devops": OWN_HEARD_ABOVE + 0.1, "code": SILENT_BELOW / 2}, ONE_TEAMS_BELOW / 2)
    assert faint_dropped((ci, fix), team="devops", heard=silent, without=without_team) == ()
    # nor an item of a list it hears not at all ("Tutorial for the help center: buying a permit in the app, ...")
    listed = Marks(listed=frozenset({fix.text}))
    assert faint_dropped((ci, fix), team="devops", heard=silent, without=without_team, marks=listed) == ()
    # a team handed the part by name, a task the reader hears as several teams' work or an own team it hears
    # vaguely keep the step
    handed = Marks(handed=frozenset({"code"}))
    assert faint_dropped((ci, fix), team="devops", heard=silent, without=without_team, marks=handed) == (ci, fix)
    several = Coverage(silent.teams, ONE_TEAMS_BELOW + 0.05)
    assert faint_dropped((ci, fix), team="devops", heard=several, without=without_team) == (ci, fix)
    vague = Coverage({"devops": OWN_HEARD_ABOVE - 0.2, "code": SILENT_BELOW / 2}, ONE_TEAM_SURE_BELOW / 2)
    assert faint_dropped((ci, fix), team="devops", heard=vague, without=without_team) == (ci, fix)


def test_a_mention_of_another_teams_work_before_the_request_is_no_step() -> None:
    router = Router(builtin_team_profiles())
    for text in ("the digital ocean bill jumped to 180 a month, code says there app only needs one small server, so "
                 "figure out what resources we dont need and shut them down",
                 "3 customers emailed: dashboards blank since 07:00. I'll answer them myself, don't touch the inbox. "
                 "Just find out what's down and get it back up."):
        decision = router.route(text)
        assert decision.team == "devops" and decision.segments == (), text
