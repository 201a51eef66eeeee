"""Team results as files in the data folder, written once per idempotency key."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import sqlite3

from app.store.db import sql_ts, utcnow
from teams.base import TeamSpec

_FENCE = re.compile(r"```([\w+#.-]*)[^\n]*\n(.*?)```", re.S)
_EXTENSIONS = {
    "python": ".py", "py": ".py", "javascript": ".js", "js": ".js", "typescript": ".ts", "ts": ".ts",
    "bash": ".sh", "sh": ".sh", "shell": ".sh", "sql": ".sql", "yaml": ".yaml", "yml": ".yaml",
    "json": ".json", "html": ".html", "css": ".css", "dockerfile": ".Dockerfile", "hcl": ".tf",
    "terraform": ".tf", "toml": ".toml", "go": ".go", "rust": ".rs", "java": ".java", "ini": ".ini",
}


@dataclass(frozen=True)
class FileToWrite:
    name: str
    content: str
    media_type: str


_SLUG_WORDS = 5
_SMALL_WORDS = frozenset("a an the about for of to and or on in at with our my your this that please".split())


def slug(title: str) -> str:
    """'Fix the invoice currency!' -> 'fix-invoice-currency' (a file name that says what it is)."""
    words = [w for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in _SMALL_WORDS][:_SLUG_WORDS]
    return "-".join(words)[:60].strip("-") or "result"


def file_base(title: str, journal_key: str, team: str) -> str:
    """'blog-post' for the first step's first round; other steps and rounds say which they are."""
    step, _, round_ = journal_key.partition(".r")
    base = slug(title) if title else ""
    if not base:
        return f"{journal_key}-{team}"
    if step not in ("s1", "") and not step.startswith("s1."):
        base += f"-{step}-{team}"
    if round_ and round_ != "0":
        base += f"-v{int(round_) + 1}" if round_.isdigit() else f"-r{round_}"
    return base


def files_for(team: TeamSpec, journal_key: str, output: str, *, title: str = "") -> list[FileToWrite]:
    """The main document and, for teams that write code or config, each code block.

    Named after the task (``blog-post.md``, ``fix-invoice-currency.py``); without a title, after
    the step (``s1.r0-content.md``).
    """
    base = file_base(title, journal_key, team.name)
    files = [FileToWrite(base + team.artifact.extension, output, team.artifact.media_type)]
    if team.artifact.extract_code_blocks:
        seen: dict[str, int] = {}
        for match in _FENCE.finditer(output):
            ext = _EXTENSIONS.get(match.group(1).lower(), ".txt")
            seen[ext] = seen.get(ext, 0) + 1
            n = seen[ext]
            name = f"{base}{ext}" if n == 1 and ext != team.artifact.extension else f"{base}-{n}{ext}"
            files.append(FileToWrite(name, match.group(2), "text/plain"))
    return files


def write_artifacts(conn: sqlite3.Connection, home: Path, task_id: int, journal_key: str,
                    files: list[FileToWrite]) -> None:
    """Write each file atomically and record it; a key already recorded is not written again."""
    folder = home / "artifacts" / f"task-{task_id}"
    folder.mkdir(parents=True, exist_ok=True)
    for item in files:
        idem_key = f"{task_id}:{journal_key}:{item.name}"
        if conn.execute("SELECT 1 FROM artifact WHERE idem_key = ?", (idem_key,)).fetchone():
            continue
        data = item.content.encode("utf-8")
        target = folder / item.name
        tmp = target.with_name(target.name + ".tmp")
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        conn.execute(
            "INSERT INTO artifact (task_id, step_key, name, path, media_type, size, sha256, idem_key, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (task_id, journal_key, item.name, str(target.relative_to(home)), item.media_type, len(data),
             hashlib.sha256(data).hexdigest(), idem_key, sql_ts(utcnow())))
