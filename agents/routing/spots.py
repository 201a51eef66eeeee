"""Clauses that can hold no team of their own when the whole-task reader mends a plan or the finder places a team:
they ask nothing, whatever words of a team they carry.

    "And when it's fixed, tell the customers ..."        a condition on work done (the order comes next)
    "Using the persona doc marketing did, build ..."      work that reads something already made
    "Notes from the call: <notes>"                        the head of the notes the work comes from
    "facts: we're on AWS, postgres encrypted at rest"      facts, context or notes the work uses, by their label
    "flow: install it -> load data -> run a query"        a sequence the work describes
    "- reply to tickets (Dani)"                            an action item someone else owns
    "don't rewrite the guide", "NOT release notes"         work the founder rules out
    "here's the release notes for v3.2 (...)"             material shown to the work
    "use the keywords from our seo plan: ..."              what the work starts from (unasked.py)
    "Customers keep asking about tunneling", "Priya is on the bug"   what others say or already do
    "feature's shipped, release notes are live"            where things already stand
"""

from __future__ import annotations

import re

from agents.routing.asides import USES_MADE
from agents.routing.clause_passes import OWNER_END, OWNER_START
from agents.routing.clauses import Clause
from agents.routing.grammar import PLACEHOLDER_RE
from agents.routing.lists import MATERIAL_HEAD
from agents.routing.openings import reported_done
from agents.routing.unasked import asks_nothing, event_told, others_say, results_told
from agents.routing.waits import ONLY_CONDITION

__all__ = ["USES_MADE", "holds_no_team"]

_NOT_ASKED = re.compile(r"^(?:(?:and|but|so|also|just|please|pls)\s+)*(?:don'?t|do\s+not|dont|not|no\s+need\s+to|never|"
                        r"ignore|skip|leave)\b", re.IGNORECASE)
_SHOWN = re.compile(r"^(?:here(?:'s|’s|\s+is|\s+are)|attached\s+(?:is|are)|below\s+(?:is|are))\s|\b(?:is|are)\s+(?:below|attached|"
                    r"above|pasted\s+(?:below|above))\b", re.IGNORECASE)
_LABELLED = re.compile(r"^\(?(?:facts?|fyi|for\s+(?:reference|context)|details|info|flow|sequence|"
                       r"storyboard|beats|scenario|walkthrough|journey)\s*[:—–-]\s*\S",
                       re.IGNORECASE)


def holds_no_team(clause: Clause) -> bool:
    """True for a clause that is no spot for a team (see the module's examples)."""
    text = clause.text.strip()
    if ONLY_CONDITION.match(text) or USES_MADE.match(text) or (not clause.request and _LABELLED.match(text)):
        return True
    if not clause.request and (OWNER_START.match(text) or OWNER_END.search(text) or _NOT_ASKED.match(text)
                               or _SHOWN.search(text) or asks_nothing(text, clause.bare) or others_say(clause.bare)
                               or results_told(clause.bare) or reported_done(clause.bare) or event_told(clause.bare)):
        return True
    heads = bool(PLACEHOLDER_RE.search(text)) or text.endswith(":")  # "Notes from the call: <notes>", not "changelog line"
    return heads and not clause.request and len(clause.bare.split()) <= 5 and bool(MATERIAL_HEAD.search(clause.bare))
