"""Structured notes as plain to-do lines: markdown headings, bold and checkboxes, "Owner:" / "Who:" lines that say
whose an item is, "Depends on:" lines that say it waits, and sub-bullets that detail the item above them.

    ## Referral program                       Referral program:
    - **Build the tracking** — Who: code  ->  - code: Build the tracking (referral links, credit applied ...)
      - referral links, credit applied ...    - then content: Help article "How referrals work"
    - **Help article** — Who: content
      - Depends on: it being built

Text without any of these marks comes back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from agents.routing.issue_form import issue_sections
from agents.routing.people import alias_in

_HEADING = re.compile(r"^\s*#{1,6}\s+")
_BOLD = re.compile(r"\*\*|__")
_CHECKBOX = re.compile(r"^(\s*)(?:[-*•]\s*)?(?:\[[ xX]?\]|[☐☑□✅✔]\ufe0f?)\s*")  # "- [ ] ...", "☐ ..."
_ITEM = re.compile(r"^(?P<indent>\s*)(?:[-*•]|\d{1,2}[.)]|[a-z][.)])\s+(?P<text>.*)$")
_OWNER = re.compile(r"^(?:owner|owners|who|assignee|assigned\s+to|team)\s*:\s*(?P<who>[^,;.]+?)\s*$", re.IGNORECASE)
_OWNER_TAIL = re.compile(r"\s*(?:[—–-]+|\(|,)\s*(?:owner|who)\s*:\s*(?P<who>[\w /&-]+?)\s*\)?\s*$", re.IGNORECASE)
_DEPENDS = re.compile(r"^(?:depends\s+on|blocked\s+by|after|needs)\s*:\s*(?P<on>.+)$", re.IGNORECASE)
_ALONE = re.compile(r"\s*(?:[:—–-]+\s*(?:now|later|first|asap|today|this\s+week)?\s*)?$", re.IGNORECASE)
_TEAM_TAIL = re.compile(r"\s+[—–]\s*(?P<who>[\w/ ]{2,20}?)\s*$")
_NEXT_STEP = re.compile(r"^(?:then|after\s+that|afterwards|next|once\s+(?:that'?s|it'?s|this\s+is)\s+(?:done|live|ready|out))"
                        r"\b[\s,:]*(?=\w)", re.IGNORECASE)
_STEP = re.compile(r"^step\s+\d{1,2}\s*[—–:.-]+\s*", re.IGNORECASE)
_LABEL = re.compile(r"^(?P<who>[\w ]{1,24}?)\s*:\s+")
_MARKS = re.compile(r"^\s*#{1,6}\s|\*\*|^\s*(?:[-*•]\s*)?(?:\[[ xX]?\]|[☐☑□✅✔])|^\s*(?:[-*•]\s+)?(?:owner|who|depends\s+on)\s*:|"
                    r"^\s*(?:[-*•]|\d{1,2}[.)])\s+\w+(?:\s+team)?\s*:?\s*(?:[—–-]\s*\w+)?\s*\n[ \t]{2,}(?:[-*•]|\w[.)])\s",
                    re.IGNORECASE | re.MULTILINE)


@dataclass
class _Item:
    text: str
    indent: int
    owner: str = ""
    waits: bool = False
    details: list[str] = field(default_factory=list)
    boxed: bool = False  # written as an open checkbox ("- [ ] ..."): a to-do


def action_items(text: str, agents: Mapping[str, str]) -> str:
    """Meeting notes whose asks are "AI: ..." / "AI devs: ..." / "@ops ..." lines: the other lines are the notes
    (material), the action items a to-do list ("- devs: fix it")."""
    lines = text.split("\n")
    asks = [_ACTION.match(line) for line in lines]
    if not any(asks) or len(lines) < 2:
        return text
    fenced = _fenced(lines)  # a pasted changelog in ``` fences is material, not notes with items
    asks = [None if k in fenced else ask for k, ask in enumerate(asks)]
    notes = [line.strip() for line, ask in zip(lines, asks, strict=True) if ask is None and line.strip()]
    marked = sum(bool(_ITEM_MARK.match(line.strip())) for k, line in enumerate(lines) if asks[k] is None and k not in fenced)
    listed = any(a is not None and _ITEM_MARK.match(lines[k].strip()) for k, a in enumerate(asks))  # "1) @devops renew it"
    if all(a is None or a.group("at") for a in asks) and (marked * 2 < len(notes) - len(fenced) or listed):
        # a chat message ("Acme will sign if we have SSO\n@devs build okta saml\nand when it's in, ..."), not meeting
        # notes: its other lines are the founder's own words, and "@devs ..." hands a line to the devs
        return "\n".join(f"{a.group('at')}: {a.group('rest')}" if a else line for line, a in zip(lines, asks, strict=True))
    items = []
    for ask in (a for a in asks if a is not None):
        who = (ask.group("who") or ask.group("at") or "").strip()
        team = who.casefold() in agents or alias_in(who.casefold().split(), lambda w: w in agents)
        items.append(f"- {who}: {ask.group('rest')}" if who and team else f"- {ask.group('rest')}")
    head = ["Notes from the meeting:", *(f"- {_ITEM_MARK.sub('', n)}" for n in notes)] if notes else []
    return "\n".join([*head, "Action items:", *items])


def _fenced(lines: list[str]) -> set[int]:
    """The numbers of the lines inside ``` fences (the fences too)."""
    inside, out = False, set()
    for k, line in enumerate(lines):
        fence = line.lstrip().startswith("```")
        if inside or fence:
            out.add(k)
        if fence:
            inside = not inside
    return out


def meeting_sections(text: str, agents: Mapping[str, str]) -> str:
    """Meeting notes with an "Action items:" (or "Next steps:", "To do:") head on a line of its own: the lines above it
    ("Decisions:", "Notes from ...", context) are the notes (material), the items under it the to-do list; an
    "Attendees:" line, an owner who is no team ("Owner: ?", "Owner: DK") and a closing "Next: ..." line ask nothing."""
    lines = [line for line in text.split("\n") if not _ATTENDEES.match(line) and not _not_a_team_owner(line, agents)]
    head = next((k for k, line in enumerate(lines) if _ACTIONS_HEAD.match(line)), None)
    if head is None:
        return "\n".join(lines)
    notes = [_ITEM_MARK.sub("", line.strip()) for line in lines[:head] if line.strip()]
    items: list[str] = []
    for line in lines[head + 1:]:
        if _NEXT_LINE.match(line) or _ACTIONS_HEAD.match(line):
            continue  # "Next: review thurs", a second "Action items:" head
        items.append(_owner_tail_said(line, agents))
    if not any(line.strip() for line in items):
        return text
    block = ["Notes from the meeting:", *(f"- {n.rstrip(':')}" for n in notes if not _ONLY_HEAD.match(n))] if notes else []
    return "\n".join([*block, "Action items:", *items])


def _not_a_team_owner(line: str, agents: Mapping[str, str]) -> bool:
    """ "Owner: ?", "Owner: ? on both of these", "- Owner: DK": a line naming whose the items are, no team."""
    body = _ITEM_MARK.sub("", line.strip())
    owner = _OWNER.match(body) or _UNKNOWN_OWNER.match(body)
    return owner is not None and not _alias(owner.group("who"), agents)


def _owner_tail_said(line: str, agents: Mapping[str, str]) -> str:
    """ "- build it. Owner: ?" -> "- build it"; "- write it. Owner: content" -> "- write it — Who: content"."""
    tail = _ANY_OWNER_TAIL.search(line)
    if tail is None:
        return line
    who = _alias(tail.group("who"), agents)
    return line[:tail.start()].rstrip(" .,;") + (f" — Who: {who}" if who else "")


_ACTIONS_HEAD = re.compile(r"^\s*(?:\*\*|#{1,6}\s*)?(?:action\s+items?|actions|next\s+steps|to-?dos?|to\s+do|ais|follow[- ]?ups?)"
                           r"(?:\s+(?:for|from)\s+[\w ]{1,30})?\s*:?\s*(?:\*\*)?\s*$", re.IGNORECASE)
_ATTENDEES = re.compile(r"^\s*(?:[-*•]\s*)?(?:attendees|attending|present|participants|people|who\s+was\s+there|in\s+the\s+room)\s*:",
                        re.IGNORECASE)
_NEXT_LINE = re.compile(r"^\s*(?:[-*•]\s*)?(?:next(?:\s+(?:sync|meeting|call|check-?in))?|next\s+up)\s*:", re.IGNORECASE)
_UNKNOWN_OWNER = re.compile(r"^(?:owners?|who|assignee)\s*:\s*(?P<who>\?.*)$", re.IGNORECASE)
_ANY_OWNER_TAIL = re.compile(r"(?:[.,;]|\s[—–-]+)?\s*\(?(?:owners?|who|assignee)\s*:\s*(?P<who>[\w /&?-]*?)\s*\??\s*\)?\s*$",
                             re.IGNORECASE)
_ONLY_HEAD = re.compile(r"^(?:decisions?|notes?|discussed|agenda|context|updates?)\s*:?\s*$", re.IGNORECASE)


# "AI: build the downgrade option", "AI devs: fix it", "4. AI ops: set up ...", "@ops provision the bucket"
_ACTION = re.compile(r"^\s*(?:[-*•]\s*|\d{1,2}[.)]\s*)?(?:(?:AI|A/I|Action(?:\s+items?)?|ACTION)\b\s*(?P<who>[A-Za-z][\w-]*)?\s*:\s*|"
                     r"@(?P<at>[A-Za-z][\w-]*)\s*:?\s+)(?P<rest>\S.*)$")
_ITEM_MARK = re.compile(r"^(?:[-*•]|\d{1,2}[.)])\s*")


def checked_as_done(text: str) -> str:
    """A ticked checklist item ("- [x] keyword list from the SEO thing") as a quoted line: work already done is what
    the open items build on, not work to do. A list ticked from top to bottom stays as it is (nothing else is asked)."""
    lines = text.split("\n")
    ticked = [n for n, line in enumerate(lines) if _TICKED.match(line)]
    if not ticked or all(n in ticked or not line.strip() for n, line in enumerate(lines)):
        return text
    for n in ticked:
        lines[n] = "> " + _TICKED.sub("", lines[n])
    return "\n".join(lines)


_TICKED = re.compile(r"^\s*(?:[-*•]\s*)?(?:\[[xX]\]|[☑✅✔]\ufe0f?)\s*(?=\S)")


def outline_as_text(text: str, agents: Mapping[str, str]) -> str:
    """``text`` with its structured items written as "- then team: item (details)" lines."""
    text = action_items(meeting_sections(issue_sections(checked_as_done(text)), agents), agents)
    text = _PAREN_TEAM.sub(lambda m: _paren_team(m, agents), text)
    if not _MARKS.search(text):
        return text
    out: list[str | _Item] = []
    section = ""  # "Owner: support" on a line of its own: whose the items under it are
    parent: _Item | None = None
    owner_item: tuple[int, str] | None = None  # "- Owner: marketing" with the items indented under it
    for raw in text.split("\n"):
        line = _BOLD.sub("", _CHECKBOX.sub(lambda m: m.group(1) + "- ", raw))
        if _HEADING.match(line):
            head = _HEADING.sub("", line).strip()
            out.append(head if head.endswith((":", ".", "!", "?")) else head + ":")
            parent, section, owner_item = None, "", None
            continue
        item = _ITEM.match(line)
        body = (item.group("text") if item else line).strip()
        indent = len(item.group("indent")) if item else 0
        owner = _OWNER.match(body)
        depends = _DEPENDS.match(body)
        bare = _ALONE.sub("", body)
        alone = _alias(bare, agents) if item is not None and len(body.split()) <= 4 else ""
        if alone and alone == bare.casefold().strip():
            owner_item, parent = (indent, alone), None  # "- Ops" / "1. Sales:" / "- Support — now" and its items
            continue
        who = _alias(owner.group("who"), agents) if owner is not None else ""
        if who:
            if parent is not None and item is not None and indent > parent.indent:
                parent.owner = who  # "  - Who: ops" under an item
            elif item is not None:
                owner_item, parent = (indent, who), None  # "- Owner: marketing" and its items under it
            else:
                section, parent, owner_item = who, None, None  # "Owner: support" on its own line
            continue
        if depends is not None and parent is not None:
            parent.waits = True
            continue
        if item is None:
            out.append(line)
            parent = None
            continue
        if parent is not None and indent > parent.indent:
            step = _NEXT_STEP.match(body)
            if step is not None:  # "  - [ ] after that: a saved reply linking to it": the next step, not a detail
                parent = _Item(body[step.end():], parent.indent, owner=parent.owner, waits=True)
                out.append(parent)
                continue
            parent.details.append(body)  # a sub-bullet: a detail of the item above
            continue
        if owner_item is not None and indent <= owner_item[0]:
            owner_item = None
        tail = _OWNER_TAIL.search(body) or _TEAM_TAIL.search(body)  # "... — Who: support", "**Endpoints** — code"
        who = _alias(tail.group("who"), agents) if tail else ""
        if who:
            body = body[:tail.start()].strip()  # type: ignore[union-attr]
        body = _STEP.sub("", body)
        label = _LABEL.match(body)
        named = _alias(label.group("who"), agents) if not who and label is not None else ""
        if named:
            who, body = named, body[label.end():]  # type: ignore[union-attr]  # "Step 2 — marketing: cut it into ads"
        parent = _Item(body, indent, owner=who or (owner_item[1] if owner_item else section),
                       boxed=_CHECKBOX.match(raw) is not None)
        out.append(parent)
    return "\n".join(_line(part) for part in out)


# "1) the app running in a gov-cloud region (ops)": the team in brackets at the end of an item
_PAREN_TEAM = re.compile(r"^(?P<mark>[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+)(?P<text>[^\n]+?)[ \t]*\((?P<who>[\w /&-]{2,20})\)[ \t]*$",
                         re.MULTILINE)


def _paren_team(found: re.Match[str], agents: Mapping[str, str]) -> str:
    who = _alias(found.group("who"), agents)
    if not who or who != found.group("who").strip().casefold():
        return found.group(0)  # "- the importer (v2)": no team in the brackets
    return f"{found.group('mark')}{who}: {found.group('text')}"


def _line(part: str | _Item) -> str:
    if isinstance(part, str):
        return part
    then = "then " if part.waits and not part.text.casefold().startswith("then ") else ""
    details = f" ({'; '.join(d.replace('(', '').replace(')', '') for d in part.details)})" if part.details else ""
    box = "[ ] " if part.boxed else ""
    return f"- {box}{then}{part.owner + ': ' if part.owner else ''}{part.text}{details}"  # "- then content: the guide"


def _alias(who: str, agents: Mapping[str, str]) -> str:
    """The team name or alias said in an owner line ("ops", "the content team", "Devs"), or ""."""
    return alias_in(re.findall(r"[a-z]+", who.casefold()), lambda phrase: phrase in agents or phrase in _TEAMS)


_TEAMS = frozenset("content code devops marketing sales support".split())
