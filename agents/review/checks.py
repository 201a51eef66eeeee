"""Checks that need no model: each returns a ``Check`` whose note says exactly what to fix.

Content checks live here (topic, items, length, repetition, leaks, echo, refusals, placeholders,
the founder's note); the checks of form and syntax per kind are in ``agents.review.form``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

from agents.review.asked import Asked
from agents.review.text import (
    code_blocks,
    content_words,
    join_names,
    nonempty_lines,
    prose,
    quote,
    sentences,
    stem,
    stems,
    strip_heading,
    words,
)


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str
    note: str = ""  # one sentence a team can act on; empty when it passed


def ok(name: str, detail: str) -> Check:
    return Check(name, True, detail)


def fail(name: str, detail: str, note: str) -> Check:
    return Check(name, False, detail, note)


def counted_text(asked: Asked, output: str) -> str:
    """What the length rules measure: for short copy the text without its heading or label."""
    return strip_heading(output) if asked.kind in ("tweet", "subject", "haiku", "linkedin") else output.strip()


# -- topic and coverage --------------------------------------------------------------------
def on_topic(asked: Asked, output: str) -> Check:
    have = stems(output)
    low = output.lower()
    noun = {stem(w) for w in asked.count_noun.lower().split()}
    terms = [t for t in asked.terms if t not in asked.entities and stem(t.lower()) not in noun]
    missing_terms = [t for t in terms if stem(t.lower()) not in have]
    missing_entities = [e for e in asked.entities if e.lower() not in low and not _all_stems(e, have)]
    share = 0.34 if asked.kind in ("haiku", "code", "sql", "config", "tweet", "subject", "list") else 0.5
    present = len(terms) - len(missing_terms)
    terms_ok = not terms or present >= max(1, round(len(terms) * share)) and (len(terms) < 3 or present >= 2
                                                                              or asked.kind in ("haiku", "subject"))
    entities_ok = len(missing_entities) <= len(asked.entities) // 3
    detail = (f"{present} of {len(terms)} key terms; "
              f"{len(asked.entities) - len(missing_entities)} of {len(asked.entities)} names")
    if terms_ok and entities_ok:
        return ok("on_topic", detail)
    if not entities_ok:
        names = join_names(missing_entities[:3])
        return fail("on_topic", detail, f"It never mentions {names}, which the task names; "
                                        f"make it about {names}.")
    absent = join_names(missing_terms[:4], conj="or")
    return fail("on_topic", detail, f"It is off topic: it never mentions {absent}, which the task is about; "
                                    f"write about {join_names(missing_terms[:4])}.")


def _all_stems(phrase: str, have: set[str]) -> bool:
    return all(stem(w.lower()) in have for w in words(phrase))


def items_covered(asked: Asked, output: str) -> Check:
    have = stems(output)
    missing = []
    for item in asked.items:
        keys = [stem(w.lower()) for w in content_words(item)] or [stem(w.lower()) for w in words(item)]
        if keys and sum(k in have for k in keys) < max(1, (len(keys) + 1) // 2):
            missing.append(item)
    detail = f"{len(asked.items) - len(missing)} of {len(asked.items)} listed items"
    if not missing:
        return ok("items_covered", detail)
    return fail("items_covered", detail, f"It leaves out {join_names([quote(m, 40) for m in missing])}, which the "
                                         f"task lists; cover each listed item.")


# -- length -----------------------------------------------------------------------------------
def length(asked: Asked, output: str) -> Check:
    text = counted_text(asked, output)
    n_chars, n_words = len(text), len(words(prose(text) if not asked.is_code else text))
    detail = f"{n_words} words, {n_chars} characters"
    what = f"the task asks for {asked.stated_length}" if asked.stated_length else None
    per_line = asked.count is not None and asked.kind in ("subject", "tweet")  # then each line is checked in its form
    if asked.max_chars is not None and n_chars > asked.max_chars and not per_line:
        rule = what or f"{asked.label} has at most {asked.max_chars}"
        hint = {"tweet": "Cut it to one sentence and the link.", "subject": "Keep one short line.",
                }.get(asked.kind, f"Cut it to at most {asked.max_chars} characters.")
        return fail("length", detail, f"It has {n_chars} characters; {rule}. {hint}")
    if asked.max_words is not None and n_words > asked.max_words:
        rule = what or f"{asked.label} has at most {asked.max_words}"
        return fail("length", detail, f"Too long: it has {n_words} words; {rule}. Cut what does not serve the "
                                      f"task.")
    if n_words < asked.min_words:
        rule = what or f"{asked.label} needs at least {asked.min_words}"
        return fail("length", detail, f"Too short: it has {n_words} words; {rule}. Add the missing substance, "
                                      f"not filler.")
    if asked.sentences is not None:
        n = len(sentences(prose(strip_heading(output))))
        if n > asked.sentences + 1 or n < asked.sentences - 1:
            return fail("length", f"{n} sentences", f"It has {n} sentences; the task asks for {asked.sentences}. "
                                                    f"Write exactly {asked.sentences}.")
    return ok("length", detail)


# -- repetition ------------------------------------------------------------------------------
def no_repetition(asked: Asked, output: str) -> Check:
    text = prose(output) if not asked.kind == "config" else ""
    lines = [re.sub(r"\s+", " ", ln.lower()) for ln in nonempty_lines(text)]
    lines = [ln for ln in lines if len(ln) >= 6 and re.search(r"[a-z#]", ln) and not re.fullmatch(r"[-=*_#|: ]+", ln)]
    repeated = [ln for ln, n in Counter(lines).items() if n > 1]
    if repeated:
        return fail("no_repetition", f"{len(repeated)} repeated line(s)",
                    f"It repeats the line \"{quote(repeated[0], 50)}\"; write each point once.")
    toks = [w.lower() for w in words(text)]
    grams = [tuple(toks[i:i + 4]) for i in range(len(toks) - 3)]
    if len(grams) >= 12:
        dup = 1 - len(set(grams)) / len(grams)
        if dup > 0.25:
            top = " ".join(Counter(grams).most_common(1)[0][0])
            return fail("no_repetition", f"{dup:.0%} repeated phrases",
                        f"It says the same thing over and over (\"{top}\" recurs); write each point once.")
    return ok("no_repetition", "no repeated lines or phrases")


# -- leaks, echo, refusals, placeholders --------------------------------------------------------
_FRAMING = re.compile(
    r"this is your part of a larger task|work already done by the \w+ team|your previous attempt:|"
    r"rework it\. the reviewer's notes|the reviewer's notes:|^\s*task:\s|"
    r"\byou are (?:the|a|an) [\w -]{2,30} (?:on|of|in) the [\w -]{2,30} team\b|"
    r"\b(?:this|the|your) (?:answer|response|output) (?:should|must|will) (?:not )?(?:contain|include|be|have)\b|"
    r"\bdo not add notes about yourself\b|\banswer with a json object\b|\bcheck the work against\b|"
    r"^\s*(?:as the (?:marketer|engineer|writer|reviewer|specialist|agent)|role:\s)", re.I | re.M)


@lru_cache(maxsize=1)
def prompt_shingles(size: int = 8) -> frozenset[tuple[str, ...]]:
    """Runs of ``size`` words from every prompt file: text a team must never hand back."""
    root = resources.files("resources").joinpath("prompts")
    texts = []
    for node in [*root.iterdir(), *root.joinpath("teams").iterdir()]:
        if node.name.endswith(".md"):
            texts.append(node.read_text(encoding="utf-8"))
    out: set[tuple[str, ...]] = set()
    for text in texts:
        for part in re.split(r"\{\{[^}]*\}\}", text):
            toks = [w.lower() for w in words(part)]
            out.update(tuple(toks[i:i + size]) for i in range(len(toks) - size + 1))
    return frozenset(out)


def no_leak(asked: Asked, output: str, *, extra: tuple[str, ...] = ()) -> Check:
    m = _FRAMING.search(output)
    if m:
        return fail("no_leak", f"framing: {quote(m.group(0), 50)}",
                    f"It contains the prompt's own framing (\"{quote(m.group(0).strip(), 50)}\"); remove everything "
                    f"that is not {asked.label} itself.")
    toks = [w.lower() for w in words(output)]
    prompts = prompt_shingles()
    extra_sh = {tuple(t[i:i + 8]) for e in extra for t in [[w.lower() for w in words(e)]]
                for i in range(len(t) - 7)}
    for i in range(len(toks) - 7):
        gram = tuple(toks[i:i + 8])
        if gram in prompts or gram in extra_sh:
            return fail("no_leak", f"prompt text: {' '.join(gram)}",
                        f"It copies the instructions (\"{' '.join(gram)}\") into the answer; remove them and keep "
                        f"only {asked.label}.")
    return ok("no_leak", "no prompt text or framing")


def no_echo(asked: Asked, output: str, task: str) -> Check:
    out = " ".join(w.lower() for w in words(strip_heading(output) or output))
    ask = " ".join(w.lower() for w in words(task))
    if not out:
        return ok("no_echo", "empty")
    matcher = SequenceMatcher(None, out, ask)
    ratio = matcher.real_quick_ratio()  # cheap upper bounds first: most answers are far from an echo
    if ratio >= 0.75:
        ratio = matcher.quick_ratio()
    if ratio >= 0.75:
        ratio = matcher.ratio()
    rest = out.replace(ask, " ").split() if ask and ask in out else out.split()
    if ratio >= 0.75 or (ask and ask in out and len(rest) < max(6, asked.min_words // 2)):
        return fail("no_echo", f"{ratio:.0%} like the task",
                    f"It repeats the task instead of doing it; write {asked.label} itself.")
    return ok("no_echo", f"{ratio:.0%} like the task")


_REFUSAL = re.compile(
    r"\b(?:as an ai(?: language model)?|as a (?:large )?language model|i(?:'m| am) (?:sorry|afraid),? but i|"
    r"i (?:cannot|can't|can not|am unable to|won't be able to|am not able to) "
    r"(?:help|assist|do that|write|provide|create|complete|fulfil|fulfill|comply)|"
    r"i don't have (?:access|the ability)|i do not have (?:access|the ability)|"
    r"(?:i hope|hope) this (?:helps|meets your)|let me know if you (?:need|want|would like) (?:any )?(?:more|changes|anything))\b",
    re.I)


def no_refusal(asked: Asked, output: str) -> Check:
    m = _REFUSAL.search(prose(output))
    if m:
        return fail("no_refusal", f"found: {quote(m.group(0), 40)}",
                    f"It talks about itself (\"{quote(m.group(0), 40)}\") instead of only doing the task; "
                    f"hand back {asked.label} and nothing else.")
    return ok("no_refusal", "no refusal or self-talk")


_PLACEHOLDER = re.compile(
    r"\[(?:your|insert|recipient|customer|company|product|client|first|last|full|contact|sender|my)\b[^\]\n]{0,30}\]|"
    r"\[(?:name|date|link|url|email|phone|address|title|position|number|amount|time|price|here)\]|"
    r"<(?:insert|your name|name|company)[^>\n]{0,30}>|\blorem ipsum\b", re.I)
_MARKERS = re.compile(r"\b(?:TODO|TBD|FIXME)\b|\{\{ ?[a-z_ ]{1,30} ?\}\}")


def no_placeholders(asked: Asked, output: str) -> Check:
    found = list(dict.fromkeys(m.group(0) for m in [*_PLACEHOLDER.finditer(output), *_MARKERS.finditer(output)]))
    if found:
        return fail("no_placeholders", f"found: {', '.join(found)}",
                    f"It has placeholder text ({join_names(found[:3])}); replace it with the real details from "
                    f"the task or leave it out.")
    return ok("no_placeholders", "no placeholders")


def not_empty(output: str) -> Check:
    if len(words(output)) == 0 and not code_blocks(output):
        return fail("not_empty", "empty", "It is empty; write the deliverable.")
    return ok("not_empty", f"{len(output)} characters")


# -- the founder's rework note -------------------------------------------------------------------
_NOTE_WANTS = re.compile(r"\b(?:about|mention|mentions|add|include|cover|covers|focus on|use|name|say|talk about|"
                         r"call it|refer to|instead of [\w ]+?,? (?:use|say))\s+(.+?)(?:[.;!]|$| and (?:make|keep|cut))",
                         re.I)
_NOTE_DROPS = re.compile(r"\b(?:remove|drop|delete|leave out|cut|no more|without|don't mention|do not mention|"
                         r"stop mentioning)\s+(?:the\s+)?(.+?)(?:[.;!,]|$)", re.I)


def note_checks(note: str, output: str, previous: str | None, *, task: str = "") -> list[Check]:
    """What the founder's rework note asks for is in the new version, and the note is not pasted into it."""
    checks: list[Check] = []
    have = stems(output)
    drops = list(_NOTE_DROPS.finditer(note))
    asks = _NOTE_DROPS.sub(" ", note)
    wanted = [w for m in _NOTE_WANTS.finditer(asks) for w in [*content_words(m.group(1)),
                                                               *re.findall(r"\d+", m.group(1))]]
    known = stems(task)
    wanted = [w for w in wanted if stem(w.lower()) not in known] or wanted  # what the note adds to the task
    missing = [w for w in wanted if stem(w.lower()) not in have and w not in output]
    dropped = [" ".join(content_words(re.sub(r"^(?:the )?(?:part|section|bit|paragraph|sentence|line|mention)s? "
                                             r"(?:about|on|of|with) ", "", m.group(1)))) for m in drops]
    still = [d for d in dropped if d and all(stem(w.lower()) in have for w in d.split())]
    shorter = re.search(r"\b(shorter|shorten|trim|tighten|too long|cut it down|more concise)\b", note, re.I)
    longer = re.search(r"\b(longer|expand|more detail|too short|elaborate)\b", note, re.I)
    if missing and len(missing) > len(wanted) // 2:
        checks.append(fail("note_followed", f"missing: {', '.join(missing)}",
                           f"The founder asked for {join_names(missing[:4])}, but the new version never mentions "
                           f"{'it' if len(missing) == 1 else 'them'}; follow the note."))
    elif still:
        checks.append(fail("note_followed", f"still there: {', '.join(still)}",
                           f"The founder asked to remove {join_names(still)}, but it is still there; take it out."))
    elif previous and shorter and len(output) >= len(previous):
        checks.append(fail("note_followed", f"{len(output)} characters, before {len(previous)}",
                           f"The founder asked for a shorter version, but it has {len(output)} characters "
                           f"(before: {len(previous)}); cut it down."))
    elif previous and longer and len(output) <= len(previous):
        checks.append(fail("note_followed", f"{len(output)} characters, before {len(previous)}",
                           f"The founder asked for more, but it has {len(output)} characters "
                           f"(before: {len(previous)}); expand it."))
    else:
        checks.append(ok("note_followed", "the note's requests are present"))
    note_toks = [w.lower() for w in words(note)]
    out_text = " ".join(w.lower() for w in words(output))
    size = min(6, len(note_toks))
    pasted = size >= 4 and any(" ".join(note_toks[i:i + size]) in out_text
                               for i in range(len(note_toks) - size + 1))
    if pasted:
        checks.append(fail("note_not_pasted", "the note's words appear verbatim",
                           "It pastes the founder's note into the text instead of following it; apply the note and "
                           "remove its words."))
    else:
        checks.append(ok("note_not_pasted", "the note is not pasted"))
    return checks
