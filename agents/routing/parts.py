"""Whether a request works on a part of the piece just asked for ("..., and pull 1-2 good quotes", "keep it under
a page") or is a piece of its own ("send her the quote", "a quote for GreenLeaf Nurseries")."""

from __future__ import annotations

import re

from agents.routing.grammar import (
    CONDITION, CONTAINER, EACH, GENERIC_VERBS, MADE_SO, MANNER, OBJECT_END, PARTS, SKIP, STYLE, TO_ME, WORD, first_word,
    objects_of,
)
from agents.routing.passives import participle_of

_MAKE_IT_SO = re.compile(r"^make\s+it\s+so\s+(?:that\s+)?(?:the|our|their|your|people|customers|users|members|clients)\b",
                         re.IGNORECASE)


# "Quote from me + a quote from Siobhan": words quoted in the piece, not a price quote
_QUOTED_BY = re.compile(r"^(?i:a\s+|one\s+|the\s+|short\s+|and\s+)*(?i:quotes?\s+from)\s+(?:me|us|him|her|them|our\s+\w+|the\s+\w+|[A-Z][\w'’-]+)"
                        r"(?:\s+(?:if|as|and|\+|on|about)\b.*)?$")


# "Check it doesn't send duplicates when the receiver is slow": what to look for in the work just asked for
_CHECK_IT = re.compile(r"^(?:check|verify|test|confirm|double[- ]check)\s+(?:that\s+|whether\s+|if\s+)?(?:it|they|this|that)\s+"
                       r"(?:doesn'?t|does\s+not|don'?t|do\s+not|won'?t|can'?t|isn'?t|aren'?t|never|still|also|really|"
                       r"is|are|does|do|handles?|works?|sends?|covers?|keeps?|retries|returns?|matches)\b", re.IGNORECASE)


# "Leave the infra line out", "leave the offer as it is": what the piece must not change, not work of its own
_LEAVE = re.compile(r"^(?:leave|keep)\s+(?:[\w'’-]+\s+){1,6}?(?:out|alone|as\s+(?:it|they)\s+(?:is|are)|unchanged|untouched)\b",
                    re.IGNORECASE)


def checks_it(bare: str) -> bool:
    """ "Check it doesn't send duplicates when the receiver is slow": its "when" is what to test, not a time."""
    return _CHECK_IT.match(bare) is not None


def elaborates(bare: str, *, elliptic: bool = False) -> bool:
    if _QUOTED_BY.match(bare) or _CHECK_IT.match(bare) or _LEAVE.match(bare):
        return True
    if _MAKE_IT_SO.match(bare):
        return False  # "make it so the booking page takes one payment for a group": work on a thing it names
    done = MADE_SO.match(bare)
    if done is not None and participle_of(done.group("pp"), frozenset()) is not None:
        return False  # "make sure it's purged from the backups": work to do, not a condition on the piece
    if CONDITION.match(bare) or STYLE.match(bare) or TO_ME.match(bare) or MANNER.match(bare):
        return True
    rest = [w for w in objects_of(bare)[:6] if w not in SKIP]
    if not rest or CONTAINER.search(bare):
        return False
    head = WORD.findall(OBJECT_END.split(" ".join(rest), maxsplit=1)[0])
    # "pull 1-2 good quotes"; "..., and one customer quote for each" (a thing sharing the verb before it)
    if elliptic and re.match(r"(?:one|another|the\s+other)\b", bare, re.IGNORECASE):
        return True  # "two personas, one for an engineer and one for a manager": more of the same thing
    per_item = elliptic and EACH.search(bare) is not None  # "and one customer quote for each"
    generic = (per_item or first_word(bare) in GENERIC_VERBS) and bool(head) and head[-1] in PARTS
    return (rest[0] in PARTS or generic) and not deliverable(bare)


# a buyer named in lower case after a price quote ("the updated quote for harwick"), not "a quote for each section"
_BUYER = r"(?<=quote for )(?!(?:each|every|it|this|that|them|a|an|our|all|both|my|your|the)\b)[a-z]"


def deliverable(bare: str) -> bool:
    """ "send her the quote", "pull together a summary of all their tickets": a piece of its own, for someone or
    of many things, not a part of the piece just asked for."""
    words = objects_of(bare)
    part = next((i for i, w in enumerate(words) if w in PARTS), len(words))
    given = any(w in ("her", "him", "them", "us", "me") for w in words[:part])
    if part < len(words) and re.search(rf"\b{re.escape(words[part])}s?\s+for\s+(?:the\s+)?(?:[A-Z]|{_BUYER})", bare):
        return True  # "put together a quote for GreenLeaf Nurseries" (or "for harwick"): a piece of its own, for a buyer
    return given or (words[part + 1:part + 2] == ["of"] and words[part + 2:part + 3] in (
        ["all"], ["every"], ["each"], ["our"], ["their"], ["last"], ["recent"], ["this"]))
