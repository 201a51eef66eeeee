"""The built-in task router: a fast, deterministic text classifier that picks the owning team.

It combines a hand-written weighted phrase lexicon (resources/routing/lexicon.json), a TF-IDF
nearest-neighbour vote over example tasks (resources/routing/examples.jsonl plus founder examples),
and a strong pull towards the founder's corrections. Pure stdlib: no Qt, no SQL, no `app` imports.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from agents.router_examples import ExampleIndex, IndexedExample, Neighbour, team_similarity
from agents.router_explain import Evidence, explain
from agents.router_lexicon import Lexicon, LexiconHit, builtin_settings, builtin_tiers, phrase_key
from agents.router_segments import ClauseVerdict, plan_segments, split_clauses
from agents.router_text import STOP_WORDS, clean, tokens

DEFAULT_CONFIDENT_THRESHOLD: float = 0.8
MAX_ROUTE_CHARS: int = 4000

_TEMPERATURE = 1.6
_KNN_WEIGHT = 12.0
_KNN_NEIGHBOURS = 12
_CORRECTION_WEIGHT = 20.0
_CORRECTION_FLOOR = 0.35
_SOURCE_WEIGHT = {"builtin": 1.0, "founder": 1.3, "correction": 1.5}
_LONG_TEXT_TOKENS = 40
_MAX_SEGMENT_CLAUSES = 10
_DESCRIPTION_SPLIT_RE = re.compile(r"[,;:.()/]|\band\b|\bor\b")


@dataclass(frozen=True)
class TeamProfile:
    """A team the router can choose: its name, charter and extra founder keywords."""

    name: str
    description: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoutingExample:
    """A labelled task text; source is "builtin", "founder" or "correction"."""

    text: str
    team: str
    source: str = "builtin"


@dataclass(frozen=True)
class TeamScore:
    """One team's share of the routing distribution (all teams sum to 1)."""

    team: str
    score: float


@dataclass(frozen=True)
class PlanSegment:
    """The part of a multi-team task that one team does."""

    team: str
    text: str


@dataclass(frozen=True)
class RouteDecision:
    """The router's answer for one task."""

    team: str
    confidence: float
    rationale: str
    alternatives: tuple[TeamScore, ...]
    segments: tuple[PlanSegment, ...] = ()

    @property
    def is_multi_team(self) -> bool:
        return len(self.segments) >= 2


@lru_cache(maxsize=1)
def _builtin_json() -> dict:
    text = resources.files("resources.routing").joinpath("lexicon.json").read_text(encoding="utf-8")
    return json.loads(text)


def builtin_team_profiles() -> tuple[TeamProfile, ...]:
    """The six built-in teams with their charters (from TEAMS.md)."""
    data = _builtin_json()
    return tuple(TeamProfile(name, data["charters"][name]) for name in data["team_order"])


@lru_cache(maxsize=1)
def load_builtin_examples() -> tuple[RoutingExample, ...]:
    """The built-in example tasks shipped in resources/routing/examples.jsonl."""
    text = resources.files("resources.routing").joinpath("examples.jsonl").read_text(encoding="utf-8")
    rows = (json.loads(line) for line in text.splitlines() if line.strip())
    return tuple(RoutingExample(row["text"], row["team"], "builtin") for row in rows)


def _description_phrases(description: str) -> list[tuple[str, float]]:
    """Phrases and words of a charter, for teams without a curated lexicon."""
    out: list[tuple[str, float]] = []
    for item in _DESCRIPTION_SPLIT_RE.split(description):
        words = [w for w in tokens(clean(item, max_chars=500)) if w not in STOP_WORDS]
        if 1 <= len(words) <= 4:
            out.append((" ".join(words), 2.0))
        out.extend((w, 0.75) for w in words if len(w) >= 4)
    return out


def _build_lexicon(teams: Sequence[TeamProfile], use_builtin: bool) -> Lexicon:
    settings = builtin_settings()
    lexicon = Lexicon(settings)
    if use_builtin:
        lexicon.add_tiers("neutral", builtin_tiers("neutral")[0])
    for profile in teams:
        phrases, coocs = builtin_tiers(profile.name) if use_builtin else ({}, {})
        lexicon.add_tiers(profile.name, phrases)
        lexicon.add_tiers(profile.name, coocs)
        if not phrases:
            for phrase, weight in _description_phrases(profile.description):
                lexicon.add_phrase(profile.name, phrase, weight)
            lexicon.add_phrase(profile.name, profile.name, 2.5)
        lexicon.add_phrase(profile.name, f"{profile.name} team", settings.team_mention_weight)
        for keyword in profile.keywords:
            lexicon.add_phrase(profile.name, keyword, 4.0 if len(phrase_key(keyword)) > 1 else 3.5)
    return lexicon


def _softmax(raw: dict[str, float]) -> dict[str, float]:
    peak = max(raw.values())
    exps = {team: math.exp((score - peak) / _TEMPERATURE) for team, score in raw.items()}
    total = sum(exps.values())
    return {team: value / total for team, value in exps.items()}


class Router:
    """Routes task texts to one of the given teams; immutable and deterministic."""

    def __init__(
        self,
        teams: Sequence[TeamProfile],
        *,
        examples: Sequence[RoutingExample] = (),
        use_builtin: bool = True,
    ) -> None:
        names = [t.name for t in teams]
        if not names or len(set(names)) != len(names):
            raise ValueError("Router needs at least one team and unique team names")
        self._teams = tuple(teams)
        self._names = tuple(names)
        self._use_builtin = use_builtin
        self._extra = tuple(examples)
        self._lexicon = _build_lexicon(self._teams, use_builtin)
        self._gists = {**builtin_settings().gists, **self._custom_gists(use_builtin)}
        pool = (load_builtin_examples() if use_builtin else ()) + self._extra
        known = [e for e in pool if e.team in set(names) and e.text.strip()]
        self._index = ExampleIndex([_indexed(e) for e in known], max_chars=MAX_ROUTE_CHARS)
        corrections = [_indexed(e) for e in known if e.source == "correction"]
        self._corrections = ExampleIndex(corrections, max_chars=MAX_ROUTE_CHARS)

    def _custom_gists(self, use_builtin: bool) -> dict[str, str]:
        builtin = set(builtin_settings().gists) if use_builtin else set()
        out = {}
        for profile in self._teams:
            if profile.name not in builtin:
                first = re.split(r"[:.;]", profile.description, maxsplit=1)[0].strip()
                out[profile.name] = first[:60] or f"the {profile.name} charter"
        return out

    @property
    def teams(self) -> tuple[TeamProfile, ...]:
        return self._teams

    def with_examples(self, examples: Sequence[RoutingExample]) -> Router:
        """A new router that also knows these examples (e.g. founder corrections)."""
        return Router(self._teams, examples=self._extra + tuple(examples), use_builtin=self._use_builtin)

    # -- scoring -------------------------------------------------------------------------
    def _evaluate(self, text: str) -> Evidence:
        hits_by_team: dict[str, list[LexiconHit]] = {name: [] for name in self._names}
        for hit in self._lexicon.match(text, max_chars=MAX_ROUTE_CHARS):
            if hit.team in hits_by_team:
                hits_by_team[hit.team].append(hit)
        neighbours = self._index.neighbours(text, limit=_KNN_NEIGHBOURS)
        knn = team_similarity(neighbours, self._names)
        raw = {name: sum(h.weight for h in hits_by_team[name]) + _KNN_WEIGHT * knn[name] for name in self._names}
        damping = min(1.0, math.sqrt(_LONG_TEXT_TOKENS / max(1, len(tokens(clean(text, max_chars=MAX_ROUTE_CHARS))))))
        raw = {name: score * damping for name, score in raw.items()}
        correction = self._apply_correction(text, raw)
        nearest: dict[str, Neighbour] = {}
        for n in neighbours:
            nearest.setdefault(n.example.team, n)
        return Evidence(raw, hits_by_team, nearest, correction)

    def _apply_correction(self, text: str, raw: dict[str, float]) -> Neighbour | None:
        """Pull strongly towards the team of a near-duplicate founder correction."""
        best = self._corrections.neighbours(text, limit=1) if len(self._corrections) else []
        if not best or best[0].similarity < _CORRECTION_FLOOR:
            return None
        strength = (best[0].similarity - _CORRECTION_FLOOR) / (1.0 - _CORRECTION_FLOOR)
        raw[best[0].example.team] += _CORRECTION_WEIGHT * strength
        return best[0]

    def _ranked(self, distribution: dict[str, float]) -> list[TeamScore]:
        order = {name: i for i, name in enumerate(self._names)}
        ranked = sorted(distribution.items(), key=lambda item: (-item[1], order[item[0]]))
        return [TeamScore(team, score) for team, score in ranked]

    def _classify_clause(self, clause: str) -> ClauseVerdict:
        evidence = self._evaluate(clause)
        top = self._ranked(_softmax(dict(evidence.raw)))[0]
        return ClauseVerdict(top.team, evidence.raw[top.team], top.score)

    def _segments(self, text: str) -> tuple[PlanSegment, ...]:
        clauses = split_clauses(text, self._lexicon.settings.action_verbs)
        if not 2 <= len(clauses) <= _MAX_SEGMENT_CLAUSES:
            return ()
        return tuple(PlanSegment(team, part) for team, part in plan_segments(clauses, self._classify_clause))

    # -- public --------------------------------------------------------------------------
    def route(self, text: str) -> RouteDecision:
        """Pick the owning team of a task (and the steps, when it clearly spans several teams)."""
        text = str(text or "")[:MAX_ROUTE_CHARS]
        evidence = self._evaluate(text)
        ranked = self._ranked(_softmax(dict(evidence.raw)))
        top = ranked[0]
        segments = self._segments(text)
        also = [s.team for s in segments if s.team != top.team]
        rationale = explain(
            top.team,
            ranked[1].team if len(ranked) > 1 else None,
            evidence,
            gists=self._gists,
            also=also,
        )
        return RouteDecision(top.team, top.score, rationale, tuple(ranked[1:]), segments)


def _indexed(example: RoutingExample) -> IndexedExample:
    return IndexedExample(example.text, example.team, _SOURCE_WEIGHT.get(example.source, 1.0))
