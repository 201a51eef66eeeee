"""Outbound drafts: work meant for someone outside, held until the founder approves that exact text.

A draft's approval is bound to a hash of its channel, recipients, subject and body: any edit
resets it. ``send`` claims the draft (``sending``) in one transaction before anything leaves,
so a draft is never sent twice; a failed send stays approved (status ``failed``, with the
reason) and can be retried.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agents.outbound import EMAIL, Kind
from app.core.errors import InvalidInput, InvalidTransition, NotFound
from app.core.secrets import Secrets
from app.knowledge.send import SMTP_PASSWORD_KEY, OutboundConfig, SendResult, SmtpConfig, mailto_link, send_smtp
from app.store.db import Database, sql_ts, utcnow
from app.store.writer import Writer

STATUSES = ("draft", "approved", "sending", "sent", "failed", "discarded")
_COLUMNS = ("id, task_id, step_key, channel, recipients, subject, body, status, approved_sha, error, sent_at, "
            "sent_via, attempts, created_at, updated_at")


@dataclass(frozen=True)
class Draft:
    id: int
    task_id: int | None
    step_key: str
    channel: str  # "email" or "social"
    recipients: tuple[str, ...]
    subject: str
    body: str
    status: str
    approved_sha: str | None
    error: str | None
    sent_at: str | None
    sent_via: str | None
    attempts: int
    created_at: str
    updated_at: str

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> Draft:
        values = list(row)
        values[4] = tuple(json.loads(values[4] or "[]"))
        return cls(*values)

    @property
    def approved(self) -> bool:
        return self.approved_sha is not None and self.approved_sha == content_sha(self)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "task_id": self.task_id, "channel": self.channel, "recipients": list(self.recipients),
                "subject": self.subject, "body": self.body, "status": self.status, "approved": self.approved,
                "error": self.error, "sent_at": self.sent_at, "sent_via": self.sent_via, "attempts": self.attempts}


def content_sha(d: Draft | None = None, *, channel: str = "", recipients: tuple[str, ...] = (), subject: str = "",
                body: str = "") -> str:
    if d is not None:
        channel, recipients, subject, body = d.channel, d.recipients, d.subject, d.body
    blob = json.dumps([channel, list(recipients), subject, body], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def parse_edit(text: str, draft: Draft) -> tuple[tuple[str, ...], str, str]:
    """The founder's edited draft: optional ``To:`` and ``Subject:`` header lines, a blank line, the body."""
    recipients, subject = draft.recipients, draft.subject
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines) and re.match(r"^(to|subject)\s*:", lines[i], re.I):
        name, _, value = lines[i].partition(":")
        if name.strip().lower() == "to":
            recipients = check_recipients(value)
        else:
            subject = value.strip()
        i += 1
    if i and i < len(lines) and not lines[i].strip():
        i += 1
    body = "\n".join(lines[i:]).strip()
    if not body:
        raise InvalidInput("The edited draft has no body.", fix="Write the message below the header lines.")
    return recipients, subject, body


def check_recipients(value: str) -> tuple[str, ...]:
    parts = [p.strip() for p in re.split(r"[,;\s]+", value) if p.strip()]
    bad = [p for p in parts if not EMAIL.fullmatch(p)]
    if bad:
        raise InvalidInput(f"{bad[0]!r} is not an email address.", fix="Write To: name@example.com, other@example.com")
    return tuple(dict.fromkeys(p.lower() for p in parts))


class OutboundService:
    def __init__(self, db: Database, home: Path, *, secrets: Secrets | None = None) -> None:
        self.db = db
        self.home = home
        self.secrets = secrets or Secrets()
        self.writer = Writer(db)

    # -- configuration ---------------------------------------------------------------
    def config(self) -> OutboundConfig:
        return OutboundConfig.load(self.home)

    def use_mailto(self) -> OutboundConfig:
        config = OutboundConfig(channel="mailto", smtp=self.config().smtp)
        config.save(self.home)
        return config

    def configure_smtp(self, smtp: SmtpConfig, *, password: str | None = None) -> OutboundConfig:
        if password:
            self.secrets.set(SMTP_PASSWORD_KEY, password)
        config = OutboundConfig(channel="smtp", smtp=smtp)
        config.save(self.home)
        return config

    # -- drafts ------------------------------------------------------------------------
    def propose(self, *, task_id: int, step_key: str, kind: Kind, recipients: tuple[str, ...], subject: str,
                body: str) -> Draft:
        """Keep a team's draft for the founder; a new version replaces a draft that was not sent or discarded
        (and so resets its approval)."""
        now = sql_ts(utcnow())
        with self.db.raw_write() as conn:
            row = conn.execute("SELECT id, status FROM outbound WHERE task_id = ? AND step_key = ?",
                               (task_id, step_key)).fetchone()
            if row is None:
                draft_id = conn.execute(
                    "INSERT INTO outbound (task_id, step_key, channel, recipients, subject, body, status, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?)",
                    (task_id, step_key, kind, json.dumps(list(recipients)), subject, body, now, now)).lastrowid
                self.writer.event(conn, task_id, "outbound", draft=draft_id, state="draft")
            else:
                draft_id = row[0]
                if row[1] in ("draft", "approved", "failed"):
                    conn.execute("UPDATE outbound SET subject = ?, body = ?, status = 'draft', approved_sha = NULL, "
                                 "error = NULL, updated_at = ? WHERE id = ?", (subject, body, now, draft_id))
                    self.writer.event(conn, task_id, "outbound", draft=draft_id, state="draft")
        return self.get(int(draft_id or 0))

    def get(self, draft_id: int) -> Draft:
        with self.db.raw_read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM outbound WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            raise NotFound(f"There is no outbound draft {draft_id}.", fix="List them with `bureau outbound list`.")
        return Draft.of(row)

    def list(self, *, status: str | None = None, task_id: int | None = None) -> list[Draft]:
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"{status!r} is not a draft status.", fix="Use one of: " + ", ".join(STATUSES) + ".")
        with self.db.raw_read() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM outbound WHERE (? IS NULL OR status = ?) AND "
                                "(? IS NULL OR task_id = ?) ORDER BY id", (status, status, task_id, task_id))
            return [Draft.of(r) for r in rows]

    def approve(self, draft_id: int) -> Draft:
        d = self.get(draft_id)
        self._expect(d, ("draft", "approved", "failed"), "approve")
        if d.channel == "email" and not d.recipients and self.config().channel == "smtp":
            raise InvalidInput(f"Draft {d.id} has no recipient.",
                               fix=f"Add one: bureau outbound edit {d.id} --file F (first line: To: name@example.com).")
        return self._update(d, "approved", approved_sha=content_sha(d), expect_sha=content_sha(d))

    def edit(self, draft_id: int, text: str) -> Draft:
        """The founder's own text replaces the draft; any approval is reset."""
        d = self.get(draft_id)
        self._expect(d, ("draft", "approved", "failed"), "edit")
        recipients, subject, body = parse_edit(text, d)
        now = sql_ts(utcnow())
        with self.db.raw_write() as conn:
            conn.execute("UPDATE outbound SET recipients = ?, subject = ?, body = ?, status = 'draft', "
                         "approved_sha = NULL, error = NULL, updated_at = ? WHERE id = ?",
                         (json.dumps(list(recipients)), subject, body, now, d.id))
            self.writer.event(conn, d.task_id, "outbound", draft=d.id, state="edited")
        return self.get(d.id)

    def discard(self, draft_id: int) -> Draft:
        d = self.get(draft_id)
        self._expect(d, ("draft", "approved", "failed"), "discard")
        return self._update(d, "discarded", approved_sha=None)

    def send(self, draft_id: int, *, sender_name: str = "") -> tuple[Draft, SendResult]:
        """Send an approved draft through the configured channel; exactly the approved text, at most once."""
        d = self.get(draft_id)
        self._expect(d, ("approved", "failed"), "send")
        if not d.approved:
            raise InvalidTransition(f"Draft {d.id} changed after it was approved.",
                                    fix=f"Read it again and approve it: bureau outbound approve {d.id}.")
        config = self.config()
        with self.db.raw_write() as conn:  # claim it: a second `send` finds it no longer approved
            claimed = conn.execute("UPDATE outbound SET status = 'sending', attempts = attempts + 1, updated_at = ? "
                                   "WHERE id = ? AND status IN ('approved', 'failed') AND approved_sha = ?",
                                   (sql_ts(utcnow()), d.id, d.approved_sha)).rowcount
        if not claimed:
            raise InvalidTransition(f"Draft {d.id} is being sent or was changed meanwhile.",
                                    fix=f"Look at it: bureau outbound list; then approve {d.id} again if needed.")
        if d.channel == "social":
            result = SendResult(True, "copy", "copied for you to post")
        elif config.channel == "smtp" and config.smtp is not None:
            result = send_smtp(config.smtp, recipients=d.recipients, subject=d.subject, body=d.body,
                               sender_name=sender_name, secrets=self.secrets)
        else:
            result = SendResult(True, "mailto", mailto_link(d.recipients, d.subject, d.body))
        now = sql_ts(utcnow())
        with self.db.raw_write() as conn:
            if result.ok:
                conn.execute("UPDATE outbound SET status = 'sent', sent_at = ?, sent_via = ?, error = NULL, "
                             "updated_at = ? WHERE id = ?", (now, result.via, now, d.id))
            else:
                conn.execute("UPDATE outbound SET status = 'failed', error = ?, sent_via = ?, updated_at = ? "
                             "WHERE id = ?", (result.detail, result.via, now, d.id))
            self.writer.event(conn, d.task_id, "outbound", draft=d.id, state="sent" if result.ok else "failed",
                              via=result.via, reason=None if result.ok else result.detail)
        return self.get(d.id), result

    def _expect(self, d: Draft, allowed: tuple[str, ...], action: str) -> None:
        if d.status not in allowed:
            past = {"approve": "approved", "edit": "edited", "discard": "discarded", "send": "sent"}[action]
            raise InvalidTransition(f"Draft {d.id} is {d.status}; it cannot be {past} now.",
                                    fix="List the drafts with `bureau outbound list`.")

    def _update(self, d: Draft, status: str, *, approved_sha: str | None, expect_sha: str | None = None) -> Draft:
        with self.db.raw_write() as conn:
            changed = conn.execute(
                "UPDATE outbound SET status = ?, approved_sha = ?, approved_at = CASE WHEN ? IS NULL THEN NULL "
                "ELSE ? END, updated_at = ? WHERE id = ? AND status = ? AND updated_at = ?",
                (status, approved_sha, approved_sha, sql_ts(utcnow()), sql_ts(utcnow()), d.id, d.status,
                 d.updated_at)).rowcount
            if not changed:
                raise InvalidTransition(f"Draft {d.id} changed while you were looking at it.",
                                        fix="Read it again with `bureau outbound list`, then try again.")
            self.writer.event(conn, d.task_id, "outbound", draft=d.id, state=status)
        return self.get(d.id)
