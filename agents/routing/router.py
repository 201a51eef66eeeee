"""The built-in task router: a fast, deterministic text classifier that picks the owning team.

It combines a hand-written weighted phrase lexicon (resources/routing/lexicon.json), a TF-IDF
nearest-neighbour vote over example tasks (resources/routing/examples.jsonl plus founder examples),
and a strong pull towards the founder's corrections. Pure stdlib: no Qt, no SQL, no `app` imports.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from agents.routing.letters import unwrapped
from agents.routing.spots import USES_MADE, holds_no_team
from agents.routing.examples import ExampleIndex, IndexedExample, Neighbour, labelled_examples_index, labelled_index, team_similarity
from agents.routing.explain import Evidence, explain
from agents.routing.objects import ObjectReading, read_object
from agents.routing.lexicon import Lexicon, LexiconHit, builtin_data, builtin_settings, builtin_tiers
from agents.routing.clause_cues import builtin_cues
from agents.routing.clauses import Clause, split
from agents.routing.context import NOT_ASKED, doers, finished, owned_as_context, plain_words, reports, without_team_news
from agents.routing.referents import antecedents_of, context_before, named_before
from agents.routing.learned import ClauseReader, ClauseReading, TaskView, builtin_reader, clause_features
from agents.routing.coverage import CoverageReader, TaskParts, builtin_coverage, cover, without_team
from agents.routing.scoring import cap_top, distinct_sum, softmax
from agents.routing.segments import ClauseVerdict, PlanSegment, Reread, TeamScore, plan_segments
from agents.routing.text import STOP_WORDS, clean, tokens
from agents.routing.finder import TeamFinder, builtin_team_finder
from agents.routing.pieces import said_later
from agents.routing.planned import Planned, deciding, past_the_doer
from agents.routing.verify import Marks, StepCheck, builtin_step_check, faint_dropped

DEFAULT_CONFIDENT_THRESHOLD: float = 0.8
MAX_ROUTE_CHARS: int = 4000

_KNN_WEIGHT = 16.0
_KNN_NEIGHBOURS = 12
_CORRECTION_WEIGHT = 20.0
_CORRECTION_FLOOR = 0.35
_SOURCE_WEIGHT = {"builtin": 1.0, "founder": 1.3, "correction": 1.5}  # in the neighbour vote
_PULL_WEIGHT = {"correction": 1.0, "founder": 0.7}  # pull of near-duplicate founder labels
_LONG_TEXT_TOKENS = 40
_STRONG_PHRASE = 3.0  # a direct phrase at least this heavy is real evidence
_STRONG_NEIGHBOUR = 0.5  # so is an example at least this similar
_WEAK_EVIDENCE_CAP = 0.7  # otherwise confidence stays below the autopilot threshold
_CONFLICT_TEAMS = 3  # this many teams with strong evidence: a muddled or multi-part task
_CONFLICT_CAP = 0.5
_MAX_SEGMENT_CLAUSES = 10
_CORE_SHARE = 0.6  # the requests' and context's share of the whole task's evidence when it has material
# "a help article that walks users through it", "a short FAQ they can give their IT team": the thing made decides
_RELATIVE = re.compile(r"\s(?:that|which)\s(?!is\b|are\b|was\b|were\b)|\s(?:telling|explaining|showing|walking|covering|"
                       r"describing)\s|\s(?:about|on)\s+(?:how|why|what|when|where)\s|"
                       r"\s(?:they|we|you|he|she|customers|users|people)\s+(?:can|could|will|would|should|may|might)\s",
                       re.IGNORECASE)
_TASK_LEAD_BONUS = 2.0  # the first unmistakable phrase of a whole task names its deliverable ("python script that ...")
_CLAUSE_LEAD_BONUS = 1.3
_WEAK_CLAUSE_RAW = 6.0  # a clause scoring below this on its own words is read with the context before it
_UNCLEAR = 0.3  # below every floor of a clear request
_STRONG_VERB = 4.0
_HANDED_RAW = 20.0  # "have support tell ...": the founder named the team
_KEYWORD_WEIGHT = 5.0  # founder keywords outrank every built-in phrase
_DESCRIPTION_ITEM_WEIGHT = 4.5  # a founder team's charter items ("NDAs", "privacy policy")
_DESCRIPTION_WORD_WEIGHT = 1.5
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


def builtin_team_profiles() -> tuple[TeamProfile, ...]:
    """The six built-in teams with their charters (from TEAMS.md)."""
    data = builtin_data()
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
            out.append((" ".join(words), _DESCRIPTION_ITEM_WEIGHT))
        out.extend((w, _DESCRIPTION_WORD_WEIGHT) for w in words if len(w) >= 3)
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
            lexicon.add_phrase(profile.name, keyword, _KEYWORD_WEIGHT)
    return lexicon


@dataclass(frozen=True)
class _Reading:
    """A task as read once: its clauses, the news in it, the ranking the steps are read with, the evidence
    and ranking its own team is decided with, and the task without its material ("": it has none)."""

    clauses: list[Clause]
    news: set[int]
    ranked: list[TeamScore]
    evidence: Evidence
    decided: list[TeamScore]
    core: str = ""


class Router:
    """Routes task texts to one of the given teams; immutable and deterministic."""

    def __init__(
        self,
        teams: Sequence[TeamProfile],
        *,
        examples: Sequence[RoutingExample] = (),
        use_builtin: bool = True,
        learned: bool = True,
        reader: ClauseReader | None = None,
        labelled: bool | Sequence[RoutingExample] = True,
        coverage: CoverageReader | bool = True,
        check: StepCheck | bool = True,
        finder: TeamFinder | bool = True,
    ) -> None:
        """``learned``: reread requests with the shipped clause reader (``reader``: with this one instead) and
        mend plans with the shipped coverage reader (``coverage``: with this one instead, or False: not at all);
        ``labelled``: the shipped labelled task sets vote on the whole task's team (or these examples instead,
        which is how bench/examples.py holds a set out); ``check``: drop the second teams of a plan the shipped
        step check doubts (or this check instead, or False: keep them); ``finder``: add the teams a plan lacks that the
        shipped team finder is sure of (or this finder instead, or False: none)."""
        names = [t.name for t in teams]
        if not names or len(set(names)) != len(names):
            raise ValueError("Router needs at least one team and unique team names")
        self._teams = tuple(teams)
        self._names = tuple(names)
        self._use_builtin = use_builtin
        self._reader = reader if reader is not None else builtin_reader() if use_builtin and learned else None
        self._coverage = (coverage if isinstance(coverage, CoverageReader) else
                          builtin_coverage() if coverage and use_builtin and learned else None)
        self._check = (check if isinstance(check, StepCheck) else
                       builtin_step_check() if check and self._coverage is not None else None)
        self._finder = (finder if isinstance(finder, TeamFinder) else
                        builtin_team_finder() if finder and self._coverage is not None else None)
        self._extra = tuple(examples)
        self._lexicon = _build_lexicon(self._teams, use_builtin)
        self._agents = _agent_names(self._teams, builtin_cues().agents if use_builtin else {})
        self._gists = dict(builtin_settings().gists) if use_builtin else {}
        pool = (load_builtin_examples() if use_builtin else ()) + self._extra
        known = [e for e in pool if e.team in set(names) and e.text.strip()]
        self._index = ExampleIndex([_indexed(e) for e in known], max_chars=MAX_ROUTE_CHARS)
        self._labelled_from = labelled  # the teams its sets know (a founder's own team is none of them):
        self._labelled_teams = frozenset(builtin_data()["team_order"] if labelled is True else (e.team for e in labelled or ()))
        self._own_labelled = None if isinstance(labelled, bool) else labelled_examples_index(
            ((e.text, e.team) for e in labelled if e.team in set(names)), max_chars=MAX_ROUTE_CHARS)
        founder_labels = [_indexed(e, _PULL_WEIGHT) for e in known if e.source in _PULL_WEIGHT]
        self._corrections = ExampleIndex(founder_labels, max_chars=MAX_ROUTE_CHARS)

    def _labelled(self) -> ExampleIndex | None:
        """The labelled task sets' index (the shipped one is built on first use, once per process)."""
        if self._own_labelled is not None:
            return self._own_labelled
        return labelled_index(MAX_ROUTE_CHARS) if self._use_builtin and self._labelled_from is True else None

    @property
    def teams(self) -> tuple[TeamProfile, ...]:
        return self._teams

    def with_examples(self, examples: Sequence[RoutingExample]) -> Router:
        """A new router that also knows these examples (e.g. founder corrections)."""
        return Router(self._teams, examples=self._extra + tuple(examples), use_builtin=self._use_builtin,
                      learned=self._reader is not None, reader=self._reader, labelled=self._labelled_from,
                      coverage=self._coverage or False)

    # -- scoring -------------------------------------------------------------------------
    def _evaluate(self, text: str, *, whole: bool = False, wide: bool = False) -> Evidence:
        """``whole``: a whole task, whose first unmistakable phrase usually names the deliverable (a clause's
        first phrase is often its verb's, which the clause cues weigh already)."""
        return self._evaluations(text, whole=whole, wide=wide)[-1]

    def _evaluations(self, text: str, *, whole: bool = False, wide: bool = False) -> tuple[Evidence, ...]:
        """The evidence without the labelled task sets' vote and, when ``wide`` and they are loaded, with it: the
        lexicon, the examples and the text's length are read once for both."""
        hits_by_team: dict[str, list[LexiconHit]] = {name: [] for name in self._names}
        bonus = _TASK_LEAD_BONUS if whole else _CLAUSE_LEAD_BONUS
        for hit in self._lexicon.match(text, max_chars=MAX_ROUTE_CHARS, lead_bonus=bonus):
            if hit.team in hits_by_team:
                hits_by_team[hit.team].append(hit)
        neighbours = self._index.neighbours(text, limit=_KNN_NEIGHBOURS)
        votes = [neighbours]
        labelled = self._labelled() if wide else None
        if labelled is not None:  # the whole task's team: the labelled task sets vote too
            found = neighbours + labelled.neighbours(text, limit=_KNN_NEIGHBOURS)
            votes.append(sorted(found, key=lambda n: -n.similarity)[:_KNN_NEIGHBOURS])
        n_tokens = max(1, len(tokens(clean(text, max_chars=MAX_ROUTE_CHARS))))
        damping = min(1.0, (_LONG_TEXT_TOKENS / n_tokens) ** 0.25)
        out = []
        for vote in votes:
            knn = team_similarity(vote, self._names)
            raw = {name: (distinct_sum(hits_by_team[name]) + _KNN_WEIGHT * knn[name]) * damping for name in self._names}
            correction = self._apply_correction(text, raw)
            nearest: dict[str, Neighbour] = {}
            for n in vote:
                nearest.setdefault(n.example.team, n)
            out.append(Evidence(raw, hits_by_team, nearest, correction))
        return tuple(out)

    def _apply_correction(self, text: str, raw: dict[str, float]) -> Neighbour | None:
        """Pull strongly towards the team of a near-duplicate founder correction."""
        best = self._corrections.neighbours(text, limit=1) if len(self._corrections) else []
        if not best or best[0].similarity < _CORRECTION_FLOOR:
            return None
        strength = (best[0].similarity - _CORRECTION_FLOOR) / (1.0 - _CORRECTION_FLOOR)
        raw[best[0].example.team] += _CORRECTION_WEIGHT * strength * best[0].example.weight
        return best[0]

    def _distribution(self, evidence: Evidence) -> dict[str, float]:
        """Softmax over raw scores, flattened towards uniform when the winner lacks strong evidence."""
        distribution = softmax(dict(evidence.raw))
        strong = [team for team in self._names if _has_strong_evidence(team, evidence)]
        top = max(distribution, key=lambda team: distribution[team])
        if len(strong) >= _CONFLICT_TEAMS:
            return cap_top(distribution, _CONFLICT_CAP)
        if top not in strong:
            return cap_top(distribution, _WEAK_EVIDENCE_CAP)
        return distribution

    def _ranked(self, distribution: dict[str, float]) -> list[TeamScore]:
        order = {name: i for i, name in enumerate(self._names)}
        ranked = sorted(distribution.items(), key=lambda item: (-item[1], order[item[0]]))
        return [TeamScore(team, score) for team, score in ranked]

    def _classify_clause(self, clause: Clause | str, antecedent: str = "") -> ClauseVerdict:
        """One clause on its own, with the cues of its leading verb and addressee.

        A clause with nothing but a verb and pronouns ("fix it", "answer what you can") whose verb
        says little on its own is read with the words of the thing it is about (``antecedent``).
        """
        bare = clause.bare if isinstance(clause, Clause) else str(clause)
        cues = builtin_cues()
        if isinstance(clause, Clause) and clause.agent in self._names:  # "get the devs to ...": the founder said
            return ClauseVerdict(clause.agent, _HANDED_RAW, 1.0, cued=True, addressed=True, strong=True)
        addressed = self._use_builtin and cues.addressed(bare)
        read = bare
        if (antecedent and isinstance(clause, Clause) and clause.empty and not addressed
                and max(cues.verb_weight(bare), self._verb_weight(bare)) < _STRONG_VERB):  # "then redeploy": the verb says
            read = f"{bare} {antecedent}"
        evidence = self._evaluate(plain_words(read))
        relative = _RELATIVE.search(read)
        if relative is not None and len(read[:relative.start()].split()) >= 3:
            # "write a help article that walks users through it": the thing made decides, its description weighs in
            evidence = evidence.with_less_material(self._evaluate(read[:relative.start()]), share=_CORE_SHARE)
        extra = cues.scores(bare, frozenset(self._names)) if self._use_builtin else {}
        verb_cues = cues.verb_scores(bare, frozenset(self._names)) if self._use_builtin else {}
        reading = self._read_object(bare, verb_cues)
        if extra or reading.adjust:
            raw = {team: max(0.0, score + extra.get(team, 0.0) + reading.adjust.get(team, 0.0))
                   for team, score in evidence.raw.items()}
            evidence = Evidence(raw, evidence.hits, evidence.nearest, evidence.correction)
        top = self._ranked(self._distribution(evidence))[0]
        cued = self._use_builtin and cues.verb_team(bare) == top.team
        strong = cued and cues.verb_weight(bare) >= _STRONG_VERB
        others = (("object", reading.object_team), ("examples", evidence.nearest_team(_STRONG_NEIGHBOUR)))
        disagree = tuple(name for name, team in others if team is not None and team != top.team)
        return ClauseVerdict(top.team, evidence.raw[top.team], top.score, cued=cued, addressed=addressed,
                             strong=strong, disagree=disagree, scores=tuple(evidence.raw.items()))

    def _verb_hits(self, bare: str) -> dict[str, float]:
        """The lexicon's weight per team on a clause's leading word alone ("redeploy": devops)."""
        words = bare.split()
        verb_hits: dict[str, float] = {}
        for hit in self._lexicon.match(" ".join(words[:2]), max_chars=200) if words else ():
            if hit.direct and hit.position == 0:
                verb_hits[hit.team] = verb_hits.get(hit.team, 0.0) + hit.weight
        return verb_hits

    def _verb_weight(self, bare: str) -> float:
        return max(self._verb_hits(bare).values(), default=0.0)

    def _read_object(self, bare: str, verb_cues: Mapping[str, float]) -> ObjectReading:
        verb_hits = self._verb_hits(bare)
        return read_object(bare, lambda text: self._lexicon.match(text, max_chars=400), verb_cues, verb_hits,
                           made=builtin_cues().makes)

    def _core(self, clauses: Sequence[Clause], store: Sequence[str], news: set[int]) -> str:
        """The task without its material (quotes, lists after a colon, parentheses), the news from others in it
        and what it says is not to be done; "" when it has none of these."""
        kept = [c for c in clauses if not c.title and id(c) not in news and not NOT_ASKED.match(c.bare)
                and not USES_MADE.match(c.text.strip())]  # "using the deck marketing made": what the work reads
        if not store and len(kept) == len([c for c in clauses if not c.title]):
            return ""
        core = " ".join(c.bare for c in kept)
        return core if len(core.split()) >= 3 else ""

    def _classifier(self, clauses: Sequence[Clause], news: set[int]) -> Callable[[Clause], ClauseVerdict]:
        """A clause's rule verdict, read with what the task named and said before it (once per clause)."""
        antecedents = antecedents_of(clauses, self._agents)
        named = named_before(clauses)
        context = context_before([c for c in clauses if id(c) not in news])
        seen: dict[int, ClauseVerdict] = {}

        def classify(clause: Clause) -> ClauseVerdict:
            if id(clause) in seen:
                return seen[id(clause)]
            if id(clause) in named:  # "then share the tutorial in the newsletter": read without the thing made before
                read, antecedent, said = replace(clause, bare=named[id(clause)]), "", ""
            else:
                read, antecedent, said = clause, antecedents.get(id(clause), ""), context.get(id(clause), "")
            own = without_team_news(read.bare, self._agents)  # "..., support's got the replies covered, you just get it back up"
            read = replace(read, bare=own) if own != read.bare and len(own.split()) >= 2 else read
            verdict = self._classify_clause(read, antecedent)
            if said and verdict.raw < _WEAK_CLAUSE_RAW and not (verdict.cued or verdict.addressed or read.agent):
                # "The CRM is a mess. Go through the pipeline": a weak clause is about what the task said before it;
                # when that reading points elsewhere, the clause is no clear request for a team of its own
                about = self._classify_clause(replace(read, bare=f"{read.bare} {said}"), "")
                if about.team != verdict.team:
                    verdict = replace(verdict, confidence=min(verdict.confidence, _UNCLEAR))
            seen[id(clause)] = verdict
            return verdict

        return classify

    def _thing_team(self, thing: str) -> str | None:
        """The team whose work ``thing`` is ("release notes for 3.4" -> content), or None when nothing says."""
        raw = self._evaluate(thing).raw
        return max((team for team in raw if raw[team] > 0), key=lambda team: raw[team], default=None)

    def _segments(self, clauses: Sequence[Clause], news: set[int], reread: Reread | None,
                  classify: Callable[[Clause], ClauseVerdict] | None = None, *, done: frozenset[str] = frozenset(),
                  ) -> tuple[PlanSegment, ...]:
        if not 2 <= sum(c.request for c in clauses) <= _MAX_SEGMENT_CLAUSES:
            return ()
        return tuple(PlanSegment(s.team, s.text, confidence=s.confidence, follows=tuple(sorted(s.follows)),
                                 parallel=s.parallel)
                     for s in plan_segments(clauses, classify or self._classifier(clauses, news), reread=reread, done=done))

    def _read(self, text: str, *, wide: bool = False) -> _Reading:
        """The task's clauses, the news from others in it, and the whole task's evidence and ranking (``wide``:
        also as the labelled task sets see it, for the task's own team)."""
        words = plain_words(text)  # "Marketing's A/B test says ...": who asks, not what is asked
        clauses, store = split(text, self._lexicon.settings.action_verbs, agents=self._agents)
        clauses = owned_as_context(clauses, self._agents)  # "marketing handles sending it, I just need the article"
        news = {id(c) for c in clauses if not c.request and reports(c.bare, self._agents)}  # "Support says ..."
        core = self._core(clauses, store, news)

        judged = self._evaluations(words, whole=True, wide=wide)  # without the labelled sets' vote, then with it
        if core:
            judged = tuple(full.with_less_material(less, share=_CORE_SHARE) for full, less in
                           zip(judged, self._evaluations(core, whole=True, wide=wide), strict=True))
        ranked = self._ranked(self._distribution(judged[0]))
        if len(judged) > 1 and ranked[0].team in self._labelled_teams:  # not "Update the privacy policy": the
            return _Reading(clauses, news, ranked, judged[1], self._ranked(self._distribution(judged[1])), core)  # legal
        return _Reading(clauses, news, ranked, judged[0], ranked, core)

    def _reread(self, ranked: Sequence[TeamScore]) -> Reread | None:
        reader = self._reader
        if reader is None:
            return None
        task = TaskView.of([(s.team, s.score) for s in ranked])
        names = frozenset(self._names)
        return lambda requests, verdicts: reader.reread(requests, verdicts, task, teams=names)

    # -- public --------------------------------------------------------------------------
    def clause_readings(self, text: str) -> tuple[ClauseReading, ...]:
        """The requests that may be steps, with the rules' verdicts and the learned reader's features (what
        ``bench/clause_reader.py`` trains on); () for a task with fewer than two requests."""
        text = unwrapped(str(text or "")[:MAX_ROUTE_CHARS])  # "Hey all, ... Thanks! — Maya"
        read = self._read(text)
        clauses, news, ranked = read.clauses, read.news, read.ranked
        task = TaskView.of([(s.team, s.score) for s in ranked])
        seen: list[ClauseReading] = []

        def record(requests: Sequence[Clause], verdicts: Mapping[int, ClauseVerdict]) -> dict[int, ClauseVerdict]:
            pairs = [(c, verdicts[id(c)]) for c in requests]
            seen.extend(ClauseReading(c, v, clause_features(c, v, index=n, requests=pairs, task=task, teams=self._names))
                        for n, (c, v) in enumerate(pairs))
            return {}

        self._segments(clauses, news, record)
        return tuple(seen)

    def route(self, text: str) -> RouteDecision:
        """Pick the owning team of a task (and the steps, when it clearly spans several teams)."""
        planned = self.planned(text)
        segments, top = planned.segments, planned.ranked[0]
        reader, heard, core = self._coverage, planned.heard, planned.core
        if self._check is not None and reader is not None and heard is not None and core is not None:
            segments = self._check.checked(segments, team=top.team, heard=heard, core=core, read=reader.read,
                                           without=without_team)
        if self._finder is not None and heard is not None and planned.task is not None:
            segments = self._finder.found(segments, task=planned.task, heard=heard, known=frozenset(self._names) - planned.done)
        if self._check is not None and heard is not None:
            parts = planned.task.clauses if planned.task is not None else ()
            segments = faint_dropped(segments, team=top.team, heard=heard, without=without_team,
                                     marks=Marks.of(parts, self._agents))
        segments = said_later(segments)
        also = [s.team for s in segments if s.team != top.team]
        ranked, phrases = planned.ranked, planned.phrases
        rationale = explain(top.team, ranked[1].team if len(ranked) > 1 else None, planned.evidence,
                            gists=self._gists, also=also, overrules=phrases if phrases != top.team else None)
        return RouteDecision(top.team, top.score, rationale, tuple(ranked[1:]), segments)

    def planned(self, text: str) -> Planned:
        """The task's routing and its plan before the step check, with the coverage readings the check reads."""
        text = unwrapped(str(text or "")[:MAX_ROUTE_CHARS])  # "Hey all, ... Thanks! — Maya"
        read = self._read(text, wide=True)
        evidence, ranked = read.evidence, read.decided  # the team: with the labelled task sets' vote
        heard = self._coverage.read(text) if self._coverage is not None else None
        in_core = self._coverage.read(read.core) if self._coverage is not None and read.core else heard
        phrases = ranked[0].team
        if heard is not None and evidence.correction is None:  # a founder's correction stands
            ranked = heard.rerank(ranked, core=in_core)
        classify = self._classifier(read.clauses, read.news)
        said = [c.text for c in read.clauses if not c.request]
        done = doers(said, self._agents, asks=[c.text for c in read.clauses if c.request])  # "Devops finished the cluster"
        made = {t for t in map(self._thing_team, finished(said)) if t}  # "release notes are up": no content step
        asked, requests = deciding(read.clauses, read.news, done, self._agents)  # a finished thing's team is only guessed:
        ranked = past_the_doer(ranked, [classify(c) for c in asked], (done | made) if requests else done)  # no doer past no request
        top = ranked[0]
        segments = self._segments(read.clauses, read.news, self._reread(read.ranked), classify, done=done)
        task = None
        if heard is not None and self._coverage is not None:  # mended where the whole task's reading is sure
            parts = [c for c in read.clauses if not c.title and id(c) not in read.news and not holds_no_team(c)]
            task = TaskParts(parts, classify, top.team, in_core, self._coverage.read)
            segments = cover(segments, heard, task, known=frozenset(self._names) - done - made)
        return Planned(tuple(ranked), evidence, phrases, segments, heard, in_core, task, done | made)


def _agent_names(teams: Sequence[TeamProfile], builtin: Mapping[str, str]) -> dict[str, str]:
    """Names a founder hands work to, per team: the built-in ones ("devs", "ops") and each team's own name."""
    names = {name: team for name, team in builtin.items() if team in {t.name for t in teams}}
    for profile in teams:
        names.setdefault(profile.name.casefold(), profile.name)
        names.setdefault(f"{profile.name.casefold()} team", profile.name)
    return names


def _has_strong_evidence(team: str, evidence: Evidence) -> bool:
    if evidence.correction is not None and evidence.correction.example.team == team:
        return True
    nearest = evidence.nearest.get(team)
    if nearest is not None and nearest.similarity >= _STRONG_NEIGHBOUR:
        return True
    return any(h.direct and h.weight >= _STRONG_PHRASE for h in evidence.hits.get(team, ()))


def _indexed(example: RoutingExample, weights: Mapping[str, float] = _SOURCE_WEIGHT) -> IndexedExample:
    return IndexedExample(example.text, example.team, weights.get(example.source, 1.0), example.source)
