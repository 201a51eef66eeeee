"""The coverage reader: which teams a whole task asks for, read as one bag of words, and how it mends a plan.

The rules find a task's requests clause by clause (segments.py) and the clause reader rereads each request's
team (learned.py). Both can only move what the rules found: a request phrased in a way no rule knows is lost
("... anyway the booking thing keeps double-booking, sort that, and a note to the regulars"), and a clause
that only sounds like a request makes a plan of a one-team task. The coverage reader reads the task whole:
one logistic regression per team ("does this task ask for this team's work?") and one for "does it ask for
several teams?", over the task's words, word pairs and the first words of its parts. Trained with whole
labelled sets held out, it finds the exact teams of a founder's multi-team task on new styles more often than
the clause rules do, and the two together more often than either alone.

It mends the rules' plan only where it is sure (the thresholds below): it drops a team it is sure is not
asked, adds a team it is sure is asked (its step is the part of the text that leans most to that team),
plans two teams where the rules found one, and keeps a one-team task whole when it is sure only one team is
asked and the rules are unsure of some step. A step it adds carries its probability as its confidence, so an
unsure plan waits for the founder. After the mending, the pieces pass (pieces.py) reads each piece of each
request alone with the same reader and gives a team the plan lacks a step of its own. The reader's likeliest team
also leads the whole task's routing when it is sure enough (``Coverage.rerank``), unless the team is heard only in
the task's material or the router is very sure of its own team and the reader is torn.

The weights are trained from tests/data by ``bench/coverage_reader.py --write`` (scikit-learn, a training-time
tool only) and shipped as resources/routing/coverage.json; reading them needs only the standard library.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from agents.routing.clauses import Clause
from agents.routing.learned import FORMAT_VERSION, read_linear, shipped_model  # the shared linear-model format
from agents.routing.openings import reads_as_report
from agents.routing.pieces import WAITED_FOR, first_clause, pieces, with_pieces
from agents.routing.segments import ClauseVerdict, PlanSegment, TeamScore
from agents.routing.text import clean, stem, tokens
from agents.routing.unasked import apology

MULTI = "multi"  # the class "this task asks for several teams"
MAX_CHARS = 4000
ADD_SURE = 0.7  # a team the rules missed joins a multi-team plan when the reader gives it this much (the step
#                 check, agents/routing/verify.py, then weighs every second team)
DROP_BELOW = 0.02  # a team of the rules' plan leaves it when the reader gives it less than this
DROP_KEEP = 0.9  # ... unless the rules are this sure of its step (a named channel or recipient, a deciding verb)
TWO_SURE = 0.2  # a one-team task gets a second team when the reader gives it this much ...
MULTI_SURE = 0.2  # ... and this much to several teams being asked
ROUTE_SURE = 0.5  # the whole task's team: the reader's likeliest team when it is at least this likely ...
CORE_BELOW = 0.05  # ... unless the task without its material gives it less than this (heard only in a pasted list)
ROUTER_SURE = 0.95  # ... unless the router is this sure of its own team ...
SHARE_BELOW = 0.6  # ... and the reader's team has no more than this share of the reader's teams
ONE_BELOW = 0.05  # a plan is one team's task after all when the reader gives "several teams" less than this ...
ALONE_SURE = 0.9  # ... or each of its steps read alone this surely its team's work
EACH_SURE = 0.9  # ... or the reader this sure of each of its teams
RULES_SURE = 0.85  # ... unless the rules are at least this sure of every step ("warn customers ... by email")
WHOLE_SURE = 0.8  # no clause leans to a second team: the whole task goes to each team only when this sure of it
PREFIX = 4  # a word's first letters stand for its kin ("insta", "instagram"; "questionar", "questionnaire")
_PARTS = re.compile(r"[.!?;:\n]+|,|\band\b|\bthen\b|\+|&|->")


def coverage_features(text: str) -> dict[str, float]:
    """A task's features: its stemmed words and word pairs, the first word (and pair) of each of its parts, and
    its length."""
    cleaned = clean(text, max_chars=MAX_CHARS)
    words = [stem(w) for w in tokens(cleaned)]
    features: dict[str, float] = {f"w:{w}": 1.0 for w in words}
    features.update((f"b:{a}_{b}", 1.0) for a, b in zip(words, words[1:]))
    features.update((f"p:{w[:PREFIX]}", 1.0) for w in words if len(w) > PREFIX)
    for part in _PARTS.split(cleaned):
        lead = [stem(w) for w in tokens(part)[:2]]
        if lead:
            features[f"s:{lead[0]}"] = 1.0
        if len(lead) == 2:
            features[f"s2:{lead[0]}_{lead[1]}"] = 1.0
    features["len"] = min(len(words), 200) / 200
    return features


@dataclass(frozen=True)
class Coverage:
    """One task as the reader sees it: how likely each team's work is asked for, and several teams at all."""

    teams: Mapping[str, float]
    multi: float

    def rerank(self, ranked: Sequence[TeamScore], *, core: Coverage | None = None) -> list[TeamScore]:
        """The router's ranking (best first) with the reader's say on the top: the reader's likeliest team leads
        when it is at least ``ROUTE_SURE`` likely, as sure as its share of the reader's teams (or the router, when
        they agree and the router is surer). A founder's own team at the top keeps its place: the reader knows
        nothing of it. ``core``: the reading of the task without its material; a team heard only in the material
        (a list a friend sent, a quoted email) does not lead."""
        known = {s.team for s in ranked if s.team in self.teams}
        if not ranked or ranked[0].team not in known:
            return list(ranked)
        likeliest = max(known, key=lambda t: self.teams[t])
        total = sum(self.teams[t] for t in known)
        if self.teams[likeliest] < ROUTE_SURE or not total:
            return list(ranked)
        if core is not None and core.teams[likeliest] < CORE_BELOW:
            return list(ranked)  # heard only in the material
        share = self.teams[likeliest] / total
        if ranked[0].score >= ROUTER_SURE and share <= SHARE_BELOW:
            return list(ranked)  # a router sure of its team stands against a reader torn between two
        if likeliest == ranked[0].team:
            return [TeamScore(likeliest, max(share, ranked[0].score)), *ranked[1:]]
        return [TeamScore(likeliest, share), *(s for s in ranked if s.team != likeliest)]

    def sure_teams(self, threshold: float) -> list[str]:
        """The teams at least this likely, likeliest first."""
        return sorted((t for t, p in self.teams.items() if p >= threshold), key=lambda t: -self.teams[t])


@dataclass(frozen=True)
class CoverageReader:
    """Independent logistic regressions, one per class (the built-in teams and ``MULTI``)."""

    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]

    def read(self, text: str) -> Coverage:
        logits = list(self.intercept)
        for name, value in coverage_features(text).items():
            row = self.weights.get(name)
            if row is not None:
                for k, weight in enumerate(row):
                    logits[k] += weight * value
        odds = {c: 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z)))) for c, z in zip(self.classes, logits, strict=True)}
        multi = odds.pop(MULTI, 0.0)
        return Coverage(odds, multi)

    def to_json(self) -> dict[str, object]:
        return {"format": FORMAT_VERSION, "classes": list(self.classes), "intercept": list(self.intercept),
                "weights": {name: list(row) for name, row in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CoverageReader:
        fix = "python bench/coverage_reader.py --write"
        classes, intercept, weights = read_linear(data, what="coverage reader", fix=fix)
        if MULTI not in classes:
            raise ValueError(f"coverage reader has no {MULTI!r} class: retrain it with `{fix}`")
        return cls(classes, intercept, weights)


@lru_cache(maxsize=1)
def builtin_coverage() -> CoverageReader:
    """The shipped reader (resources/routing/coverage.json)."""
    return CoverageReader.from_json(shipped_model("coverage.json", trainer="coverage_reader.py"))


@dataclass(frozen=True)
class TaskParts:
    """What the mending needs of a task as the rules read it: its clauses (without titles and news from
    others), a clause's rule verdict, the router's team for the whole task, and the reader's reading of the task
    without its material (a changelog, a list a friend sent, a quoted email): a one-team task gets a second team
    only when the task asks for it outside its material too."""

    clauses: Sequence[Clause]
    classify: Callable[[Clause], ClauseVerdict]
    team: str
    core: Coverage | None = None
    read: Callable[[str], Coverage] | None = None  # the reader on a piece of the task alone


def cover(segments: tuple[PlanSegment, ...], coverage: Coverage, task: TaskParts, *,
          known: frozenset[str]) -> tuple[PlanSegment, ...]:
    """The rules' steps mended where the coverage reader is sure; () for a one-team task.

    ``known``: the teams the reader may add (the router's teams it was trained on)."""
    involved = {s.team for s in segments} | {task.team}
    if not involved <= set(coverage.teams):
        return segments  # a founder's own team: the reader knows nothing of it
    return with_pieces(_mended(segments, coverage, task, known=known), coverage, task, known=known)


def _mended(segments: tuple[PlanSegment, ...], coverage: Coverage, task: TaskParts, *,
            known: frozenset[str]) -> tuple[PlanSegment, ...]:
    """The rules' steps with the whole task's reading applied: teams dropped, added, or a second team planned."""
    if not segments:
        if coverage.multi < MULTI_SURE or not task.clauses:
            return ()
        core = task.core or coverage
        extra = [t for t in coverage.sure_teams(TWO_SURE) if t != task.team and t in known and core.teams[t] >= TWO_SURE]
        return _planned(task, [task.team, *extra], coverage) if extra else ()
    if (coverage.multi < ONE_BELOW and min(s.confidence for s in segments) < RULES_SURE
            and not _each_heard(segments, coverage, task.core) and not _each_alone(segments, task)):
        return ()
    for gone in [s.team for s in segments if coverage.teams[s.team] < DROP_BELOW and s.confidence < DROP_KEEP]:
        segments = without_team(segments, gone)
    if len({s.team for s in segments}) < 2:
        return ()
    for team in coverage.sure_teams(ADD_SURE):
        if team in known and team not in {s.team for s in segments} and not _only_in_material(team, task.core):
            segments = _with(segments, team, coverage.teams[team], task)
    return segments


def _only_in_material(team: str, core: Coverage | None) -> bool:
    """The team is heard only in the task's material (a changelog's "fixed the bug ...", a pasted thread)."""
    return core is not None and core.teams[team] < CORE_BELOW


def _each_heard(segments: tuple[PlanSegment, ...], coverage: Coverage, core: Coverage | None) -> bool:
    """Every team of the rules' plan is one the reader is sure the task asks for ("- newsletter article: ...\n- IG
    calendar for april"), in the whole task or in the task without its material: the plan stands however unsure the
    reader is of several teams at all."""
    return all(max(coverage.teams[s.team], core.teams[s.team] if core else 0.0) >= EACH_SURE for s in segments)


def _each_alone(segments: tuple[PlanSegment, ...], task: TaskParts) -> bool:
    """Every step of the rules' plan, read alone, is its team's work beyond doubt ("add a --format=gitlab reporter to
    the CLI. and could someone proofread the CLI docs"): two plain requests side by side, which the whole task's
    reading hears as one team's when one of them is short."""
    if task.read is None:
        return False
    return all(task.read(s.text).teams.get(s.team, 0.0) >= ALONE_SURE for s in segments)


def leaning(clause: Clause, verdict: ClauseVerdict, team: str) -> float:
    """How much a clause leans to a team: its share of the clause's rule scores (a request counts more)."""
    scores = {t: max(0.0, s) for t, s in verdict.scores} or {verdict.team: max(verdict.raw, 0.0)}
    total = sum(scores.values())
    share = scores.get(team, 0.0) / total if total else 0.0
    return share * (1.0 if clause.request else 0.6)


def _best_clause(task: TaskParts, team: str, rivals: Sequence[str], taken: Sequence[int] = (), *,
                 said: bool = False) -> int | None:
    """The index of the clause that leans most to a team among those that lean to it more than to any rival
    (None: no clause's own words point to it, so the reader hears only material or context). Not a clause that
    says what a request before it tells ("reply with the workaround: rename the file first") unless ``said``."""
    best, where = 0.0, None
    for n, clause in enumerate(task.clauses):
        if n in taken or (not said and not clause.request and clause.elaborates) or apology(clause.bare):
            continue
        verdict = task.classify(clause)
        lean = leaning(clause, verdict, team)
        if lean > best and all(lean > leaning(clause, verdict, r) for r in rivals if r != team):
            best, where = lean, n
    return where


def _planned(task: TaskParts, teams: Sequence[str], coverage: Coverage) -> tuple[PlanSegment, ...]:
    """Steps for these teams from a task the rules read as one team's: each added team takes the clause that
    leans most to it, every other request the team it leans to most, context the request after it.

    When the rules' clauses cannot be split between the teams ("sort that out and let the regulars know"), each
    team the reader is quite sure of gets the whole task to do its part of it; else the task stays one team's."""
    owner: dict[int, str] = {}
    told: set[str] = set()  # teams heard only in what a request tells ("with the workaround: rename the file")
    for team in teams[1:]:
        n = _best_clause(task, team, teams, tuple(owner))
        if n is None and _best_clause(task, team, teams, tuple(owner), said=True) is not None:
            told.add(team)
        if n is not None and (task.clauses[n].request or not reads_as_report(task.clauses[n].bare)):
            owner[n] = team  # not "Lots of LatAm signups coming in from the Instagram campaign": what happened
    for n, clause in enumerate(task.clauses):
        if n not in owner and clause.request:
            owner[n] = max(teams, key=lambda t: (leaning(clause, task.classify(clause), t), t == teams[0]))
    asked = [t for t in teams if t in owner.values()]
    if len(asked) >= 2 and teams[0] in asked:
        return split_between(task, asked, owner, coverage)
    sure = [t for t in teams[1:] if min(coverage.teams[t], coverage.multi) >= WHOLE_SURE and t not in told]
    return _whole(task, [teams[0], *sure], coverage) if sure else ()


def _whole(task: TaskParts, teams: Sequence[str], coverage: Coverage) -> tuple[PlanSegment, ...]:
    """The whole task for each team, in the order of the clauses they lean to most ("build it. once live tell
    the prospects": the build first); a team whose clause says it comes later waits for the steps before it."""
    def lean(n: int, team: str) -> float:
        return leaning(task.clauses[n], task.classify(task.clauses[n]), team)

    spot = {t: max(range(len(task.clauses)), key=lambda n: (lean(n, t), -n)) for t in teams}
    place = {t: _piece_of(task, spot[t], t) for t in teams}  # two teams in one clause: where each one's words are
    whole = "; ".join(c.text for c in task.clauses)
    segments: list[PlanSegment] = []
    # "Once the servers are up, ...": a team heard most in a condition gives no order of its own (the stages do)
    waited = {t for t in teams if _heard_in_condition(task, spot[t], t)}
    order = sorted(teams, key=lambda t: (spot[t], place[t][0], t != task.team))
    for j, team in enumerate(order):
        clause = task.clauses[spot[team]]
        head = _head_of(task.clauses, spot[team])  # "..., code the new pricing page with it + a toggle"
        later = _says_later(clause) or _says_later(head) or place[team][1]
        apart = [k for k in range(j) if (spot[order[k]], place[order[k]][0]) != (spot[team], place[team][0])
                 and not {team, order[k]} & waited]
        segments.append(PlanSegment(team, whole, confidence=_sureness(team, task, coverage),  # the same words: no order
                                    follows=tuple(apart) if later else ()))
    return tuple(segments)


def _says_later(clause: Clause) -> bool:
    return clause.request and (clause.then or clause.later or clause.refers) and not clause.parallel


def _head_of(clauses: Sequence[Clause], n: int) -> Clause:
    """The clause whose verb an elliptic part shares ("code the new pricing page with it + a monthly toggle")."""
    while n > 0 and clauses[n].elliptic:
        n -= 1
    return clauses[n]


def _heard_in_condition(task: TaskParts, n: int, team: str) -> bool:
    """Whether a clause opens on a condition and is heard as the team's in the condition ("Once the servers are up,
    ..."), not in what it asks ("once the infra's there the app needs changing": code's words come after it)."""
    text = task.clauses[n].text
    opening = WAITED_FOR.match(text)
    if opening is None:
        return False
    if task.read is None:
        return True
    comma = text.find(",", opening.end())  # "Once the servers are up, ..."; "once the infra's there the app needs
    cut = comma if 0 <= comma and len(text[opening.end():comma].split()) <= 4 else opening.end()  # changing ..."
    condition, rest = text[:cut], text[cut:]
    if not rest.strip(" ,"):
        return True
    return task.read(condition).teams.get(team, 0.0) >= task.read(rest).teams.get(team, 0.0)


def _piece_of(task: TaskParts, n: int, team: str) -> tuple[int, bool]:
    """Which piece of a clause leans most to a team ("keyword research for X, then a blog post targeting it": the
    research's piece first) and whether the text says that piece comes later; (0, False) when no piece does."""
    if task.read is None:
        return 0, False
    parts = pieces(task.clauses[n].text)
    if len(parts) < 2:
        return 0, False
    read = [task.read(piece) for piece, _ in parts]
    best = max(range(len(parts)), key=lambda k: (read[k].teams.get(team, 0.0), -k))
    return (best, parts[best][1]) if read[best].teams.get(team, 0.0) >= max(read[best].teams.values()) else (0, False)


def _sureness(team: str, task: TaskParts, coverage: Coverage) -> float:
    """A step the reader added is as sure as the reader; the router's own team's step is the router's."""
    return 1.0 if team == task.team else min(coverage.teams[team], coverage.multi)


def split_between(task: TaskParts, asked: Sequence[str], owner: Mapping[int, str],
           coverage: Coverage) -> tuple[PlanSegment, ...]:
    """One step per team in the order its first clause comes; context joins the request after it; a step whose
    request says it comes later ("then", "once ...", "it") waits for the steps before it."""
    parts: dict[str, list[Clause]] = {}
    pending: list[Clause] = []
    last = ""
    for n, clause in enumerate(task.clauses):
        if n not in owner:
            pending.append(clause)
            continue
        last = owner[n]
        parts.setdefault(last, []).extend([*pending, clause])
        pending = []
    parts[last].extend(pending)
    segments: list[PlanSegment] = []
    for j, team in enumerate(sorted(asked, key=lambda t: task.clauses.index(parts[t][0]))):
        mine = parts[team]
        ordered = any((c.then or c.later or c.refers) and not c.parallel for c in mine if c.request)  # not "while that's happening"
        segments.append(PlanSegment(team, "; ".join(c.text for c in mine), confidence=_sureness(team, task, coverage),
                                    follows=tuple(range(j)) if ordered and j else ()))
    return tuple(segments)


def without_team(segments: tuple[PlanSegment, ...], team: str) -> tuple[PlanSegment, ...]:
    """The plan without a team's steps: their words join the step before (or after) them, and the steps that
    waited for them wait for what they waited for."""
    out = list(segments)
    while any(s.team == team for s in out):
        k = next(n for n, s in enumerate(out) if s.team == team)
        gone = out.pop(k)
        if out:
            host = max(k - 1, 0)
            out[host] = PlanSegment(out[host].team, f"{out[host].text}; {gone.text}" if host < k else
                                    f"{gone.text}; {out[host].text}", out[host].confidence,
                                    out[host].follows, out[host].parallel)

        def moved(follows: tuple[int, ...]) -> tuple[int, ...]:
            inherited = set(follows) | (set(gone.follows) if k in follows else set())
            return tuple(sorted(i - (i > k) for i in inherited if i != k))

        out = [PlanSegment(s.team, s.text, s.confidence, moved(s.follows), s.parallel) for s in out]
    return tuple(out)


_ALL_DONE = re.compile(r"\b(?:once|when|after)\s+(?:all|everything|both)\b", re.IGNORECASE)


def _with(segments: tuple[PlanSegment, ...], team: str, sure: float, task: TaskParts) -> tuple[PlanSegment, ...]:
    """The plan with a step for a team it missed: the clause that leans most to the team, in its place in the
    text; a clause that says it comes later ("then", "once ...", "it") waits for the steps before it."""
    n = _best_clause(task, team, [s.team for s in segments])
    if n is None or any(s.text == task.clauses[n].text for s in segments):
        return segments  # no clause's words point to it, or the one that does is another step's only part
    clause = task.clauses[n]
    at = sum(1 for s in segments if first_clause(s, task.clauses) < n)
    out = []
    for s in segments:
        kept = [p for p in s.text.split("; ") if p != clause.text]
        out.append(PlanSegment(s.team, "; ".join(kept), s.confidence,
                               tuple(i + (i >= at) for i in s.follows), s.parallel))
    follows = tuple(range(at)) if clause.request and (clause.then or clause.later or clause.refers) and not clause.parallel else ()
    out.insert(at, PlanSegment(team, clause.text, confidence=sure, follows=follows))
    for k in range(at + 1, len(out)):  # "pull the top questions. write an FAQ answering them": the step on them waits
        m = first_clause(out[k], task.clauses)
        if m == n + 1 < len(task.clauses) and task.clauses[m].request and task.clauses[m].refers and at not in out[k].follows:
            out[k] = PlanSegment(out[k].team, out[k].text, out[k].confidence, tuple(sorted({*out[k].follows, at})),
                                 out[k].parallel)
    hosts = {h + (h >= at) for h, s in enumerate(segments) if clause.text in s.text.split("; ")}
    for k in range(at + 1, len(out)):  # "fix the bug and apologize to them. Once all that's done, ...": the step that
        if hosts & set(out[k].follows) and at not in out[k].follows and _ALL_DONE.search(out[k].text):  # waits for all
            out[k] = PlanSegment(out[k].team, out[k].text, out[k].confidence, tuple(sorted({*out[k].follows, at})),
                                 out[k].parallel)
    if clause.first:
        out = [s if k == at else PlanSegment(s.team, s.text, s.confidence, tuple(sorted({*s.follows, at})), s.parallel)
               for k, s in enumerate(out)]
    return tuple(out)
