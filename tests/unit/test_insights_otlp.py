"""Trace export to an OpenTelemetry collector (OTLP/HTTP), against a collector double on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.settings import Settings
from app.insights.otlp import CURSOR_FILE, HEADERS_KEY, TraceExportLoop, parse_headers
from app.tasks.service import NewTask
from tests.support.memory_keyring import memory_keyring
from tests.support.otlp_collector_double import OtlpCollectorDouble
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
BLOG = "Write a blog post about keeping a tidy desk"


@pytest.fixture
def collector() -> Iterator[OtlpCollectorDouble]:
    double = OtlpCollectorDouble().start()
    yield double
    double.stop()


def deliver(company) -> int:
    task = company.tasks.submit(NewTask(text=BLOG))
    company.engine().run_until_idle(max_wait=30)
    assert company.tasks.detail(task.id).task.status == "delivered"
    return task.id


def test_a_delivered_task_arrives_as_one_trace_with_a_root_and_child_spans(scripted_company, collector) -> None:
    scripted_company.update_settings(traces={"otlp_endpoint": collector.url})
    task_id = deliver(scripted_company)
    scripted_company.close()  # the exporter sends what finished, then stops
    spans = collector.spans
    assert {s.trace_id for s in spans} and len({s.trace_id for s in spans}) == 1
    roots = [s for s in spans if not s.parent_span_id]
    assert [r.name for r in roots] == [f"task {task_id}: {BLOG}"]
    root = roots[0]
    assert root.attributes["bureau.task.status"] == "delivered" and root.service == "bureau"
    children = [s for s in spans if s.parent_span_id]
    assert {c.parent_span_id for c in children} == {root.span_id}
    work = [c for c in children if c.attributes["bureau.kind"] == "work"]
    review = [c for c in children if c.attributes["bureau.kind"] == "review"]
    assert [w.name for w in work] == ["content: s1.r0"] and [r.name for r in review] == ["review of content: review.s1.r0"]
    attrs = work[0].attributes
    assert (attrs["bureau.team"], attrs["bureau.model"], attrs["bureau.attempt"], attrs["bureau.status"]) == (
        "content", "scripted", 1, "done")
    assert attrs["bureau.tokens_out"] > 0 and attrs["bureau.tokens_in"] > 0
    assert attrs["gen_ai.usage.output_tokens"] == attrs["bureau.tokens_out"]
    waits = [c.name for c in children if c.attributes["bureau.kind"] == "wait"]
    assert "waiting for the CEO" in waits and "waiting for your review" not in waits  # still open: not sent
    for child in children:  # timestamps from the journal, inside the root
        assert root.start_ns <= child.start_ns <= child.end_ns <= root.end_ns
    assert work[0].end_ns <= review[0].start_ns


def test_later_rounds_join_the_same_trace_and_nothing_is_sent_twice(scripted_company, collector) -> None:
    scripted_company.update_settings(traces={"otlp_endpoint": collector.url})
    task_id = deliver(scripted_company)
    loop = scripted_company.start_trace_export()
    assert loop is not None
    loop.export_pending()
    first = list(collector.spans)
    scripted_company.tasks.accept(task_id)
    loop.export_pending()
    loop.export_pending()  # nothing new
    second = collector.spans[len(first):]
    assert {s.trace_id for s in second} == {first[0].trace_id}
    assert [s.name for s in second if s.parent_span_id] == ["waiting for your review"]
    assert [s.attributes["bureau.round"] for s in second if not s.parent_span_id] == [2]
    # a new exporter on the same data folder (a restart) resumes from the cursor
    again = TraceExportLoop(scripted_company.db, scripted_company.home, scripted_company.settings_source)
    assert again.export_pending() == 0 and len(collector.spans) == len(first) + len(second)


def test_unconfigured_sends_nothing_and_starts_no_thread(scripted_company, collector) -> None:
    deliver(scripted_company)
    assert scripted_company.start_trace_export() is None
    assert not [t for t in threading.enumerate() if t.name == "bureau-trace-export"]
    assert not (scripted_company.home / CURSOR_FILE).exists()
    scripted_company.close()
    assert collector.requests == []


def test_an_unconfigured_engine_never_imports_the_sdk(tmp_path) -> None:
    code = ("import sys; from app.company import Company; c = Company.open(sys.argv[1]); c.engine(); "
            "c.settings; c.close(); print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "home")], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_a_dead_collector_neither_fails_nor_slows_the_task(scripted_company, caplog) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    scripted_company.update_settings(traces={"otlp_endpoint": dead, "timeout_seconds": 1})
    started = time.monotonic()
    deliver(scripted_company)
    deliver(scripted_company)
    loop = scripted_company.start_trace_export()
    assert loop is not None
    loop.export_pending()
    assert time.monotonic() - started < 20
    warnings = [r for r in caplog.records if r.name == "app.insights.otlp" and r.levelname == "WARNING"]
    assert len(warnings) == 1 and "collector" in warnings[0].getMessage()
    assert "otlp_endpoint" in warnings[0].getMessage()  # the fix
    assert loop.export_pending() == 0  # dropped after the bounded retry: the cursor moved on


def test_a_refusing_collector_and_headers_from_the_keyring(scripted_company, collector) -> None:
    with memory_keyring() as ring:
        ring.set_password("bureau", HEADERS_KEY, "Authorization=Bearer s3cret, X-Scope-OrgID=acme")
        scripted_company.update_settings(traces={"otlp_endpoint": collector.url, "headers_keyring": True,
                                                 "timeout_seconds": 1})
        assert "s3cret" not in (scripted_company.home / "settings.json").read_text()
        collector.status = 503
        task_id = deliver(scripted_company)
        home = str(scripted_company.home)
        assert main(["--home", home, "trace", str(task_id), "--otlp"]) == 2  # on demand: the error is shown
        collector.status = 200
        assert main(["--home", home, "trace", str(task_id), "--otlp", "--json"]) == 0
    assert collector.requests[-1]["authorization"] == "Bearer s3cret"
    assert collector.requests[-1]["x-scope-orgid"] == "acme"
    assert any(not s.parent_span_id for s in collector.spans)


def test_trace_otlp_without_an_endpoint_says_how_to_configure(company, capsys) -> None:
    task = company.tasks.submit(NewTask(text=BLOG))
    assert main(["--home", str(company.home), "trace", str(task.id), "--otlp"]) == 2
    assert "otlp_endpoint" in capsys.readouterr().err


def test_endpoint_and_headers_are_validated() -> None:
    assert Settings().changed(traces={"otlp_endpoint": "http://h:4318"}).traces.traces_url == "http://h:4318/v1/traces"
    assert Settings().changed(traces={"otlp_endpoint": " "}).traces.enabled is False
    with pytest.raises(ValueError):
        Settings().changed(traces={"otlp_endpoint": "localhost:4318"})
    assert parse_headers("a=1, b = x=y") == {"a": "1", "b": "x=y"}
    with pytest.raises(Exception, match="Name=value"):
        parse_headers("novalue")


def test_settings_json_keeps_only_the_endpoint(company) -> None:
    company.update_settings(traces={"otlp_endpoint": "http://127.0.0.1:4318"})
    saved = json.loads((company.home / "settings.json").read_text())
    assert saved["traces"] == {"otlp_endpoint": "http://127.0.0.1:4318", "headers_keyring": False,
                               "timeout_seconds": 5.0}


def test_turned_off_then_on_sends_no_backlog(scripted_company, collector) -> None:
    scripted_company.update_settings(traces={"otlp_endpoint": collector.url})
    loop = scripted_company.start_trace_export()
    assert loop is not None
    scripted_company.update_settings(traces={"otlp_endpoint": None})
    deliver(scripted_company)  # finished while off
    assert loop.export_pending() == 0
    scripted_company.update_settings(traces={"otlp_endpoint": collector.url})
    assert loop.export_pending() == 0 and collector.requests == []
    deliver(scripted_company)
    loop.export_pending()  # (or the loop's thread already did)
    assert len({s.trace_id for s in collector.spans}) == 1 and loop.sent == len(collector.spans) > 0


def test_bureau_traces_configures_endpoint_and_keyring_headers(company, capsys, monkeypatch) -> None:
    import io

    home = str(company.home)
    assert main(["--home", home, "traces", "--endpoint", "localhost:4318"]) == 2
    assert "http://localhost:4318" in capsys.readouterr().err
    with memory_keyring() as ring:
        monkeypatch.setattr("sys.stdin", io.StringIO("Authorization=Bearer s3cret\n"))
        assert main(["--home", home, "traces", "--endpoint", "http://127.0.0.1:4318", "--headers-stdin",
                     "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"otlp_endpoint": "http://127.0.0.1:4318",
                                                       "traces_url": "http://127.0.0.1:4318/v1/traces",
                                                       "headers_keyring": True}
        assert ring.items[("bureau", HEADERS_KEY)] == "Authorization=Bearer s3cret"
        assert "s3cret" not in (company.home / "settings.json").read_text()
        monkeypatch.setattr("sys.stdin", io.StringIO("no pairs here"))
        assert main(["--home", home, "traces", "--headers-stdin"]) == 2  # refused: the stored one stays
        assert ring.items[("bureau", HEADERS_KEY)] == "Authorization=Bearer s3cret"
        assert main(["--home", home, "traces", "--off", "--no-headers"]) == 0
        assert ("bureau", HEADERS_KEY) not in ring.items
    assert "not exported" in capsys.readouterr().out


def test_two_exporters_on_one_data_folder_send_each_trace_once(scripted_company, collector) -> None:
    """The app and a `bureau run` on the same folder each run an exporter; they share one cursor under a lock."""
    scripted_company.update_settings(traces={"otlp_endpoint": collector.url})
    for _ in range(3):
        deliver(scripted_company)
    loops = [TraceExportLoop(scripted_company.db, scripted_company.home, scripted_company.settings_source)
             for _ in range(2)]
    threads = [threading.Thread(target=loop.export_pending) for loop in loops for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    scripted_company.close()  # the company's own exporter sends what is left, under the same lock
    roots = [s for s in collector.spans if not s.parent_span_id]
    assert len(roots) == 3 and len({r.trace_id for r in roots}) == 3
