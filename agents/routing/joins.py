"""What follows a joiner ("and", ",", "+", "then") in a sentence: more of the same thing, or a request of its own.

The clause splitter (agents/routing/clauses.py) asks these before it splits: "audit logging" after a bare "and"
is more of a list, "..., announce it" acts on the piece just asked for, "she asked about SSO and the API
limits" goes on with what she said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from agents.routing.asides import SAYS
from agents.routing.grammar import DETERMINER, SUBJECT, WE_NEED, WISH, WORD, first_word, is_action, strip_lead
from agents.routing.passives import participle_of
from agents.routing.rewrites import handed_to
from agents.routing.verbs import can_be_noun, gerund_base, is_finite, participle_base, starts_order


def noun_pair(rest: str, verbs: frozenset[str]) -> bool:
    """ "audit logging", "image uploads": after a bare "and", a word that is only sometimes a verb followed by a
    noun is more of the list before it (a verb the router knows, or one followed by what it acts on, is an order)."""
    words = WORD.findall(strip_lead(rest))[:3]
    if words and can_be_noun(words[0]) and re.match(r"\s*[\w'’-]+\s*(?:,|$)", strip_lead(rest)):
        return True  # "the owner's name and email, so I can ...": a noun with nothing to act on
    gerund = len(words) == 3 and words[1].casefold().endswith("ing") and words[2].casefold() in DETERMINER
    return (len(words) >= 2 and words[0].casefold() not in verbs and can_be_noun(words[0])
            and not starts_order(words[0], words[1]) and not gerund)  # "warn customers", "finish building the mode"


def bare_noun_list(before: str, rest: str, verbs: frozenset[str]) -> bool:
    """ "... handles reminders, cancellations and the waitlist": the "and" ends a list of things, not a request
    (so does "..., keeping the headings and the captions");
    "push the build to testflight + the app store": the "+" adds a place, not a request."""
    if (_TO_A_PLACE.search(before)
            and first_word(strip_lead(rest)) in ("the", "our", "their", "your")):
        return True
    if re.search(r"\bboth\s+(?:the\s+|our\s+)?[\w-]+(?:\s+[\w-]+)?\s*$", before, re.IGNORECASE):
        return True  # "add validation on both the client and the server": one place pair, one request
    if "," not in before:
        return False
    last = WORD.findall(before.rsplit(",", 1)[-1])
    if 2 <= len(last) <= 5 and last[0].casefold().endswith("ing") and gerund_base(last[0]) is not None:
        return True  # "..., keeping the headings and the screenshots' captions": more of what the gerund keeps
    return 1 <= len(last) <= 2 and last[0].casefold() not in DETERMINER and not is_action(" ".join(last), verbs)


def acts_on_it(text: str, verbs: frozenset[str]) -> bool:
    """ "..., announce it on LinkedIn": an order on the piece just asked for, not more of its topic."""
    words = WORD.findall(strip_lead(text))[:2]
    return len(words) == 2 and is_action(words[0], verbs) and words[1].casefold() in ("it", "them", "this", "that")


def two_verbs(text: str, verbs: frozenset[str]) -> bool:
    """ "find and fix whatever causes it", "review and merge it": two orders on one thing, not a list of things."""
    words = WORD.findall(text)[:3]
    return len(words) == 3 and is_action(words[0], verbs) and is_action(words[2], verbs)


_OWNED_WORD = re.compile(r"\b(?:our|the|my|your|their|its|his|her)\s+[\w'’-]+\s*$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^\s*[A-Z][\w'’-]*\s*$")


def joins_a_name(joiner: str, before: str, rest: str, verbs: frozenset[str]) -> bool:
    """ "our cancellation + refund policy", "Maple & Myrrh will sign": the "+" or "&" is inside one thing's name (not
    "fix the bug + 2 tests for it", "the login + the signup bug", "DNS plus an SSL certificate", "the blog + deploy it")."""
    word = WORD.findall(rest[:40])
    if not word or word[0].casefold() in DETERMINER or rest.strip()[:1].isdigit() or is_action(rest, verbs):
        return False
    return bool(_OWNED_WORD.search(before) and word[0].islower()) or (
        joiner == "&" and _NAME_WORD.match(before) is not None and word[0][:1].isupper())
_INLINE_CODE = re.compile(r"`[^`\n]*`")


def bare_thing(text: str, verbs: frozenset[str]) -> bool:
    """A noun phrase without an article ("copy for it", "promo posts for x and ig", "Google ads announcing it"):
    no verb starts it and none follows in its first words."""
    if _IN_A_STATE.match(text):
        return False  # "(Also) demo.billwise.in is down since morning": a report of a state
    words = WORD.findall(_INLINE_CODE.sub(" ", text.split(",")[0]))  # "new docs page `docs/retries.md` covering ..."
    if len(words) < 2 or words[0].casefold() in DETERMINER or words[0].casefold() in _NOT_A_THING:
        return False
    if words[0].casefold().endswith("s") and len(words) > 2 and words[1].casefold() in _TO_SOMEONE:
        return not is_action(text, verbs)  # "replies to the open tickets", "emails to the 6 accounts": things and their readers
    return not is_action(text, verbs) and not any(
        is_finite(w) and participle_base(w) is None and not _objects_of(words[k - 1] if k else "")
        for k, w in enumerate(words[:5]))


_IN_A_STATE = re.compile(r"^(?:[\w.'’/-]+\s+){1,4}(?:is|are|was|were|has\s+been|have\s+been)\s+(?:still\s+|totally\s+|completely\s+)?"
                         r"(?:down|broken|slow|offline|dead|wrong|missing|failing|flaky|stuck|full|expired|not\s+\w+)\b", re.IGNORECASE)


def _objects_of(word: str) -> bool:
    """ "ad campaign driving downloads", "the signups": after a gerund or a determiner a word is a thing, not a verb."""
    return word.casefold() in _ARTICLES or (len(word) > 4 and word.casefold().endswith("ing"))


_ARTICLES = frozenset("a an the our your their my his its some more".split())  # not "that brings up ...": a subject


_TO_SOMEONE = frozenset("to for".split())


def ends_wanted(part: str, verbs: frozenset[str]) -> bool:
    """ "need the new pricing page built": the thing wanted is whole, so "and copy for it" is another thing."""
    words = WORD.findall(part)
    return bool(words) and participle_of(words[-1], verbs) is not None


_TO_A_PLACE = re.compile(r"\bto\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s*$")  # "... to testflight", "... to the team"
_NOT_A_THING = frozenset("i we you he she they it this that there here me us them so if when once as how what why "
                         "who which where not no also just maybe".split())


def says_more(before: str, rest: str) -> bool:
    """ "the review that says our onboarding is confusing and the mobile app crashes": the "and" goes on with
    what the review says (a statement), not a second thing asked for."""
    if not SAYS.search(before):
        return False
    words = WORD.findall(rest.split(",")[0])[:6]
    return any(is_finite(w) for w in words[1:])


def reported_and(before: str) -> bool:
    """ "she asked about SSO and the API limits": an "and" inside what someone said, not a second thing asked for
    (but "we need a positioning doc and a blog article" asks for two)."""
    return bool(SUBJECT.match(before)) and not WE_NEED.match(before.strip()) and not WISH.match(before.strip())


_PARTICLES = re.compile(r"(?:back|out|in|up|down|off|again)(?:\s+(?:in|out|on|up|again|down))?\s*(?:$|[(,.;!?\u27e6—–-]|and\b|when\b|but\b)",
                        re.IGNORECASE)


def one_movement(joiner: str, before: str, rest: str) -> bool:
    """ "when they log out and back in": what follows "and" is a particle of the same verb, not a second part;
    "3-4 messaging pillars, which we then use in the sales deck": a "then" inside a relative clause (what the
    founder does with the work afterwards) splits nothing."""
    if joiner == "then":
        return _RELATIVE_WE.search(before) is not None
    return joiner == "and" and _PARTICLES.match(rest) is not None


_RELATIVE_WE = re.compile(r"\b(?:which|that)\s+(?:we|i|you|they)(?:'ll|\s+will|\s+can|\s+could)?\s*$", re.IGNORECASE)


def asked_of_another(rest: str, verbs: frozenset[str], agents: Mapping[str, str]) -> bool:
    """ "(I'm writing the update myself,) but could someone pull the numbers", "but can marketing put together a
    comparison": after "but", work asked of someone else is a request of its own, not a condition on the one before."""
    asked = _ASKED_OF.match(rest)
    if asked is None or not (asked.group("who").casefold() in _ANYONE or asked.group("who").casefold() in agents):
        return False  # not "but can you keep it short": the same work, said more
    return is_action(strip_lead(rest), verbs) or handed_to(rest, verbs, agents) is not None


_ANYONE = frozenset(("someone", "somebody", "anyone", "one of you"))
_ASKED_OF = re.compile(r"(?:could|can|would|will)\s+(?:the\s+)?(?P<who>someone|somebody|anyone|one\s+of\s+you|[a-z]+(?:\s+team)?)\s+"
                       r"(?:also\s+|please\s+|pls\s+)?[a-z]", re.IGNORECASE)
