"""What was asked: the kind of deliverable and its constraints, read from the task text.

Length rules follow the kind and the length the task states, never the team.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.review.text import INSTRUCTION_WORDS, content_words, number

_NUM = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|a couple of|a few|single)"

# (kind, pattern, label): the first match wins, so the more specific kinds come first.
_KINDS: tuple[tuple[str, str, str], ...] = (
    ("haiku", r"\bhaikus?\b", "a haiku"),
    ("subject", r"\bsubject[- ]lines?\b|\bemail subjects?\b", "a subject line"),
    ("tweet", r"\btweets?\b|\bpost (?:it )?on (?:x|twitter)\b|\bx post\b", "a tweet"),
    ("linkedin", r"\blinkedin\b", "a LinkedIn post"),
    ("release_notes", r"\brelease notes?\b|\bchangelog\b", "release notes"),
    ("sql", r"\bsql\b|\b(?:postgres|mysql|sqlite)\s+query\b", "SQL"),
    ("config", r"\b(?:ya?ml|dockerfile|docker[- ]compose|json (?:config|file|document|object|schema)|"
               r"(?:config|configuration) (?:file )?in json|github actions workflow|kubernetes manifest)\b",
     "a configuration file"),
    ("code", r"\b(?:python|javascript|typescript|bash|shell script|golang|rust|java|ruby|php|c\+\+|regex)\b.*"
             r"\b(?:function|script|class|program|code|snippet|module|method|test|tests|cli)\b|"
             r"\b(?:function|script|unit tests?|class|snippet)\b.*\b(?:python|javascript|typescript|bash|"
             r"golang|rust|java|ruby|php)\b|\bwrite (?:a |the )?(?:function|script)\b", "code"),
    ("email", r"\b(?:e-?mail|reply|respond|response to|letter|follow[- ]up|message to|write back)\b", "an email"),
    ("product_description", r"\bproduct description\b", "a product description"),
    ("blog", r"\bblog\b|\barticle\b|\bguide\b|\btutorial\b", "a blog post"),
)

_LANGUAGES = ("python", "javascript", "typescript", "bash", "shell", "golang", "go", "rust", "java", "ruby",
              "php", "sql", "c++")
_LIST_NOUNS = (r"subject[- ]lines|headlines|taglines|slogans|titles|names|ideas|tips|variants|versions|options|"
               r"questions|reasons|ways|steps|bullet points|bullets|points|examples|hashtags|tweets|hooks|"
               r"benefits|features|taglines|subject lines|faqs|posts|angles|ctas|calls to action")

# Minimum and maximum words by kind when the task states none (None: no bound).
_DEFAULT_WORDS: dict[str, tuple[int, int | None]] = {
    "tweet": (3, None), "subject": (2, 16), "haiku": (5, 30), "linkedin": (25, 600), "email": (20, 600),
    "product_description": (20, None), "blog": (120, None), "release_notes": (12, None), "code": (0, None),
    "config": (0, None), "sql": (0, None), "list": (0, None), "text": (8, None),
}
_MAX_CHARS: dict[str, int] = {"tweet": 280, "subject": 90, "linkedin": 3000}
_PERSON_STOP = frozenset("""The Our Your This That Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
February March April May June July August September October November December Python SQL YAML JSON CSV API""".split())


@dataclass(frozen=True)
class Asked:
    """The deliverable the task asks for, and the constraints a reader would check."""

    kind: str  # tweet, subject, haiku, linkedin, email, list, release_notes, code, config, sql, blog, ...
    label: str  # "a tweet"
    min_words: int = 0
    max_words: int | None = None
    max_chars: int | None = None
    stated_length: str = ""  # the task's own words ("under 200 words"), used in notes
    sentences: int | None = None
    count: int | None = None
    count_noun: str = ""
    items: tuple[str, ...] = ()
    language: str | None = None
    config_format: str | None = None  # yaml, json, dockerfile
    recipient: str | None = None
    terms: tuple[str, ...] = ()
    entities: tuple[str, ...] = field(default=())

    @property
    def is_code(self) -> bool:
        return self.kind in ("code", "config", "sql")


def what_was_asked(task: str, *, step: str | None = None) -> Asked:
    """Read the deliverable from ``step`` (the plan step) when given, else from ``task``."""
    text = (step or task).strip()
    low = text.lower()
    kind, label = "text", "the text"
    for name, pattern, name_label in _KINDS:
        if re.search(pattern, low):
            kind, label = name, name_label
            break
    count, noun = _count(low)
    if count is not None and count > 1 and kind in ("text", "blog", "product_description", "linkedin"):
        kind, label = "list", f"a list of {count} {noun}"
    language = _language(low) if kind in ("code", "sql") else None
    config_format = _config_format(low) if kind == "config" else None
    if kind == "code" and language is None:
        language = "python" if "python" in low else None
    min_words, max_words = _DEFAULT_WORDS[kind]
    if re.search(r"\b(short|brief|quick|concise)\b", low) and kind in ("blog", "email", "linkedin", "text",
                                                                     "product_description"):
        min_words = max(8, min_words // 3)
    max_chars = _MAX_CHARS.get(kind)
    if count and count > 1 and kind in ("subject", "tweet") and max_words is not None:
        max_words *= count  # each line is held to the kind's limits in its form check
    stated = ""
    m = re.search(r"\b(about|around|roughly|approximately|~)\s*(\d+)\s*(?:-\s*)?words?\b", low) or re.search(r"\b()(\d+)-words?\b", low)
    if m:
        n = int(m.group(2))
        min_words, max_words, stated = int(n * 0.6), int(n * 1.5) + 2, m.group(0).strip()
    m = re.search(r"\b(under|at most|no more than|fewer than|less than|max(?:imum)?|up to|within)\s+(\d+)\s+words?\b",
                  low)
    if m:
        n = int(m.group(2))
        max_words, stated = n + max(2, n // 20), m.group(0)
        min_words = min(min_words, n // 3)
    m = re.search(r"\b(at least|minimum of|no fewer than|more than)\s+(\d+)\s+words?\b", low)
    if m:
        min_words, stated = int(int(m.group(2)) * 0.95), m.group(0)
    m = re.search(r"\b(under|at most|no more than|fewer than|less than|max(?:imum)?|up to|within)\s+(\d+)\s+"
                  r"(?:characters|chars)\b", low)
    if m:
        max_chars, stated = int(m.group(2)), m.group(0)
        min_words = min(min_words, 3)
    n_sentences = None
    m = re.search(rf"\b{_NUM}[- ]sentences?\b", low)
    if m and number(m.group(1)) is not None:
        n_sentences = number(m.group(1))
        min_words = min(min_words, 4 * (n_sentences or 1))
    return Asked(kind=kind, label=label, min_words=min_words, max_words=max_words, max_chars=max_chars,
                 stated_length=stated, sentences=n_sentences, count=count if count and count > 1 else None,
                 count_noun=noun, items=_items(text), language=language, config_format=config_format,
                 recipient=_recipient(text) if kind in ("email",) else None, terms=tuple(content_words(_topic(text))),
                 entities=_entities(text))


def _count(low: str) -> tuple[int | None, str]:
    m = re.search(rf"\b{_NUM}\s+(?:\w+[- ]?){{0,2}}?({_LIST_NOUNS})\b", low)
    if not m:
        return None, ""
    return number(m.group(1)), m.group(2)


def _language(low: str) -> str | None:
    for lang in _LANGUAGES:
        if re.search(rf"(?<![\w+]){re.escape(lang)}(?![\w+])", low):
            return {"golang": "go", "shell": "bash"}.get(lang, lang)
    return None


def _config_format(low: str) -> str:
    if "dockerfile" in low:
        return "dockerfile"
    if re.search(r"\bjson\b", low):
        return "json"
    return "yaml"


def _items(text: str) -> tuple[str, ...]:
    """Things the task lists one by one: bullet lines, or "X, Y and Z" after a colon or "covering"."""
    bullets = [m.group(1).strip() for m in re.finditer(r"^\s*(?:[-*•]|\d+[.)])\s+(.+)$", text, re.M)]
    if len(bullets) >= 2:
        return tuple(bullets)
    m = re.search(r"(?::|\b(?:covering|cover|including|include|mentioning|mention|with|for|listing))\s+"
                  r"([^.:;\n]+?,[^.:;\n]+?\band\b[^.:;\n]+)", text)
    if not m:
        return ()
    parts = [p.strip(" .") for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group(1)) if p.strip(" .")]
    parts = [p for p in parts if 0 < len(p.split()) <= 6]
    return tuple(parts) if len(parts) >= 2 else ()


def _recipient(text: str) -> str | None:
    m = re.search(r"\b(?:to|for|reply to|email|thank|thanks|follow up with|answer)\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)",
                  text)
    if not m:
        return None
    name = m.group(1).split()[0]
    return None if name in _PERSON_STOP else name


def _entities(text: str) -> tuple[str, ...]:
    """Named things: capitalised words not opening a sentence, versions (v2), quoted names."""
    found: list[str] = []
    for m in re.finditer(r"(?<![.!?:\n]\s)(?<!^)\b([A-Z][a-zA-Z0-9]+(?:\s[A-Z][a-zA-Z0-9]+)*)", text):
        start = m.start(1)
        before = text[:start].rstrip()
        if not before or before[-1] in ".!?:\n-*•(":
            if before.endswith("("):
                found.append(m.group(1))
            continue
        found.append(m.group(1))
    found += re.findall(r"\bv\d+(?:\.\d+)*\b", text)
    found += [q for q in re.findall(r"[\"“]([^\"”]{2,40})[\"”]", text)]
    out: list[str] = []
    for name in found:
        if name.split()[0] in _PERSON_STOP and len(name.split()) == 1:
            continue
        if name.lower() in INSTRUCTION_WORDS or name.lower() in {"i", "ai", "ceo", "ok"} or name.lower() in {o.lower() for o in out}:
            continue
        out.append(name)
    return tuple(out)


def _topic(text: str) -> str:
    """The part of the task that says what it is about (without "and shorten it until ..." style loops)."""
    return re.split(r"\b(?:and|then) (?:shorten|trim|cut|revise|rework|repeat|have it)\b", text, maxsplit=1)[0]
