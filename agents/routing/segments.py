"""Multi-team detection: the task's requests, the team each one asks for, and what the text says about order.

A plan needs at least two requests that each clearly ask for a different team. Context clauses,
material (quotes, lists after a colon, parentheses) and unclear requests stay with the step
they belong to. Order comes from the words: "then", "once that's done", "... first", "it"/"them"
(about earlier work), "the page it links to" (an input to earlier work).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from agents.routing.clauses import Clause, split
from agents.routing.grammar import first_word, strip_lead
from agents.routing.text import stem, tokens
from agents.routing.verbs import is_base_verb

__all__ = ["ClauseVerdict", "PlanSegment", "TeamScore", "SegmentRules", "Segment", "acts", "plan_segments", "split_clauses",
           "split"]


STRUCTURAL_SURENESS = 0.9
# A clause whose signals disagree (its verb, the head of its object, its nearest examples) is not sure enough
# for autopilot, however high its score: the plan waits for the founder.
DISAGREEING_SURENESS = 0.75


@dataclass(frozen=True)
class ClauseVerdict:
    """How the router scores one clause on its own."""

    team: str
    raw: float
    confidence: float
    cued: bool = False  # the clause's leading verb points to the same team
    addressed: bool = False  # the clause names who it is for ("tell our leads", "post on linkedin")
    strong: bool = False  # its leading verb alone decides its team ("deploy it", "refund them")
    disagree: tuple[str, ...] = ()  # signals that point to another team ("object", "examples")
    scores: tuple[tuple[str, float], ...] = ()  # every team's raw score for the clause (what a learned reader weighs)
    read: float = 0.0  # how sure the learned reader is of ``team`` (0: not reread)

    @property
    def sureness(self) -> float:
        """How sure the clause's team is: a named recipient or a deciding verb is sure whatever the words;
        a clause whose own signals disagree is never sure enough for autopilot."""
        if self.addressed or self.strong:
            return max(self.confidence, STRUCTURAL_SURENESS)
        return min(self.confidence, DISAGREEING_SURENESS) if self.disagree else self.confidence


@dataclass(frozen=True)
class TeamScore:
    """One team's share of the routing distribution, or how sure the CEO is of the team that leads it."""

    team: str
    score: float


@dataclass(frozen=True)
class PlanSegment:
    """The part of a multi-team task that one team does.

    ``follows`` holds the indices of the other segments whose work must come first, as the text
    says it; ``parallel`` marks a part the text says runs alongside the others.
    """

    team: str
    text: str
    confidence: float = 1.0
    follows: tuple[int, ...] = ()
    parallel: bool = False


@dataclass(frozen=True)
class SegmentRules:
    """When a request counts as a clear request for its team."""

    min_raw: float = 3.5
    min_confidence: float = 0.55
    min_cued_confidence: float = 0.35  # when the leading verb agrees ("deploy it", "reply to ...")
    # "... and a short FAQ" borrows the verb before it, so its own words must say clearly whose it is
    min_elliptic_raw: float = 8.0
    min_elliptic_confidence: float = 0.95
    # a request the learned reader is this sure of, with the whole task in view, is clear whatever its own words
    # score ("..., and the headline and body copy written for it"; "refund them, and fix the bug")
    min_read: float = 0.85
    min_elliptic_read: float = 0.88  # "... and the config file": a thing sharing the verb before it needs more


@dataclass
class Segment:
    """The part of a task one team does, with the other parts it must wait for (indices)."""

    team: str
    texts: list[str]
    confidence: float
    follows: set[int]
    parallel: bool = False
    unsure: bool = False  # carries a request that was not clear and leans to another team

    @property
    def text(self) -> str:
        return "; ".join(self.texts)


def split_clauses(text: str, verbs: frozenset[str]) -> list[str]:
    """The clauses of a task as written, in order (requests and context alike)."""
    return [c.text for c in split(text, verbs)[0]]


Reread = Callable[[Sequence[Clause], Mapping[int, ClauseVerdict]], Mapping[int, ClauseVerdict]]


def plan_segments(
    clauses: Sequence[Clause],
    classify: Callable[[Clause], ClauseVerdict],
    rules: SegmentRules = SegmentRules(),
    *,
    reread: Reread | None = None,
    done: frozenset[str] = frozenset(),
) -> list[Segment]:
    """The steps, in order, when at least two teams are clearly asked for; else [].

    ``reread`` gets the requests that may be steps with the rules' verdicts and returns new verdicts
    for them (the learned clause reader); the rules' order words and steps' shapes stay as they are.
    """
    # "fix the links in it" works on the thing an earlier request asked for; after context only, it is the first request
    asked = [c for c in clauses if c.request]
    requests = [c for c in asked if not (c.inside and c is not asked[0])]
    if len(requests) < 2:
        return []
    verdicts = {id(c): classify(c) for c in requests}
    asked_for = list(requests)  # with the parts of the work ("Edit the letter. Cut it to 250 words ..."), for _lone_detours
    requests = [c for n, c in enumerate(requests)
                if n == 0 or not (_continues(c, verdicts[id(c)])
                                  or (_order_on_problem(c, requests[n - 1]) and not _clear(verdicts[id(c)], rules))
                                  or _what_to_look_for(c, requests[0]))]
    ruled = dict(verdicts)  # the rules' own verdicts, before the learned reader's
    if reread is not None:
        verdicts.update(reread(requests, verdicts))
    kept = {id(c) for c in requests}
    lone = _lone_detours(requests, verdicts, rules, parts=[c for c in asked_for if id(c) not in kept])
    # "Devops finished the Redis cluster. Now change the session store to Redis": a team whose part the task says is
    # done (or taken) is no step, unless the founder hands it more ("and have devops ...")
    clear = [c for c in requests if _clear(verdicts[id(c)], rules, elliptic=c.elliptic) and id(c) not in lone
             and (verdicts[id(c)].team not in done or c.agent or (_stands(ruled[id(c)], verdicts[id(c)]) and acts(c)))]
    if len({verdicts[id(c)].team for c in clear}) < 2:
        return []
    segments: list[Segment] = []
    pending: list[str] = []  # context before the first clear request
    pending_unsure: bool | str = False
    firsts: list[int] = []
    carried = False  # a "then" said in a clause of no step of its own: the next step comes after the steps before
    team_first: list[str] = []  # "do the code part first": that team's step goes first
    named_first: list[str] = []  # the things a bare "X first" puts first ("variants first, then code wires them in")
    named_after: list[tuple[str, str]] = []  # (thing, the thing it comes after) said apart from the steps
    before: list[tuple[int, str, int | None, bool]] = []  # (step, the thing it comes before, the step it fed, refers)
    after: list[tuple[int, str]] = []  # (step, the thing it comes after)
    draws: list[tuple[int, str, int | None]] = []  # (step, the thing it works from, the step said before it)
    led_after = ""  # the thing a lead of no step of its own says the next step comes after ("after cutover, ...")
    barrier = 0
    sentence = 0
    last: int | None = None
    last_sentence = -1
    titled = any(c.title for c in clauses)  # "Launch v2: ... deploy it": "it" is the title's thing, not a step
    feeding: tuple[int, int] | None = None  # (sentence, step): "Before that, the devs ... and ops ...": all go first
    handed: tuple[int, int] | None = None  # (sentence, step) that waits for a team's part said just now
    headed = False  # the pending context opened the request's own sentence or item
    for at, clause in enumerate(clauses):
        verdict = verdicts.get(id(clause))
        named = _THING_FIRST.search(clause.bare)
        thing = named.group("thing").casefold() if named is not None else ""
        thing = "" if thing in _NO_THING else thing
        part = _TEAM_PART_FIRST.search(clause.text) or _TEAM_FIRST_ALONE.match(clause.bare)
        if part is not None and not clause.title:
            team_first.append(_team_named(part))
        if thing and not clause.title and part is None:
            named_first.append(thing)  # "The ads link to the article, so article first.": that thing's step goes first
        pair = _THING_AFTER.match(clause.bare) if not clause.request else None
        if pair is not None and pair.group("later").casefold() not in _NO_THING:
            named_after.append((pair.group("later").casefold(), pair.group("first").casefold()))  # "Notes only after deploy is confirmed"
        lead = _AFTER_LEAD.match(clause.bare) if not clause.title else None  # "code: after cutover, rip the Heroku
        led_after = lead.group("thing").casefold() if lead is not None else led_after  # bits out": after the cutover
        if clause not in clear or verdict is None:
            if clause.title:
                continue
            if segments and not _heads_its_item(clauses, at, last_sentence):
                segments[-1].texts.append(clause.text)
                segments[-1].unsure = segments[-1].unsure or _unsure(clause, verdict, segments[-1].team)
                # "Using the strongest themes from that summary, refresh the homepage": the next request comes after
                carried = carried or clause.then
            else:
                headed = headed or bool(segments)  # context of its own sentence's request, not the task's opening
                pending.append(clause.text)
                pending_unsure = pending_unsure or _unsure(clause, verdict, "")
            continue
        then, carried = clause.then or carried, False
        if clause.sentence != sentence and not then:
            barrier = 0
        sentence = clause.sentence
        if then:
            barrier = len(segments)
        index = _place(segments, clause, verdict)
        segment = segments[index]
        if led_after:
            after.append((index, led_after))
            led_after = ""
        own_context, headed = headed, False  # "Also the demo is down, bring it back": "it" is the demo
        if pending:
            segment.texts[:0] = pending
            segment.unsure = segment.unsure or (pending_unsure and verdict.team != _team_of(pending_unsure))
            pending, pending_unsure = [], False
        segment.confidence = max(segment.confidence, verdict.sureness)  # a step is as sure as its clearest request
        segment.parallel = segment.parallel or clause.parallel
        segment.follows.update(i for i in range(barrier) if i != index)
        if clause.later:
            segment.follows.update(i for i in range(index))
        if clause.first and not thing and not then:  # "after it's reviewed, ops runs it, a backup first"
            firsts.append(index)
        if feeding is not None and feeding[0] == clause.sentence and feeding[1] != index and not clause.feeds:
            segments[feeding[1]].follows.add(index)  # more of the sentence that said "before that"
            segment.follows.discard(feeding[1])
        elif (handed is not None and handed[0] == clause.sentence and handed[1] != index and clause.agent
              and not (clause.feeds or clause.then)):
            # "..., but only after the devs fix the crash and ops pushes the firmware": both come first
            segments[handed[1]].follows.add(index)
            segment.follows.discard(handed[1])
        handed = (clause.sentence, last) if clause.feeds and clause.agent and last is not None and last != index else None
        if clause.before:
            before.append((index, clause.before, last if clause.feeds and last != index else None, clause.refers))
        if clause.after:
            after.append((index, clause.after))
        elif (drawn := _DRAWS_ON.search(clause.bare)) is not None:  # "drawing on that summary", "using what you find"
            draws.append((index, (drawn.group("thing") or drawn.group("that") or "").casefold(),
                          last if drawn.group("back") or drawn.group("found") or drawn.group("back2") else None))
        if last is not None and last != index and not titled:
            if clause.feeds:
                segments[last].follows.add(index)
                segment.follows.discard(last)
                if last_sentence != clause.sentence:
                    feeding = (clause.sentence, last)
            elif clause.refers and not clause.parallel and not own_context:  # "while that's happening, rewrite the page"
                segment.follows.add(last)
        last, last_sentence = index, clause.sentence
    for index, thing, fed, refers in before:
        _before_the_thing(segments, index, thing, fed, refers=refers)
    for k, segment in enumerate(segments):  # "Content: after sales has a first draft, proofread it": sales goes first
        said = next((m for m in map(_AFTER_TEAM.search, segment.texts) if m is not None), None)
        team = _team_named(said) if said is not None else ""
        source = next((i for i, s in enumerate(segments) if s.team == team and i != k), None)
        if source is not None and team != segment.team and k not in segments[source].follows:
            segment.follows.add(source)
    for index, thing, previous in draws:
        about = _about(segments, index, thing) if thing else []
        source = about[0] if about else previous
        if source is not None and source != index and index not in segments[source].follows:
            segments[index].follows.add(source)
    for index, thing in after:
        about = _about(segments, index, thing)
        if about:  # "Marketing can write a landing page after the demo": the step about the demo goes first
            segments[index].follows.add(about[0])
            segments[about[0]].follows.discard(index)
    for later, earlier in named_after:
        steps, firsts_ = _about(segments, len(segments), later), _about(segments, len(segments), earlier)
        if steps and firsts_ and steps[0] != firsts_[0]:
            segments[steps[0]].follows.add(firsts_[0])
            segments[firsts_[0]].follows.discard(steps[0])
    for team in team_first:
        firsts.extend(k for k in range(len(segments)) if segments[k].team == team)
    for thing in named_first:
        about = _about(segments, len(segments), thing)
        if about:  # the first step that names it
            firsts.append(about[0])
    for first in firsts:
        for i, other in enumerate(segments):
            if i != first:
                other.follows.add(first)
                segments[first].follows.discard(i)
    for segment in segments:
        if segment.unsure:  # it carries a request whose team nobody is sure of: the founder should look
            segment.confidence = min(segment.confidence, DISAGREEING_SURENESS)
    return segments if len({s.team for s in segments}) >= 2 else []


def _team_named(found: re.Match[str]) -> str:
    """The team a pattern's "team" group names ("devs" -> "code")."""
    word = found.group("team").casefold()
    return _TEAM_WORDS.get(word, word)


def _heads_its_item(clauses: Sequence[Clause], at: int, last_sentence: int) -> bool:
    """ "2) Sharma Traders saying the export total is wrong, reply to them", "Also the demo is down since morning,
    kindly bring it back": context that opens a list item, or a sentence whose short request points back at it,
    goes with that request, not with the step before (any sentence's context moved so changed the step check's
    reading of plans on the development sets)."""
    clause = clauses[at]
    if clause.request or clause.sentence == last_sentence:
        return False
    ask = next((c for c in clauses[at + 1:] if c.request), None)
    return ask is not None and ask.sentence == clause.sentence and (clause.listed or (
        ask.refers and len(ask.bare.split()) <= 4 and len(clause.text.split()) >= 3))


def _before_the_thing(segments: list[Segment], index: int, thing: str, fed: int | None, *, refers: bool) -> None:
    """ "have the devs add tracking, and ask ops to raise the limit before the ads go live": the earlier step about
    the ads waits for this one (not just the step said right before it)."""
    about = _about(segments, index, thing)
    if about and about[0] == fed:
        return
    if fed is not None:  # "fix the bug and deploy it before the release goes out": the release is no step here
        segments[fed].follows.discard(index)
        if refers and not about:
            segments[index].follows.add(fed)
    if about:
        segments[about[0]].follows.add(index)
        segments[index].follows.discard(about[0])


def _about(segments: list[Segment], index: int, thing: str) -> list[int]:
    """The other steps whose words name ``thing`` ("the ads" -> "write 5 ad variants"), those said before first."""
    words = {stem(thing), stem(_ACT_NOUN.sub("", thing))}  # "after the migration": "migrate the 30 posts"

    def names(text: str) -> bool:
        said = tokens(text)
        return (any(stem(w) in words or w.rstrip("s") == thing.rstrip("s") for w in said)
                or thing in {a + b for a, b in zip(said, said[1:])})  # "after cutover": "cut over DNS"
    return [k for k in [*range(index), *range(index + 1, len(segments))] if any(map(names, segments[k].texts))]


_AFTER_LEAD = re.compile(r"^(?:\w+\s*:\s*)?(?:and\s+|but\s+)?(?:only\s+)?(?:right\s+)?(?:after|following)\s+(?:the\s+|our\s+)?"
                         r"(?:[\w-]+\s+)?(?P<thing>[\w-]{3,})\W*$", re.IGNORECASE)
_ACT_NOUN = re.compile(r"(?<=\w{3})(?:ion|ment|(?<=[wvs])al)$")  # the work a noun names: "migration", "deployment", "renewal"


def acts(clause: Clause) -> bool:
    """A request that says what to do ("add a test suite"), not a thing named as a topic ("Priya's double charge — support
    already refunded her"): only the first stands as a step for a team whose part is done."""
    return clause.listed or clause.elliptic or is_base_verb(first_word(strip_lead(clause.bare)))


def _stands(ruled: ClauseVerdict, verdict: ClauseVerdict) -> bool:
    """Whether the rules alone are sure enough of a request's team to keep it as a step for a team whose part the
    task says is done."""
    return ruled.team == verdict.team and ruled.raw >= DONE_STANDS


def _lone_detours(requests: Sequence[Clause], verdicts: dict[int, ClauseVerdict], rules: SegmentRules, *,
                  parts: Sequence[Clause] = ()) -> set[int]:
    """Requests that are most likely steps of the task's main work: "Fix the handler, add a retry, log the decline
    reason, write tests" is code work even if "log" leans to devops. When one team has most of the requests,
    another team's single request needs a sign of its own (a deciding verb, a recipient, a hand-off, an order
    word) to be a step."""
    counts: dict[str, int] = {}
    for clause in [*requests, *parts]:  # a part of the main work ("cut it to 250 words") is more of its team's work
        counts[verdicts[id(clause)].team] = counts.get(verdicts[id(clause)].team, 0) + 1
    main, most = max(counts.items(), key=lambda item: item[1])
    if most < 2 or sum(1 for n in counts.values() if n == most) > 1:
        return set()
    out: set[int] = set()
    for n, clause in enumerate(requests):
        verdict = verdicts[id(clause)]
        signed = (n == 0 or clause.listed or clause.empty or verdict.strong or verdict.addressed or clause.agent
                  or clause.then or clause.later or clause.first or clause.feeds or verdict.read >= rules.min_read)
        if verdict.team != main and counts[verdict.team] == 1 and not signed and verdict.raw < _LONE_RAW:
            out.add(id(clause))
    return out


# a request whose words weigh this much (by the rules) is a step even for a team whose part the task says is done:
# "the devs shipped webhooks last week but nobody documented them. ..., and add a test suite for the signatures"
DONE_STANDS = 8.0
# "..., so article first", "variants first": a thing named to go first
_THING_FIRST = re.compile(r"(?:^|\bso\s+|,\s*)(?:the\s+|our\s+)?(?P<thing>[a-z][\w-]*)\s+(?:first|before\s+anything(?:\s+else)?)"
                          r"\s*[.!]*$", re.IGNORECASE)
# "do the code part first", "the devops side before anything": a team's part of the task goes first
# the words for a team these patterns read ("devs", "ops", "docs": see _TEAM_WORDS)
_TEAM_NAME = r"(?P<team>code|dev|devs|devops|ops|infra|content|docs|marketing|sales|support)"
_TEAM_PART_FIRST = re.compile(r"\bthe\s+" + _TEAM_NAME + r"\s+"
                              r"(?:part|bit|side|stuff|work|changes?|piece)\s+(?:first|before\s+anything(?:\s+else)?)\b",
                              re.IGNORECASE)
# "code first, then the rest.": a team named alone before "first" says whose step goes first
_TEAM_FIRST_ALONE = re.compile(r"^(?:but\s+|and\s+|so\s+)?(?:the\s+)?" + _TEAM_NAME + r"(?:\s+team)?\s+(?:goes\s+|go\s+|comes?\s+)?first\b(?:\s*,?\s*(?:pls|please))?"
                               r"[\s.!]*$", re.IGNORECASE)
# "base on that summary, update our messaging", "drawing on that summary", "using what you find": the step works
# from what an earlier one makes ("that"/"those": the step said just before, when no step names the thing)
_DRAWS_ON = re.compile(r"\b(?:based?|drawing|draw|building|build|built)\s+on\s+(?:(?P<back>that|this|those|these)|the|their)\s+"
                       r"(?:[\w-]+\s+){0,2}?(?P<thing>[a-z][\w-]{2,})\b(?!\s+(?:of|for|about)\b)|"
                       r"\b(?:using|use|from)\s+(?P<found>that|those|these)\s+(?:[\w-]+\s+){0,2}?(?P<that>[a-z][\w-]{2,})\b|"
                       r"\b(?:using|use)\s+what\s+(?P<back2>you|they|we|support|sales|marketing)\s+(?:find|found|learn|learned|learnt|get|got|"
                       r"collect|collected|gather|gathered|dig\s+up)\b", re.IGNORECASE)
_AFTER_TEAM = re.compile(r"\b(?:after|once|when)\s+(?:the\s+)?" + _TEAM_NAME + r"(?:\s+team)?\s+(?:has|have|is|are|'s|finish(?:es)?|ships?|completes?|delivers?|sends?|"
                         r"writes?|builds?|fix(?:es)?|gets?|wraps?)\b", re.IGNORECASE)
_TEAM_WORDS = {"dev": "code", "devs": "code", "ops": "devops", "infra": "devops", "docs": "content"}
_THING_AFTER = re.compile(r"^(?:and\s+|but\s+)?(?:the\s+|our\s+)?(?P<later>[a-z][\w-]*)\s+(?:only\s+|just\s+)?(?:after|once)\s+"
                          r"(?:the\s+|our\s+)?(?P<first>[a-z][\w-]*)\b", re.IGNORECASE)
_NO_THING = frozenset("it this that them these those me us you one which what do doing done".split())
_LONE_RAW = 8.0  # a detour this sure of its words is a step whatever the rest of the task


def _unsure(clause: Clause, verdict: ClauseVerdict | None, team: str) -> bool | str:
    """A request that was not clear enough for a step of its own, and that leans to another team than the
    step it joins (an unclear request for the same team is just more of that step's work)."""
    if verdict is None or not clause.request or clause.elliptic:
        return False
    if team:
        return verdict.team != team
    return verdict.team


def _team_of(flag: bool | str) -> str:
    return flag if isinstance(flag, str) else ""


def _continues(clause: Clause, verdict: ClauseVerdict) -> bool:
    """More of the work just asked for: a part of it ("fix the typos"), a condition on it ("make sure it
    covers ..."), or more to say in the same message ("and explain how", "offer them a month free").
    An order word ("then", "once it's done", "... first") or a recipient of its own makes it a request."""
    if clause.then or clause.later or clause.first or clause.agent:  # "ask sales to put together a quote": a step
        return False
    return clause.elaborates or (clause.speech and not verdict.addressed)


def _order_on_problem(clause: Clause, previous: Clause) -> bool:
    """ "the signup form double-submits on mobile safari, can someone look at it?": a bare order on the problem
    just stated is that problem's work, whatever else the sentence after it names (when its own words are unclear;
    "... needs reviews. Build it" is clear)."""
    bare_order = clause.empty or _ON_IT.fullmatch(clause.bare.strip(" ?!.")) is not None
    return (bare_order and clause.refers and not (clause.then or clause.later or clause.first or clause.agent)
            and previous.bare.split(None, 1)[0].casefold() in _PROBLEM_START and clause.sentence - previous.sentence <= 1)


def _what_to_look_for(clause: Clause, first: Clause) -> bool:
    """ "code review pls: ... check the webhook handling and the refunds": what the review looks at, not work of its own."""
    return (not (clause.then or clause.later or clause.agent) and _REVIEW.search(first.bare) is not None
            and _LOOK_FOR.match(clause.bare) is not None)


_REVIEW = re.compile(r"^(?:code\s+)?review\b|\breview\s+(?:my|the|this|our|their|her|his)\s+(?:\w+\s+)?(?:code|pr|diff|branch|"
                     r"changes|pull\s+request|merge\s+request|commit)", re.IGNORECASE)
_LOOK_FOR = re.compile(r"^(?:check|look\s+(?:for|at|into|over)|verify|test|make\s+sure|see\s+(?:if|whether)|confirm|"
                       r"double[- ]check|flag|watch\s+for)\b", re.IGNORECASE)
_PROBLEM_START = frozenset("the our my a an this that".split())
_ON_IT = re.compile(r"[a-z]+(?:\s+(?:at|into|over|on|to|up|out|through))?\s+(?:it|this|that|them|these|those)"
                    r"(?:\s+(?:asap|please|pls|today|now|quickly|too|again))?", re.IGNORECASE)


def _clear(verdict: ClauseVerdict, rules: SegmentRules, *, elliptic: bool = False) -> bool:
    if verdict.read >= (rules.min_elliptic_read if elliptic else rules.min_read):
        return True
    floor = rules.min_cued_confidence if verdict.cued or verdict.addressed else rules.min_confidence
    if elliptic:
        return verdict.raw >= rules.min_elliptic_raw and verdict.confidence >= rules.min_elliptic_confidence
    return verdict.raw >= rules.min_raw and verdict.confidence >= floor


# "deploy to all cloud regions", "ship it": work that goes out after the other steps' work, not with the first ones
_AFTER_OTHERS_WORK = re.compile(r"^(?:deploy|ship|release|roll\s+out|push|publish|announce|launch|send|email|tell|notify|"
                                r"inform|reply|respond|post)\b", re.IGNORECASE)


def _place(segments: list[Segment], clause: Clause, verdict: ClauseVerdict) -> int:
    """Join the last step when it is the same team's; else a new step (same-team steps far apart stay apart)."""
    if segments and segments[-1].team == verdict.team:
        segments[-1].texts.append(clause.text)
        return len(segments) - 1
    cued = clause.then or clause.later or clause.refers or clause.feeds or clause.first or _AFTER_OTHERS_WORK.match(clause.bare)
    for i, segment in enumerate(segments):
        if segment.team == verdict.team and not cued:
            segment.texts.append(clause.text)
            return i
    segments.append(Segment(team=verdict.team, texts=[clause.text], confidence=0.0, follows=set()))
    return len(segments) - 1
