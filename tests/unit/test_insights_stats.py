"""Stats on a small hand-built journal; every expected figure is worked out by hand below."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from app.insights.models import StatsQuery
from app.insights.report import render_stats, summary_text
from app.insights.stats import BUCKET_LABELS, compute_stats, delivered_task_ids
from app.store import migrations
from app.store.db import Database
from tests.support.journal_forge import EPOCH, Journal

T0 = EPOCH  # Monday 2025-03-03 09:00 UTC
DAY1, DAY2 = date(2025, 3, 3), date(2025, 3, 4)


def s(seconds: float):
    return T0 + timedelta(seconds=seconds)


def write_journal(db: Database) -> dict[str, int]:
    j = Journal(db)
    # A (content): queued after 10 s, waits 60 s, works 60 s, one review of 10 s, delivered at 140 s, accepted.
    a = j.task(s(0), team="content", final="done")
    j.decision(a, "route", s(10), team="content")
    j.status(a, "queued", s(10))
    j.status(a, "running", s(70))
    j.step(a, "s0.r0", s(70), s(130), team="content", model="m1", tokens_in=100, tokens_out=600)
    j.status(a, "in_review", s(130))
    j.step(a, "review.s0.r0", s(130), s(140), team="content", kind="review", model="ceo", tokens_in=50, tokens_out=20)
    j.status(a, "delivered", s(140))
    j.decision(a, "founder", s(200), payload={"action": "accept"})
    j.status(a, "done", s(200))
    # B (code): waits 300 s for the founder, who reassigns it; one CEO rework round; delivered at 640 s.
    h = 3600
    b = j.task(s(h), team="code", final="delivered", round_=1)
    j.decision(b, "route", s(h + 20), team="content")
    j.status(b, "needs_decision", s(h + 20))
    j.decision(b, "founder", s(h + 320), team="code", payload={"action": "reassign"})
    j.status(b, "queued", s(h + 320))
    j.status(b, "running", s(h + 380))
    j.step(b, "s0.r0", s(h + 380), s(h + 500), team="code", model="m2", tokens_in=300, tokens_out=240, attempts=2)
    j.status(b, "in_review", s(h + 500))
    j.step(b, "review.s0.r0", s(h + 500), s(h + 510), team="code", kind="review", model="ceo", tokens_in=60,
           tokens_out=20)
    j.status(b, "rework", s(h + 510))
    j.status(b, "running", s(h + 570))
    j.step(b, "s0.r1", s(h + 570), s(h + 630), team="code", model="m2", tokens_in=400, tokens_out=120)
    j.status(b, "in_review", s(h + 630))
    j.step(b, "review.s0.r1", s(h + 630), s(h + 640), team="code", kind="review", model="ceo", tokens_in=70,
           tokens_out=20)
    j.status(b, "delivered", s(h + 640))
    # C (content): fails 30 s into its run; its step never finished.
    c = j.task(s(2 * h), team="content", final="failed")
    j.decision(c, "route", s(2 * h + 10), team="content")
    j.status(c, "queued", s(2 * h + 10))
    j.status(c, "running", s(2 * h + 20))
    j.step(c, "s0.r0", s(2 * h + 20), None, team="content", model="m1", status="failed")
    j.status(c, "failed", s(2 * h + 50))
    # D (no team): created on day 2 and cancelled from the inbox.
    d = j.task(s(86400), final="cancelled")
    j.decision(d, "founder", s(86405), payload={"action": "cancel"})
    j.status(d, "cancelled", s(86405))
    j.flush()
    return {"a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def db(company) -> Database:
    write_journal(company.db)
    return company.db


def test_counts_cycle_quality_corrections_and_usage(db: Database) -> None:
    st = compute_stats(db, StatsQuery(since=DAY1, until=DAY2))
    c = st.counts
    assert (c.created, c.delivered, c.accepted, c.failed, c.cancelled) == (4, 2, 1, 1, 1)
    teams = {tc.team: tc.counts for tc in st.by_team}
    assert set(teams) == {"code", "content", "(no team)"}
    assert (teams["content"].created, teams["content"].delivered, teams["content"].failed) == (2, 1, 1)
    assert dict(st.by_status) == {"done": 1, "delivered": 1, "failed": 1, "cancelled": 1}
    assert [(x.day, x.team, x.delivered) for x in st.throughput] == [(DAY1, "code", 1), (DAY1, "content", 1)]

    cy = st.cycle
    # A: 140 s = queue 10 + 60, work 60, review 10.  B: 640 s = queue 20 + 60 + 60 (rework), work 120 + 60,
    # review 10 + 10, founder 300.  Means: queue 105, work 120, review 15, founder 150.
    assert cy.tasks == 2
    assert cy.mean_s == pytest.approx(390)
    assert (cy.p50_s, cy.p90_s, cy.max_s) == (pytest.approx(140), pytest.approx(640), pytest.approx(640))
    assert cy.parts.queue_s == pytest.approx(105)
    assert cy.parts.work_s == pytest.approx(120)
    assert cy.parts.review_s == pytest.approx(15)
    assert cy.parts.founder_s == pytest.approx(150)
    assert cy.parts.total_s == pytest.approx(390)
    assert cy.rework_rounds == pytest.approx(0.5)
    by_label = {bk.label: bk for bk in cy.buckets}
    assert [bk.label for bk in cy.buckets] == list(BUCKET_LABELS)
    assert by_label["1-5 min"].tasks == 1 and by_label["1-5 min"].parts.work_s == pytest.approx(60)
    assert by_label["5-15 min"].tasks == 1 and by_label["5-15 min"].parts.founder_s == pytest.approx(300)
    assert sum(bk.tasks for bk in cy.buckets) == 2

    q = st.quality
    assert (q.delivered, q.first_pass, q.reworked, q.rework_rounds, q.founder_reworks) == (2, 1, 1, 1, 0)
    assert q.first_pass_rate == 0.5 and q.rework_rate == 0.5
    assert {tq.team: tq.quality.rework_rate for tq in st.quality_by_team} == {"code": 1.0, "content": 0.0}

    # three routing decisions (A, B, C), one reassignment (B); the week starts on Monday 3 March
    assert [(p.week, p.ceo_decisions, p.corrections) for p in st.corrections] == [(DAY1, 3, 1)]
    assert st.correction_total.rate == pytest.approx(1 / 3)

    usage = {(u.team, u.model): u for u in st.usage}
    assert set(usage) == {("content", "m1"), ("content", "ceo"), ("code", "m2"), ("code", "ceo")}
    m2 = usage[("code", "m2")]
    assert (m2.steps, m2.attempts, m2.tokens_in, m2.tokens_out) == (2, 3, 700, 360)
    assert m2.model_s == pytest.approx(180) and m2.tokens_per_s == pytest.approx(2.0)
    models = {u.model: u for u in st.usage_by("model")}
    assert models["m1"].tokens_per_s == pytest.approx(10.0)  # 600 tokens in 60 s; C's failed step adds nothing
    assert models["ceo"].steps == 3 and models["ceo"].model_s == pytest.approx(30)
    assert models["ceo"].tokens_per_s == pytest.approx(2.0)


def test_team_and_period_filters(db: Database) -> None:
    code = compute_stats(db, StatsQuery(since=DAY1, until=DAY2, team="code"))
    assert (code.counts.created, code.counts.delivered, code.cycle.tasks) == (1, 1, 1)
    assert code.cycle.p50_s == pytest.approx(640) and code.cycle.parts.founder_s == pytest.approx(300)
    assert [(p.ceo_decisions, p.corrections) for p in code.corrections] == [(1, 1)]
    assert {u.team for u in code.usage} == {"code"}
    day2 = compute_stats(db, StatsQuery(since=DAY2, until=DAY2))
    assert (day2.counts.created, day2.counts.cancelled, day2.counts.delivered) == (1, 1, 0)
    assert day2.cycle.tasks == 0 and day2.usage == () and day2.throughput == ()
    before = compute_stats(db, StatsQuery(since=date(2025, 2, 1), until=date(2025, 3, 2)))
    assert before.counts.created == 0 and before.by_status == ()


def test_bars_lead_to_their_tasks(db: Database) -> None:
    ids = delivered_task_ids(db, day=DAY1)
    assert len(ids) == 2
    assert delivered_task_ids(db, day=DAY1, team="code") == [max(ids)]
    assert delivered_task_ids(db, day=DAY2) == []


def test_json_and_text(db: Database) -> None:
    st = compute_stats(db, StatsQuery(since=DAY1, until=DAY2))
    data = json.loads(json.dumps(st.to_json(), default=str))
    assert data["counts"]["delivered"] == 2
    assert data["quality"]["first_pass_rate"] == 0.5
    assert data["correction_rate"] == pytest.approx(1 / 3)
    assert {m["model"]: m["tokens_per_s"] for m in data["by_model"]}["m1"] == pytest.approx(10.0)
    text = render_stats(st)
    assert "4 created, 2 delivered, 1 accepted, 1 failed, 1 cancelled" in text
    assert "median 2.3 min" in text  # 140 s
    assert "1 of 3 CEO routing decisions (33%)" in text
    summary = summary_text(st)
    assert "4 tasks came in; 2 were delivered and you accepted 1." in summary
    assert "most of the time went to waiting for you" in summary


def test_the_migration_backfills_an_existing_journal(home, monkeypatch) -> None:
    """A data folder written before migration 8 gets the same figures once it is applied."""
    home.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(migrations, "MIGRATIONS", tuple(m for m in migrations.MIGRATIONS if m.version < 8))
    old = Database(home)
    write_journal(old)
    old.close()
    monkeypatch.undo()
    db = Database(home)
    try:
        st = compute_stats(db, StatsQuery(since=DAY1, until=DAY2))
        assert (st.counts.created, st.counts.delivered, st.counts.accepted) == (4, 2, 1)
        assert st.cycle.mean_s == pytest.approx(390) and st.cycle.parts.founder_s == pytest.approx(150)
        assert st.cycle.p50_s == pytest.approx(140)
        assert [(p.ceo_decisions, p.corrections) for p in st.corrections] == [(3, 1)]
        assert sum(u.tokens_out for u in st.usage) == 600 + 20 + 240 + 20 + 120 + 20
        assert dict(st.by_status) == {"done": 1, "delivered": 1, "failed": 1, "cancelled": 1}
    finally:
        db.close()


def test_real_engine_writes_keep_the_clock(scripted_company) -> None:
    """The engine's and the services' own writes (not the forge's) feed the clock and rollups."""
    from app.tasks.service import NewTask

    company = scripted_company
    task = company.tasks.submit(NewTask(text="Write a short blog post about keeping a tidy desk"))
    company.engine().run_until_idle(max_wait=30)
    company.tasks.accept(task.id)
    today = date.today()
    st = compute_stats(company.db, StatsQuery(since=today - timedelta(days=1), until=today + timedelta(days=1)))
    assert (st.counts.created, st.counts.delivered, st.counts.accepted) == (1, 1, 1)
    assert st.cycle.tasks == 1 and st.cycle.mean_s == pytest.approx(st.cycle.parts.total_s, rel=1e-6)
    assert st.by_team[0].team == "content" and dict(st.by_status) == {"done": 1}
    with company.db.raw_read() as conn:
        tokens = conn.execute("SELECT SUM(tokens_out) FROM step WHERE status = 'done'").fetchone()[0]
    assert sum(u.tokens_out for u in st.usage) == tokens > 0
    assert [(p.ceo_decisions, p.corrections) for p in st.corrections] == [(1, 0)]

