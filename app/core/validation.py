"""Checks on what the founder types, with messages that name the fix."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.core.errors import InvalidInput
from app.core.status import Priority

MAX_TASK_CHARS = 200_000
MAX_TITLE_CHARS = 200
_SURROGATE = re.compile(r"[\udc80-\udcff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_task_text(text: str) -> str:
    """The task text, stripped; rejects empty, oversized and control-character text."""
    if text is None or not text.strip():
        raise InvalidInput("The task text is empty.", fix="Describe the task in a sentence or more.")
    if len(text) > MAX_TASK_CHARS:
        raise InvalidInput(
            f"The task text is {len(text):,} characters; the limit is {MAX_TASK_CHARS:,}.",
            fix="Shorten it, or attach the long material as a file and describe the task briefly.",
        )
    bad = _SURROGATE.search(text)
    if bad:  # bytes that were not UTF-8, as Python passes them on (surrogate escapes)
        raise InvalidInput(
            f"The task text is not valid UTF-8 (byte {ord(bad.group()) - 0xDC00:#04x} at position {bad.start()}).",
            fix="Type or paste it as UTF-8 text (set your terminal to UTF-8), or give it with --file.",
        )
    match = _CONTROL.search(text)
    if match:
        raise InvalidInput(
            f"The task text contains a control character (code {ord(match.group()):#04x}) at position {match.start()}.",
            fix="Remove it; paste the text as plain text.",
        )
    return unicodedata.normalize("NFC", text.strip().replace("\r\n", "\n"))


def make_title(text: str, title: str | None = None) -> str:
    if title is not None and title.strip():
        cleaned = clean_task_text(title)
        return cleaned.splitlines()[0][:MAX_TITLE_CHARS]
    first = text.strip().splitlines()[0]
    return first if len(first) <= 80 else first[:77].rstrip() + "..."


def parse_priority(value: str | None) -> Priority:
    if value is None:
        return Priority.NORMAL
    try:
        return Priority(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"Unknown priority {value!r}.", fix=f"Use one of: {', '.join(p.value for p in Priority)}."
        ) from None


def parse_due(value: str | None) -> date | None:
    if value is None or not str(value).strip():
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InvalidInput(f"The due date {value!r} is not a date.", fix="Write it as YYYY-MM-DD.") from None


def check_team(team: str | None, known: tuple[str, ...]) -> str | None:
    if team is None:
        return None
    name = team.strip().lower()
    if name not in known:
        raise InvalidInput(f"Unknown team {team!r}.", fix=f"Use one of: {', '.join(known)}.")
    return name
