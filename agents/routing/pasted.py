"""Pasted material: what a founder copies into a task from elsewhere is what the work reads, not more work.

A forwarded email's "> " lines are handled by ``grammar.QUOTED_LINES``; this module finds the other shapes
founders paste: a diff, a forwarded email (its marker or "From:" header up to a "---" line), a chat transcript ("[12:03] Sam (Oakridge): ..." or "ana: ..." lines), a table ("deal |
stage | amount"), a fenced code block, and whatever follows a line that says it is below ("Notes from the
call are below.", "pasting the thread from #ops") up to the next line that asks for work.

Each block becomes one placeholder in the task's material store (``grammar.keep_material``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from agents.routing.grammar import keep_material, strip_lead

_FENCE = re.compile(r"^[ \t]*```.*?(?:^[ \t]*```[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_STAMPED = re.compile(r"^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]m)?[\])]?\s+\S", re.IGNORECASE)  # "[12:03] Sam: ..."
_TABLE_ROW = re.compile(r"^[^|\n]*\|[^|\n]*\|")  # "Meridian Labs | proposal | 24k"
_CSV_ROW = re.compile(r"^\s*[^\s,]+(?:,(?:\"[^\"\n]*\"|[^\s,]*)){2,}\s*$")  # "1021,2024-05-02,\"billing,refund\",closed"
# "ana: 3 customers asked", "Sam (Oakridge): we manage", "@leo: lol": a person's line in a chat
_SPEAKER = re.compile(r"^\s*@?(?P<who>[A-Za-z][\w.'’-]{0,20}(?:\s[A-Z][\w.'’-]{0,20})?)(?:\s*\([^)\n]{1,30}\))?\s*:\s+\S")
_NOT_A_SPEAKER = frozenset("goal goals context background note notes todo to-do plan q a fyi subject re from to cc date "
                           "deadline budget update ps p.s step phase part item items ask asks need needs why what how "
                           "when where who problem issue bug task tasks summary tldr tl;dr example e.g i.e "
                           "me deliverable deliverables description desc timeline ticket title ac scope priority owner "
                           "due audience requirements details status severity steps objective objectives outcome "
                           "metrics kpi kpis success constraints risks links impact environment expected actual eta "
                           "milestone milestones stage stages result results request requests action actions next "
                           "background owners assignee assigned reporter labels tags type epic story estimate "
                           "effort cost timing channels channel format length tone".split())
# "Notes from the call are below.", "pasting the thread", "see below": what comes next is material
_SAYS_BELOW = re.compile(r"\b(?:below|pasted|pasting|attached|as\s+follows)\b", re.IGNORECASE)
# a forwarded email: its marker line or its header ("From: Aisha <aisha@...>"); it runs to a "---" line or the end
_FORWARDED = re.compile(r"^\s*(?:-{2,}\s*(?:forwarded\s+message|original\s+message)\s*-{2,}|begin\s+forwarded\s+message\s*:?|"
                        r"from:\s.*(?:<[^>\s]+@[^>\s]+>|\S+@\S+\.\w+))\s*$", re.IGNORECASE)
# a pasted diff: "+ app.get('/files', (req, res) => {", "@@ -1,4 +1,6 @@", "diff --git a/x b/x"
_DIFF_LINE = re.compile(r"^(?:[+-](?![-+])\s?.*(?:[(){};=<>\[\]#]|//)|@@\s.*@@|diff\s+--git\s|\+\+\+\s|---\s+a/)")
_RULE = re.compile(r"^\s*(?:-{3,}|_{3,}|={3,}|\*{3,})\s*$")
_MARKER = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_ASK_LEAD = re.compile(r"^\s*(?:so|ok|okay|anyway|then|my\s+part|action\s+items?|to-?dos?|plan|asks?|"
                       r"next\s+steps|what\s+i\s+need)\b", re.IGNORECASE)


def pasted_as_material(text: str, store: list[str], *, asks: Callable[[str], bool],
                       agents: Mapping[str, str] | None = None) -> str:
    """``text`` with its pasted blocks replaced by placeholders; ``asks(line)`` tells a line that asks for work."""
    text = _FENCE.sub(lambda m: keep_material(m.group(0), store), text)
    lines = text.split("\n")
    out: list[str] = []
    run: list[str] = []
    below = False  # a line before said the material is below
    taken = False  # a block after it was taken as material already

    def flush() -> None:
        if run:
            out.append(keep_material("\n".join(run), store))
            run.clear()

    def speaker(line: str) -> bool:
        found = _SPEAKER.match(line)
        if found is None:
            return False
        who = found.group("who").casefold()
        return who not in _NOT_A_SPEAKER and who not in (agents or {}) and who.split()[0] not in (agents or {})

    forwarded = False
    for n, line in enumerate(lines):
        if forwarded or (_FORWARDED.match(line) and not run):
            forwarded = not _RULE.match(line)
            if forwarded:
                run.append(line)  # the email's own lines, blank ones too, are what the work reads
            else:
                flush()
                out.append("")  # "---": the founder's own words again
            continue
        if not line.strip():
            taken = taken or (below and bool(run))
            flush()
            out.append(line)
            continue
        chat = speaker(line) and any(speaker(lines[k]) for k in range(max(0, n - 2), min(len(lines), n + 3)) if k != n)
        diff = _DIFF_LINE.match(line) is not None and any(
            _DIFF_LINE.match(lines[k]) and lines[k].lstrip()[:1] in "+@d" for k in range(max(0, n - 2), min(len(lines), n + 3)) if k != n)
        shaped = bool(_STAMPED.match(line) or _TABLE_ROW.match(line) or _CSV_ROW.match(line) or chat or diff)
        after_blank = n > 0 and not lines[n - 1].strip()
        if below and after_blank and not run and (_asks(line, asks) or (taken and _asks_inside(line, asks))):
            below = taken = False  # "So:" / "fix the cursor bug first, then ...": the founder's own words again
        if shaped or (below and (run or after_blank)):
            run.append(line)
            continue
        flush()
        out.append(line)
        below = below or bool(_SAYS_BELOW.search(line))
    flush()
    return "\n".join(out)


def _asks(line: str, asks: Callable[[str], bool]) -> bool:
    """The founder's own words again: "So:", "fix the cursor bug first", "ops: ..." (not "Please migrate your
    instances", an order to the founder inside the material)."""
    line = _MARKER.sub("", line)
    return bool(_ASK_LEAD.match(line)) or (asks(strip_lead(line)) and _YOURS.search(line) is None)


_YOURS = re.compile(r"\byour\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def _asks_inside(line: str, asks: Callable[[str], bool]) -> bool:
    """After the pasted block, a paragraph whose later sentence asks ("Poor her. Fix the template first, then
    reply to her") is the founder's own again; its opening sentence is a reaction, not more of the paste."""
    return any(_asks(sentence, asks) for sentence in _SENTENCE_END.split(line.strip())[1:])


def has_code_lines(text: str) -> bool:
    """Lines of a pasted diff or code ("+ def upload(path):") or of a quoted email ("> On Mon, Lea wrote:"): what
    the work reads, never an ask of its own."""
    return any(_DIFF_LINE.match(line.strip()) or line.lstrip().startswith(">") for line in text.splitlines())
