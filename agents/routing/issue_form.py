"""Tasks written as issues: a title line, then sections under headings. When one section holds the asks ("### Tasks",
"## Ask", "**To do**", "What I need:"), the title, the unheaded lines under it and the sections that explain
("### Problem", "## Context", "Why:", "Notes:") are what the work reads from, not work; "/cc @priya" and
"Blocked by #2390" lines ask nothing of a team.

    [perf] group commit for the WAL writer          Background:
                                                     - [perf] group commit for the WAL writer
    ### Problem                                      - Every write batch does its own fsync. ...
    Every write batch does its own fsync. ...   ->   Tasks:
    ### Tasks                                        - [ ] implement group commit + tests
    - [ ] implement group commit + tests             - [ ] once it's merged, roll it out ...
    - [ ] once it's merged, roll it out ...

A proposal ("### Proposal", "## Plan") is the ask when no section of asks is there, and background beside one. Text
without a section of asks comes back unchanged.

A ticket's "Depends on:" field says what the ticket waits for: "Depends on: the portal being deployed (ops)" joins the
line before it as ", once the portal is deployed (ops)"; "Depends on: none" or "Blocked by: #214" asks nothing.
"""

from __future__ import annotations

import re

_HEAD = re.compile(r"^\s*(?:(?P<hash>#{1,6})\s*|\*\*)?(?P<name>[A-Za-z][A-Za-z /'’&-]{1,40}?)\s*:?\s*(?:\*\*)?\s*(?P<colon>:)?\s*$")
_ASKS = re.compile(r"(?:the\s+)?(?:tasks?|to-?dos?|to\s+do|asks?|requests?|checklist|action\s+items?|next\s+steps|work\s+items?|"
                   r"what\s+(?:i|we)\s+need(?:\s+from\s+you)?|what\s+to\s+do|deliverables)", re.IGNORECASE)
_PROPOSAL = re.compile(r"(?:proposal|proposed\s+(?:fix|solution|change|plan)|plan|scope|suggested\s+fix|fix|solution)",
                       re.IGNORECASE)
_EXPLAINS = re.compile(r"(?:problem|problems|context|background|why|motivation|summary|details|notes?|current\s+(?:state|"
                       r"behaviou?r)|repro|steps\s+to\s+reproduce|logs?|stack\s*trace|expected(?:\s+behaviou?r)?|actual"
                       r"(?:\s+behaviou?r)?|what\s+happened|impact|environment|data|numbers|links|references|fyi)", re.IGNORECASE)
_MEETING = re.compile(r"(?:action\s+items?|actions|next\s+steps|to-?dos?|to\s+do|follow[- ]?ups?)", re.IGNORECASE)
_NO_ASK = re.compile(r"^\s*(?:/?cc\b\s*:?|(?:blocked\s+by|related(?:\s+to)?|see\s+also|refs?|part\s+of)\s*:?\s*#\d+)", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_DEPENDS_FIELD = re.compile(r"^(?:\*\*)?(?:depends\s+on|dependencies|blocked\s+by|requires|prereq(?:uisite)?s?|waits?\s+(?:for|on))"
                            r"\s*:\s*(?:\*\*)?\s*(?P<on>.*?)\s*$", re.IGNORECASE)  # a ticket's field, not "  - Depends on:" under an item
_NOTHING = re.compile(r"(?:none|nothing|n/?a|no|-+|—|tbd|\?+|#\d+\b.*|(?:ticket|issue|pr)\s*#?\d+\b.*)\.?", re.IGNORECASE)
_BEING = re.compile(r"\b(?:being|to\s+be|getting)\s+(?=[a-z]+(?:ed|en|t)\b)", re.IGNORECASE)


def depends_fields(text: str) -> str:
    """A ticket's "Depends on: ..." line as a condition of the line before it (see the module's docstring)."""
    if ":" not in text:
        return text
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        found = _DEPENDS_FIELD.match(line)
        if found is None:
            out.append(line)
            continue
        on = found.group("on").strip()
        at = next((k for k in range(len(out) - 1, -1, -1) if out[k].strip()), None)
        if not on or _NOTHING.fullmatch(on) or at is None or out[at].rstrip().endswith(":"):
            continue  # "Depends on: none", "Blocked by: #214": nothing this task waits for here
        out[at] = f"{out[at].rstrip().rstrip('.')}, once {_BEING.sub('is ', on).rstrip('.')}."
    return "\n".join(out)


def issue_sections(text: str) -> str:
    """An issue with a section of asks as "Background:" (its title, description and explaining sections as items)
    followed by the sections that ask; other text unchanged. A ticket's "Depends on:" field joins the line before it."""
    lines = depends_fields(text).split("\n")
    kinds: list[str | None] = [_kind(line) for line in lines]
    asks = "asks" if "asks" in kinds else "proposal" if "proposal" in kinds and "explains" in kinds else None
    if asks is None:
        return "\n".join(lines)
    background: list[str] = []
    fenced: list[str] = []
    work: list[str] = []
    section = "explains"  # the title and the lines under it, before any heading
    fence = False
    first = next((n for n, line in enumerate(lines) if line.strip()), -1)
    for n, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if _FENCE.match(line):
            fence = not fence
        if n == first and kind == "other":
            kind = None  # "# evaluator pods OOMing": the issue's title, background like the lines under it
            line = _HEAD.match(line).group("name")  # type: ignore[union-attr]
        if not fence and not _FENCE.match(line) and kind is not None:
            section = "work" if kind == asks else "explains" if kind in ("explains", "proposal") else "work"
            if section == "work" and kind == asks:
                work.append("Tasks:")  # "## Ask", "**What I need**": the list of asks under one name
            elif section == "work":
                work.append(line)
            continue
        if _NO_ASK.match(line) and not fence:
            continue
        if section == "work":
            work.append(line)
        elif fence or _FENCE.match(line):
            fenced.append(line)
        elif line.strip():
            background.append("- " + line.strip().lstrip("-*•@ ").strip())  # "@marcus is migrating ...": no hand-off
    head = ["Background:", *background] if background else []
    return "\n".join([*head, *fenced, *work])


def _kind(line: str) -> str | None:
    """ "asks", "proposal", "explains" or "other" for a heading line ("### Tasks", "**Why**", "Context:"), else None."""
    found = _HEAD.match(line)
    if found is None or not (found.group("hash") or found.group("colon") or line.strip().startswith("**")
                             or (line.rstrip().endswith(":") and not _MEETING.fullmatch(found.group("name").strip()))):
        # "Ask:" on a line of its own heads a section; "Action items:" heads a meeting's items (outline.py)
        return None
    name = found.group("name").strip()
    if _ASKS.fullmatch(name):
        return "asks"
    if _PROPOSAL.fullmatch(name):
        return "proposal"
    if _EXPLAINS.fullmatch(name):
        return "explains"
    return "other" if found.group("hash") else None
