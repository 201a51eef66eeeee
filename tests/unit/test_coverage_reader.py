"""The coverage reader: its shipped weights, its arithmetic, and how it mends the rules' plan (and when it may not)."""

from __future__ import annotations

import json
import math

import pytest

from agents.ceo import triage
from agents.routing.clauses import Clause
from agents.routing.coverage import (ADD_SURE, CORE_BELOW, DROP_BELOW, DROP_KEEP, MULTI, MULTI_SURE, ONE_BELOW,
                                     ROUTE_SURE, ROUTER_SURE, RULES_SURE, SHARE_BELOW, TWO_SURE, WHOLE_SURE,
                                     Coverage, CoverageReader, TaskParts, builtin_coverage, cover,
                                     coverage_features)
from agents.routing.router import Router, builtin_team_profiles
from agents.routing.segments import ClauseVerdict, PlanSegment, TeamScore

SIX = ("code", "content", "devops", "marketing", "sales", "support")
KNOWN = frozenset(SIX)


def test_the_shipped_reader_knows_the_six_teams_and_several_and_only_features_the_code_makes() -> None:
    reader = builtin_coverage()
    assert set(reader.classes) == {*SIX, MULTI} and len(reader.intercept) == 7
    assert len(reader.weights) > 10_000
    assert all(name.startswith(("w:", "b:", "p:", "s:", "s2:")) or name == "len" for name in reader.weights), \
        "retrain: the features changed"


def test_a_reader_file_of_another_format_or_shape_names_the_fix() -> None:
    good = CoverageReader(("code", MULTI), (0.0, 0.0), {"w:x": (1.0, -1.0)}).to_json()
    assert CoverageReader.from_json(json.loads(json.dumps(good))).weights["w:x"] == (1.0, -1.0)
    with pytest.raises(ValueError, match="bench/coverage_reader.py --write"):
        CoverageReader.from_json({**good, "format": 99})
    with pytest.raises(ValueError, match="retrain"):
        CoverageReader.from_json({**good, "weights": {"w:x": [1.0]}})
    with pytest.raises(ValueError, match="retrain"):
        CoverageReader.from_json({**good, "classes": ["code", "devops"]})


def test_each_class_is_its_own_logistic_and_unknown_words_add_nothing() -> None:
    reader = CoverageReader(("code", "support", MULTI), (0.0, -1.0, -2.0),
                            {"w:fix": (3.0, 0.0, 0.5), "w:tell": (0.0, 4.0, 0.5), "s:tell": (0.0, 0.0, 1.0)})
    read = reader.read("Fix the export, then tell the customers. Zorblax!")
    assert math.isclose(read.teams["code"], 1 / (1 + math.exp(-3.0)))
    assert math.isclose(read.teams["support"], 1 / (1 + math.exp(-3.0)))
    assert math.isclose(read.multi, 1 / (1 + math.exp(-0.0)))  # -2 + 0.5 + 0.5 + 1.0 ("tell" leads a part)
    assert set(read.teams) == {"code", "support"}


def test_features_read_words_pairs_and_the_first_words_of_each_part() -> None:
    features = coverage_features("Fix the export, then tell the customers + post it")
    assert {"w:fix", "b:fix_the", "s:fix", "s:tell", "s2:tell_the", "s:post"} <= set(features)
    assert "p:expo" in features and "p:fix" not in features  # a longer word's first letters stand for its kin
    assert 0 < features["len"] <= 1
    assert coverage_features("x " * 10_000)["len"] == 1.0  # a huge paste is read up to its first 4000 characters


def _clause(text: str, request: bool = True, **flags: object) -> Clause:
    return Clause(text, text, request, **flags)  # type: ignore[arg-type]


def _task(clauses: list[Clause], leans: dict[str, dict[str, float]], team: str) -> TaskParts:
    """The rules' verdict of each clause: its scores as given (by text)."""
    def classify(clause: Clause) -> ClauseVerdict:
        scores = leans.get(clause.text, {})
        best = max(scores, key=scores.__getitem__) if scores else team
        return ClauseVerdict(best, scores.get(best, 0.0), 0.9, scores=tuple(scores.items()))
    return TaskParts(clauses, classify, team)


def _coverage(multi: float, **teams: float) -> Coverage:
    return Coverage({t: teams.get(t, 0.01) for t in SIX}, multi)


def test_a_team_the_rules_missed_gets_the_clause_that_leans_to_it_in_its_place_and_waits_when_the_text_says_so() -> None:
    fix, docs, tell = (_clause("fix the export"), _clause("update the help page"),
                       _clause("then tell the customers", then=True))
    task = _task([fix, docs, tell], {"fix the export": {"code": 9.0}, "update the help page": {"content": 2.0, "code": 1.0},
                                     "then tell the customers": {"support": 8.0}}, "code")
    rules = (PlanSegment("code", "fix the export; update the help page"), PlanSegment("support", tell.text, follows=(0,)))
    out = cover(rules, _coverage(0.9, code=0.95, content=ADD_SURE + 0.1, support=0.9), task, known=KNOWN)
    assert [s.team for s in out] == ["code", "content", "support"]
    assert out[0].text == "fix the export" and out[1].text == "update the help page"
    assert out[1].confidence == pytest.approx(ADD_SURE + 0.1)  # an unsure plan waits for the founder
    assert out[2].follows == (0,)  # the support step still waits for the fix, not for the docs


def test_a_team_the_reader_is_sure_is_not_asked_leaves_the_plan_and_its_words_join_the_step_before() -> None:
    fix, quote, deploy = _clause("fix the export"), _clause("the sales deck says it is fast"), _clause("then deploy it")
    task = _task([fix, quote, deploy], {}, "code")
    rules = (PlanSegment("code", fix.text), PlanSegment("sales", quote.text, confidence=0.7, follows=(0,)),
             PlanSegment("devops", deploy.text, follows=(1,)))
    out = cover(rules, _coverage(0.8, code=0.9, devops=0.9, sales=DROP_BELOW / 2), task, known=KNOWN)
    assert [s.team for s in out] == ["code", "devops"]
    assert out[0].text == "fix the export; the sales deck says it is fast"
    assert out[1].follows == (0,)  # it waited for the sales step, which waited for the fix
    # a step the rules are sure of (a named channel or recipient, a deciding verb) stays
    sure = (rules[0], PlanSegment("sales", quote.text, confidence=DROP_KEEP, follows=(0,)), rules[2])
    assert cover(sure, _coverage(0.8, code=0.9, devops=0.9, sales=DROP_BELOW / 2), task, known=KNOWN) == sure


def test_a_plan_the_reader_is_sure_is_one_teams_task_is_none() -> None:
    task = _task([_clause("write the release notes"), _clause("dark mode", request=True)], {}, "content")
    rules = (PlanSegment("content", "write the release notes"), PlanSegment("code", "dark mode", confidence=0.6))
    assert cover(rules, _coverage(ONE_BELOW / 2, content=0.99, code=0.2), task, known=KNOWN) == ()
    # unless the rules are sure of every step ("switch the DNS and warn customers by email")
    sure = tuple(PlanSegment(s.team, s.text, confidence=RULES_SURE) for s in rules)
    assert cover(sure, _coverage(ONE_BELOW / 2, content=0.99, code=0.2), task, known=KNOWN) == sure
    # and a plan left with one team after a drop is none either
    assert cover(rules, _coverage(0.5, content=0.99, code=DROP_BELOW / 2), task, known=KNOWN) == ()


def test_a_one_team_task_gets_a_second_team_only_when_the_reader_is_sure_of_both_it_and_several() -> None:
    story, fix, tell = (_clause("the booking page shows the wrong times", request=False), _clause("sort that out"),
                        _clause("let the regulars know we are on it", refers=True))
    task = _task([story, fix, tell], {"sort that out": {"code": 3.0}, "the booking page shows the wrong times": {"code": 2.0},
                                      "let the regulars know we are on it": {"support": 2.5, "marketing": 1.0}}, "code")
    sure = _coverage(MULTI_SURE + 0.1, code=0.7, support=TWO_SURE + 0.1)
    out = cover((), sure, task, known=KNOWN)
    assert [s.team for s in out] == ["code", "support"]
    assert out[0].text == "the booking page shows the wrong times; sort that out"  # context goes with the request after it
    assert out[1].text == "let the regulars know we are on it" and out[1].follows == (0,)  # "it": after the fix
    assert out[0].confidence == 1.0 and out[1].confidence == pytest.approx(MULTI_SURE + 0.1)
    assert cover((), _coverage(MULTI_SURE - 0.1, code=0.7, support=0.9), task, known=KNOWN) == ()
    assert cover((), _coverage(0.9, code=0.7, support=TWO_SURE - 0.1), task, known=KNOWN) == ()
    assert cover((), sure, task, known=frozenset({"code"})) == ()  # a team this router does not have
    # heard only in the task's material (a list a friend sent): no second team
    material = TaskParts(task.clauses, task.classify, task.team, _coverage(0.9, code=0.7, support=TWO_SURE - 0.1))
    assert cover((), sure, material, known=KNOWN) == ()


def test_a_task_whose_clauses_cannot_be_split_goes_whole_to_each_team_only_when_the_reader_is_quite_sure() -> None:
    both = _clause("sort the booking page out and let the regulars know")
    task = _task([both], {both.text: {"code": 3.0, "support": 1.0}}, "code")
    out = cover((), _coverage(WHOLE_SURE, code=0.9, support=WHOLE_SURE), task, known=KNOWN)
    assert [(s.team, s.text) for s in out] == [("code", both.text), ("support", both.text)]
    assert out[1].confidence == pytest.approx(WHOLE_SURE) and out[0].confidence == 1.0
    assert cover((), _coverage(WHOLE_SURE - 0.05, code=0.9, support=0.95), task, known=KNOWN) == ()
    # a task that is all news from others or a title has no clause to give anyone
    assert cover((), _coverage(0.99, code=0.99, support=0.99), _task([], {}, "code"), known=KNOWN) == ()


def test_a_founders_own_team_in_the_plan_or_the_route_keeps_the_rules_plan() -> None:
    task = _task([_clause("draft the nda"), _clause("email it to the client")], {}, "legal")
    rules = (PlanSegment("legal", "draft the nda"), PlanSegment("sales", "email it to the client"))
    assert cover(rules, _coverage(0.01, sales=0.01), task, known=KNOWN) == rules


def test_the_shipped_reader_mends_real_plans() -> None:
    router = Router(builtin_team_profiles())
    plain = Router(builtin_team_profiles(), coverage=False)
    text = "Fix the timeout in the export and then tell the customers who reported it"
    plan = triage(router, text).plan
    assert plan.teams == triage(plain, text).plan.teams == ("code", "support")
    assert plan.waits_for("code", "support")
    notes = "Write the release notes for 2.4 from this changelog: dark mode, CSV import, faster search"
    assert triage(router, notes).plan.teams == ("content",)
    # a founder's correction keeps the mending (with_examples builds a new router)
    assert router.with_examples(()).route(text).is_multi_team


def test_a_task_given_whole_to_two_teams_keeps_the_order_its_words_state() -> None:
    router = Router(builtin_team_profiles())
    # the team's part is an elliptic piece of a "when ..., code the page with it" request: it waits as that request does
    plan = triage(router, "right now i need the landing page copy for the new 'Pro' plan. when the copy is ready, "
                          "code the new pricing page with it + a monthly/yearly toggle").plan
    assert set(plan.teams) == {"code", "marketing"} and plan.waits_for("marketing", "code")
    # "once the infra's there the app needs changing": code's words come after the condition, so code waits
    plan = triage(router, "um we're finally moving off heroku onto GCP. devops can you write the terraform for it, "
                          "Cloud Run, Cloud SQL, the lot, and then once the infra's there the app needs changing to read "
                          "its config from environment variables instead of that settings yaml file, that's a code "
                          "change").plan
    assert set(plan.teams) == {"code", "devops"} and plan.waits_for("devops", "code")


def test_the_readers_likeliest_team_leads_the_routing_only_when_half_sure_and_never_over_a_founders_team() -> None:
    ranked = [TeamScore("code", 0.6), TeamScore("support", 0.3), TeamScore("legal", 0.1)]
    switched = _coverage(0.1, support=0.8, code=0.2).rerank(ranked)
    assert [s.team for s in switched] == ["support", "code", "legal"]
    assert switched[0].score == pytest.approx(0.8 / (0.8 + 0.2))  # its share among the router's teams it knows
    agreed = _coverage(0.1, code=0.55, support=0.45).rerank(ranked)
    assert agreed[0] == TeamScore("code", 0.6) and agreed[1:] == ranked[1:]  # the router was surer (0.6 > 0.55)
    assert _coverage(0.1, code=0.9, support=0.1).rerank(ranked)[0] == TeamScore("code", pytest.approx(0.9))
    assert _coverage(0.1, support=ROUTE_SURE - 0.01).rerank(ranked) == ranked
    founders = [TeamScore("legal", 0.7), TeamScore("code", 0.3)]
    assert _coverage(0.1, code=0.99).rerank(founders) == founders


def test_a_router_sure_of_its_team_stands_against_a_reader_torn_between_two() -> None:
    sure = [TeamScore("devops", ROUTER_SURE), TeamScore("code", 1 - ROUTER_SURE)]
    torn = _coverage(0.1, code=0.9, devops=0.9 * (1 - SHARE_BELOW) / SHARE_BELOW)  # code's share: SHARE_BELOW
    assert torn.rerank(sure) == sure
    clear = _coverage(0.1, code=0.9, devops=0.1)  # code's share 0.9: the reader overrules even a sure router
    assert [s.team for s in clear.rerank(sure)] == ["code", "devops"]
    unsure = [TeamScore("devops", ROUTER_SURE - 0.1), TeamScore("code", 0.1)]
    assert [s.team for s in torn.rerank(unsure)] == ["code", "devops"]


def test_a_team_heard_only_in_the_material_does_not_lead_the_routing() -> None:
    ranked = [TeamScore("marketing", 0.5), TeamScore("code", 0.4)]
    whole = _coverage(0.9, code=1.0, marketing=0.9)  # "have the devs fix ..." in a list a friend sent
    assert whole.rerank(ranked, core=_coverage(0.0, code=CORE_BELOW / 2, marketing=1.0))[0].team == "marketing"
    assert whole.rerank(ranked, core=_coverage(0.0, code=0.6, marketing=0.9))[0].team == "code"
    assert whole.rerank(ranked)[0].team == "code"


def test_a_founders_correction_keeps_its_team_whatever_the_reader_hears() -> None:
    from agents.routing.router import RoutingExample
    text = "Write a blog post about keeping a tidy desk"
    router = Router(builtin_team_profiles())
    assert router.route(text).team == "content"
    corrected = router.with_examples([RoutingExample(text, "marketing", "correction")])
    decision = corrected.route(text)
    assert decision.team == "marketing" and "reassigned" in decision.rationale
