"""What a request refers to: the context said before it, the thing an empty request ("fix it") is about, and the
thing an earlier request already named ("then share the tutorial in the newsletter")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from agents.routing.clauses import Clause
from agents.routing.context import without_team_news
from agents.routing.text import STOP_WORDS, clean, tokens

_SAYS = re.compile(r"\b(?:customers?|users?|clients?|people|ppl|someone|a\s+customer|a\s+user)\s+(?:say|says|said|report|"
                   r"reported|reports|complain|complained|noticed|keep\s+saying|tell\s+us|told\s+us)\s+(?:that\s+)?",
                   re.IGNORECASE)


def context_before(clauses: Sequence[Clause]) -> dict[int, str]:
    """For each request: the context clauses said before it (reports, states), which a weak request is about."""
    out: dict[int, str] = {}
    said: list[str] = []
    for clause in clauses:
        if clause.request:
            if said:
                out[id(clause)] = " ".join(said)
        elif not clause.title:
            said.append(clause.bare)
    return out


def antecedents_of(clauses: Sequence[Clause], agents: Mapping[str, str] | None = None) -> dict[int, str]:
    """For each clause with nothing but a verb and pronouns: what it is about, with its material.

    The earlier clauses of its own sentence when they name something ("the admin panel keeps timing
    out, fix that"), else what was said since the last request ("translate the guide. the date picker shows
    MM/DD. fix pls"), else everything said before it ("the cluster keeps OOM-killing pods. figure out why,
    fix it")."""
    out: dict[int, str] = {}
    for n, clause in enumerate(clauses):
        if not clause.empty or not n:
            continue
        said = [c for c in clauses[:n] if not c.title and not _SETTLED.search(c.bare)]
        near = [c for c in said if c.sentence == clause.sentence]
        last = max((k for k, c in enumerate(said) if c.request), default=-1)
        since = [c for c in said[last + 1:] if not c.request]  # "translate the guide. the date picker shows MM/DD. fix pls"
        about = " ".join(c.text for c in next((part for part in (near, since) if _names(part)), said))
        if _ONE.match(clause.bare):  # "we don't have a help article on it at all. write one": the thing it lacks
            about = next((c.text for c in clauses[n - 1::-1] if _INDEFINITE.search(c.bare)), about)
        about = without_team_news(about, agents or {})  # "..., support already refunded her. Fix it": not support's
        out[id(clause)] = _SAYS.sub("", about)  # "Customers say the calendar shows UTC. Fix it": the calendar
    return out


_SETTLED = re.compile(r"\b(?:is|are|'s)\s+(?:already\s+|all\s+)?(?:done|ready|fine|finished|final|sorted|handled|approved|"
                      r"written|in\s+place)\s*$", re.IGNORECASE)  # "copy is done, just build it": not what "it" is
_ONE = re.compile(r"^[\w-]+\s+(?:up\s+|them\s+|him\s+|her\s+|us\s+|me\s+)?(?:one|some)\b(?!\s+(?:of|more|for|to|with)\b)", re.IGNORECASE)
_INDEFINITE = re.compile(r"\b(?:a|an|any|no)\s+[\w-]+", re.IGNORECASE)
def _names(clauses: Sequence[Clause]) -> bool:
    return len([w for c in clauses for w in tokens(clean(c.bare, max_chars=500))[1:] if w not in STOP_WORDS]) >= 2


_DEFINITE = frozenset("the that this these those".split())
_WORDS_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def named_before(clauses: Sequence[Clause]) -> dict[int, str]:
    """Clauses that name an earlier request's thing ("then share the tutorial in the newsletter"), without it.

    The thing already made says whose work made it, not whose work this clause is: what decides is
    the verb, the channel and the rest. Only words after "the/that/this/these/those" go.
    """
    out: dict[int, str] = {}
    seen: set[str] = set()
    for clause in clauses:
        if not clause.request:
            continue
        words = _WORDS_RE.findall(clause.bare)
        folded = [w.casefold() for w in words]
        if seen:
            keep = [w for i, w in enumerate(words)
                    if not (i and folded[i] in seen and any(f in _DEFINITE for f in folded[max(0, i - 3):i]))]
            if len(keep) < len(words) and any(w.casefold() not in STOP_WORDS for w in keep[1:]):
                out[id(clause)] = " ".join(keep)
        seen.update(f for f in folded if len(f) >= 3 and f not in STOP_WORDS)
    return out
