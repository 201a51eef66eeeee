"""Passes over a task's clauses once they are split: what a later clause says about an earlier one.

``head_not_asked``: a verbless opening line over pasted material is no request when orders follow.
``occasion_not_asked``: "launching the gluten free line, i need ...": the occasion, no ask.
``one_more_thing``: "... And one 'Why we built it' blog post for the launch week.": one more ask.
``first_by_name``: "repo first obviously" puts the one request about the repo first.
``trailing_wait``: "..., write an article on it, after the feature is ready": the request before waits.
``condition_on_asked``: "Design the program. After the program is defined, the devs build ...": no new request.
``problem_with_its_ask``: a customer's report in a list item with its own ask is that ask's context.
``what_to_tell``: "reply with the workaround: rename the file first": what the reply says.
``others_items``: meeting notes' action items owned by someone else ("- (JK) deploy it" beside "- ... (AI)").
"""

from __future__ import annotations

import re

from dataclasses import replace
from typing import TYPE_CHECKING

from agents.routing.grammar import ASKED_END, DETERMINER, STATEMENT, IS_DONE, ONCE_STATE, QUOTED, is_action
from agents.routing.openings import reads_as_report
from agents.routing.list_words import PROBLEM_ITEM
from agents.routing.text import stem, tokens
from agents.routing.waits import ONLY_WAIT, THING_FIRST

if TYPE_CHECKING:
    from agents.routing.clauses import Clause


def after_split(clauses: list[Clause], verbs: frozenset[str]) -> list[Clause]:
    """All the passes, in their order."""
    clauses = first_by_name(occasion_not_asked(one_more_thing(head_not_asked(clauses, verbs))), verbs)
    return others_items(condition_on_asked(trailing_wait(what_to_tell(problem_with_its_ask(clauses, verbs)))))


_SAYS_SOMETHING = re.compile(r"\b(?:think|thinks|says|wants|needs|asks|hates|loves|likes|keeps|can|could|will|would)\b", re.I)
_AND_ONE = re.compile(r"^(?:and|\+)\s+(?:a|an|one)\s+(?=\S)", re.IGNORECASE)


def one_more_thing(clauses: list[Clause]) -> list[Clause]:
    """ "Pls prepare the listing copy. ... And one 'Why we built it' blog post for the launch week.": a sentence
    that adds a thing after other asks asks for it (a thing without a verb of its own)."""
    for n, clause in enumerate(clauses):
        lead = _AND_ONE.match(clause.text)
        if (clause.request or lead is None or not n or clause.sentence == clauses[n - 1].sentence
                or not any(c.request for c in clauses[:n]) or not _a_thing(QUOTED.sub(" ", clause.text[lead.end():]))):
            continue
        clauses[n] = replace(clause, request=True, elliptic=True)
    return clauses


def _a_thing(text: str) -> bool:
    """ "blog post for the launch week" after "and one": words that name a thing, not a report ("and a customer said")."""
    return len(tokens(text)) >= 2 and not STATEMENT.search(text) and not _SAYS_SOMETHING.search(text)


def problem_with_its_ask(clauses: list[Clause], verbs: frozenset[str]) -> list[Clause]:
    """ "2) Sharma Traders saying the export total is wrong, reply to them that we are checking": a problem an item
    states is asked to be fixed only when the item asks nothing else; with an ask after it, it is that ask's
    context (the customer's report, for support's reply)."""
    for n, clause in enumerate(clauses[:-1]):
        after = clauses[n + 1]
        if (clause.request and clause.listed and not clause.agent and PROBLEM_ITEM.search(clause.bare)
                and not is_action(clause.bare, verbs) and _SAYING.search(clause.bare)
                and after.request and after.sentence == clause.sentence and is_action(after.bare, verbs)):
            clauses[n] = replace(clause, request=False)
    return clauses


# "Sharma Traders saying ...", "customer says ...", "3 users reporting ...": someone's report of the problem
_SAYING = re.compile(r"\b(?:saying|says|said|reporting|reports|reported|complaining|complains|claims|claiming|"
                     r"writes|wrote|mentions|mentioned)\b", re.IGNORECASE)


# "reply to them with the workaround: rename the file first": what follows the colon is what the reply says
_WITH_WHAT = re.compile(r"\bwith\s+(?:the|a|this|our|these|those)\s+(?:\w+\s+)?(?:workaround|steps|instructions|fix|answer|"
                        r"explanation|tips?|info|details|link|solution)\s*:?\s*$", re.IGNORECASE)


def what_to_tell(clauses: list[Clause]) -> list[Clause]:
    """ "meanwhile reply to the customers with the workaround: rename the file first": the steps after the
    colon are what the reply tells them, not work of their own."""
    for n, clause in enumerate(clauses[1:], start=1):
        before = clauses[n - 1]
        if clause.request and before.request and before.sentence == clause.sentence and _WITH_WHAT.search(before.text):
            clauses[n] = replace(clause, request=False, elaborates=True)
    return clauses


def head_not_asked(clauses: list[Clause], verbs: frozenset[str]) -> list[Clause]:
    """ "git log since v2.4 (squashed): ...  write the release notes from this": a verbless opening line before
    pasted or quoted material names what follows when a later sentence gives the orders."""
    first = next((c for c in clauses if not c.title), None)
    if (first is None or not first.request or first.agent or first.listed or is_action(first.bare, verbs)
            or ASKED_END.search(first.bare)):  # "code review on PR #482 (invoice pdf rewrite) pls": asked for
        return clauses
    at = clauses.index(first)
    material = ((len(first.text) - len(first.bare) > 20 and not _names_a_subject(first))
                or (at + 1 < len(clauses) and not clauses[at + 1].bare))
    if not material:
        return clauses
    if any(c.request and c.sentence > first.sentence and is_action(c.bare, verbs) for c in clauses):
        clauses[at] = replace(first, request=False)
    return clauses


# "launching the gluten free line, i need ...": the occasion the asks after it serve, no ask of its own
_OCCASION = re.compile(r"^(?:so\s+|ok(?:ay)?\s+)?(?:we(?:'|’)?re\s+|we\s+are\s+)?(?:launching|releasing|opening|rolling\s+out|"
                       r"introducing|debuting)\s+(?:the|our|a|an|this|my)\s+[^,.;:!?]{2,40}$", re.IGNORECASE)


def occasion_not_asked(clauses: list[Clause]) -> list[Clause]:
    """ "launching the gluten free line, i need the product guide, the landing page copy and ...": an opening
    clause that names what is being launched, before other asks of its sentence, asks nothing itself."""
    first = next((c for c in clauses if not c.title), None)
    if first is None or not first.request or first.agent or not _OCCASION.match(first.bare.strip()):
        return clauses
    if any(c.request and c.sentence == first.sentence for c in clauses if c is not first):
        clauses[clauses.index(first)] = replace(first, request=False)
    return clauses


def _names_a_subject(first: Clause) -> bool:
    """ 'keyword research for the "database migration tool" cluster': a quoted name inside a thing wanted is its
    subject, not material the line heads (not a report: 'we answer "how do I ..." 10x a week')."""
    if "(" in first.text or ":" in first.text or reads_as_report(first.bare):
        return False
    words = tokens(first.bare)
    end = first.text.casefold().rfind(words[-1]) if words else -1
    return (end >= 0 and not first.text[end + len(words[-1]):].strip(" .,;!?") and words[0] not in _PRONOUNS
            and len(QUOTED.sub("", first.text)) >= len(first.text) - 60)


_PRONOUNS = frozenset("i we you they he she it our my their".split())


_COMES_FIRST = re.compile(r"^(?:the\s+|our\s+)?[\w-]+(?:\s+[\w-]+){0,2}?\s+(?:(?:needs?|has|have)\s+to\s+|should\s+|must\s+)?"
                          r"(?:come|comes|go|goes|happen|happens)\s+first\b", re.IGNORECASE)


_DO_FIRST = re.compile(r"^(?:please\s+|pls\s+)?(?:do|start\s+with|begin\s+with|finish|write|make)\s+(?=(?:the|our|that|this)\s+[\w-]+\s+first\b)",
                       re.IGNORECASE)


def first_by_name(clauses: list[Clause], verbs: frozenset[str]) -> list[Clause]:
    """ "... + build the sample repo it walks through. repo first obviously": the one request naming that thing
    comes first."""
    for n, clause in enumerate(clauses):
        comes = _COMES_FIRST.search(clause.text) if clause.first else None  # "Whitepaper has to come first for obvious reasons"
        said = clause.text if comes is not None else clause.bare
        done = _DO_FIRST.match(said) if clause.first and comes is None else None  # "do the guide first"
        named = THING_FIRST.match(said[done.end():] if done is not None else said) if clause.first else None
        if named is None or (clause.request and comes is None and done is None
                             and (len(clause.bare.split()) > 4 or is_action(clause.bare, verbs))):
            continue  # "Prototype first.", "repo first obviously": a thing and "first", nothing to do of its own
        head = stem(named.group("thing").split()[-1].casefold())
        found = [k for k in range(n) if clauses[k].request and _names(clauses[k], head)]
        if len(found) == 1 or (found and done is not None):  # "do the guide first": the request that first names it
            clauses[found[0]] = replace(clauses[found[0]], first=True)
            clauses[n] = replace(clause, request=False, first=False)
    return clauses


def trailing_wait(clauses: list[Clause]) -> list[Clause]:
    """ "also to do: an article on how the reminders work, after the feature is ready": a wait said last in its
    sentence makes the request just before it wait for the rest."""
    for n, clause in enumerate(clauses):
        if clause.request or not n or not ONLY_WAIT.match(clause.bare or clause.text):
            continue
        last = n + 1 == len(clauses) or clauses[n + 1].sentence != clause.sentence
        before = clauses[n - 1]
        if last and before.request and before.sentence == clause.sentence and not before.first:
            clauses[n - 1] = replace(before, later=True)
    return clauses


def condition_on_asked(clauses: list[Clause]) -> list[Clause]:
    """ "Design a referral program ... After the program is defined, the devs build the codes": a condition on a
    thing an earlier request already asks for is no request of its own (read alone it would be "define the
    program", first); the next request of its sentence waits for the steps before it, or, said after a request
    ("write the user guide once the editor is done"), that request does."""
    for n, clause in enumerate(clauses):
        if not (clause.request and clause.first) or clause.agent:
            continue
        said = clause.text.strip(" \t,.;:!?")
        state = ONCE_STATE.match(said)
        done = IS_DONE.match(state.group("state") if state is not None else said)
        words = [w for w in tokens(done.group("subj")) if w not in DETERMINER] if done is not None else []
        if not words:
            continue
        head = stem(words[-1])
        if not any(c.request and _names(c, head) for c in clauses[:n]):
            continue
        if state is None:  # "- write the iPad user guide once the editor is done": the request before it waits
            before = clauses[n - 1] if n else None
            if before is None or not before.request or before.sentence != clause.sentence or _names(before, head):
                continue
            clauses[n] = replace(clause, request=False, first=False)
            clauses[n - 1] = replace(before, later=True)
            continue
        later = next((k for k in range(n + 1, len(clauses)) if clauses[k].request), None)
        if later is None or clauses[later].sentence != clause.sentence:
            continue
        clauses[n] = replace(clause, request=False, first=False)
        clauses[later] = replace(clauses[later], then=True)
    return clauses


def _names(clause: Clause, head: str) -> bool:
    """Whether a clause's own words name the thing whose stemmed head word is ``head``."""
    return head in {stem(w) for w in tokens(clause.bare)}


def others_items(clauses: list[Clause]) -> list[Clause]:
    """Action items tagged with an owner: the founder's own ("ask the auditor ... (me)") are no work for the company,
    and when some items are tagged for the assistant ("(AI)", "(you)"), the items tagged for other people ("- (JK)
    deploy it", "reply to tickets (Dani)") are theirs. A tag sits at the start or the end of its line."""
    tags: dict[int, str] = {}
    for line in {c.sentence for c in clauses}:
        parts = [c for c in clauses if c.sentence == line]
        found = OWNER_START.match(parts[0].text) or OWNER_END.search(parts[-1].text)
        if found is not None:
            tags[line] = found.group("who").casefold()
    ours = any(tag in _OURS for tag in tags.values())
    return [replace(c, request=False) if c.request and c.sentence in tags and (
        tags[c.sentence] in _FOUNDER or (ours and tags[c.sentence] not in _OURS)) else c for c in clauses]


_WHO = r"\((?:owner:\s*)?(?P<who>[A-Z]{2,3}|[A-Z][a-z]{1,11}|me|you|ai|myself)\)"
OWNER_START = re.compile(r"^\s*" + _WHO)
OWNER_END = re.compile(_WHO + r"\s*[.!]?\s*$")
_OURS = frozenset("ai you assistant bureau".split())
_FOUNDER = frozenset("me myself".split())
