"""How a task opens: whether its first words name the work ("Blog post pls: ...", "Five social posts aimed at ...")
or report something ("Greenleaf Market renews in 30 days", "she asked about SSO").

Moved out of ``clauses`` so that the splitter stays a readable size.
"""

from __future__ import annotations

import re

from agents.routing.asides import PREAMBLE
from agents.routing.grammar import (
    ABOUT_US, ADVERBIAL, ITEM_STATEMENT, NOT_AFTER_LIKE, PAST_TIME, REPORT_BASES, STATEMENT, STILL, WORD, first_word,
)
from agents.routing.list_words import MATERIAL_HEADS
from agents.routing.verbs import is_base_verb, is_finite

__all__ = ["opening_like_dropped", "opens", "reads_as_report"]

_TO_VERB = re.compile(r"\s(?:(?:in\s+order\s+)?to\s+(?=[a-z])|(?:once|when|after|until|as\s+soon\s+as)\s)")


def reads_as_report(bare: str) -> bool:
    """A clause that says what someone did or said ("she asked about SSO"), not a list of things. What a thing is
    to say, or when it is to be done, is no report ("the docs page updated to say EU data stays in Frankfurt",
    "the tracking built into the signup flow once that's settled")."""
    bare = _TO_VERB.split(bare, maxsplit=1)[0]
    words = WORD.findall(bare)
    return bool(STATEMENT.search(bare)) or any(is_finite(w) for w in words[1:6])


_WHEN_TAIL = re.compile(r"\s+(?:once|when|after|as\s+soon\s+as)\s+(?:it|its|it's|that|that's|they|they're|the\s+\w+)\b.*$",
                        re.IGNORECASE)
# "my contractor's note below", "Here's the changelog for 2.7", "see the thread": what follows is material
_ANNOUNCES = re.compile(r"\b(?:below|attached|above|pasted(?:\s+(?:below|in|here))?|as\s+follows)\s*$|^(?:here(?:'s|\s+is|\s+are)?|see)\b",
                        re.IGNORECASE)


_BEFORE_NOUN = frozenset("on about for of in with the a an our their".split())


_SUBJECTS = frozenset("we i they he she you".split())


def opens(bare: str, *, item: bool) -> bool:
    """The task's opening noun phrase ("Blog post pls: ...") or a to-do item ("Five social posts aimed at ...")."""
    whole = bare
    bare = _WHEN_TAIL.sub("", bare)  # "tutorial for the zapier integration once its shipped": the thing, then when
    words = WORD.findall(bare)
    if ((len(words) < 2 and not (item and words and len(WORD.findall(whole)) >= 3)) or _THERE_IS.match(bare) or ABOUT_US.match(bare) or first_word(bare) in ADVERBIAL
            or (first_word(bare) in MATERIAL_HEADS and not (item and _LIST_OF.match(bare)))
            or PREAMBLE.match(bare) or _ANNOUNCES.search(bare)  # "oh and two separate things", "Conference next month": what comes is the work
            or (first_word(bare) in _SUBJECTS and not item)):  # "We go to Vinitaly in April": said of us, no thing to make
        return False  # "After yesterday's outage": when, not what; "Ticket from a parent": what follows is material
    if not item and (any((is_finite(w) and words[i].casefold() not in _BEFORE_NOUN) or w.casefold() in ("will", "would", "won't")
                         for i, w in enumerate(words[1:5]))  # not "article on recurring orders": a noun after "on"
                     or PAST_TIME.search(bare) or STILL.search(bare)):
        return False  # "Greenleaf Market renews in 30 days", "Ops wrote a postmortem": a report
    if not item and any(w.casefold() in REPORT_BASES and (words[i][:1].isupper() or words[i].endswith("s"))
                        for i, w in enumerate(words[1:6]) if i + 1 < len(words)):
        return False  # "Receipt PDFs from Taxling show last year's rate", "Customers keep asking": a report
    told = _TOLD.match(bare) if not item else None
    if told is not None and (is_finite(told.group("verb")) or told.group("that")):
        return False  # "The Facebook campaign of April brought us 400 signups", "A ticket from X reports that ...": news
    if not item and _IN_A_STATE.search(bare):
        return False  # "support inbox full of 'not secure' warnings", "signup form broken on safari 17": how things are
    if reported_done(bare):
        return False  # "release notes 3.2 done + on blog", "monorepo tutorial's live & at 12k views": where things stand
    return not (ITEM_STATEMENT if item else STATEMENT).search(bare)


_PHRASAL_OUT = "".join(rf"(?<!\b{verb})" for verb in (
    "hang find figure check work sort roll hand send reach point help carry look spell lay print try fill sign opt log "
    "cut pull stand write rule miss phase test map weed branch zoom kick lock freak burn wash it them this that".split()))
_THERE_IS = re.compile(r"^(?:there|here)(?:['’]s|\s+is|\s+are|\s+was|\s+were)\b", re.IGNORECASE)  # "there's a slide in our deck about ..."
_LIST_OF = re.compile(r"^lists?\s+of\s+(?:the\s+|all\s+|our\s+)?(?:\d+|top|biggest|largest|best|main)?", re.IGNORECASE)  # a lead list to make
_REPORTED_DONE = re.compile(r"(?:(?:['’]s|\s(?:is|are|now|all|already))?\s(?:done|live|shipped|merged|published|finished|deployed|"
                            r"launched)|(?:['’]s|\s(?:is|are|now|all|already))?" + _PHRASAL_OUT + r"\sout|\s(?:is|are)\s+up)"
                            r"(?=\s*(?:$|[+&,;.!]|(?:and|now|already|yesterday|today|last)\b))",
                            re.IGNORECASE)  # "release notes are up", "v2 out"; not "where they hang out"
_IN_A_STATE = re.compile(r"^(?:[\w'’/.-]+\s+){1,4}(?:full\s+of|flooded\s+with|broken|stuck|missing|failing|dead|expired|"
                         r"offline|lagging|crashing|timing\s+out|down\s+(?:again|since|for)|slow\s+(?:again|since|on|for))\b",
                         re.IGNORECASE)
_TOLD = re.compile(r"^(?:(?!(?:that|which|who|how|why|what|about|on|to|for)\s)[\w'’&.-]+\s+){2,7}?(?P<verb>[a-z]+(?:ed|s)|brought|"
                   r"got|blew|sent|told|made|gave|found|hit|drove)\s+(?:us|me|them|(?P<that>that))\b", re.IGNORECASE)
CONDITION = re.compile(r"\b(?:once|when|after|until|till|before|if|as\s+soon\s+as|by\s+the\s+time)\b", re.IGNORECASE)


def reported_done(bare: str) -> bool:
    """ "release notes 3.2 done + on blog", "monorepo tutorial's live": where a thing stands, with no condition."""
    return _REPORTED_DONE.search(bare) is not None and CONDITION.search(bare) is None


def opening_like_dropped(text: str) -> str:
    """ "like write the onboarding guide then tweet it out": a spoken "like" that opens a task before an order (after a
    comma, "like put it in docker" says what the order before it means, and stays)."""
    said = _OPENING_LIKE.match(text)
    if said is None or not is_base_verb(said.group("verb")) or said.group("verb").casefold() in NOT_AFTER_LIKE:
        return text
    return text[:said.start("like")] + text[said.start("verb"):]


_OPENING_LIKE = re.compile(r"^\s*(?:(?:so|ok|okay|alright|right)\W+)*(?P<like>like)\s+(?P<verb>[a-z]+)\s+(?=\S)", re.IGNORECASE)
