"""Attachments: text files the founder gives with a task (`bureau submit --attach FILE`).

Each is stored whole in the database with its name (table ``attachment``, migration 10), shown
with the task, and given to the team agents with the task (``agents.team_agent.AttachedFile``;
the prompt shows each file up to the share of the model's context that attachments may use).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import InvalidInput

MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_CHARS = 200_000  # each file, like a task's text
MAX_TOTAL_CHARS = 500_000  # all files of one task together
MAX_NAME_CHARS = 255


@dataclass(frozen=True)
class Attachment:
    """A text file attached to a task."""

    name: str
    content: str

    @property
    def chars(self) -> int:
        return len(self.content)


def read_attachments(paths: Sequence[Path | str]) -> tuple[Attachment, ...]:
    """Read and check the files to attach; an error names the file and the fix, nothing is stored."""
    if len(paths) > MAX_ATTACHMENTS:
        raise InvalidInput(f"{len(paths)} files are attached; the limit is {MAX_ATTACHMENTS}.",
                           fix="Attach fewer files, or combine them into one.")
    items = tuple(read_attachment(Path(p)) for p in paths)
    check_attachments(items)
    return items


def read_attachment(path: Path) -> Attachment:
    if not path.is_file():
        raise InvalidInput(f"{path} is a folder." if path.is_dir() else f"There is no file {path} to attach.",
                           fix="Attach a text file (check the path).")
    size = path.stat().st_size
    if size > MAX_ATTACHMENT_CHARS * 4:  # more bytes than the most characters UTF-8 can make them
        raise InvalidInput(f"{path.name} is {size:,} bytes; an attachment may have up to "
                           f"{MAX_ATTACHMENT_CHARS:,} characters.", fix="Attach a shorter file, or the part that matters.")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise InvalidInput(f"{path.name} is not a text file.", fix="Attach text (notes, code, CSV, Markdown); "
                           "for a document, save it as plain text first.")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text (byte {exc.start:,}).",
                           fix="Save it as UTF-8 text, then attach it again.") from None
    return Attachment(name=path.name[:MAX_NAME_CHARS], content=content.replace("\r\n", "\n"))


def check_attachments(items: Sequence[Attachment]) -> None:
    if len(items) > MAX_ATTACHMENTS:
        raise InvalidInput(f"{len(items)} files are attached; the limit is {MAX_ATTACHMENTS}.",
                           fix="Attach fewer files, or combine them into one.")
    for item in items:
        if not item.name.strip():
            raise InvalidInput("An attachment has no name.", fix="Give every attachment a file name.")
        if item.chars > MAX_ATTACHMENT_CHARS:
            raise InvalidInput(f"{item.name} has {item.chars:,} characters; an attachment may have up to "
                               f"{MAX_ATTACHMENT_CHARS:,}.", fix="Attach a shorter file, or the part that matters.")
    total = sum(i.chars for i in items)
    if total > MAX_TOTAL_CHARS:
        raise InvalidInput(f"The attachments have {total:,} characters together; the limit is {MAX_TOTAL_CHARS:,}.",
                           fix="Attach fewer or shorter files.")


def store_attachments(conn: Any, task_id: int, items: Iterable[Attachment], *, now: str) -> None:
    """Insert ``items`` for ``task_id`` in the caller's transaction.

    ``conn`` is a sqlite3 connection or a SQLAlchemy connection (``exec_driver_sql``).
    """
    execute = getattr(conn, "exec_driver_sql", None) or conn.execute
    for item in items:
        execute("INSERT INTO attachment (task_id, name, content, chars, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (task_id, item.name, item.content, item.chars, hashlib.sha256(item.content.encode()).hexdigest(), now))


def load_attachments(conn: Any, task_id: int) -> tuple[Attachment, ...]:
    """The task's attachments in the order they were given."""
    execute = getattr(conn, "exec_driver_sql", None) or conn.execute
    rows = execute("SELECT name, content FROM attachment WHERE task_id = ? ORDER BY id", (task_id,)).fetchall()
    return tuple(Attachment(name=str(r[0]), content=str(r[1])) for r in rows)
