"""Work grounded in the founder's material: the facts a step is given, its citations, its figures.

Pure: the app retrieves knowledge-base sections and profile facts and passes them in as
``Source`` and ``ProfileFact``; this module renders them into the step's prompt as quoted
material (data, never instructions) and checks a draft against them. ``grounding_problems``
is the review's check: every citation names a section that exists, and every price, date,
percentage, plan name and other figure in the draft appears in the cited text, the profile
or the task itself. Each problem is one sentence that names the exact claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agents.prompts import render

MAX_SECTION_CHARS_IN_PROMPT = 1500
MAX_SECTIONS_IN_PROMPT = 4

# Topics a question about the business asks for, and the words that ask for them.
FACT_TOPICS: dict[str, tuple[str, ...]] = {
    "prices": ("price", "prices", "pricing", "cost", "costs", "plan", "plans", "discount", "quote", "annual",
               "monthly", "subscription", "tier", "seat", "seats", "license", "upgrade", "trial", "invoice"),
    "refunds": ("refund", "refunds", "money back", "moneyback", "chargeback", "reimburse"),
    "data": ("data export", "export my data", "delete my data", "data deletion", "gdpr", "privacy",
             "personal data", "retention", "delete my account", "deletion"),
    "support_hours": ("support hours", "opening hours", "business hours", "when can i reach", "response time"),
}


@dataclass(frozen=True)
class ProfileFact:
    """One fact of the founder's company profile, as a team is given it."""

    field: str  # e.g. "plans", "policies.refunds"
    label: str  # e.g. "Prices and plans"
    text: str


@dataclass(frozen=True)
class Source:
    """A section of the knowledge base: the file's name (as cited), the section's heading, its text."""

    source: str
    section: str
    text: str = ""

    @property
    def citation(self) -> str:
        return f"[kb: {self.source} § {self.section}]"


@dataclass(frozen=True)
class Citation:
    source: str
    section: str

    def matches(self, src: Source) -> bool:
        return _same_file(self.source, src.source) and _norm(self.section) == _norm(src.section)


@dataclass(frozen=True)
class Grounding:
    """What a step is given besides its task: profile facts and quoted knowledge-base sections."""

    facts: tuple[ProfileFact, ...] = ()
    sources: tuple[Source, ...] = ()
    go_on_without: bool = False  # the founder let the step go on although nothing relevant was found


# -- the prompt ----------------------------------------------------------------------------
def grounding_block(grounding: Grounding | None) -> str:
    """The part of a step's prompt that carries the founder's material, marked as quoted data."""
    if grounding is None or not (grounding.facts or grounding.sources or grounding.go_on_without):
        return ""
    facts = "\n".join(f"- {f.label}: {_defang(f.text)}" for f in grounding.facts) or "(none given)"
    sections = "\n".join(
        f"<<<quoted {s.citation}\n{_defang(_clip(s.text, MAX_SECTION_CHARS_IN_PROMPT))}\n>>>"
        for s in grounding.sources[:MAX_SECTIONS_IN_PROMPT]) or "(nothing relevant was found)"
    caution = ("\nThe founder asked you to go on without the missing facts: say plainly what you cannot "
               "confirm, and state no price, date or figure that is not given above.\n"
               if grounding.go_on_without else "")
    return "\n" + render("grounding.md", facts=facts, sections=sections, caution=caution) + "\n"


def _defang(text: str) -> str:
    """Quoted text cannot close its quotation or pose as the prompt's own markers."""
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + " [...]"


# -- what a question asks for ---------------------------------------------------------------
def topics_asked(text: str) -> set[str]:
    """The business facts a task asks about (prices, refunds, data, support hours)."""
    low = " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "
    return {topic for topic, cues in FACT_TOPICS.items() if any(f" {cue} " in low for cue in cues)}


# -- citations ------------------------------------------------------------------------------
_CITATION = re.compile(r"\[\s*kb\s*:\s*([^\]§|#]+?)\s*(?:§|\||#)\s*([^\]]+?)\s*\]", re.I)
_BARE_CITATION = re.compile(r"\[\s*kb\s*:\s*([^\]§|#]+?)\s*\]", re.I)


def citations(text: str) -> list[Citation]:
    """Every ``[kb: file § section]`` in ``text``, in order, without repeats."""
    found = [Citation(m.group(1).strip(), m.group(2).strip()) for m in _CITATION.finditer(text)]
    found += [Citation(m.group(1).strip(), "") for m in _BARE_CITATION.finditer(text)]
    return list(dict.fromkeys(found))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def _same_file(cited: str, name: str) -> bool:
    a, b = _norm(cited), _norm(name)
    return a == b or _norm(cited.rsplit("/", 1)[-1]) == _norm(name.rsplit("/", 1)[-1])


# -- figures --------------------------------------------------------------------------------
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_CLAIM = re.compile(
    r"(?P<money>(?:[$€£¥]\s?\d[\d,]*(?:\.\d+)?)|(?:\d[\d,]*(?:\.\d+)?\s?(?:usd|eur|euros?|dollars?|gbp|pounds?)\b))"
    r"|(?P<date>\b\d{4}-\d{2}-\d{2}\b|\b(?:" + _MONTHS + r")\s+\d{1,2}(?:st|nd|rd|th)?\b"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _MONTHS + r")\b)"
    r"|(?P<pct>\b\d+(?:\.\d+)?\s?(?:%|percent\b))"
    r"|(?P<num>\b\d[\d,]*(?:\.\d+)?\b)", re.I)
_PLAN = re.compile(r"\b((?:[A-Z][\w+-]*\s){1,2})(?:plan|tier|edition|package)s?\b")
_PLAN_NOISE = {"the", "our", "your", "a", "an", "this", "that", "which", "each", "every", "any", "my", "their",
               "annual", "monthly", "yearly", "free", "paid", "new", "current", "same", "one", "action", "project",
               "business", "i", "we", "if", "in", "for", "with", "on", "to", "and", "or", "is", "per", "what"}


@dataclass(frozen=True)
class Claim:
    text: str  # as written in the draft
    kind: str  # money, date, pct, num, plan
    key: str  # what must appear in the supporting text


def claims(text: str) -> list[Claim]:
    """The checkable figures of a draft: amounts, dates, percentages, numbers of two digits or more, plan names.

    Code blocks, citations, list markers, times of day and version-like numbers are not claims.
    """
    prose = re.sub(r"```.*?```", " ", text, flags=re.S)
    prose = _CITATION.sub(" ", _BARE_CITATION.sub(" ", prose))
    prose = re.sub(r"^\s*\d+[.)]\s", " ", prose, flags=re.M)  # list markers
    prose = re.sub(r"\b\d{1,2}:\d{2}\b", " ", prose)  # times of day
    prose = re.sub(r"\S+@\S+|https?://\S+", " ", prose)
    found: list[Claim] = []
    for m in _CLAIM.finditer(prose):
        kind = m.lastgroup or "num"
        raw = m.group(0).strip()
        number = re.sub(r"[^\d.]", "", raw.replace(",", "")).strip(".")
        if kind == "num" and (len(number.replace(".", "")) < 2 or _is_version(prose, m)):
            continue
        key = number if kind in ("money", "pct", "num") else _norm(raw)
        found.append(Claim(raw, kind, key))
    for m in _PLAN.finditer(prose):
        words = m.group(1).split()
        while words and words[0].lower() in _PLAN_NOISE:
            words.pop(0)
        if not words:
            continue
        name = " ".join(words)
        found.append(Claim(f"{name} plan", "plan", _norm(name)))
    return list({c.key + c.kind: c for c in found}.values())


def _is_version(prose: str, m: re.Match[str]) -> bool:
    before, after = prose[max(0, m.start() - 1):m.start()], prose[m.end():m.end() + 2]
    return before in ("v", ".") or after.startswith(".") and after[1:2].isdigit()


def supported(claim: Claim, material: str) -> bool:
    """True when ``material`` (cited text, profile, task) states ``claim``."""
    if claim.kind in ("money", "pct", "num"):
        numbers = {re.sub(r"[^\d.]", "", n.replace(",", "")).strip(".")
                   for n in re.findall(r"\d[\d,]*(?:\.\d+)?", material)}
        numbers |= {n.split(".")[0] for n in numbers if n.endswith((".00", ".0"))}
        return claim.key in numbers or claim.key.split(".")[0] in numbers and claim.key.endswith(".00")
    return claim.key in _norm(material)


# -- the review's check -------------------------------------------------------------------------
def grounding_problems(output: str, *, sources: Sequence[Source], profile: Iterable[ProfileFact] | str,
                       task_text: str = "") -> list[str]:
    """One sentence per problem: a citation that names no known section, or a figure nothing supports.

    ``sources``: the knowledge-base sections that exist for this draft (retrieved or cited);
    ``profile``: the profile facts it was given (or their text); ``task_text``: what the founder
    (or the customer) wrote, whose own figures may be repeated.
    """
    problems: list[str] = []
    cited: list[Source] = []
    for c in citations(output):
        hits = [s for s in sources if c.matches(s)] if c.section else [s for s in sources if
                                                                       _same_file(c.source, s.source)]
        if hits:
            cited += hits
            continue
        where = f"{c.source} § {c.section}" if c.section else c.source
        near = [s for s in sources if _same_file(c.source, s.source)]
        hint = (f" the sections of {near[0].source} are: " + ", ".join(f"'{s.section}'" for s in near[:4])
                if near else " cite only the quoted sections you were given")
        problems.append(f"The citation [kb: {where}] names no section of the knowledge base;{hint}.")
    profile_text = profile if isinstance(profile, str) else "\n".join(f"{f.label}: {f.text}" for f in profile)
    material = "\n".join([profile_text, task_text, *(s.source + " " + s.section + "\n" + s.text for s in cited)])
    uncited = "\n".join(s.text for s in sources if s not in cited)
    for claim in claims(output):
        if supported(claim, material):
            continue
        if claim.kind == "num" and not _looks_like_fact(output, claim):
            continue
        holder = next((s for s in sources if s not in cited and supported(claim, s.text)), None)
        if holder is not None and supported(claim, uncited):
            problems.append(f"The figure \"{claim.text}\" is not in the cited text or the profile; cite the "
                            f"section that states it, {holder.citation}.")
        else:
            problems.append(f"The claim \"{claim.text}\" is in neither the knowledge base sections cited nor "
                            f"the company profile; remove it or use the figure the sources give.")
    return problems


def _looks_like_fact(output: str, claim: Claim) -> bool:
    """A bare number counts as a claim when it sits next to a unit of the business (days, users, seats...)."""
    pattern = re.escape(claim.text) + r"[\s-]*(?:day|week|month|year|hour|minute|user|seat|customer|team|gb|mb|" \
                                      r"tb|member|project|licen[cs]e|credit|request|call|email|%)"
    return re.search(pattern, output, re.I) is not None
