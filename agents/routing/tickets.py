"""Tasks written as tickets with fields, the way a tracker's form lays them out:

    Summary: Waitlist auto-fill                      Background:
    Type: Story                                      - Waitlist auto-fill
    Description: when a patient cancels, ...    ->
    Acceptance criteria:                             when a patient cancels, text the first 3 people ...
    - offer holds the slot for 10 min                Acceptance criteria:
    Follow-up: help center article for ...           - offer holds the slot for 10 min
    Priority: High                                   Then, help center article for front desk staff ...

The title is background when a description or steps say the work (else it is the title line), the description's
label goes, the fields that only file the ticket ("Type", "Priority", "Labels", "Assignee", "Sprint", ...) ask nothing,
a "Steps:" or "Sub-tasks:" list is the to-do list and a "Follow-up:" is work that comes after the rest. A text is read
as a ticket only when at least two of its lines start with such fields and one of them is a title, a description or a
ticket type, so a letter's "Subject:" or a note's "Priority: high" alone changes nothing.
"""

from __future__ import annotations

import re

_FIELD = re.compile(r"^[ \t]*(?:\*\*)?(?P<name>[A-Za-z][A-Za-z /-]{0,24}?)[ \t]*(?:\*\*)?[ \t]*:[ \t]*(?:\*\*)?[ \t]*(?P<value>.*?)\s*$")
_TITLE = {"summary", "title", "ticket", "story", "issue", "epic name"}
_BODY = {"description", "desc", "details", "body", "user story"}
_FILING = {"type", "issue type", "ticket type", "priority", "prio", "severity", "sev", "labels", "label", "tags",
           "component", "components", "assignee", "assigned to", "reporter", "reported by", "sprint", "story points",
           "points", "estimate", "estimation", "status", "epic", "epic link", "fix version", "fix versions",
           "version", "resolution", "created", "updated", "key", "id", "effort", "size", "milestone", "team"}
_TYPES = {"type", "issue type", "ticket type"}
_STEPS = {"steps", "sub-tasks", "subtasks", "sub tasks", "tasks", "checklist", "to do", "todo", "to-do", "work"}
_FOLLOW = {"follow-up", "follow up", "followup", "follow-ups", "follow ups", "afterwards", "after that", "then"}
_REPRO = re.compile(r"steps\s+to\s+reproduce|repro(?:\s+steps)?", re.IGNORECASE)


def _field(line: str) -> tuple[str, str] | None:
    found = _FIELD.match(line)
    if found is None:
        return None
    return found.group("name").strip().casefold(), found.group("value")


def ticket_fields(text: str) -> str:
    """A ticket's fields as plain lines (see the module's docstring); any other text unchanged."""
    if ":" not in text:
        return text
    lines = text.split("\n")
    fields = [_field(line) for line in lines]
    names = [f[0] for f in fields if f is not None and f[0] in _TITLE | _BODY | _FILING | _STEPS | _FOLLOW]
    if len(names) < 2 or not set(names) & (_TITLE | _BODY | _TYPES):
        return text
    has_body = any(f is not None and (f[0] in _BODY or f[0] in _STEPS) for f in fields)
    out: list[str] = []
    for line, field in zip(lines, fields, strict=True):
        if field is None or _REPRO.fullmatch(field[0]):
            out.append(line)
            continue
        name, value = field
        if name in _FILING:
            continue  # "Type: Story", "Priority: High": filing, not work
        if name in _TITLE and has_body:
            if value:
                out.extend(["Background:", f"- {value}", ""])  # the title names what the description and the steps ask for
            continue
        if name in _TITLE or name in _BODY:
            if value:
                out.append(value)
        elif name in _STEPS:
            out.append(f"To do: {value}" if value else "To do:")
        elif name in _FOLLOW:
            if value:
                out.append(f"Then, {value}")
        else:
            out.append(line)
    return "\n".join(out)
