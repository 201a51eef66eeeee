"""The learned clause reader: its shipped weights, its arithmetic, and what it may and may not change."""

from __future__ import annotations

import json
import math

import pytest

from agents.routing.clauses import Clause
from agents.routing.learned import ClauseReader, TaskView, builtin_reader, clause_features
from agents.routing.router import Router, builtin_team_profiles
from agents.routing.segments import ClauseVerdict, SegmentRules, plan_segments

SIX = {"content", "code", "devops", "marketing", "sales", "support"}
PREFIXES = ("w:", "b:", "v:", "r:", "gap:", "top:", "conf:", "f:", "ft:", "agent:", "rt:", "rtc:", "rs:", "share:",
            "handed:", "nreq", "pos0")


def test_the_shipped_reader_knows_the_six_teams_and_only_features_the_code_makes() -> None:
    reader = builtin_reader()
    assert reader is not None and set(reader.classes) == SIX
    assert len(reader.intercept) == 6 and len(reader.weights) > 1000
    assert all(name.startswith(PREFIXES) for name in reader.weights), "retrain: the features changed"


def test_a_reader_file_of_another_format_or_shape_names_the_fix() -> None:
    good = ClauseReader(("a", "b"), (0.0, 0.0), {"w:x": (1.0, -1.0)}).to_json()
    assert ClauseReader.from_json(json.loads(json.dumps(good))).weights["w:x"] == (1.0, -1.0)
    with pytest.raises(ValueError, match="bench/clause_reader.py --write"):
        ClauseReader.from_json({**good, "format": 99})
    with pytest.raises(ValueError, match="retrain"):
        ClauseReader.from_json({**good, "weights": {"w:x": [1.0]}})


def test_probabilities_are_a_softmax_over_the_allowed_teams() -> None:
    reader = ClauseReader(("code", "content", "devops"), (0.0, 0.5, 0.0), {"w:deploy": (0.0, 0.0, 3.0)})
    p = reader.probabilities({"w:deploy": 1.0, "w:unknown": 1.0})
    assert math.isclose(sum(p.values()), 1.0) and max(p, key=p.get) == "devops"
    assert math.isclose(p["devops"], math.exp(3) / (1 + math.exp(0.5) + math.exp(3)))
    q = reader.probabilities({"w:deploy": 1.0}, allowed=frozenset({"code", "content"}))
    assert set(q) == {"code", "content"} and math.isclose(sum(q.values()), 1.0) and q["content"] > q["code"]


def _clause(bare: str, **flags: object) -> Clause:
    return Clause(bare, bare, True, **flags)  # type: ignore[arg-type]


def test_reread_moves_sure_requests_drops_unsure_ones_and_leaves_a_founder_team_alone() -> None:
    # a reader that reads "patch" as code's work and knows nothing of "hmm"
    reader = ClauseReader(("code", "devops"), (0.0, 0.0), {"w:patch": (4.0, -4.0)}, sure=0.6)
    patch, hmm, nda = _clause("patch the updater"), _clause("hmm the thing"), _clause("draft the nda")
    verdicts = {id(patch): ClauseVerdict("devops", 5.0, 0.7, scores=(("code", 2.0), ("devops", 5.0))),
                id(hmm): ClauseVerdict("devops", 5.0, 0.7, strong=True),
                id(nda): ClauseVerdict("legal", 9.0, 0.99)}
    task = TaskView.of([("devops", 0.6), ("code", 0.4)])
    out = reader.reread([patch, hmm, nda], verdicts, task, teams=frozenset({"code", "devops", "legal"}))
    assert out[id(patch)].team == "code" and out[id(patch)].raw >= SegmentRules().min_raw
    assert out[id(patch)].confidence > 0.9 and not out[id(patch)].strong
    assert out[id(hmm)].raw == 0.0 and out[id(hmm)].confidence == 0.5  # unsure: no clear step of its own
    assert id(nda) not in out  # the founder's own team: the rules' verdict stands


def test_a_team_the_founder_handed_another_part_to_is_not_taken_by_this_part() -> None:
    reader = ClauseReader(("content", "marketing"), (0.0, 0.0), {"w:post": (0.0, 3.0)})
    post, settle = _clause("write the launch post"), _clause("settle the positioning", agent="marketing")
    verdicts = {id(post): ClauseVerdict("content", 8.0, 0.7), id(settle): ClauseVerdict("marketing", 20.0, 1.0)}
    out = reader.reread([post, settle], verdicts, TaskView.of([("marketing", 0.7), ("content", 0.3)]),
                        teams=frozenset({"content", "marketing"}))
    assert out[id(post)].team == "content" and out[id(settle)].team == "marketing"


def test_plan_segments_uses_the_reread_verdicts() -> None:
    fix, deploy = _clause("fix the export"), _clause("ship it", then=True, refers=True)
    rules = {"fix the export": ClauseVerdict("code", 9.0, 0.9), "ship it": ClauseVerdict("code", 4.0, 0.6)}
    assert plan_segments([fix, deploy], lambda c: rules[c.bare]) == []
    segments = plan_segments([fix, deploy], lambda c: rules[c.bare],
                             reread=lambda requests, verdicts: {id(deploy): ClauseVerdict("devops", 6.0, 0.9)})
    assert [s.team for s in segments] == ["code", "devops"] and segments[1].follows == {0}


def test_features_carry_the_words_the_rules_scores_and_the_task() -> None:
    clause = _clause("roll it out to prod tonight", refers=True, then=True)
    verdict = ClauseVerdict("devops", 7.0, 0.8, strong=True, scores=(("devops", 7.0), ("code", 2.0)))
    other = _clause("fix the webhook")
    features = clause_features(clause, verdict, index=1, requests=[(other, ClauseVerdict("code", 9.0, 0.9)),
                                                                   (clause, verdict)],
                               task=TaskView.of([("code", 0.7), ("devops", 0.3)]), teams=("code", "devops"))
    assert features["v:roll"] == 1.0 and features["b:roll_it"] == 1.0 and features["f:then"] == 1.0
    assert features["ft:strong:devops"] == 1.0 and features["rt:code"] == 1.0 and features["share:devops"] == 0.5
    assert math.isclose(features["r:devops"], math.log1p(7.0)) and features["gap:code"] == pytest.approx(-0.5)
    assert "pos0" not in features


def test_who_is_written_to_after_a_fix_is_supports() -> None:
    """ "write to the shop owners who saw the error" after a fix and its rollout: the people a problem reached are
    told by support, for the rules (a lexicon phrase; "write" alone is content's) and for the reader alike."""
    rules = Router(builtin_team_profiles(), learned=False)
    text = "fix the checkout bug, deploy the fix tonight, then write to the shop owners who saw the error"
    readings = rules.clause_readings(text)
    reader = builtin_reader()
    assert [r.verdict.team for r in readings] == ["code", "devops", "support"]
    tops = []
    for reading in readings:
        p = reader.probabilities(reading.features)
        tops.append(max(p, key=p.get))
    assert tops == ["code", "devops", "support"]
    later = rules.clause_readings("fix the theme editor, deploy it tonight, then write to the shop owners about "
                                  "the new theme gallery")
    assert later[-1].verdict.team != "support"  # no problem reached them: writing to them is no support work


def test_readings_do_not_depend_on_the_hash_seed() -> None:
    """The reader's features (and so its weights, retrained) are the same in every process: a verb that two
    teams weigh alike once went to whichever team a set happened to list first."""
    import os
    import subprocess
    import sys

    script = ("from agents.routing.router import Router, builtin_team_profiles; r = Router(builtin_team_profiles(), "
              "learned=False); print([sorted(x.features.items()) for x in r.clause_readings("
              "\"need the inspection app's PDF template built, and a user guide for inspectors on how to customize "
              "the logo and sections\")])")
    outs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1 and "r:support" in next(iter(outs))
