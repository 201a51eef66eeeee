"""What an English word can be as a verb, from lemminflect's dictionary (shipped inside its wheel).

The clause splitter needs to know whether a task part starts with an order ("code up a pricing page",
"patch that", "mock up the login") and which verb a participle comes from ("once the flow is coded",
"get the backups encrypted"). A closed list of verbs misses the words founders actually use; the
dictionary knows every common verb, and the splitter asks it only where its own lists are silent.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lemminflect import getAllLemmas, getInflection, getLemma

# Words that can follow an imperative verb: its object's determiner, a pronoun or a particle. Not a preposition:
# "ticket from a parent", "bug in the export" are noun phrases. "lead list of 50 ..." is not an order;
# "lead the call", "code up a page" are.
_AFTER_VERB = frozenset(
    "a an the our my your their his her its this that these those it them him us me everyone everybody "
    "someone anyone some all any every each more new up out down over off back through thru together around "
    "away what which who how why where whatever whichever whoever one two three four "
    "five few couple".split())


@lru_cache(maxsize=8192)
def is_base_verb(word: str) -> bool:
    """True when ``word`` is a verb's base form ("code", "patch", "mock")."""
    word = word.casefold()
    if word in _CHANNEL_VERBS or word in getAllLemmas(word, upos="VERB").get("VERB", ()):
        return True
    if len(word) > 5 and word.startswith("re") and is_base_verb(word[2:]):  # "redeploy", "reshoot"
        return True
    if not word.isalpha() or getAllLemmas(word):
        return False
    # words no dictionary knows, made the way founders make verbs: "rightsize", "autoscale", "dockerize"
    prefix = next((p for p in _VERB_PREFIXES if word.startswith(p) and len(word) - len(p) >= 3), "")
    return (bool(prefix) and is_base_verb(word[len(prefix):])) or (len(word) > 6 and word.endswith(("ize", "ise")))


_VERB_PREFIXES = ("right", "auto", "down", "cross", "un", "de", "pre")


# ways to reach someone founders use as verbs ("text the patients", "dm them") that the dictionary knows as nouns
_CHANNEL_VERBS = frozenset("text dm sms whatsapp".split())


def starts_order(first: str, second: str) -> bool:
    """Whether a clause starting with these two words reads as an order: a base-form verb, then what it acts on
    (or the particle of a phrasal verb: "fill in the questionnaire", "loop in legal")."""
    second = second.casefold()
    return is_base_verb(first) and (second in _AFTER_VERB or (second == "in" and first.casefold() in _VERB_IN))


# verbs whose "in" is a particle, not a preposition: "fill in the form" is an order, "bug in the export" is not
_VERB_IN = frozenset("fill loop pencil factor phase lock dial bake sign log plug hand send check write type key "
                     "punch put build wire bring call".split())


@lru_cache(maxsize=8192)
def participle_base(word: str) -> str | None:
    """The verb a past participle comes from ("coded" -> "code", "encrypted" -> "encrypt"), or None."""
    return _base(word, "VBN")


@lru_cache(maxsize=8192)
def gerund_base(word: str) -> str | None:
    """The verb an -ing form comes from ("rewriting" -> "rewrite"), or None."""
    return _base(word, "VBG")


def _base(word: str, tag: str) -> str | None:
    word = word.casefold()
    for lemma in getLemma(word, upos="VERB", lemmatize_oov=False):  # no OOV model: it unpickles numpy arrays
        if lemma != word and is_base_verb(lemma) and word in getInflection(lemma, tag=tag, inflect_oov=False):
            return lemma
    return None


@lru_cache(maxsize=8192)
def past_base(word: str) -> str | None:
    """The verb a simple past comes from ("wrote" -> "write", "turned" -> "turn"), or None."""
    return _base(word, "VBD")


@lru_cache(maxsize=8192)
def present_base(word: str) -> str | None:
    """The verb a third-person present comes from ("writes" -> "write", "handles" -> "handle"), or None."""
    return _base(word, "VBZ") if word.casefold().endswith("s") else None


@lru_cache(maxsize=8192)
def is_finite(word: str) -> bool:
    """A verb's past or third-person present ("wrote", "renews", "crashed"): a sentence that reports."""
    word = word.casefold()
    if word in _NOT_FINITE or len(word) < 3:
        return False
    return any(_base(word, tag) is not None for tag in ("VBD", "VBZ"))


# plural nouns that look like a verb's third person ("ops", "docs", "posts", "emails"): never a report on their own
_NOT_FINITE = frozenset("ops docs posts emails tweets ads leads deals pages notes tests logs builds plans sales "
                        "updates reports releases features bugs fixes users customers news ships shows".split())


@lru_cache(maxsize=8192)
def is_name(word: str) -> bool:
    """A capitalised word the dictionary does not know ("Marco", "Priya"): a person's or a product's name."""
    return word[:1].isupper() and word[1:].islower() and not getAllLemmas(word.casefold())


@lru_cache(maxsize=8192)
def can_be_noun(word: str) -> bool:
    """ "audit", "image", "export" can be nouns; "warn", "rotate" cannot."""
    return bool(getAllLemmas(word.casefold(), upos="NOUN"))


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=4096)
def respelled(word: str, known: frozenset[str]) -> str | None:
    """The verb of ``known`` a founder mistyped ("wrtie" -> "write", "deplyo" -> "deploy", "wrte" -> "write"):
    two neighbouring letters swapped or one missing, in a word no dictionary knows (not one letter too many:
    "Porto" is no "port")."""
    word = word.casefold()
    if len(word) < 4 or not word.isalpha() or word in known or getAllLemmas(word):
        return None
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    missing = {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in _LETTERS}
    found = sorted((swaps | missing) & known)
    return found[0] if len(found) == 1 else None


# "deploy last night broke preview urls", "fix is deploying now", "Fix shipped in 3.2": a word that is also a verb,
# then what it did: the thing, not an order
NOUN_SUBJECT = re.compile(r"^(?:the\s+|our\s+|that\s+|this\s+)?(?:deploy|deployment|fix|hotfix|update|release|build|upgrade|"
                          r"migration|rollout|launch|push|change|patch|import|export|sync|backup|restore|redesign)\s+"
                          r"(?:(?:last\s+night|yesterday|today|this\s+morning|on\s+\w+day|itself)\s+)?(?:is|was|are|were|has|had|"
                          r"broke|shipped|failed|went|landed|ships|worked|works|looks|seems|got|caused|killed|wiped|took|"
                          r"didn'?t|did\s+not|doesn'?t)\b", re.IGNORECASE)
