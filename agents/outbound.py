"""Which work is meant for someone outside, who may receive it, and how a draft reads. Pure.

Recipients come only from the founder's own words in the task: addresses in its first
paragraph that are not inside quoted material. Never from quoted or pasted text, never from
the knowledge base, never from a model's reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["email", "social"]

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}"
                   r"(?![\w-])")
_EMAILISH = re.compile(r"\b(e-?mail|reply|respond|answer|write (?:back |a note )?to|message|follow[- ]?up|outreach|"
                       r"cold (?:email|message)|intro(?:duction)? to|apolog\w*|ticket|chat|review from|letter)\b", re.I)
_NOT_A_MESSAGE = re.compile(r"\b(summari[sz]e|triage|list (?:of|the)|report on|analy[sz]e|categori[sz]e|"
                            r"forecast|lead list|pipeline|crm|questionnaire|proposal|rfp|call (?:prep|notes)|"
                            r"spreadsheet|faq|macro|template)\b", re.I)
_SOCIAL = re.compile(r"\b(tweet|twitter|x\.com|linkedin|instagram|facebook|mastodon|bluesky|threads|"
                     r"social (?:media )?post)\b", re.I)
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|'[^'\n]{12,}'|‘[^’]*’|`[^`]*`|<<<.*?>>>", re.S)
_NOT_TO = re.compile(r"\b(cc|bcc|forward(?:ed)?|ignore|instead|also send|from the list)\W*$", re.I)


def outbound_kind(team: str, text: str) -> Kind | None:
    """``email`` for a reply or message to a person, ``social`` for a post; None for everything else."""
    if team == "marketing":
        return "social" if _SOCIAL.search(text) else None
    if team not in ("support", "sales"):
        return None
    if _NOT_A_MESSAGE.search(text) and not re.search(r"\b(reply|respond|e-?mail)\b", text, re.I):
        return None
    return "email" if team == "support" or _EMAILISH.search(text) else None


def founder_part(task_text: str) -> str:
    """The founder's own words: the first paragraph, without quoted or pasted material."""
    first = re.split(r"\n\s*\n|\n\s*>|\n-{3,}|\n(?:from|subject|to|on .{0,60} wrote):", task_text.strip(),
                     maxsplit=1, flags=re.I)[0]
    first = re.split(r"\b(?:(?:his|her|their|the customer'?s?|the) (?:message|email|ticket|note|review)"
                     r"(?: says| reads| is)?\s*:)", first, maxsplit=1, flags=re.I)[0]
    return _QUOTED.sub(" ", first)


def founder_recipients(task_text: str) -> tuple[str, ...]:
    """Addresses the founder gave in the task's own words (not in quoted or pasted text)."""
    part = founder_part(task_text)
    found = []
    for m in EMAIL.finditer(part):
        if _NOT_TO.search(part[max(0, m.start() - 30):m.start()]):
            continue
        found.append(m.group(0).rstrip(".").lower())
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class DraftText:
    subject: str
    body: str


def draft_from_output(output: str, *, fallback_subject: str) -> DraftText:
    """Subject and body of a model's draft; address lines in it are dropped (recipients are never the model's)."""
    subject = ""
    kept: list[str] = []
    for line in output.strip().splitlines():
        m = re.match(r"^\s*\**\s*subject\s*:\s*\**\s*(.+?)\s*\**\s*$", line, re.I)
        if m and not subject and not kept:
            subject = m.group(1).strip()
            continue
        if re.match(r"^\s*\**\s*(to|cc|bcc|from)\s*:", line, re.I) and not any(k.strip() for k in kept):
            continue
        kept.append(line)
    return DraftText(subject=(subject or fallback_subject)[:200], body="\n".join(kept).strip())
