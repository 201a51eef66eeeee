"""Requests said in the passive, rewritten as orders: "need the pricing page built" -> "build the pricing page",
"the emails need rewriting" -> "rewrite the emails", "the Terraform could be cleaned up" -> "clean up the Terraform",
"the sso feature is built" (a state the text waits for) -> "build the sso feature".

Moved out of ``rewrites`` so that each stays a readable size.
"""

from __future__ import annotations

import re

from agents.routing.grammar import DETERMINER, EXTRA_VERBS, IRREGULAR, IS_DONE, NEED_OBJECT, WANT, first_word
from agents.routing.verbs import participle_base

__all__ = ["AFTER_DONE", "NEEDS", "is_done", "needs_done", "participle_of", "verb_first", "wanted_done"]


def participle_of(word: str, verbs: frozenset[str]) -> str | None:
    """The verb a past participle comes from ("deployed" -> "deploy", "built" -> "build"), if it is one."""
    word = word.casefold()
    known = verbs | EXTRA_VERBS
    if word in IRREGULAR:
        return IRREGULAR[word]
    if not word.endswith("d") or len(word) < 5:
        return participle_base(word) if len(word) >= 4 else None
    for base in (word[:-3] + "y" if word.endswith("ied") else "", word[:-3] if word[-4:-3] == word[-3:-2] else "",
                 word[:-2], word[:-1]):
        if base and base in known:
            return base
    return participle_base(word)


def wanted_done(lead: str, verbs: frozenset[str]) -> str | None:
    """ "need the pricing page built (...)" -> "build the pricing page (...)": a request in the passive."""
    words = lead.split()
    start = 1 if words and words[0].casefold() in ("i", "we", "ill", "we'll", "i'll") else 0
    if len(words) < start + 3 or words[start].casefold() not in WANT:
        return None
    for i in range(start + 2, min(len(words), start + 14)):
        if words[i].casefold() in _CLAUSE_WORDS:
            return None  # "we get loads of tickets asking how ... is cancelled": another clause began
        if words[i].casefold().endswith("ing") and i + 1 < len(words) and words[i + 1].casefold() in DETERMINER:
            return None  # "need a post explaining the policy for cancelled events": what the thing does
        if words[i - 1].casefold() in _BEFORE_ADJECTIVE:
            continue  # "for cancelled events", "the archived posts": a participle used as an adjective
        base = participle_of(words[i].strip(",.;:!?"), verbs)
        if base is not None:
            return " ".join([base, *words[start + 1:i], *words[i + 1:]])
    return None


_BEFORE_ADJECTIVE = frozenset("for of about on in with to from by at the a an our their its all any".split())
_CLAUSE_WORDS = frozenset("asking saying when if that which who what how why because while is are was were been".split())


NEEDS = re.compile(r"^(?!(?:i|we|you|they)\b)(?![^,.;]*\b(?:doesn'?t|don'?t|does\s+not|do\s+not|not|never|no)\s+(?:need|have))"
                   r"(?P<subj>(?:[\w'’/-]+\s+){1,9}?)(?:really\s+|still\s+|also\s+|first\s+)?"
                   r"(?:needs?|has\s+to|have\s+to|must|should)\s+(?:(?:probably|also|really|definitely|ideally|still|eventually)\s+)*"
                    r"(?:(?:to\s+)?(?:(?:actually|really|finally|also|just|first)\s+)*(?:be|get)\s+(?P<pp>\w+)|(?P<ing>\w+ing)\b|(?P<obj>(?:[\w'’/-]+\s+){1,4}?)(?P<pp2>\w+))"
                    r"(?P<rest>.*)$", re.IGNORECASE)


# what may follow a wanted participle ("needs the page fixed first"); a noun after it makes it an adjective
AFTER_DONE = frozenset("by to for before in on at first asap today tomorrow properly and so please then again up out "
                       "too now with from into soon tonight".split())


def needs_done(lead: str, verbs: frozenset[str]) -> str | None:
    """ "the dashboard needs to be deployed to prod" -> "deploy the dashboard to prod"; "the emails need
    rewriting" -> "rewrite the emails"; "the signup page needs a bug fixed" -> "fix a bug the signup page"."""
    match = NEEDS.match(lead.strip()) or _MODAL_PASSIVE.match(lead.strip())
    if match is None or (match.groupdict().get("bare") is not None and not _SUBJUNCTIVE.match(match.group("subj"))):
        return None  # "the bug won't be fixed", "so that the contract may be countersigned": no subjunctive
    subj, rest = match.group("subj").strip(), match.group("rest").strip()
    if match.group("pp"):
        base = participle_of(match.group("pp"), verbs)
        return verb_first(base, subj, rest) if base else None
    if match.group("ing"):
        stem = match.group("ing")[:-3].casefold()
        for base in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
            if base and (base in verbs or base in EXTRA_VERBS):
                return verb_first(base, subj, rest)
        return None
    words = f"{match.group('obj')}{match.group('pp2')}{match.group('rest')}".split()
    for i in range(1, min(len(words), 6)):  # "needs a bug fixed first": the first participle ends the thing
        base = participle_of(words[i], verbs)
        if base is not None and (i + 1 == len(words) or words[i + 1].casefold().strip(",.;!") in AFTER_DONE):
            return " ".join([base, *words[:i], subj, *words[i + 1:]])  # not "a list of lapsed customers"
    owner = subj.split()[0] if subj.split() else ""
    if words and words[0].casefold() in NEED_OBJECT and (first_word(subj) in DETERMINER or owner.endswith(("'s", "’s"))):
        return f"get {' '.join(words)} for {subj}"  # "the Google Ads need new variants": new variants are wanted
    return None


# a subject of a subjunctive passive: "(that) the release", not "export bug wont", "that the contract may", "so that"
_SUBJUNCTIVE = re.compile(r"^(?!(?:so|that|if|when|once|because|as|to)\b)(?!.*\b(?:wont|won'?t|will|would|can|cannot|can'?t|could|may|"
                          r"might|must|shall|should|not|never|to|also|gonna|cant|just|it|this|they|them|he|she|we|you|i|rather)\s*$).+$", re.IGNORECASE | re.DOTALL)


def verb_first(base: str, subj: str, rest: str) -> str:
    """ "the billing code needs looking at" -> "look at the billing code": a phrasal particle stays with its verb."""
    subj = _AS_OBJECT.get(subj.casefold(), subj)  # "she should be thanked" -> "thank her"
    subj = _TRAILING_MODAL.sub("", subj)  # "the import tool would need building" -> "build the import tool"
    particle, _, after = rest.partition(" ")
    if particle.casefold().strip(",.;:!?") in _KEPT_PARTICLES:
        return f"{base} {particle} {subj} {after}".strip()
    return f"{base} {subj} {rest}".strip()


_AS_OBJECT = {"she": "her", "he": "him", "they": "them", "we": "us", "i": "me"}
_TRAILING_MODAL = re.compile(r"\s+(?:would|will|might|may|could|really|still|also)$", re.IGNORECASE)
_KEPT_PARTICLES = frozenset("at into over through after".split())  # not "up"/"out": "clean up the Terraform" reads either way
# "a one-page case study should probably be written up", "the Terraform could be cleaned up": wanted done, politely
_MODAL_PASSIVE = re.compile(r"^(?!(?:i|we|you|it|this|there)\b)(?P<subj>(?:[\w'’/-]+\s+){1,12}?)"
                            r"(?:should|could|shall|ought\s+to|(?:is|are)\s+(?:then\s+|therefore\s+|thereafter\s+|likewise\s+)?to|"
                            r"would\s+need\s+to|will\s+need\s+to|will(?=\s+(?:then|thereafter|afterwards)\b)|"
                            r"(?P<bare>(?<=\s)(?=be\s+\w+(?:ed|en|t|wn|ne)\b)))\s*"  # "the release be deployed": the subjunctive
                            r"(?:(?:really|probably|also|maybe|definitely|ideally|eventually|perhaps|honestly|still|therefore|"
                            r"thereafter|afterwards|then|likewise|first|now|also|promptly)\s+)*"
                            r"be\s+(?:(?:properly|carefully|promptly|individually|quickly|then|also|fully)\s+)?(?P<pp>\w+)(?P<ing>(?!))?(?P<rest>.*)$", re.IGNORECASE)


def is_done(text: str, verbs: frozenset[str]) -> str | None:
    """ "the sso feature is built" -> "build the sso feature" (a state the text waits for is work)."""
    match = IS_DONE.match(text.strip())
    base = participle_of(match.group("pp"), verbs) if match else None
    return f"{base} {match.group('subj').strip()} {match.group('rest').strip()}".strip() if match and base else None
