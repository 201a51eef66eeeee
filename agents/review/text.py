"""Small text helpers the review shares: words, stems, sentences, lines, code blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’]*|\d+(?:[.,]\d+)*")
FENCE = re.compile(r"^```[ \t]*([\w+#.-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)

STOPWORDS = frozenset("""
a an the and or but if then than so of to in on at by for from with without into onto about as is are was were be
been being it its this that these those there their them they we our us you your he she his her him i me my mine
do does did done not no yes can could should would will shall may might must have has had having each every all
any some more most less few many much very just also too only own same such what which who whom whose when where
why how whether up down out over under again further once here both other nor per via vs etc please using use new one's
who's it's we're they're let let's get got make made need needs want wants like based include including
""".split())

# Words that say what to do rather than what it is about: never a topic of the task.
INSTRUCTION_WORDS = frozenset("""
write draft create compose prepare produce give generate make build craft come put turn help try keep tell
short shorter brief quick simple small long longer detailed full complete concise clear good great nice
post posts blog article piece text copy content version tweet tweets thread linkedin x twitter social media
email emails e-mail mail reply replies respond response answer message letter note notes
subject subjects line lines headline headlines haiku poem list lists item items bullet bullets point points
release changelog code function functions script program snippet class query queries sql yaml json dockerfile
file config configuration sentence sentences word words character characters paragraph paragraphs
python javascript typescript bash shell go golang rust java ruby php
one two three four five six seven eight nine ten twelve twenty first second third
about under around roughly approximately least most max maximum minimum exactly fewer within
customer customers someone somebody people person user users team company
explain describe announce announcing announcement summarise summarize summary outline
bio website homepage newsletter web blogpost
""".split())

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "a couple of": 2, "a few": 3,
           "single": 1, "a": 1}


@dataclass(frozen=True)
class CodeBlock:
    language: str  # the fence's tag, lower case ("" when none)
    body: str


def words(text: str) -> list[str]:
    return WORD.findall(text)


def stem(word: str) -> str:
    """A crude English stem: enough to match "charged" with "charge" and "backups" with "backup"."""
    w = word.lower().replace("’", "'").removesuffix("'s")
    for suffix in ("ingly", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies", "ied", "ers",
                   "er", "ed", "es", "ly", "s", "e", "y"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def stems(text: str) -> set[str]:
    """Stems of every word, with identifiers split (``is_prime`` and ``isPrime`` give "prime")."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ").replace("-", " ")
    return {stem(w) for w in words(spaced)}


def content_words(text: str) -> list[str]:
    """The words of ``text`` that carry its topic, in order, without repeats."""
    seen: dict[str, str] = {}
    for w in words(text):
        low = w.lower()
        if low in STOPWORDS or low in INSTRUCTION_WORDS or len(low) < 3 or low.isdigit():
            continue
        seen.setdefault(stem(low), w)
    return list(seen.values())


def code_blocks(text: str) -> list[CodeBlock]:
    return [CodeBlock(m.group(1).lower(), m.group(2)) for m in FENCE.finditer(text)]


def prose(text: str) -> str:
    """``text`` without its fenced code blocks."""
    return FENCE.sub("", text)


def nonempty_lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def sentences(text: str) -> list[str]:
    flat = " ".join(nonempty_lines(text))
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", flat) if s.strip()]


def strip_heading(text: str) -> str:
    """The text without a leading Markdown heading or a label such as "Tweet:" (not part of what is posted)."""
    lines = text.strip().splitlines()
    while lines and (re.match(r"^\s*#{1,6}\s", lines[0]) or re.match(r"^\s*\**[A-Za-z ]{2,20}:\**\s*$", lines[0])
                     or not lines[0].strip()):
        lines = lines[1:]
    body = "\n".join(lines).strip()
    if len(body) >= 2 and body[0] in "\"“" and body[-1] in "\"”":
        body = body[1:-1].strip()
    return body


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def join_names(items: list[str], *, conj: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)
