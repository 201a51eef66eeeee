"""Helpers shared by the crash-recovery test and benchmark.

They drive the real `bureau` command in a subprocess, kill it with SIGKILL, and read the
data folder's SQLite file directly (read-only) to check what the engine promised:
nothing lost, no finished step run again, an intact database, quick takeover.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

TERMINAL = frozenset({"done", "failed", "cancelled"})
WAITING = frozenset({"needs_decision", "delivered"})
SETTLED = TERMINAL | WAITING
SET_ASIDE_MARK = "The engine stopped"  # app/engine/engine.py: the reason of a task failed after too many recoveries
MODEL_LOAD_SECONDS = 1.0  # SmolLM2-135M loads in about 0.9 s here: a process's first step starts with that

# Tasks for different teams; one is split into two steps (code, then support).
TASK_TEXTS: tuple[str, ...] = (
    "Write a two-sentence blog intro about keeping a tidy desk",
    "Write a Python function that reverses a string",
    "Write a two-sentence reply to a customer who was charged twice",
    "Write a one-line cron entry that backs up the Postgres database every night",
    "Draft a tweet announcing our new pricing page",
    "Write a three-sentence cold email to a bakery owner about our bookkeeping service",
    "Fix the login bug and then reply to the customer who reported it",
    "Write a Python function that checks whether a number is prime",
)

# Short answers and small limits keep each model call to a second or two; one thread keeps
# llama.cpp fast when another process shares the two cores. One rework round and two
# attempts per step keep the rework and retry paths in play.
FAST_SETTINGS: dict[str, object] = {
    "model": {"step_max_tokens": 96, "review_max_tokens": 64, "n_threads": 1, "n_ctx": 2048},
    "review_with_model": True,
    "budgets": {"max_rework_rounds": 1, "max_step_attempts": 2},
}


def bureau_command() -> list[str]:
    """The installed `bureau` entry point next to this interpreter, else `python -m app.cli.main`."""
    script = Path(sys.executable).with_name("bureau")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app.cli.main"]


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def prepare_home(home: Path, settings: dict[str, object] | None = None) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.json").write_text(json.dumps(settings or FAST_SETTINGS), encoding="utf-8")
    return home


def bureau(home: Path, *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*bureau_command(), "--home", str(home), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=repo_root())


def submit(home: Path, text: str, *, tries: int = 3) -> int:
    for attempt in range(1, tries + 1):
        done = bureau(home, "submit", text, "--json")
        if done.returncode == 0:
            return int(json.loads(done.stdout)["id"])
        if attempt < tries:  # e.g. a source file caught mid-edit by a colleague: try again shortly
            time.sleep(5)
    raise RuntimeError(f"bureau submit failed: {done.stderr}")


def utc_text(moment: datetime) -> str:
    """The text form the database stores timestamps in (app/store/db.py sql_ts)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# -- the engine process ------------------------------------------------------------------
class EngineProcess:
    """`bureau --home DIR run --until-idle --lease N`, with output appended to a log file."""

    def __init__(self, home: Path, *, lease: float = 2.0, log: Path | None = None) -> None:
        self.home = home
        self.lease = lease
        self.log_path = log or home / "engine-runs.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_wall: datetime | None = None
        self.started_mono = 0.0

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, "an engine is already running"
        log = self.log_path.open("ab")
        try:
            self.started_wall = datetime.now(UTC)
            self.started_mono = time.monotonic()
            self.proc = subprocess.Popen(
                [*bureau_command(), "--home", str(self.home), "run", "--until-idle", "--lease", str(self.lease)],
                stdout=log, stderr=log, cwd=repo_root())
        finally:
            log.close()

    def exited(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    def kill(self) -> int | None:
        """SIGKILL it (unless it already ended) and reap it; its exit code if it ended on its own."""
        assert self.proc is not None
        ended = self.proc.poll()
        if ended is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        code = self.proc.wait(timeout=30)
        return ended if ended is not None else (None if code == -signal.SIGKILL else code)

    def wait(self, timeout: float) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


# -- read-only views of the database -------------------------------------------------------
def connect_ro(home: Path) -> sqlite3.Connection:
    """A read-only connection (the engine owns all writes)."""
    conn = sqlite3.connect(f"file:{home / 'bureau.db'}?mode=ro", uri=True, timeout=10.0)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def integrity(conn: sqlite3.Connection) -> str:
    return "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))


def claims(conn: sqlite3.Connection) -> dict[int, str]:
    return {int(r[0]): str(r[1]) for r in conn.execute("SELECT id, claimed_by FROM task WHERE claimed_by IS NOT NULL")}


def max_event_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM event").fetchone()[0])


def task_statuses(conn: sqlite3.Connection) -> dict[int, str]:
    return {int(r[0]): str(r[1]) for r in conn.execute("SELECT id, status FROM task")}


@dataclass(frozen=True)
class DoneStep:
    output: str | None
    finished_at: str | None
    attempts: int


@dataclass
class JournalLedger:
    """Every step row seen `done`, to prove that none of them runs again."""

    done: dict[tuple[int, str], DoneStep] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    reexecuted: set[tuple[int, str]] = field(default_factory=set)

    def observe(self, conn: sqlite3.Connection) -> int:
        """Compare the journal with what was seen before; record new done rows. Returns new violations."""
        before = len(self.violations)
        rows = conn.execute("SELECT task_id, key, status, output, finished_at, attempts FROM step").fetchall()
        present = set()
        for task_id, key, status, output, finished_at, attempts in rows:
            ident = (int(task_id), str(key))
            present.add(ident)
            seen = self.done.get(ident)
            if seen is None:
                if status == "done":
                    self.done[ident] = DoneStep(output, finished_at, int(attempts))
                continue
            problems = []
            if status != "done":
                problems.append(f"status went from done to {status}")
            if output != seen.output:
                problems.append("output changed")
            if finished_at != seen.finished_at:
                problems.append(f"finished_at changed {seen.finished_at} -> {finished_at}")
            if int(attempts) != seen.attempts:
                problems.append(f"attempts grew {seen.attempts} -> {attempts}")
            if problems:
                self._violate(ident, ", ".join(problems))
        for ident in set(self.done) - present:
            self._violate(ident, "the finished step's journal row disappeared")
        # The event log keeps every finish, even one overwritten between two looks at the journal.
        for task_id, key, count in conn.execute(
                "SELECT task_id, json_extract(payload, '$.key'), COUNT(*) FROM event WHERE kind = 'step' "
                "AND json_extract(payload, '$.state') = 'done' GROUP BY 1, 2 HAVING COUNT(*) > 1"):
            self._violate((int(task_id), str(key)), f"finished {count} times (event log)")
        return len(self.violations) - before

    def _violate(self, ident: tuple[int, str], what: str) -> None:
        message = f"task {ident[0]} step {ident[1]}: {what}"
        if message not in self.violations:
            self.violations.append(message)
            self.reexecuted.add(ident)


def kill_phase(conn: sqlite3.Connection, killed_claims: dict[int, str], since: str, killed_at: datetime) -> str:
    """Where the killed engine was, judged from what it left in the database."""
    if not killed_claims:
        return "start-up / lease wait"
    task_id = next(iter(killed_claims))
    status = conn.execute("SELECT status FROM task WHERE id = ?", (task_id,)).fetchone()[0]
    running = conn.execute("SELECT kind, started_at FROM step WHERE task_id = ? AND status = 'running' "
                           "ORDER BY started_at DESC LIMIT 1", (task_id,)).fetchone()
    if status == "inbox":
        return "triage"
    if running is None:
        return f"bookkeeping ({status})"
    if running[0] == "review":
        return "review"
    first_call = conn.execute(
        "SELECT COUNT(*) FROM event WHERE kind = 'step' AND json_extract(payload, '$.state') = 'done' "
        "AND created_at >= ?", (since,)).fetchone()[0] == 0
    into = (killed_at - parse_utc(running[1])).total_seconds()
    if first_call and into < MODEL_LOAD_SECONDS:
        return "work: model loading"
    return "work: generation"


def first_progress(conn: sqlite3.Connection, task_id: int, after_event: int, since: str) -> str | None:
    """When the task next moved (a journal, status or decision event; not the bare takeover)."""
    row = conn.execute(
        "SELECT MIN(created_at) FROM event WHERE task_id = ? AND id > ? AND created_at >= ? AND kind != 'recovered'",
        (task_id, after_event, since)).fetchone()
    return row[0]


def first_any_progress(conn: sqlite3.Connection, after_event: int, since: str) -> str | None:
    """When any task next moved after a restart (the engine is productive again)."""
    row = conn.execute("SELECT MIN(created_at) FROM event WHERE id > ? AND created_at >= ? "
                       "AND kind NOT IN ('recovered', 'created')", (after_event, since)).fetchone()
    return row[0]


def first_step_done(conn: sqlite3.Connection, after_event: int, since: str) -> str | None:
    row = conn.execute("SELECT MIN(created_at) FROM event WHERE id > ? AND created_at >= ? AND kind = 'step' "
                       "AND json_extract(payload, '$.state') = 'done'", (after_event, since)).fetchone()
    return row[0]


def first_takeover(conn: sqlite3.Connection, task_id: int, after_event: int, since: str) -> str | None:
    row = conn.execute("SELECT MIN(created_at) FROM event WHERE task_id = ? AND id > ? AND created_at >= ?",
                       (task_id, after_event, since)).fetchone()
    return row[0]


# -- final checks --------------------------------------------------------------------------
@dataclass
class FinalReport:
    submitted: int
    present: int
    statuses: Counter[str]
    lost: list[str]
    set_aside: int
    unexpected_errors: list[str]
    integrity: str
    artifact_problems: list[str]
    status_log_mismatches: list[str]
    stale_running_steps: list[str]

    @property
    def problems(self) -> list[str]:
        out = list(self.lost) + list(self.unexpected_errors) + list(self.artifact_problems)
        out += list(self.status_log_mismatches)
        if self.integrity != "ok":
            out.append(f"integrity_check: {self.integrity}")
        return out


def final_report(home: Path, submitted_ids: list[int]) -> FinalReport:
    conn = connect_ro(home)
    try:
        rows = {int(r[0]): (r[1], r[2] or "") for r in conn.execute("SELECT id, status, waiting_reason FROM task")}
        lost = [f"task {i} is missing" for i in submitted_ids if i not in rows]
        lost += [f"task {i} is stuck in {rows[i][0]}" for i in submitted_ids if i in rows and rows[i][0] not in SETTLED]
        set_aside = sum(1 for status, reason in rows.values() if status == "failed" and SET_ASIDE_MARK in reason)
        unexpected = [f"task {i}: {reason}" for i, (status, reason) in rows.items()
                      if status == "failed" and "Unexpected error" in reason]
        # Every status change is an event written in the same transaction: the newest one must match.
        mismatches = []
        for task_id, (status, _) in rows.items():
            last = conn.execute("SELECT status FROM event WHERE task_id = ? AND kind IN ('status', 'created') "
                                "ORDER BY id DESC LIMIT 1", (task_id,)).fetchone()
            if last is None or last[0] != status:
                mismatches.append(f"task {task_id} is {status} but its last status event says {last and last[0]}")
        artifact_problems = []
        for task_id, path, sha, size in conn.execute("SELECT task_id, path, sha256, size FROM artifact"):
            file = home / path
            if not file.exists():
                artifact_problems.append(f"task {task_id}: artifact {path} is missing")
            elif hashlib.sha256(file.read_bytes()).hexdigest() != sha or file.stat().st_size != size:
                artifact_problems.append(f"task {task_id}: artifact {path} does not match its record")
        # A step's main document is its output, byte for byte (code blocks are extra files).
        for task_id, key, path, output in conn.execute(
                "SELECT artifact.task_id, artifact.step_key, artifact.path, step.output FROM artifact "
                "JOIN step ON step.task_id = artifact.task_id AND step.key = artifact.step_key "
                "WHERE step.kind = 'work' AND artifact.media_type != 'text/plain'"):  # code blocks are text/plain
            file = home / path
            if file.exists() and file.read_text(encoding="utf-8") != (output or ""):
                artifact_problems.append(f"task {task_id}: {path} differs from the journal's output of {key}")
        stale = [f"task {t} step {k} still 'running' in a {s} task" for t, k, s in conn.execute(
            "SELECT step.task_id, step.key, task.status FROM step JOIN task ON task.id = step.task_id "
            "WHERE step.status = 'running' AND task.status IN ('done', 'delivered')")]
        check = integrity(conn)
    finally:
        conn.close()
    return FinalReport(submitted=len(submitted_ids), present=sum(1 for i in submitted_ids if i in rows),
                       statuses=Counter(s for s, _ in rows.values()), lost=lost, set_aside=set_aside,
                       unexpected_errors=unexpected, integrity=check, artifact_problems=artifact_problems,
                       status_log_mismatches=mismatches, stale_running_steps=stale)


def import_tasks(home: Path, texts: list[str] | tuple[str, ...]) -> list[int]:
    """Create several tasks in one `bureau import` call; their ids."""
    source = home / f"import-{time.monotonic_ns()}.jsonl"
    source.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    done = bureau(home, "import", str(source), "--json")
    source.unlink()
    if done.returncode != 0:
        raise RuntimeError(f"bureau import failed: {done.stderr}")
    return [int(i) for i in json.loads(done.stdout)["ids"]]


# -- kill and restart --------------------------------------------------------------------------
ANCHORS = ("start", "work", "step", "probe")


@dataclass
class Cycle:
    delay: float
    killed: bool  # the engine was alive when the kill landed
    exit_code: int | None  # when it ended on its own
    phase: str
    recovery: float | None = None  # seconds from the restart to the in-flight task's next progress
    takeover: float | None = None  # seconds from the restart to the first event of the in-flight task
    lease_wait: float | None = None  # of which the dead engine's lease still had to run
    resume: float | None = None  # seconds from the restart to any task's next progress
    anchor: str = "start"


@dataclass
class CrashRunner:
    """Start `bureau run --until-idle --lease N`, SIGKILL it after a delay, check the journal; repeat."""

    home: Path
    lease: float = 2.0
    probe_timeout: float = 60.0
    ledger: JournalLedger = field(default_factory=JournalLedger)
    cycles: list[Cycle] = field(default_factory=list)
    integrity_checks: int = 0
    integrity_failures: list[str] = field(default_factory=list)
    crashes: list[str] = field(default_factory=list)  # the engine exited non-zero on its own
    censored: int = 0  # restarts killed before the in-flight task moved
    _pending: tuple[int, int, str | None] | None = None  # in-flight task, last event id at the kill, its lease

    def __post_init__(self) -> None:
        self.engine = EngineProcess(self.home, lease=self.lease)

    def cycle(self, delay: float, *, anchor: str = "start") -> Cycle:
        """One restart, killed ``delay`` seconds after ``anchor``.

        start: the process start (kills land in start-up, lease waits, model loading too);
        work: the engine's first progress after the restart (kills land in model loading and generation);
        step: the first step finished after the restart (kills land in review, bookkeeping, the next step);
        probe: the in-flight task's first progress (every probe yields a recovery time, unbiased by the kill).
        """
        assert anchor in ANCHORS
        conn = connect_ro(self.home)
        try:
            held_before = set(claims(conn).values())
            last_event = max_event_id(conn)
            self.engine.start()
            assert self.engine.started_wall is not None
            since = utc_text(self.engine.started_wall)
            pending = self._pending
            if anchor != "start":
                deadline = time.monotonic() + self.probe_timeout
                while self.engine.exited() is None and time.monotonic() < deadline:
                    if anchor == "probe" and pending is not None:
                        moved = first_progress(conn, pending[0], pending[1], since)
                    elif anchor == "step":
                        moved = first_step_done(conn, last_event, since)
                    else:
                        moved = first_any_progress(conn, last_event, since)
                    if moved is not None:
                        break
                    time.sleep(0.05)
            try:
                self.engine.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                pass
            killed_at = datetime.now(UTC)
            code = self.engine.kill()
            killed_claims = {t: e for t, e in claims(conn).items() if e not in held_before}
            phase = kill_phase(conn, killed_claims, since, killed_at) if code is None else f"exited by itself ({code})"
            result = Cycle(delay=delay, killed=code is None, exit_code=code, phase=phase, anchor=anchor)
            if code not in (None, 0):
                self.crashes.append(f"exit {code} after a restart:\n{self.engine.log_tail()}")
            anything = first_any_progress(conn, last_event, since)
            if anything is not None:
                result.resume = (parse_utc(anything) - self.engine.started_wall).total_seconds()
            if pending is not None:
                task_id, after_event, lease_until = pending
                moved = first_progress(conn, task_id, after_event, since)
                if moved is not None:
                    result.recovery = (parse_utc(moved) - self.engine.started_wall).total_seconds()
                    taken = first_takeover(conn, task_id, after_event, since)
                    result.takeover = (parse_utc(taken) - self.engine.started_wall).total_seconds() if taken else None
                    if lease_until is not None:
                        left = parse_utc(lease_until) - self.engine.started_wall
                        result.lease_wait = max(0.0, left.total_seconds())
                    self._pending = None
                else:
                    self.censored += 1
            if killed_claims:
                task_id = next(iter(killed_claims))
                row = conn.execute("SELECT status, lease_until FROM task WHERE id = ?", (task_id,)).fetchone()
                if row[0] not in SETTLED:
                    self._pending = (task_id, max_event_id(conn), row[1])
            self.ledger.observe(conn)
            self.integrity_checks += 1
            check = integrity(conn)
            if check != "ok":
                self.integrity_failures.append(f"after cycle {len(self.cycles) + 1}: {check}")
        finally:
            conn.close()
        self.cycles.append(result)
        return result

    def finish(self, timeout: float = 600.0) -> int | None:
        """A last `bureau run --until-idle` to the end; its exit code, None when it had to be killed
        after ``timeout`` (tasks still unsettled then count as stuck). The journal is checked once more."""
        self.engine.start()
        try:
            code: int | None = self.engine.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.engine.kill()
            code = None
        conn = connect_ro(self.home)
        try:
            self.ledger.observe(conn)
            self.integrity_checks += 1
            check = integrity(conn)
            if check != "ok":
                self.integrity_failures.append(f"after the final run: {check}")
        finally:
            conn.close()
        return code

    def close(self) -> None:
        """Kill an engine left running (a failed assertion, an interrupt)."""
        if self.engine.proc is not None and self.engine.proc.poll() is None:
            self.engine.kill()

    def active_tasks(self) -> int:
        conn = connect_ro(self.home)
        try:
            return sum(1 for s in task_statuses(conn).values() if s not in SETTLED)
        finally:
            conn.close()

    @property
    def kills(self) -> int:
        return sum(1 for c in self.cycles if c.killed)

    def phases(self) -> Counter[str]:
        return Counter(c.phase for c in self.cycles)
