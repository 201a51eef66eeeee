"""The thing a clause's verb works on outweighs the verb: "build a changelog page" is code (a page is built),
"write installation docs for customers" content (docs are written), "fix the infra side" devops.

The object is the noun phrase right after the leading verb, up to the first preposition, relative word
or conjunction; its head is its last word ("ROI calculator page" -> "page"). The lexicon phrase that
covers the head names the team the object belongs to. When that team differs from what the verb alone
says (and the verb is not one that decides a clause by itself, like "deploy" or "document"), the verb's
own evidence is discounted and the head's evidence weighs more. The reading also says whether the verb
and the object agree, which the planner uses for the step's sureness.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from agents.routing.lexicon import LexiconHit

STRONG_VERB = 4.0  # a clause cue this heavy decides the clause alone (as in the router)
HEAD_MIN = 4.0  # the head's phrase must be an unmistakable one (the lexicon's top tier)
VERB_DISCOUNT = 0.6  # share of the verb's own evidence dropped when the head disagrees
HEAD_BONUS = 0.0  # no pull of its own: the head only takes away the verb's say (a place named after it may decide)

_PARTICLE = frozenset("up out down in over through together".split())
_STOP = re.compile(r"\b(?:for|to|at|on|in|into|from|with|by|about|of|so|that|which|who|where|when|because|since|"
                   r"and|or|but|then|after|before|once|if|while|until|as|like|than|via|using|what|how|why|which|whether|whose)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


@dataclass(frozen=True)
class ObjectReading:
    """What a clause's verb and the head of its object each point to."""

    verb_team: str | None
    object_team: str | None
    adjust: Mapping[str, float]  # add to the raw scores

    @property
    def disagree(self) -> bool:
        return bool(self.verb_team and self.object_team and self.verb_team != self.object_team)


def object_phrase(bare: str) -> str:
    """ "build a public changelog page on its own subdomain" -> "a public changelog page"."""
    words = _WORD.findall(bare.split(",")[0])  # "patch the box, it's 14 months behind": the object ends at the comma
    start = 2 if len(words) > 1 and words[1].casefold() in _PARTICLE else 1
    rest = " ".join(words[start:])
    stop = _STOP.search(rest)
    return (rest[:stop.start()] if stop else rest).strip()


def read_object(bare: str, match: Callable[[str], Sequence[LexiconHit]],
                verb_cues: Mapping[str, float], verb_hits: Mapping[str, float], *,
                made: Callable[[str], bool] = lambda phrase: False) -> ObjectReading:
    """Weigh the head of the verb's object over the verb.

    ``match`` runs the lexicon on a text; ``verb_cues`` is the clause cue of the leading verb per team and
    ``verb_hits`` the lexicon's weight on the verb itself per team; ``made`` says whether the clause makes a
    thing the clause cues know ("build ... page"), which they already weigh."""
    verb_part = {t: verb_cues.get(t, 0.0) + verb_hits.get(t, 0.0) for t in sorted(set(verb_cues) | set(verb_hits))}
    verb_team = max(verb_part, key=lambda t: verb_part[t], default=None)
    phrase = object_phrase(bare)
    hits = [h for h in match(phrase) if h.direct] if phrase else []
    if not hits:
        return ObjectReading(verb_team, None, {})
    last = max(h.position for h in hits)
    head = max((h for h in hits if h.position == last), key=lambda h: h.weight)
    if head.weight < HEAD_MIN:
        return ObjectReading(verb_team, None, {})
    if (verb_team is None or verb_team == head.team or verb_cues.get(verb_team, 0.0) >= STRONG_VERB
            or made(phrase)):  # "build a pricing page": the clause cues already say a page is built by code
        return ObjectReading(verb_team, head.team, {})
    adjust = {verb_team: -VERB_DISCOUNT * verb_part[verb_team], head.team: HEAD_BONUS * head.weight}
    return ObjectReading(verb_team, head.team, adjust)
