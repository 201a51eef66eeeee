"""What in a task is context rather than work: news from others ("Support says ...", "the devs fixed it last
night"), a team named as the one who asks ("Marketing's A/B test says ..."), and what is not to be done
("Don't touch the deployment config").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Protocol, TypeVar

from agents.routing.verbs import gerund_base, is_base_verb, is_finite, participle_base, past_base

_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
# who said or did something, and the verb that reports it
_REPORTED = re.compile(r"^(?:(?:a|an|the|our|one|some|two|three|\d+)\s+)?(?P<who>[a-z]+(?:\s+[a-z]+)?)\s+(?:already\s+|just\s+)?"
                       r"(?:says?|said|wants?|wanted|asked|asks|reported|reports|fixed|replied|shipped|did|emailed|"
                       r"complained|mentioned|told|thinks|thought|noticed|found|sent|wrote|called|claims?|claimed|"
                       r"will|'ll|is\s+going\s+to|are\s+going\s+to)\b",
                       re.IGNORECASE)
_THEIR_FINDINGS = re.compile(r"^\W*(?:the\s+|our\s+)?(?P<who>[a-z]+(?:\s+team)?)['’]s\s+(?:[\w#%-]+\s+){1,6}?(?:says|said|shows|showed|"
                             r"found|suggests|suggested|lists|listed|confirms|confirmed|highlights|ranks)\b", re.IGNORECASE)
# A team named as the one who asks or owns something ("Marketing's A/B test", "Marketing wants UTM parameters kept")
_REQUESTER = re.compile(r"\b(?:the\s+)?(?:marketing|sales|support|ops|devops|devs?|engineering)(?:\s+team)?"
                        r"(?:(?P<own>'s|’s)|(?P<verb>\s+(?:wants?|says?|said|asked|asks|thinks?|noticed|reported|tells?|told|"
                        r"built|wrote|made|shipped|fixed|finished|merged|did|set\s+up|got|gets|keeps?|kept|forwarded|"
                        r"designed|spotted|closed|already|can'?t|cannot|couldn'?t|handled|answered|replied|sent|"
                        r"needs?|would\s+like|'d\s+like|(?:is|are)\s+\w+ing)\b))", re.IGNORECASE)
_SUPPORT_VERB = re.compile(r"\b((?:to|can|should|must|will|won't|doesn't|does\s+not|don't|do\s+not|that)\s+"
                           r"(?:actually\s+|also\s+|properly\s+|fully\s+)?)support\b", re.IGNORECASE)
# "Don't touch the deployment config", "no need to update the docs": what is not to be done
NOT_ASKED = re.compile(r"^(?:don'?t|do\s+not|dont|no\s+need\s+to|never|leave\s+(?:the|our)\b|without\s+(?:changing|touching))\b",
                       re.IGNORECASE)
_OTHERS = frozenset("customer customers user users client clients prospect prospects lead leads someone somebody "
                    "she he they people folks ppl team".split())


def reports(bare: str, agents: Mapping[str, str]) -> bool:
    """ "Support says ...", "the devs fixed it last night", "a customer said ...": news from others, not the work."""
    held = _THEIR_FINDINGS.match(bare)  # "Support's summary of complaints this month says ...": what their work found
    if held is not None and held.group("who").casefold() in agents:
        return True
    match = _REPORTED.match(bare)
    if match is not None:
        who = match.group("who")
    else:  # "The devs merged the fix yesterday", "Ops wrote a postmortem"
        words = _WORDS.findall(re.sub(r"^(?:a|an|the|our|one|some)\s+", "", bare, flags=re.IGNORECASE))
        found = [n for n in (1, 2) if len(words) > n and is_finite(words[n])]
        if not found:
            return False
        who = " ".join(words[:found[0]])
        if found[0] == 2 and words[1].endswith(("'s", "’s")) and is_base_verb(words[0]) and not words[1][:1].islower():
            return False  # "Restore Carla's deleted project": an order on someone's thing, not news from them
    person = all(w[:1].isupper() for w in who.split()) or who.split()[0].endswith(("'s", "’s"))  # not "AWS bill jumped"
    named = (who[:1].isupper() and person and who.casefold() not in ("i", "we", "you")  # "Brookfield says ..."
             and not re.match(r"(?:our|the|my)\s", bare, re.IGNORECASE))  # not "our AWS bill jumped 40%": a thing of ours
    return named or who.casefold() in agents or who.casefold().split()[-1] in _OTHERS


def team_news(part: str, agents: Mapping[str, str]) -> bool:
    """ "support already refunded her", "the devs finished the queue changes": what a team did, not work for it;
    "marketing handles sending it", "ops is on it": the part a team has already taken."""
    said = _subject(part, agents, main=True)
    return said is not None and (past_base(said[1]) is not None or _owns(said[1], part))


# a team's own part, said of it: "marketing handles sending it", "sales does the form", "ops is on it"
_OWN_VERBS = frozenset("handles does owns covers manages".split())
_OWN_AFTER = re.compile(r"\b(?:is|are)\s+(?:already\s+)?(?:handling|doing|covering|taking\s+care|on\s+it|owning|"
                        r"managing)\b", re.IGNORECASE)


def _owns(verb: str, part: str) -> bool:
    word = verb.casefold()
    return (word in _OWN_VERBS or gerund_base(word) in _OWN_BASES or (word in ("takes", "taking") and "care" in part.casefold())
            or (word in ("is", "are") and _OWN_AFTER.search(part) is not None)
            or (word in ("got", "has", "have") and _COVERED.search(part) is not None))


_OWN_BASES = frozenset("handle do own cover manage".split())
_COVERED = re.compile(r"\b(?:got|has|have)\s+(?:\w+\s+){0,4}?covered\b|\bgot\s+(?:it|this|that)\b", re.IGNORECASE)


# a word for a team that is also a word for a thing ("the code", "the backend"): a team only as "... side/team"
_THING_TOO = frozenset(("code", "content", "backend", "frontend", "back end", "front end", "infra", "social", "growth", "eng",
                        "editor"))
_CREW = r"(?:\s+(?:side|team|folks|people|guys|crew))"


# the founder says what alone is asked: "I just need the article", "from you I need ...", "not your part"
_ONLY = re.compile(r"\b(?:i|we)\s+(?:just|only)\s+(?:need|want)\b|\b(?:i|we)\s+(?:need|want)\s+(?:just|only)\b|\ball\s+(?:i|we)\s+need\s+is\b|\bfrom\s+you\s+(?:i|we)\s+(?:just\s+|only\s+)?need\b|"
                   r"\bnot\s+your\s+(?:part|job|problem)\b|\b(?:it['’]s|its)\s+(?:just|only)\s+the\b|\bjust\s+the\s+\w+\s*[,.)]",
                   re.IGNORECASE)


class _Part(Protocol):
    text: str
    request: bool
    elliptic: bool
    sentence: int


_P = TypeVar("_P", bound=_Part)


def owned_as_context(clauses: Sequence[_P], agents: Mapping[str, str]) -> list[_P]:
    """``clauses`` with a team's own part said as context where the founder says what alone is asked ("marketing
    handles sending it, I just need the article": marketing's part is no step)."""
    if not any(_ONLY.search(c.text) for c in clauses):
        return list(clauses)
    out: list[_P] = []
    owned = -1  # the sentence of the team's own part said just before
    for clause in clauses:
        if clause.request and (_owned(clause.text, agents) or (clause.elliptic and clause.sentence == owned)):
            out.append(replace(clause, request=False))  # "marketing handles the sending and the subject line"
            owned = clause.sentence
        else:
            out.append(clause)
            owned = -1
    return out


def _owned(part: str, agents: Mapping[str, str]) -> bool:
    verb = _team_verb(part, agents)
    return verb is not None and _owns(verb, part)


_WORK = frozenset("finish do build rebuild write make ship fix set launch run send handle answer reply refund migrate deploy "
                  "prepare publish draft create design record host close deliver complete update tag merge release "
                  "roll email post call put patch test upgrade move add sort take spin provision redo rewrite "
                  "find trace spot diagnose investigate debug solve resolve restore renew rotate identify".split())


def _did(verb: str) -> str | None:
    """The work a team's verb says it did or is doing: "replied" -> "reply", "writing" -> "write", "written" ->
    "write"; None for a word that is no such verb form."""
    word = verb.casefold()
    return (past_base(word) or gerund_base(word) or participle_base(word)
            or (word if word in _SAME_FORM else None))  # "put", "run", "set": the participle is the base


_SAME_FORM = frozenset("put run set".split())


def doers(texts: Sequence[str], agents: Mapping[str, str], *, asks: Sequence[str] = ()) -> frozenset[str]:
    """The teams that ``texts`` (a task's context, not its requests) say did their part or own it: "Devops finished
    the new Redis cluster", "the editor got rebuilt by the code side", "(sales does the form, not your part)"; and
    those a request says did theirs after a comma ("customers emailing, support's got the replies covered, you just
    get it back up": ``asks``, the requests)."""
    found: set[str] = set()
    for text in asks:
        for part in re.split(r"[,;]\s*", text)[1:]:
            said = _subject(part, agents, main=True)
            if said is not None and said[0] not in _THING_TOO and said[1].casefold() not in _AUXILIARIES and (
                    past_base(said[1]) in _WORK or _COVERED.search(part)):
                found.add(agents[said[0]])
    names = "|".join(re.escape(n) for n in sorted(agents, key=len, reverse=True))
    passive = re.compile(rf"\bby\s+(?:the\s+|our\s+)?(?P<who>{names}){_CREW}?\b", re.IGNORECASE)
    for text in texts:
        for start in re.finditer(r"(?:^|[(;,—–]|\s-\s)\s*", text):
            part = text[start.end():]
            said = _subject(part, agents, main=True)
            if said is None or not (_did(said[1]) in _WORK or _owns(said[1], part)):
                continue  # "Sales dropped 20% last month": not a part of the work done
            if said[0] not in _THING_TOO or re.match(rf"\W*{re.escape(said[0])}['’]s\s", part, re.IGNORECASE):  # not "the code crashed"
                found.add(agents[said[0]])
        for match in passive.finditer(text):
            who = match.group("who").casefold()
            if who not in _THING_TOO or match.group(0).rstrip().endswith(("side", "team", "folks", "people", "guys", "crew")):
                found.add(agents[who])
        for match in _made_by(names).finditer(text):  # "the restore runbook devops wrote is in broken english"
            who = match.group("who").casefold()
            if who in agents and (who not in _THING_TOO or match.group("crew")) and not _SOMEONE_ELSE.search(
                    text, 0, match.start("who")):  # not "the custom stuff the old developer wrote"
                found.add(agents[who])
    return frozenset(found)


def _made_by(names: str) -> re.Pattern[str]:
    """ "the runbook devops wrote", "the deck the marketing team made last week": a thing and the team that made it."""
    if names not in _MADE_BY:
        _MADE_BY[names] = re.compile(rf"\b(?:the|our|that|this)\s+(?:[\w'’-]+\s+){{1,3}}?(?:that\s+)?(?:the\s+|our\s+)?(?P<who>{names})"
                                     rf"(?P<crew>{_CREW})?\s+(?:already\s+|just\s+)?(?:wrote|made|built|drafted|created|"
                                     rf"prepared|put\s+together|set\s+up|shipped|designed|recorded)\b", re.IGNORECASE)
    return _MADE_BY[names]


_MADE_BY: dict[str, re.Pattern[str]] = {}
_SOMEONE_ELSE = re.compile(r"\b(?:old|former|previous|ex|freelance|external|outside|their|his|her)[\s-]+$", re.IGNORECASE)


def addressed(text: str, agents: Mapping[str, str]) -> bool:
    """ "support, first pull the top 10 questions", "Content team, write the notes": a team spoken to by name."""
    head = re.match(r"\W*(?:(?:and|then|also|so)\s+)?(?P<who>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)\s*,", text)
    return head is not None and head.group("who").casefold() in agents


def team_routine(part: str, agents: Mapping[str, str]) -> bool:
    """ "Our support folks answer the same question four or five times a day": what a team does as a rule, not
    work handed to it ("support answer her today" is)."""
    verb = _team_verb(part, agents)
    if verb is not None and verb.casefold() in _BE_GET:  # "Sales gets asked about it on calls": said of the team
        after = re.search(rf"\b{re.escape(verb)}\s+(?:\w+ly\s+)?([a-z]+)", part, re.IGNORECASE)
        if after is not None and (after.group(1).endswith("ed") or after.group(1) in _STATES):
            return True
    return verb is not None and _ROUTINE.search(part) is not None


_BE_GET = frozenset("gets get got is are was were keeps".split())
_STATES = frozenset("swamped busy slammed overloaded buried stuck drowning asked told getting".split())


def _team_verb(part: str, agents: Mapping[str, str]) -> str | None:
    """The verb after a team named as the subject ("the devs finished ..."), or None."""
    said = _subject(part, agents)
    return said[1] if said is not None else None


def _subject(part: str, agents: Mapping[str, str], *, main: bool = False) -> tuple[str, str] | None:
    """The name of a team named as the subject and the verb after it ("the devs finished ..." -> ("devs",
    "finished"); "Jess in support is already handling the replies" -> ("support", "is")), or None. ``main``: the
    verb after an auxiliary ("Support has already replied" -> "replied", "content's already writing" -> "writing")."""
    words = _WORDS.findall(re.sub(r"^\W*(?:[A-Z][a-z]+\s+(?:in|from|on)\s+)?(?:(?:[Tt]he|THE|[Oo]ur|OUR)\s+)?", "", part.strip()))
    if (main and len(words) > 1 and words[0].casefold().endswith(("'s", "’s")) and words[0][:-2].casefold() in agents
            and (words[1].casefold() in _ADVERBS or _done_or_doing(words[1]))):
        words = [words[0][:-2], "has", *words[1:]]  # "support's got the replies covered", "content's already writing ..."
    for n in (2, 1):
        name = " ".join(words[:n]).casefold()
        if len(words) > n and name in agents:
            rest = [w for w in words[n:n + 4] if w.casefold() not in _ADVERBS]
            if main and len(rest) > 1 and rest[0].casefold() in _AUXILIARIES and _done_or_doing(rest[1]):
                rest = rest[1:]  # "Support has already replied", "marketing is already writing the email"
            return (name, rest[0]) if rest else None
    return None


_ADVERBS = frozenset("already just finally also now currently".split())
_AUXILIARIES = frozenset("has have had is are was were".split())


def _done_or_doing(word: str) -> bool:
    """ "replied", "written", "writing": the verb after "has"/"is" that says what a team did or is doing."""
    return _did(word) is not None


# how often a thing happens: a routine, not an order
_ROUTINE = re.compile(r"\b(?:(?:\w+\s+(?:or\s+\w+\s+)?)?times?\s+(?:a|an|per|each|every)\s+(?:day|week|month|hour)|"
                      r"(?:\d+|a\s+few|a\s+couple\s+of|several|dozens\s+of|hundreds\s+of|two|three|four|five|six|seven|eight|nine|"
                      r"ten|twenty|thirty|fifty)\s+[a-z]+s\s+(?:a|an|per|each|every)\s+(?:day|week|month|hour)|"
                      r"every\s+(?:single\s+)?(?:day|week|month|morning|time)|all\s+(?:the\s+time|day)|constantly|always|"
                      r"usually|regularly|keep\s+\w+ing|again\s+and\s+again|over\s+and\s+over|day\s+after\s+day|on\s+repeat)\b",
                      re.IGNORECASE)


def without_team_news(text: str, agents: Mapping[str, str]) -> str:
    """``text`` without its parts that report what a team did ("A customer got charged twice, support already
    refunded her" -> "A customer got charged twice")."""
    return ", ".join(p for p in re.split(r",\s*|;\s*", text) if not team_news(p, agents))


def plain_words(text: str) -> str:
    """The text as the lexicon should read it: a team named as the one who asks says nothing of the work, and
    "support" as a verb ("needs to actually support subscriptions") is not the support team."""
    return _SUPPORT_VERB.sub(r"\g<1>handle", _REQUESTER.sub(_as_requester, text))


def _as_requester(match: re.Match[str]) -> str:
    return "their" if match.group("own") else "someone" + match.group("verb")


# "release notes for 3.4 are written", "the case study is written and online", "code is tagged": a thing finished
_FINISHED = re.compile(r"^(?:(?:so|and|but|ok|okay)\s+)?(?P<thing>[\w'’#./ -]{3,60}?)\s+(?:is|are|r|was|were|has\s+been|have\s+been|got)\s+"
                       r"(?:now\s+|already\s+|all\s+|finally\s+)?(?:written|done|up(?=\s+on\b|\s*[,.;]|\s*$)|live|online|published|"
                       r"finished|ready|tagged|merged|deployed|shipped|built|drafted|recorded|approved|complete|completed|"
                       r"(?<=already\s)(?:running|launched|sent|underway|out))"  # "the spring campaign is already running"
                       r"(?![\w-])", re.IGNORECASE)


def finished(texts: Sequence[str]) -> list[str]:
    """The things ``texts`` (a task's context) say are finished: their teams' part is done, not asked for again."""
    things = [m.group("thing") for m in map(_FINISHED.match, texts) if m is not None]
    return [t for t in things if t.split()[0].casefold() not in _NO_THING and not _WAITS.search(t)]


_WAITS = re.compile(r"\b(?:once|when|after|before|until|till|if|unless|as\s+soon\s+as|both|all\s+that|please|pls|ensure|"
                    r"make\s+sure|check|verify|confirm|whether)\b", re.IGNORECASE)
_NO_THING = frozenset("it this that nothing everything something all which what who we i you they he she".split())
