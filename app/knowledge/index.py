"""The knowledge base: the founder's files and folders, indexed by section in SQLite FTS5.

Indexing is incremental: a file whose size and mtime are unchanged is skipped, one whose
content hash is unchanged only gets its new mtime. A file that cannot be read or parsed is
named in the report and keeps whatever was indexed of it before; a source folder that has
gone missing keeps its index too. Search ranks sections with BM25 (headings weigh more).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from agents.grounding import Source
from app.core.errors import InvalidInput, NotFound
from app.knowledge.parse import ParseError, Section, check_size, kind_of, parse_bytes
from app.store.db import Database, sql_ts, utcnow

MAX_FILES_PER_SOURCE = 100_000
BATCH_FILES = 300  # files written per transaction
Progress = Callable[[int, int, str], None]  # files done, files found, the current file

_STOP = frozenset("""a an and are as at be but by can could do does for from has have how i if in into is it its
me my no not of on or our please so than that the their them then there these they this to us was we what when
where which who why will with would you your hi hello dear thanks thank about can't i'm""".split())


@dataclass(frozen=True)
class SourceInfo:
    id: int
    path: str
    kind: str
    files: int
    sections: int
    errors: int
    indexed_at: str | None
    error: str | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "path": self.path, "kind": self.kind, "files": self.files, "sections": self.sections,
                "errors": self.errors, "indexed_at": self.indexed_at, "error": self.error}


@dataclass
class IndexReport:
    source_id: int
    path: str
    files_seen: int = 0
    indexed: int = 0  # parsed and (re)written
    unchanged: int = 0
    removed: int = 0
    sections: int = 0  # sections written this time
    skipped: int = 0  # files of kinds Bureau does not read
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    seconds: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {"source_id": self.source_id, "path": self.path, "files_seen": self.files_seen,
                "indexed": self.indexed, "unchanged": self.unchanged, "removed": self.removed,
                "sections": self.sections, "skipped": self.skipped, "seconds": round(self.seconds, 3),
                "errors": [{"file": f, "error": e} for f, e in self.errors]}


@dataclass(frozen=True)
class Hit:
    section_id: int
    source: str  # the file's name as cited (relative to the folder that was added)
    path: str
    section: str
    snippet: str
    score: float
    text: str

    @property
    def citation(self) -> str:
        return f"[kb: {self.source} § {self.section}]"

    def as_source(self) -> Source:
        return Source(source=self.source, section=self.section, text=self.text)

    def to_json(self) -> dict[str, object]:
        return {"source": self.source, "section": self.section, "path": self.path, "snippet": self.snippet,
                "score": round(self.score, 4), "citation": self.citation}


def query_terms(text: str, *, limit: int = 16) -> list[str]:
    """The words of a question worth searching for (no stop words; at most ``limit``)."""
    words = [w for w in re.findall(r"[^\W_]{2,}", text.lower()) if w not in _STOP and not w.isdigit()]
    return list(dict.fromkeys(words))[:limit]


def snippet(body: str, terms: list[str], *, width: int = 160) -> str:
    """About ``width`` characters of ``body`` around the first searched word, the words in [brackets]."""
    low = body.lower()
    first = min((i for i in (low.find(t[:5]) for t in terms) if i >= 0), default=0)
    start = max(0, first - width // 3)
    text = " ".join(body[start:start + width].split())
    for t in terms:
        text = re.sub(rf"\b({re.escape(t[:5])}\w*)", r"[\1]", text, flags=re.I)
    return ("… " if start else "") + text + (" …" if start + width < len(body) else "")


class KnowledgeBase:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- sources ----------------------------------------------------------------------
    def add(self, path: str | Path, *, progress: Progress | None = None) -> IndexReport:
        """Add a file or folder and index it (adding one that is already there re-indexes it)."""
        target = Path(path).expanduser()
        if not target.exists():
            raise InvalidInput(f"{target} does not exist.", fix="Give the path of a file or folder to add.")
        target = target.resolve()
        if target.is_file() and kind_of(target) is None:
            raise InvalidInput(f"{target.name} is not a kind Bureau reads.",
                               fix="Add Markdown (.md), text (.txt), HTML (.html) or PDF (.pdf) files, or a folder.")
        kind = "folder" if target.is_dir() else "file"
        with self.db.raw_write() as conn:
            conn.execute("INSERT INTO kb_source (path, kind, added_at) VALUES (?, ?, ?) ON CONFLICT (path) "
                         "DO NOTHING", (str(target), kind, sql_ts(utcnow())))
            source_id = conn.execute("SELECT id FROM kb_source WHERE path = ?", (str(target),)).fetchone()[0]
        return self.reindex(source_id, progress=progress)

    def remove(self, ref: str | int) -> SourceInfo:
        info = self.source(ref)
        with self.db.raw_write() as conn:
            conn.execute("DELETE FROM kb_section WHERE file_id IN (SELECT id FROM kb_file WHERE source_id = ?)",
                         (info.id,))
            conn.execute("DELETE FROM kb_file WHERE source_id = ?", (info.id,))
            conn.execute("DELETE FROM kb_source WHERE id = ?", (info.id,))
        return info

    def sources(self) -> list[SourceInfo]:
        with self.db.raw_read() as conn:
            rows = conn.execute(
                "SELECT s.id, s.path, s.kind, count(f.id), coalesce(sum(f.sections), 0), "
                "count(f.error), s.indexed_at, s.error FROM kb_source s LEFT JOIN kb_file f ON f.source_id = s.id "
                "GROUP BY s.id ORDER BY s.id").fetchall()
        return [SourceInfo(*r) for r in rows]

    def source(self, ref: str | int) -> SourceInfo:
        """A source by id or by path."""
        for info in self.sources():
            if str(info.id) == str(ref) or info.path == str(ref) or info.path == str(Path(str(ref)).expanduser()
                                                                                      .resolve()):
                return info
        raise NotFound(f"The knowledge base has no source {ref}.", fix="List them with `bureau kb list`.")

    def errors(self, source_id: int | None = None) -> list[tuple[str, str]]:
        with self.db.raw_read() as conn:
            rows = conn.execute("SELECT path, error FROM kb_file WHERE error IS NOT NULL AND (? IS NULL OR "
                                "source_id = ?) ORDER BY path", (source_id, source_id)).fetchall()
        return [(r[0], r[1]) for r in rows]

    def section_count(self) -> int:
        with self.db.raw_read() as conn:
            return int(conn.execute("SELECT count(*) FROM kb_section").fetchone()[0])

    def reindex_all(self, *, progress: Progress | None = None) -> list[IndexReport]:
        return [self.reindex(s.id, progress=progress) for s in self.sources()]

    # -- indexing ---------------------------------------------------------------------
    def reindex(self, source_id: int, *, progress: Progress | None = None) -> IndexReport:
        import time

        started = time.perf_counter()
        with self.db.raw_read() as conn:
            row = conn.execute("SELECT path, kind FROM kb_source WHERE id = ?", (source_id,)).fetchone()
            if row is None:
                raise NotFound(f"The knowledge base has no source {source_id}.", fix="List them with `bureau kb list`.")
            known = {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.execute(
                "SELECT path, id, mtime, size, error FROM kb_file WHERE source_id = ?", (source_id,))}
            owned_elsewhere = {r[0] for r in conn.execute("SELECT path FROM kb_file WHERE source_id != ?",
                                                          (source_id,))}
        root = Path(row[0])
        report = IndexReport(source_id=source_id, path=str(root))
        if not root.exists() or not os.access(root, os.R_OK | (os.X_OK if root.is_dir() else 0)):
            why = "is missing" if not root.exists() else "cannot be read (permission denied)"
            self._source_state(source_id, f"{root} {why}; what was indexed from it is kept.")
            report.errors.append((str(root), f"{why}; what was indexed from it is kept"))
            return report
        try:
            files = [p for p in _walk(root, report) if str(p) not in owned_elsewhere]
        except OSError as exc:
            self._source_state(source_id, f"Cannot read {root}: {exc.strerror or exc}.")
            report.errors.append((str(root), f"cannot be read: {exc.strerror or exc}"))
            return report
        if len(files) > MAX_FILES_PER_SOURCE:
            report.errors.append((str(root), f"has {len(files):,} files; only the first {MAX_FILES_PER_SOURCE:,} "
                                             "are indexed (add its subfolders one by one)"))
            files = files[:MAX_FILES_PER_SOURCE]
        report.files_seen = len(files)
        batch: list[_Change] = []
        for n, path in enumerate(files, start=1):
            change = self._examine(root, path, known.get(str(path)), report)
            if change is not None:
                batch.append(change)
            if len(batch) >= BATCH_FILES:
                self._write(source_id, batch)
                batch = []
            if progress is not None:
                progress(n, len(files), str(path))
        seen = {str(p) for p in files}
        unreadable = [f for f, _ in report.errors]  # folders that could not be listed keep their files
        gone = [path for path in known if path not in seen
                and not any(path.startswith(folder.rstrip(os.sep) + os.sep) for folder in unreadable)]
        batch += [_Change(path=p, file_id=known[p][0], removed=True) for p in gone]
        report.removed = len(gone)
        self._write(source_id, batch)
        self._source_state(source_id, None)
        report.seconds = time.perf_counter() - started
        return report

    def _examine(self, root: Path, path: Path, known: tuple | None, report: IndexReport) -> _Change | None:  # type: ignore[type-arg]
        name = path.name if root == path else path.relative_to(root).as_posix()
        file_id = known[0] if known else None
        try:
            stat = path.stat()
            if known is not None and known[1] == stat.st_mtime and known[2] == stat.st_size and known[3] is None:
                report.unchanged += 1
                return None
            check_size(path, stat.st_size)
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            if known is not None and known[3] is None and self._sha(file_id) == sha:
                report.unchanged += 1
                return _Change(path=str(path), file_id=file_id, name=name, mtime=stat.st_mtime, size=stat.st_size,
                               sha=sha, touch_only=True)
            sections = parse_bytes(path, data)
        except FileNotFoundError:
            report.errors.append((str(path), "vanished while it was being indexed"))
            return None
        except (OSError, ParseError) as exc:
            why = (f"cannot be read: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc))
            report.errors.append((str(path), why))
            return _Change(path=str(path), file_id=file_id, name=name, mtime=0.0, size=0, sha="", error=why)
        report.indexed += 1
        report.sections += len(sections)
        return _Change(path=str(path), file_id=file_id, name=name, mtime=stat.st_mtime, size=stat.st_size, sha=sha,
                       sections=sections)

    def _sha(self, file_id: int | None) -> str | None:
        with self.db.raw_read() as conn:
            row = conn.execute("SELECT sha256 FROM kb_file WHERE id = ?", (file_id,)).fetchone()
        return row[0] if row else None

    def _write(self, source_id: int, batch: list[_Change]) -> None:
        if not batch:
            return
        now = sql_ts(utcnow())
        with self.db.raw_write() as conn:
            for c in batch:
                if c.removed:
                    conn.execute("DELETE FROM kb_section WHERE file_id = ?", (c.file_id,))
                    conn.execute("DELETE FROM kb_file WHERE id = ?", (c.file_id,))
                elif c.error is not None:  # keep what was indexed before; note the problem
                    if c.file_id is None:
                        conn.execute("INSERT INTO kb_file (source_id, path, name, mtime, size, sha256, error, "
                                     "indexed_at) VALUES (?, ?, ?, 0, 0, '', ?, ?)",
                                     (source_id, c.path, c.name, c.error, now))
                    else:
                        conn.execute("UPDATE kb_file SET error = ? WHERE id = ?", (c.error, c.file_id))
                elif c.touch_only:
                    conn.execute("UPDATE kb_file SET mtime = ?, size = ? WHERE id = ?", (c.mtime, c.size, c.file_id))
                else:
                    file_id = c.file_id
                    if file_id is None:
                        file_id = conn.execute(
                            "INSERT INTO kb_file (source_id, path, name, mtime, size, sha256, sections, indexed_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (source_id, c.path, c.name, c.mtime, c.size, c.sha, len(c.sections), now)).lastrowid
                    else:
                        conn.execute("DELETE FROM kb_section WHERE file_id = ?", (file_id,))
                        conn.execute("UPDATE kb_file SET name = ?, mtime = ?, size = ?, sha256 = ?, sections = ?, "
                                     "error = NULL, indexed_at = ? WHERE id = ?",
                                     (c.name, c.mtime, c.size, c.sha, len(c.sections), now, file_id))
                    conn.executemany("INSERT INTO kb_section (file_id, ord, heading, body) VALUES (?, ?, ?, ?)",
                                     [(file_id, n, s.heading[:300], s.body) for n, s in enumerate(c.sections)])

    def _source_state(self, source_id: int, error: str | None) -> None:
        with self.db.raw_write() as conn:
            conn.execute("UPDATE kb_source SET indexed_at = ?, error = ? WHERE id = ?",
                         (sql_ts(utcnow()), error, source_id))

    # -- search -----------------------------------------------------------------------
    def search(self, query: str, *, limit: int = 5) -> list[Hit]:
        """The best sections for ``query`` by BM25 (a heading match weighs four times a body match)."""
        terms = query_terms(query)
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        with self.db.raw_read() as conn:
            try:
                rows = conn.execute(  # ranked and cut inside FTS5 first, then joined to files
                    "SELECT s.id, f.name, f.path, s.heading, hit.rank, s.body FROM (SELECT rowid, rank FROM kb_fts "
                    "WHERE kb_fts MATCH ? AND rank MATCH 'bm25(4.0, 1.0)' ORDER BY rank LIMIT ?) AS hit "
                    "JOIN kb_section s ON s.id = hit.rowid JOIN kb_file f ON f.id = s.file_id ORDER BY hit.rank",
                    (match, limit)).fetchall()
            except sqlite3.OperationalError as exc:
                raise InvalidInput(f"Cannot search for {query!r}: {exc}.", fix="Search with plain words.") from None
        return [Hit(section_id=r[0], source=r[1], path=r[2], section=r[3], snippet=snippet(r[5], terms), score=-r[4],
                    text=r[5]) for r in rows]

    def find(self, source: str, section: str = "") -> list[Source]:
        """The sections a citation names: by file name (or its last part) and heading, ignoring case."""
        from agents.grounding import Citation

        cite = Citation(source, section)
        base = source.strip().rsplit("/", 1)[-1]
        with self.db.raw_read() as conn:
            rows = conn.execute(
                "SELECT f.name, s.heading, s.body FROM kb_section s JOIN kb_file f ON f.id = s.file_id "
                "WHERE f.name = ? COLLATE NOCASE OR f.name LIKE ? ESCAPE '\\' LIMIT 500",
                (source.strip(), "%" + base.replace("%", "\\%").replace("_", "\\_"))).fetchall()
        found = [Source(r[0], r[1], r[2]) for r in rows]
        return [s for s in found if (cite.matches(s) if section else True)]


@dataclass
class _Change:
    path: str
    file_id: int | None
    name: str = ""
    mtime: float = 0.0
    size: int = 0
    sha: str = ""
    sections: list[Section] = field(default_factory=list)
    error: str | None = None
    touch_only: bool = False
    removed: bool = False


def _walk(root: Path, report: IndexReport) -> Iterator[Path]:
    """The files Bureau reads under ``root`` (hidden files and folders are skipped), in a stable order."""
    if root.is_file():
        yield root
        return

    def onerror(exc: OSError) -> None:
        report.errors.append((str(exc.filename or root), f"cannot be read: {exc.strerror or exc}"))

    for folder, dirs, files in os.walk(root, onerror=onerror):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if kind_of(path) is None:
                report.skipped += 1
                continue
            yield path
