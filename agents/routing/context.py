"""What in a task is context rather than work: news from others ("Support says ...", "the devs fixed it last
night"), a team named as the one who asks ("Marketing's A/B test says ..."), and what is not to be done
("Don't touch the deployment config").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from agents.routing.verbs import is_base_verb, is_finite, past_base

_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
# who said or did something, and the verb that reports it
_REPORTED = re.compile(r"^(?:(?:a|an|the|our|one|some|two|three|\d+)\s+)?(?P<who>[a-z]+(?:\s+[a-z]+)?)\s+(?:already\s+|just\s+)?"
                       r"(?:says?|said|wants?|wanted|asked|asks|reported|reports|fixed|replied|shipped|did|emailed|"
                       r"complained|mentioned|told|thinks|thought|noticed|found|sent|wrote|called|claims?|claimed|"
                       r"will|'ll|is\s+going\s+to|are\s+going\s+to)\b",
                       re.IGNORECASE)
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
    named = (who[:1].isupper() and who.casefold() not in ("i", "we", "you")  # "Brookfield says ..."
             and not re.match(r"(?:our|the|my)\s", bare, re.IGNORECASE))  # not "our AWS bill jumped 40%": a thing of ours
    return named or who.casefold() in agents or who.casefold().split()[-1] in _OTHERS


def team_news(part: str, agents: Mapping[str, str]) -> bool:
    """ "support already refunded her", "the devs finished the queue changes": what a team did, not work for it."""
    verb = _team_verb(part, agents)
    return verb is not None and past_base(verb) is not None


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
    words = _WORDS.findall(re.sub(r"^\W*(?:the|our)\s+", "", part.strip(), flags=re.IGNORECASE))
    for n in (2, 1):
        if len(words) > n and " ".join(words[:n]).casefold() in agents:
            rest = [w for w in words[n:n + 2] if w.casefold() not in ("already", "just", "finally", "also")]
            return rest[0] if rest else None
    return None


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
