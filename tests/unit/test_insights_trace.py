"""A task's trace from its journal, and the `bureau stats` / `bureau trace` commands."""

from __future__ import annotations

import json

import pytest

from app.cli.main import main
from app.insights.trace import render_trace, task_trace
from app.store.db import Database
from tests.support.journal_forge import Journal
from tests.unit.test_insights_stats import s, write_journal


def test_trace_of_a_task_with_a_wait_a_retry_and_a_rework(company) -> None:
    ids = write_journal(company.db)
    trace = task_trace(company.db, ids["b"])
    kinds = [(sp.kind, sp.key or sp.status, sp.start_s, sp.end_s) for sp in trace.spans]
    assert kinds == [  # seconds after B was created
        ("wait", "inbox", 0, 20), ("wait", "needs_decision", 20, 320), ("wait", "queued", 320, 380),
        ("work", "s0.r0", 380, 500), ("review", "review.s0.r0", 500, 510), ("wait", "rework", 510, 570),
        ("work", "s0.r1", 570, 630), ("review", "review.s0.r1", 630, 640), ("wait", "delivered", 640, None)]
    first = trace.spans[3]
    assert (first.model, first.tokens_out, first.attempt, first.status) == ("m2", 240, 2, "done")
    assert trace.model_s == pytest.approx(120 + 10 + 60 + 10)
    assert trace.waiting_s == pytest.approx(20 + 300 + 60 + 60)  # the open wait ends at the last change
    assert trace.retries == 1 and trace.total_s == pytest.approx(640)
    assert "waiting for you" in render_trace(trace)


def test_an_unfinished_attempt_ends_when_the_task_fails(company) -> None:
    ids = write_journal(company.db)
    trace = task_trace(company.db, ids["c"])
    work = [sp for sp in trace.spans if sp.kind == "work"]
    assert [(sp.status, sp.seconds) for sp in work] == [("failed", pytest.approx(30))]


def test_a_retried_step_shows_each_attempt(company) -> None:
    db: Database = company.db
    j = Journal(db)
    t = j.task(s(0), team="code", final="running")
    j.status(t, "running", s(5))
    j.events.append((t, "step", "running", json.dumps({"key": "s0.r0", "state": "running", "attempt": 1}),
                     "2025-03-03 09:00:05.000000"))
    j.status(t, "queued", s(15), reason="Retrying in 2 s")
    j.status(t, "running", s(20))
    j.step(t, "s0.r0", s(20), None, team="code", model="m2", attempts=2, status="running")
    j.flush()
    trace = task_trace(db, t)
    work = [(sp.attempt, sp.status, sp.start_s, sp.end_s) for sp in trace.spans if sp.kind == "work"]
    assert work == [(1, "failed", 5, 15), (2, "running", 20, None)]
    assert trace.retries == 1


def test_cli_stats_and_trace(company, capsys) -> None:
    ids = write_journal(company.db)
    home = str(company.home)
    assert main(["--home", home, "stats", "--since", "2025-03-03", "--until", "2025-03-04", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["created"] == 4 and data["cycle"]["p90_s"] == pytest.approx(640)
    assert main(["--home", home, "stats", "--since", "2025-03-03", "--until", "2025-03-04", "--team", "code"]) == 0
    assert "1 created, 1 delivered" in capsys.readouterr().out
    assert main(["--home", home, "trace", str(ids["b"]), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["spans"]) == 9
    assert main(["--home", home, "stats", "--week"]) == 0
    assert "quiet week" in capsys.readouterr().out  # nothing happened in the last seven days
    assert main(["--home", home, "stats", "--since", "March"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["--home", home, "trace", "999"]) == 2
    assert main(["--home", home, "stats", "--team", "nobody"]) == 2
