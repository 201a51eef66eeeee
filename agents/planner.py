"""The shape of a plan, read from the task: items to fan out, map-reduce, pipelines, verify, loops.

Pure functions over text; the CEO combines them with the router's team choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.routing.grammar import BULLET
from agents.routing.lexicon import builtin_settings
from agents.routing.lists import FROM_MATERIAL, MATERIAL_HEAD, SENT_BY, is_order

_FOR_EACH = re.compile(r"\bfor each of\s+(.+)$", re.IGNORECASE | re.DOTALL)
_LEAD_IN = re.compile(r"^\s*for each of [^:]*:\s*", re.IGNORECASE)
_DET = r"(?:the following|these|those|our|my|\d+|two|three|four|five|six|seven|eight|nine|ten)"
_LIST_HEAD = re.compile(rf"^(?:(?:{_DET}\s+){{0,2}}[a-z-]+\s*:|(?:{_DET}\s+){{1,2}}[a-z-]+\s*,)\s*(.+)$",
                        re.IGNORECASE | re.DOTALL)
_VERBS = frozenset("write draft create make prepare send build design plan post reply summarise summarize "
                   "research find list review translate produce compose outline fix add update".split())
_VARIANTS = re.compile(r"\b(two|three|four|five|six|[2-6])\s+(?:different\s+)?(variants|versions|options|drafts|"
                       r"alternatives|variations)\b", re.IGNORECASE)
# "three social media posts", "5 cold emails": that many separate pieces of one kind
_PIECES = re.compile(r"\b(two|three|four|five|six|[2-6])\s+((?:[a-z-]+\s+){0,3}?)(posts|tweets|emails|e-mails|ads|"
                     r"articles|newsletters|scripts|press releases|case studies|videos|threads|stories|letters|"
                     r"blog posts|landing pages|one-pagers|guides|tutorials)\b", re.IGNORECASE)
# "Write tweets for: product launch, holiday sale, new hire": one piece per listed item
_FOR_LIST = re.compile(r"^(?P<head>.*?\b(?:for|about|on|covering))\s*:\s*(?P<items>[^:\n]+?)\s*\.?\s*$",
                       re.IGNORECASE | re.DOTALL)
_REDUCE = re.compile(r"\b(summari[sz]e|summary|combine|digest|overview|consolidate|merge|synthesi[sz]e|"
                     r"compare|roll up|one report)\b", re.IGNORECASE)
_THEN = re.compile(r",?\s*\bthen\b\s*", re.IGNORECASE)
_VERIFY = re.compile(r"\b(verify|verified|double[- ]check(?:ed)?|fact[- ]check(?:ed)?|critics?|several reviewers|"
                     r"independent(?:ly)? review(?:ed)?|peer[- ]review(?:ed)?|"
                     r"(?:have|get)\s+(?:it|this|that|them|the \w+)\s+(?:reviewed|checked|proofread|verified)|"
                     r"(?:reviewed|checked) by (?:a |an |another |two |three |several )?\w+)\b", re.IGNORECASE)
_UNTIL = re.compile(r"\buntil\b", re.IGNORECASE)
# "... until it reads well", "until each variant has 1,000 visitors": a state of the work that can be checked
_UNTIL_MET = re.compile(r"\buntil\s+(?:it|this|that|they|the\s+[\w-]+(?:\s+[\w-]+)?|each\s+[\w-]+|every\s+[\w-]+|all\s+of\s+them)\s+"
                        r"(?:is|are|reads?|sounds?|feels?|looks?|pass(?:es)?|fits?|has|have|gets?|scores?|works?|matche?s?)\b"
                        r"(?!\s+(?:live|out|shipped|deployed|released|launched|done|ready|merged|fixed|built|over)\b)", re.IGNORECASE)
_LENGTH = re.compile(r"\b(?:under|at most|no more than|fewer than|less than|within|max(?:imum)?(?: of)?)\s+"
                     r"(\d{1,6})\s+(words?|characters?|chars?)\b", re.IGNORECASE)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
MAX_ITEMS = 12


@dataclass(frozen=True)
class LengthCheck:
    """A check a loop runs until it passes: the output's length."""

    max_words: int | None = None
    max_chars: int | None = None

    def problems(self, output: str) -> tuple[str, ...]:
        found: list[str] = []
        words, chars = len(output.split()), len(output.strip())
        if self.max_words is not None and words > self.max_words:
            found.append(f"It has {words} words; it must have at most {self.max_words}. Cut it down.")
        if self.max_chars is not None and chars > self.max_chars:
            found.append(f"It has {chars} characters; it must have at most {self.max_chars}. Cut it down.")
        return tuple(found)

    def describe(self) -> str:
        limit = f"{self.max_words} words" if self.max_words is not None else f"{self.max_chars} characters"
        return f"at most {limit}"


@dataclass(frozen=True)
class Shape:
    """What the planner read from the task text."""

    kind: str  # single | fanout | mapreduce | pipeline | verify | loop
    items: tuple[str, ...] = ()
    instruction: str = ""  # the task without its list of items
    stages: tuple[str, ...] = ()  # pipeline stages, in order
    check: LengthCheck | None = None
    counted: bool = False  # the items are a count ("three posts"), not a list the founder wrote


def items_of(text: str) -> tuple[tuple[str, ...], str]:
    """The task's list of items (bullets, numbered lines or 'for each of a, b and c') and the rest."""
    lines = text.splitlines()
    bullets = [m.group(1) for m in (BULLET.match(line) for line in lines) if m]
    if len(bullets) >= 2 and _material_list(lines):
        return (), text  # "Write the release notes from this changelog:" and its bullets: one piece made from them
    if len(bullets) >= 2:
        rest = " ".join(line.strip() for line in lines if not BULLET.match(line)).strip()
        if _work_list(bullets, rest):
            return (), text  # "going to SaaStr:\n- booth messaging\n- outreach to 40 companies": work, not one piece each
        return tuple(bullets[:MAX_ITEMS]), _LEAD_IN.sub("", rest).strip() or rest
    match = _FOR_EACH.search(text)
    if match:
        listed = match.group(1)
        head, colon, after = listed.partition(":")
        if colon and after.strip():  # "for each of a and b: write the code, then document it"
            items, instruction = _inline_items(head)
            instruction = after.strip()
        else:
            items, instruction = _inline_items(listed)
        if len(items) >= 2:
            before = text[: match.start()].strip(" ,:")
            return items[:MAX_ITEMS], " ".join(p for p in (before, instruction) if p)
    listed_for = _FOR_LIST.match(text.strip())
    if listed_for and "\n" not in text.strip():
        items = tuple(i.strip() for i in re.split(r",\s*|\s+and\s+|\s*;\s*", listed_for.group("items")) if i.strip())
        if 2 <= len(items) <= MAX_ITEMS and all(len(i.split()) <= 6 for i in items):
            return items, listed_for.group("head").strip()
    pieces = _PIECES.search(text)
    if pieces:
        count = _NUMBERS.get(pieces.group(1).lower()) or int(pieces.group(1))
        noun = pieces.group(3).lower()
        one = noun[:-3] + "y" if noun.endswith("ies") else noun.removesuffix("es") if noun.endswith(
            ("sses", "ches")) else noun[:-1]
        return tuple(f"{one} {n} of {count}" for n in range(1, count + 1)), text
    variants = _VARIANTS.search(text)
    if variants:
        count = _NUMBERS.get(variants.group(1).lower()) or int(variants.group(1))
        return tuple(f"variant {n} of {count}" for n in range(1, count + 1)), text
    return (), text


def _work_list(bullets: list[str], rest: str) -> bool:
    """Bullets that are pieces of work themselves (an order, or a deliverable of several words), under a line
    that asks for nothing per item ("for each", "these", "the following")."""
    if _PER_ITEM.search(rest):
        return False
    verbs = builtin_settings().action_verbs
    orders = sum(is_order(b, verbs) for b in bullets)
    return orders >= 1 or sum(len(b.split()) for b in bullets) / len(bullets) >= 4


_PER_ITEM = re.compile(r"\b(?:each|every|per|these|those|the\s+following|all\s+of\s+them|listed|one\s+for)\b",
                       re.IGNORECASE)


def _material_list(lines: list[str]) -> bool:
    """The line that leads into the first bullet says the bullets are what the work reads from ("from this
    changelog:", "Notes from the planning call:", "Their ticket history:"), not one piece of work each."""
    for n, line in enumerate(lines):
        if BULLET.match(line):
            head = next((h for h in reversed(lines[:n]) if h.strip()), "").strip()
            return bool(FROM_MATERIAL.search(head.rstrip(": ")) or (head.endswith(":") and MATERIAL_HEAD.search(head))
                        or (head.endswith(":") and SENT_BY.search(head)))
    return False


def _inline_items(listed: str) -> tuple[tuple[str, ...], str]:
    """'Acme, Globex and Initech, write a profile' -> (('Acme', 'Globex', 'Initech'), 'write a profile')."""
    head = _LIST_HEAD.match(listed.strip())
    body = head.group(1) if head else listed
    parts = [p.strip() for p in body.strip().rstrip(".").split(",") if p.strip()]
    items: list[str] = []
    instruction = ""
    for index, part in enumerate(parts):
        first = part.split()[0].lower() if part.split() else ""
        if first in _VERBS and items:
            instruction = ", ".join(parts[index:])
            break
        items.extend(i.strip() for i in re.split(r"\s+and\s+", part) if i.strip())
    return tuple(items), instruction


def counted_stage(stages: tuple[str, ...]) -> int | None:
    """Which stage of a pipeline says how many pieces to make ("write 3 versions of the hero, then wire them into
    the A/B test"): that stage is done once per piece, the stages around it once."""
    return next((n for n, stage in enumerate(stages) if _PIECES.search(stage) or _VARIANTS.search(stage)), None)


def length_check(text: str) -> LengthCheck | None:
    match = _LENGTH.search(text)
    if not match:
        return None
    value, unit = int(match.group(1)), match.group(2).lower()
    return LengthCheck(max_words=value) if unit.startswith("word") else LengthCheck(max_chars=value)


def read_shape(text: str, *, max_chars: int | None = None) -> Shape:
    """The plan shape a task asks for; 'single' when nothing special is asked.

    With ``max_chars`` a longer text (a pasted log or document) is read by its head, as the router reads it;
    the whole text stays the instruction wherever the head was.
    """
    if max_chars is None or len(text) <= max_chars:
        return _shape_of(text)
    head = text[:max_chars]
    shape = _shape_of(head)
    if shape.instruction != head:
        return shape
    return Shape(kind=shape.kind, items=shape.items, instruction=text, stages=shape.stages, check=shape.check,
                 counted=shape.counted)


def _shape_of(text: str) -> Shape:
    items, instruction = items_of(text)
    if items:
        counted = instruction == text and bool(_PIECES.search(text) or _VARIANTS.search(text))
        if _REDUCE.search(instruction):
            return Shape(kind="mapreduce", items=items, instruction=instruction, counted=counted)
        stages = tuple(s.strip(" ,.:") for s in _THEN.split(instruction) if s.strip(" ,.:"))
        if len(stages) >= 2:
            return Shape(kind="pipeline", items=items, instruction=instruction, stages=stages, counted=counted)
        return Shape(kind="fanout", items=items, instruction=instruction, counted=counted)
    check = length_check(text) if _UNTIL.search(text) else None
    if check is not None or _UNTIL_MET.search(text):  # not "until Friday", "until it ships": a time, no check
        return Shape(kind="loop", instruction=text, check=check)
    if _VERIFY.search(text):
        return Shape(kind="verify", instruction=text)
    return Shape(kind="single", instruction=text)
