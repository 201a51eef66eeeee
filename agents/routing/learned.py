"""The learned clause reader: which team each request of a task is for, read with the whole task in view.

The rules (agents/routing/router.py, segments.py) find a task's requests and score each on its own words.
That misses what a founder means when a clause's words lean elsewhere ("patch the updater" is code's
work even though "updater" sounds like ops) and when a lone clause is just part of the main work. A
multinomial logistic regression over the clause's words, the rules' scores and flags, and the whole
task's routing rereads each request; the rules keep deciding what is a request and the order.

The weights are trained from the labelled task sets in tests/data by ``bench/clause_reader.py --write``
(scikit-learn, a training-time tool only) and shipped as resources/routing/clause_reader.json; reading
them needs nothing but the standard library.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from agents.routing.clauses import Clause
from agents.routing.grammar import is_action
from agents.routing.list_words import PROBLEM_ITEM
from agents.routing.segments import SegmentRules, ClauseVerdict
from agents.routing.text import clean, stem, tokens

FORMAT_VERSION = 1
STRONG_KEEP = 0.8  # a rule verdict from a deciding verb ("announce", "deploy") is moved only when the reader is this sure
DEFAULT_SURE = 0.6  # a reread request is a step of its own only when the reader is at least this sure
_WORDS = 14
_BIGRAMS = 8
_FLAGS = ("then", "later", "first", "refers", "feeds", "elliptic", "empty", "listed", "speech", "elaborates")
_VERDICT_FLAGS = ("cued", "strong", "addressed")
_MIN_RAW = SegmentRules().min_raw


def _asks_a_fix(clause: Clause) -> bool:
    """A request to repair something, or a problem a to-do item states: support answers and sales sells, neither
    fixes (the rules' own verdict still stands when it says so)."""
    words = tokens(clean(clause.bare, max_chars=200))
    if _A_CUSTOMERS.search(clause.bare):
        return False  # "fix her invoice", "fix the double charge on his account": a billing correction is support's
    if words and words[0] in _FIX_VERBS:
        return True
    return clause.listed and bool(PROBLEM_ITEM.search(clause.bare)) and not is_action(clause.bare, frozenset())


_FIX_VERBS = frozenset("fix fixed repair debug patch hotfix".split())
_NO_FIXERS = frozenset({"support", "sales"})
_A_CUSTOMERS = re.compile(r"\b(?:her|his|their|customer'?s?|client'?s?|user'?s|account|charged?|refund|subscription)\b",
                          re.IGNORECASE)


def _ordered(clause: Clause) -> bool:
    """ "..., then build our pricing page", "... first": the text gives this request its place."""
    return clause.then or clause.first or clause.later


@dataclass(frozen=True)
class TaskView:
    """What the reader knows of the whole task: the router's team for it and every team's share."""

    team: str
    confidence: float
    scores: tuple[tuple[str, float], ...]

    @classmethod
    def of(cls, ranked: Sequence[tuple[str, float]]) -> TaskView:
        """From the router's ranking, best first."""
        return cls(ranked[0][0], ranked[0][1], tuple(ranked))


@dataclass(frozen=True)
class ClauseReading:
    """One request as the reader sees it: the clause, the rules' verdict and its features (what training reads)."""

    clause: Clause
    verdict: ClauseVerdict
    features: Mapping[str, float]


def clause_features(clause: Clause, verdict: ClauseVerdict, *, index: int,
                    requests: Sequence[tuple[Clause, ClauseVerdict]], task: TaskView,
                    teams: Iterable[str]) -> dict[str, float]:
    """The features of one request: its words, the rules' verdict and scores, its flags, the teams the other
    requests are handed to and the task's routing."""
    features: dict[str, float] = {}
    words = [stem(w) for w in tokens(clean(clause.bare, max_chars=400))]
    for word in words[:_WORDS]:
        features[f"w:{word}"] = 1.0
    for first, second in zip(words[:_BIGRAMS], words[1:_BIGRAMS + 1]):
        features[f"b:{first}_{second}"] = 1.0
    if words:
        features[f"v:{words[0]}"] = 1.0
    scores = dict(verdict.scores) or {verdict.team: verdict.raw}
    best = max(scores.values())
    for team in teams:
        score = max(0.0, scores.get(team, 0.0))
        features[f"r:{team}"] = math.log1p(score)
        features[f"gap:{team}"] = (score - best) / 10.0
    features[f"top:{verdict.team}"] = 1.0
    features[f"conf:{verdict.team}"] = verdict.confidence
    flags = [name for name in _VERDICT_FLAGS if getattr(verdict, name)]
    flags += [name for name in _FLAGS if getattr(clause, name)]
    for name in flags:
        features[f"f:{name}"] = 1.0
        features[f"ft:{name}:{verdict.team}"] = 1.0
    if clause.agent:
        features[f"agent:{clause.agent}"] = 1.0
    features[f"rt:{task.team}"] = 1.0
    features[f"rtc:{task.team}"] = task.confidence
    for team, share in task.scores:
        features[f"rs:{team}"] = share
    features[f"share:{verdict.team}"] = sum(1 for _, v in requests if v.team == verdict.team) / len(requests)
    features["nreq"] = min(len(requests), 6) / 6
    for n, (other, _) in enumerate(requests):
        if n != index and other.agent:  # "..., but only after marketing has settled it": this part is not marketing's
            features[f"handed:{other.agent}"] = 1.0
    if index == 0:
        features["pos0"] = 1.0
    return features


@dataclass(frozen=True)
class ClauseReader:
    """A multinomial logistic regression over clause features (classes: the built-in teams)."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]
    sure: float = DEFAULT_SURE

    def probabilities(self, features: Mapping[str, float], *, allowed: frozenset[str] | None = None) -> dict[str, float]:
        """Each class's probability (only the ``allowed`` ones, renormalised)."""
        logits = list(self.intercept)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for k, weight in enumerate(row):
                    logits[k] += weight * value
        keep = [k for k, team in enumerate(self.classes) if allowed is None or team in allowed]
        if not keep:
            return {}
        top = max(logits[k] for k in keep)
        exps = {self.classes[k]: math.exp(logits[k] - top) for k in keep}
        total = sum(exps.values())
        return {team: value / total for team, value in exps.items()}

    def features_of(self, requests: Sequence[Clause], verdicts: Mapping[int, ClauseVerdict],
                    task: TaskView) -> list[dict[str, float]]:
        pairs = [(c, verdicts[id(c)]) for c in requests]
        return [clause_features(c, v, index=n, requests=pairs, task=task, teams=self.classes)
                for n, (c, v) in enumerate(pairs)]

    def reread(self, requests: Sequence[Clause], verdicts: Mapping[int, ClauseVerdict], task: TaskView, *,
               teams: frozenset[str]) -> dict[int, ClauseVerdict]:
        """New verdicts for the requests whose rule verdict is a team the reader knows (a founder's own team's
        requests keep the rules' verdict). A request the reader is not sure of is no clear step of its own."""
        out: dict[int, ClauseVerdict] = {}
        if not requests:
            return out
        allowed = frozenset(teams) & frozenset(self.classes)
        handed = [c.agent for c in requests]
        for n, (clause, features) in enumerate(zip(requests, self.features_of(requests, verdicts, task), strict=True)):
            verdict = verdicts[id(clause)]
            if verdict.team not in allowed:
                continue
            # the founder handed another part to a team ("but only after marketing has settled the positioning"):
            # this part is not moved to that team
            others = frozenset(a for k, a in enumerate(handed) if k != n and a and a != clause.agent)
            fix = _asks_a_fix(clause)  # "fix it", "invoice PDF misses the VAT number" in a to-do list: no reply, no deal
            own_team = frozenset({verdict.team}) - (_NO_FIXERS if fix else frozenset())
            probabilities = self.probabilities(features, allowed=(allowed - others - (_NO_FIXERS if fix else frozenset()))
                                               | own_team)
            team = max(probabilities, key=lambda t: (probabilities[t], t == verdict.team))
            sure = probabilities[team]
            if sure < self.sure and (verdict.addressed or (team != verdict.team and _ordered(clause))):
                # "then mention it in the newsletter": a named channel or recipient stands when the reader is unsure,
                # and so does a request the text orders ("..., then build our pricing page")
                continue
            if (verdict.strong or verdict.addressed) and team != verdict.team and sure < STRONG_KEEP:
                # "Announce the EU region on LinkedIn", "then mention it in the newsletter": a deciding verb or a named
                # channel stands unless the reader is quite sure
                continue
            own = dict(verdict.scores).get(team, verdict.raw if team == verdict.team else 0.0)
            same = team == verdict.team
            out[id(clause)] = replace(verdict, team=team, confidence=sure, read=sure,
                                      raw=max(own, _MIN_RAW) if sure >= self.sure else 0.0,
                                      cued=verdict.cued and same, strong=verdict.strong and same)
        return out

    def to_json(self) -> dict[str, object]:
        return {"format": FORMAT_VERSION, "classes": list(self.classes), "intercept": list(self.intercept),
                "sure": self.sure, "weights": {name: list(row) for name, row in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ClauseReader:
        classes, intercept, weights = read_linear(data, what="clause reader",
                                                  fix="python bench/clause_reader.py --write")
        return cls(classes, intercept, weights, float(data.get("sure", DEFAULT_SURE)))  # type: ignore[arg-type]


def read_linear(data: Mapping[str, object], *, what: str,
                fix: str) -> tuple[tuple[str, ...], tuple[float, ...], dict[str, tuple[float, ...]]]:
    """A shipped linear model's classes, intercepts and weight rows (one weight per class), checked; an error
    names ``fix``, the command that retrains it."""
    if data.get("format") != FORMAT_VERSION:
        raise ValueError(f"{what} format {data.get('format')!r} is not {FORMAT_VERSION}: retrain it with `{fix}`")
    classes = tuple(str(c) for c in data["classes"])  # type: ignore[union-attr]
    weights = {str(name): tuple(float(w) for w in row)  # type: ignore[union-attr]
               for name, row in data["weights"].items()}  # type: ignore[union-attr]
    if any(len(row) != len(classes) for row in weights.values()):
        raise ValueError(f"{what} weights do not match its classes: retrain it with `{fix}`")
    return classes, tuple(float(b) for b in data["intercept"]), weights  # type: ignore[union-attr]


def shipped_model(name: str, *, trainer: str) -> Mapping[str, object]:
    """A trained model shipped in resources/routing (``name``), read; a missing file names ``trainer``, the bench
    script that writes it."""
    path = resources.files("resources.routing").joinpath(name)
    if not path.is_file():
        raise FileNotFoundError(f"resources/routing/{name} is missing from this install: reinstall Bureau "
                                f"(or, from a checkout, run `python bench/{trainer} --write`)")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def builtin_reader() -> ClauseReader:
    """The shipped reader (resources/routing/clause_reader.json)."""
    return ClauseReader.from_json(shipped_model("clause_reader.json", trainer="clause_reader.py"))
