"""Run-on orders, as dictated or typed in a hurry: a new order starts where a verb acts on what was just said.

"the certificate on the portal expires friday renew that", "the app crashes when you open the camera fix that,
then ...", "there's like four angry ones this week respond to those": no comma, no "and", yet two clauses. The
order is a base-form verb whose object is a pronoun for the thing just described ("that", "it", "those", "them"),
straight after a word that ends a description (a noun, a number, a time word), not after a subject, a modal or
a determiner ("we need to fix that", "can you fix it", "the bug fix that shipped"). A comma goes before it, so
the clause splitter sees the order it already knows how to read.
"""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from agents.routing.grammar import EXTRA_VERBS, is_action
from agents.routing.verbs import is_base_verb

_ON_IT = re.compile(r"(?<=[\w%)'’])[ \t]+(?P<verb>[a-z]+)(?P<particle>[ \t]+(?:down|up|out|back|to))?[ \t]+"
                    r"(?P<pronoun>that|it|those|them|these|this|him|her|each|all|both)\b(?!['’-])(?P<after>[ \t]+[^\s]+)?")
# "... since this morning check the servers", "... moving from paper to online build the online intake form": a
# verb with a thing of its own as its object
_ON_THING = re.compile(r"(?<=[\w%)'’])[ \t]+(?P<verb>[a-z]+)(?P<particle>[ \t]+(?:up|out))?[ \t]+"
                       r"(?:the|a|an|our|all|every|each|some)[ \t]+[\w'’-]+")
# words after which a verb is no new order: who does it (team subjects named here, not the router's aliases:
# "code" and "content" are nouns too, "every code fix that too"), a modal or helper, a determiner, a joiner
_NOT_AFTER = frozenset(
    "i we you they he she it someone somebody anyone everyone devs team to can could would will should must "
    "may might shall need needs want wants have has had do does did don't dont didn't let let's lets help make "
    "please pls plz kindly just also then and or but so if when where while because the a an our my your their "
    "his her its this that these those no any some each every not never who which what how why of for with "
    "about on in at from by as into onto than is are was were be been being gonna wanna gotta going trying try "
    "able i'll we'll you'll i'd we'd they'd he'd she'd get gets getting got keep keeps cant can't cannot couldn't wont won't even still "
    "rather people ppl folks dev ops sales support marketing nobody everybody guys".split())
# words that make the verb after them part of their own clause: "have sales send it", "make the site do that",
# "explaining how users turn it on", "when u tap it", "can your sales person set that up"
_HOLDS_VERB = frozenset("have has had make makes let lets how when whenever can could would will should may might "
                        "nobody dares".split())
# what may follow the pronoun when it is the whole object: an adverb, a particle, a preposition, a joiner
_AFTER_OBJECT = frozenset(
    "asap too now today tonight tomorrow first please pls plz properly quickly again immediately urgently and then "
    "so before by at to for from in on with up down out off back already um uh ok pronto fast".split())
# verbs of saying, wanting and using: after a plural noun they are its verb ("clinics love that", "how customers
# use it"), not an order
_STATE_VERBS = frozenset(
    "want need love like hate say know think mean see use reach mind prefer expect hope feel get keep "
    "find own lose miss".split())
_BOUNDARY = re.compile(r"[.,;:!?\n(]|\s[-–—]\s")


def run_ons_as_said(text: str, verbs: frozenset[str]) -> str:
    """``text`` with a comma before each run-on order (the words as written)."""
    cuts = [found.start() for found in _ON_IT.finditer(text) if _is_run_on(text, found, verbs)]
    cuts += [found.start() for found in _ON_THING.finditer(text) if _acts_on_a_thing(text, found, verbs)]
    cuts += [found.start() for found in _WANTS.finditer(text) if _after_a_statement(text, found)]
    cuts = sorted(set(cuts))
    for cut in reversed(cuts):
        text = f"{text[:cut]},{text[cut:]}"
    return text


def _is_run_on(text: str, found: re.Match[str], verbs: frozenset[str]) -> bool:
    verb, after = found.group("verb"), (found.group("after") or "").strip().rstrip(".,;:!?)").casefold()
    words = _words_before(text, found)
    last = words[-1].casefold() if words else ""
    demonstrative = found.group("pronoun") in ("that", "this") and verb in verbs
    if (len(words) < 3 or last in _NOT_AFTER
            or last.endswith(("ly", "n't", "nt", "ing")) and last not in _TIMES
            or "/" in last or words[-1].isupper()
            or (last.endswith("s") and not last.endswith(("ss", "us")) and not demonstrative)
            or any(w.casefold() in _HOLDS_VERB for w in words[-4:])):
        # "fix that", "we need to fix it", "then fix it", "have to actually finish it", "A/B test it"; a plural
        # before the verb is its subject: "the tablets log them out"
        return False
    to = (found.group("particle") or "").strip() == "to"
    if verb in _STATE_VERBS or verb in _PREPOSITIONS or (to and (
            verb not in ("respond", "reply", "talk", "speak", "write")
            or any(w.casefold() in _DETERMINERS for w in words[-3:-1]))):
        return False  # "which channels reach them"; "the first cold email to them", "a public reply to it"
    pronoun = found.group("pronoun")
    if pronoun in ("each", "all", "both") and after != "of":
        return False  # "reply to each of them"; not "the plan all users get"
    if pronoun == "her" and after not in ("out", "up", "back", "know", ""):
        return False  # "help her out"; "fix her account" is an order on her thing, read where it starts
    if after and after not in _AFTER_OBJECT and pronoun not in ("each", "all", "both"):
        return False  # "the leak fix this morning", "the post that Maria wrote": no pronoun object
    return is_base_verb(verb) and is_action(text[found.start():].strip(), verbs)


def _acts_on_a_thing(text: str, found: re.Match[str], verbs: frozenset[str]) -> bool:
    """A dictated order on a thing of its own ("... this morning check the servers"): only a verb that is no
    noun, or one after a word no noun compound ends on ("the page copy the team wrote", "a code review the
    devs asked for" are things)."""
    verb = found.group("verb")
    if verb not in verbs and verb not in EXTRA_VERBS or verb in _STATE_VERBS or verb in _SAME_IN_PAST:
        return False  # "the library system put out an RFP": a past tense, said of the words before it
    words = _words_before(text, found)
    if _leads_in(words):
        return False  # "and then from the top 3 make the messaging": the words before lead into the order
    if any(w.casefold() in _ADVERBS for w in words[-2:]):
        return False  # "the devs already set the code up": said of someone
    last = words[-1].casefold()
    if (last in _NOT_AFTER or last in _OBJECTS or last.endswith(("ly", "n't", "nt", "ing", "'s", "’s")) and last not in _TIMES
            or "/" in last or words[-1].isupper() or last.endswith("s") and not last.endswith(("ss", "us"))
            or any(w.casefold() in _HOLDS_VERB or w.casefold() in _NOT_BEFORE_THING for w in words[-4:])):
        return False
    if "NOUN" in getAllLemmas(verb) and not (last in _TIMES or last.isdigit() or _no_noun(last)):
        return False
    return is_action(text[found.start():].strip(), verbs)


def _after_a_statement(text: str, found: re.Match[str]) -> bool:
    """ "we're getting eight no-shows a week I want an SMS reminder": a wish said straight after the problem; not
    "the cafés I want to reach" (a noun the wish describes)."""
    words = _words_before(text, found)
    if _leads_in(words):
        return False
    last = words[-1].casefold()
    if last in _NOT_AFTER:
        return False
    if last in _TIMES or last.isdigit() or _no_noun(last):
        return True
    # "so the spring launch I want positioning first": a topic said as a bare noun phrase, then the wish (not "the
    # cafés I want to reach", a thing the wish describes)
    topic = [w for w in words if w.casefold() not in _FILLERS] if words[0].casefold() in _FILLERS else words
    return (text[found.end():].casefold().split(None, 3)[2:3] != ["to"] and len(topic) >= 2
            and topic[0].casefold() in _DETERMINERS
            and not any(is_base_verb(w) and "NOUN" not in getAllLemmas(w) or w.casefold() in _LEAD_IN or w.casefold()
                        in _PREPOSITIONS for w in topic[1:]))  # not "the week after launch I want ...": a time


def _words_before(text: str, found: re.Match[str]) -> list[str]:
    """The words between the last boundary (a comma, a full stop, a dash ...) and the match."""
    return re.findall(r"[\w'’%/]+", re.split(_BOUNDARY, text[:found.start()])[-1])


def _leads_in(words: list[str]) -> bool:
    """Too few words for a clause of their own, or words that lead into what follows ("and then from the top 3")."""
    return len(words) < 3 or words[0].casefold() in _LEAD_IN or (words[0].casefold() in ("and", "then", "so")
                                                                 and words[1].casefold() in _LEAD_IN)


def _no_noun(word: str) -> bool:
    """A word no compound noun is made of: an adjective or adverb only ("online", "broken", "asap")."""
    lemmas = getAllLemmas(word)
    return bool(lemmas) and "NOUN" not in lemmas and "VERB" not in lemmas and "PROPN" not in lemmas


_WANTS = re.compile(r"(?<=[\w%)'’])[ \t]+(?=(?:I|we)[ \t]+(?:want|need|(?:'|’|woul)d[ \t]+(?:like|love))[ \t]+\w)")
_FILLERS = frozenset("so ok okay alright right and um uh like".split())
_SAME_IN_PAST = frozenset("put set cut let hit read shut spread cost quit upset".split())
_LEAD_IN = frozenset("from with using based for after before once when to of by in on at then".split())
_ADVERBS = frozenset("already also still always often never ever even usually sometimes".split())
_OBJECTS = frozenset("us me them him her".split())  # "in exchange for letting us publish a case study"
# words that hold a verb a few words later in their own clause: "who", "which", "that" lead a description
_NOT_BEFORE_THING = frozenset("who which that where whose".split())
_TIMES = frozenset("morning evening night afternoon today tonight yesterday week month asap".split())
_DETERMINERS = frozenset("a an the our my your their its".split())  # "write a public reply to it": a noun
_PREPOSITIONS = frozenset("over under about around through across".split())  # "leave over this"
