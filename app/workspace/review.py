"""The review sees the project's own evidence: refused edits, failing tests or invalid files send work back."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from agents.ceo import PlannedStep
from app.store.db import Database
from app.store.snapshot import StepRecord, TaskSnapshot
from app.workspace.sandbox import CommandResult
from app.workspace.store import WorkspaceRun, load_run

FAILURE_CHARS = 1800


def workspace_verdicts(db: Database, task: TaskSnapshot, targets: Sequence[PlannedStep],
                       outputs: Mapping[str, StepRecord]) -> dict[str, dict[str, object]]:
    """A rework verdict for each step whose workspace run did not hold up; steps that did are left to the critics."""
    verdicts: dict[str, dict[str, object]] = {}
    with db.raw_read() as conn:
        runs = {s.key: load_run(conn, task.id, outputs[s.key].key) for s in targets if s.key in outputs}
    for step in targets:
        run = runs.get(step.key)
        if run is None or holds(run, step.team):
            continue
        checks = failed_checks(run)
        verdicts[step.key] = {"step": step.key, "team": step.team, "verdict": "rework", "check": True,
                              "notes": rework_notes(run), "failed_checks": checks}
    return verdicts


def holds(run: WorkspaceRun, team: str) -> bool:
    """Edits applied, files valid, tests pass — or, for DevOps work, fail exactly as they did before it."""
    if run.ok:
        return True
    if run.refused or run.problems or team != "devops":
        return False
    return no_new_failures(run.tests_before, run.tests_after)


_FAILURE_LINE = re.compile(r"^\s*(FAILED|ERROR|FAIL\b|--- FAIL|not ok\b|\S.* \.\.\. (FAIL|ERROR)|[✕×✗] )", re.M)


def no_new_failures(before: CommandResult | None, after: CommandResult | None) -> bool:
    """The run after fails only where the run before failed (pytest, unittest, go, TAP, jest lines)."""
    if before is None or after is None or before.passed or before.timed_out or after.timed_out:
        return False
    now = {ln.strip() for ln in after.output.splitlines() if _FAILURE_LINE.match(ln)}
    was = {ln.strip() for ln in before.output.splitlines() if _FAILURE_LINE.match(ln)}
    if now or was:
        return bool(now) and now <= was
    return before.exit_code == after.exit_code


def failed_checks(run: WorkspaceRun) -> list[str]:
    checks = []
    if run.refused:
        checks.append("edits could not be applied")
    if run.problems:
        checks.append("changed files do not pass their checks")
    if run.tests_after is not None and not run.tests_after.passed:
        checks.append("the project's tests fail")
    return checks


def rework_notes(run: WorkspaceRun) -> str:
    """What the team needs to fix, with the failure text itself."""
    if run.refused:
        return f"Your edits could not be applied, so nothing changed: {run.refused}"
    parts = []
    if run.problems:
        parts.append("These changed files do not pass their checks:\n" + "\n".join(run.problems[:15]))
    after = run.tests_after
    if after is not None and not after.passed:
        was = ""
        if run.tests_before is not None:
            was = " (they passed before your edits)" if run.tests_before.passed else " (they failed before too)"
        parts.append(f"The project's tests fail after your edits{was}: `{after.command}` {after.summary()}. "
                     f"End of the output:\n{after.tail(FAILURE_CHARS)}")
    return "\n\n".join(parts)
