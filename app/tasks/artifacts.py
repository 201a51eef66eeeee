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


def files_for(team: TeamSpec, journal_key: str, output: str) -> list[FileToWrite]:
    """The main document and, for teams that write code or config, each code block."""
    base = f"{journal_key}-{team.name}"
    files = [FileToWrite(base + team.artifact.extension, output, team.artifact.media_type)]
    if team.artifact.extract_code_blocks:
        for index, match in enumerate(_FENCE.finditer(output), start=1):
            lang = match.group(1).lower()
            ext = _EXTENSIONS.get(lang, ".txt")
            files.append(FileToWrite(f"{base}-block{index}{ext}", match.group(2), "text/plain"))
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
