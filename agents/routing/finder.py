"""The team finder: a team the plan lacks that the task asks for after all.

The rules find requests clause by clause and the coverage reader mends their plan where it is sure (coverage.py,
pieces.py); the step check (verify.py) then drops the second teams it doubts. Most plans that still miss are
missing a team, not carrying one too many: a second ask written where the rules look for material or one list
("two unrelated things: nightly backups for the database and a careful proofread of Thursday's essay"), or one the
whole task's reading hears but no clause's rule words point to.

The finder weighs every team the plan lacks that the whole task gives at least a little weight. It reads the team's
best spot, the piece of a clause (or the clause) that leans most to it read alone, with what the planner knows of
the task: how likely the whole task, the task without its material and the spot ask for the team and for several
teams, whether the spot is a request or material, where it sits, its first words. A binary logistic regression
gives the chance the team is asked; a team at least ``ADD_AT`` likely gets the spot as a step of its own, in its
place in the text (pieces.py places it, and a spot that says it comes later waits for the steps before it). A one-team
task becomes a plan only this way, so the bar is high.

The weights are trained by ``bench/team_finder.py --write`` (scikit-learn, a training-time tool only) on plans made
by readers that never saw the task (whole sets held out), and shipped as resources/routing/team_finder.json.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from agents.routing.clauses import Clause
from agents.routing.coverage import Coverage, TaskParts, leaning, split_between
from agents.routing.learned import shipped_model
from agents.routing.lists import SENT_BY
from agents.routing.pasted import has_code_lines
from agents.routing.pieces import joined, pieces
from agents.routing.segments import ClauseVerdict, PlanSegment
from agents.routing.text import clean, stem, tokens
from agents.routing.verify import StepCheck, logit

ADD_AT = 0.95  # a team the plan lacks joins it when the finder gives it at least this much (a one-team task
#               becomes a plan only this way, so the bar is high: out of fold on 42,300 tasks, 0.8 took exact sets from
#               93.2 % to 94.3 % and false plans from 0.47 % to 0.78 %; 0.95 gives 93.7 % and 0.54 %, under 1 in 180)
HEARD_FLOOR = 0.02  # only a team the whole task gives at least this much is weighed (and learnt from) ...
ADD_FLOOR = 0.1  # ... and added only when the whole task gives it this much (out of fold, none under it was asked)
HEARD_AT = 0.6  # ... or, whatever the model says, when the whole task gives it this much ...
MULTI_AT = 0.9  # ... and the task reads as several teams' work at least this likely (0.5 until 2026-12-04 added
#                 a code step to writing tasks that only mention the app; the whole-task reader learns
#                 founders' wording; the rules and the model were shaped on the labelled sets, so on a new way of
#                 writing the reader's own sure hearing is the better guide: see README, "The team finder")
SPOT_FLOOR = 0.3  # an added team's step is a spot that gives it at least this much read alone ("handle it" is no
#                   marketing step, however sure the task is of marketing)
OWNED_SURE = 0.8  # a spot the rules read as a planned team's request this surely is no other team's (by the
#                   whole task's reading alone)
MAX_ADDED = 2  # teams the finder adds to one plan at most
MAX_CLAUSES = 12  # the clauses read for spots and the rules' leaning (a long paste's first ones)
_WORDS = 24
_MAX_CHARS = 600


@dataclass(frozen=True)
class Spot:
    """A piece of a clause (or a whole clause) read alone: where a missing team's step would come from."""

    clause: int  # the index of its clause in the task's clauses
    text: str
    later: bool  # the text says it comes after the work before it
    reading: Coverage
    request: bool = True  # its clause is a request, not context or material


def spots_of(clauses: Sequence[Clause], read: Callable[[str], Coverage]) -> list[Spot]:
    """Every clause's pieces and the clause itself (when it has several pieces), each read alone (the first
    ``MAX_CLAUSES`` clauses, but not material someone else wrote; a text repeated is read once)."""
    out: list[Spot] = []
    readings: dict[str, Coverage] = {}
    for n, clause in enumerate(clauses[:MAX_CLAUSES]):
        text = clause.text
        if clause.bare != text and SENT_BY.search(clause.bare):  # "Launch checklist a friend sent me: ...": the
            continue                                             # list someone else wrote asks for nothing
        parts = pieces(text)
        if len(parts) != 1:
            parts = [*parts, (text, False)]
        for piece, later in parts:
            if piece.strip() and not has_code_lines(piece):
                if piece not in readings:
                    readings[piece] = read(piece)
                out.append(Spot(n, piece, later, readings[piece], clause.request))
    return out


def best_spot(spots: Sequence[Spot], team: str) -> Spot | None:
    """The spot that leans most to a team: one where it is the likeliest team first, then a request's ("when it's
    running send them a revised quote", not the context "a school is ready to sign")."""
    if not spots:
        return None
    return max(spots, key=lambda s: (s.reading.teams.get(team, 0.0) >= max(s.reading.teams.values(), default=0.0),
                                     s.request, s.reading.teams.get(team, 0.0)))


def _apart(spot: Spot, task: TaskParts) -> bool:
    """A spot that is a part of the task, not all of it: a second ask stands apart from the task's own work (a
    whole clause is apart when another clause is a request, or when no clause is and the task has several)."""
    if spot.text != task.clauses[spot.clause].text:
        return True
    requests = [n for n, c in enumerate(task.clauses) if c.request]
    return any(n != spot.clause for n in requests) or (not requests and len(task.clauses) > 1)


def _owned(spot: Spot, task: TaskParts, involved: set[str]) -> bool:
    """Whether a spot is a request the rules are sure belongs to a team already in the plan ("staging TLS cert
    expired again, fix it": devops's, whatever the whole task's words say of code)."""
    clause = task.clauses[spot.clause]
    verdict = task.classify(clause)
    return clause.request and verdict.team in involved and verdict.sureness >= OWNED_SURE


def placed_spot(spots: Sequence[Spot], team: str, task: TaskParts) -> Spot | None:
    """Where an added team's step comes from: of the spots apart from the task's own work that give the team at least
    ``SPOT_FLOOR`` read alone, the one that leans most to it (one where it is the likeliest team first, a request's
    on a tie); None: the team has no place of its own in the text and is not added."""
    return max((s for s in spots if _apart(s, task) and s.reading.teams.get(team, 0.0) >= SPOT_FLOOR), default=None,
               key=lambda s: (s.reading.teams.get(team, 0.0) >= max(s.reading.teams.values(), default=0.0),
                              s.reading.teams.get(team, 0.0), s.request))


def finder_features(segments: Sequence[PlanSegment], team: str, *, own: str, heard: Coverage, core: Coverage,
                    spots: Sequence[Spot], clauses: Sequence[Clause],
                    classify: Callable[[Clause], ClauseVerdict] | None = None) -> dict[str, float]:
    """What the finder reads of one team the plan lacks (``own``: the task's own team; ``classify``: the rules'
    verdict on a clause, for how much the clauses' own words lean to the team)."""
    planned = {s.team for s in segments} or {own}
    p, q = heard.teams.get(team, 0.0), core.teams.get(team, 0.0)
    features: dict[str, float] = {f"t:{team}": 1.0, f"own:{own}": 1.0, f"pair:{own}>{team}": 1.0,
                                  "heard": p, "core": q, "multi": heard.multi, "core_multi": core.multi,
                                  "logit": logit(p), "core_logit": logit(q), "multi_logit": logit(heard.multi),
                                  f"heard:{team}": p, f"core:{team}": q, "own_heard": heard.teams.get(own, 0.0),
                                  "planned": min(len(planned), 4) / 4, f"planned:{len(planned)}": 1.0}
    rivals = sorted(heard.teams.values(), reverse=True)
    features["rank"] = float(sum(v > p for v in rivals)) / 6
    for other in sorted(planned - {own}):
        features[f"with:{other}>{team}"] = 1.0
    leans = [leaning(c, classify(c), team) for c in clauses[:MAX_CLAUSES]] if classify is not None else []
    if leans:
        features["lean"] = max(leans)
        features["lean_request"] = max((x for x, c in zip(leans, clauses) if c.request), default=0.0)
    spot = best_spot(spots, team)
    if spot is None:
        features["nospot"] = 1.0
        return features
    a = spot.reading.teams.get(team, 0.0)
    top = a >= max(spot.reading.teams.values(), default=0.0)
    features.update({"alone": a, "alone_logit": logit(a), f"alone:{team}": a, "alone_top": float(top),
                     "alone_own": spot.reading.teams.get(own, 0.0), "alone_multi": spot.reading.multi,
                     "later": float(spot.later), "first_clause": float(spot.clause == 0),
                     "last_clause": float(spot.clause == len(clauses) - 1),
                     "leaning": sum(1 for s in spots if s.reading.teams.get(team, 0.0) >= 0.3) / 4})
    clause = clauses[spot.clause]  # a spot is always one of these clauses' (spots_of)
    features["request"] = float(clause.request)
    features[f"request:{team}"] = float(clause.request)
    features["material"] = float(clause.bare != clause.text)
    if spot.clause < len(leans):
        features["lean_spot"] = leans[spot.clause]
    words = [stem(w) for w in tokens(clean(spot.text, max_chars=_MAX_CHARS))]
    features["spot_len"] = min(len(words), 30) / 30
    if words:
        features[f"v:{words[0]}"] = 1.0
        features[f"tv:{team}:{words[0]}"] = 1.0
    if len(words) >= 2:
        features[f"v2:{words[0]}_{words[1]}"] = 1.0
    for word in words[:_WORDS]:
        features[f"w:{word}"] = 1.0
    for first, second in zip(words[:_WORDS], words[1:_WORDS]):
        features[f"b:{first}_{second}"] = 1.0
    return features


@dataclass(frozen=True)
class TeamFinder:
    """The binary model (the step check's kind: a logistic regression over named features) and its bar."""

    model: StepCheck
    add_at: float = ADD_AT
    heard_at: float = HEARD_AT
    multi_at: float = MULTI_AT

    def adds(self, team: str, chance: float, heard: Coverage) -> bool:
        """Whether a team the plan lacks joins it: the model is sure, or the whole task's reading is."""
        p = heard.teams.get(team, 0.0)
        return (chance >= self.add_at and p >= ADD_FLOOR) or (p >= self.heard_at and heard.multi >= self.multi_at)

    def found(self, segments: tuple[PlanSegment, ...], *, task: TaskParts, heard: Coverage,
              known: frozenset[str]) -> tuple[PlanSegment, ...]:
        """The plan with a step for each team it lacks that the finder is sure of (likeliest first, at most
        ``MAX_ADDED``); () stays () unless a team joins. ``task.read`` reads a spot alone; ``known``: the teams the
        coverage reader knows (a founder's own team is never weighed)."""
        involved = {s.team for s in segments} | {task.team}
        if task.read is None or task.core is None or not task.clauses or not involved <= set(heard.teams):
            return segments
        wanted = [t for t in sorted(known) if t not in involved and heard.teams.get(t, 0.0) >= HEARD_FLOOR]
        if not wanted:
            return segments
        spots = spots_of(task.clauses, task.read)
        chances = {t: self.model.asked(finder_features(segments, t, own=task.team, heard=heard, core=task.core,
                                                        spots=spots, clauses=task.clauses, classify=task.classify))
                   for t in wanted}
        adding = sorted((t for t in wanted if self.adds(t, chances[t], heard)),
                        key=lambda t: (-max(chances[t], heard.teams[t]), t))[:MAX_ADDED]
        if not adding:
            return segments
        placed = sorted((spot.clause, spot.text, spot.later, team) for team in adding
                        if (spot := placed_spot(spots, team, task)) is not None
                        and (chances[team] >= self.add_at or not _owned(spot, task, involved)))
        if not placed:
            return segments
        whole = {n: team for n, text, _, team in placed if text == task.clauses[n].text}
        if not segments and len(whole) == len(placed) and any(c.request for n, c in enumerate(task.clauses)
                                                                  if n not in whole):
            # a one-team task whose added teams each take whole clauses: the clauses are shared out and the text
            # orders the steps ("Stand up a deployment for them, and when it's running send them a quote")
            owner = {**{n: task.team for n, c in enumerate(task.clauses) if c.request}, **whole}
            return split_between(task, [task.team, *whole.values()], owner, heard)
        plan = list(segments) or [PlanSegment(task.team, "; ".join(c.text for c in task.clauses), confidence=1.0)]
        for n, text, later, team in placed:
            sure = heard.teams[team] if chances[team] < self.add_at else min(chances[team], heard.teams[team])
            plan = joined(plan, task, n, text, later, team, sure)
        return tuple(plan)

    def to_json(self) -> dict[str, object]:
        return {**self.model.to_json(), "add_at": self.add_at, "heard_at": self.heard_at, "multi_at": self.multi_at}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> TeamFinder:
        model = StepCheck.from_json(data, what="team finder", fix="python bench/team_finder.py --write")
        return cls(model, float(data.get("add_at", ADD_AT)), float(data.get("heard_at", HEARD_AT)),  # type: ignore[arg-type]
                   float(data.get("multi_at", MULTI_AT)))  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def builtin_team_finder() -> TeamFinder:
    """The shipped finder (resources/routing/team_finder.json)."""
    return TeamFinder.from_json(shipped_model("team_finder.json", trainer="team_finder.py"))
