"""Export of task traces to the founder's OpenTelemetry collector (OTLP/HTTP, protobuf); off by default.

Nothing here runs, imports the OpenTelemetry SDK or opens a connection unless ``settings.traces``
names an endpoint. One trace per task: a root span for the task and a child span for each attempt
of each step and review (and each wait), timed from the journal (``task_trace``).

A task is exported when it reaches a finished status (delivered, done, failed, cancelled). The
exporter keeps a cursor, the id of the last journal event it handled, in ``traces-cursor.json``
in the data folder, so after a restart nothing is sent twice and nothing finished meanwhile is
missed. Each export sends the spans that ended since the task's previous finished status, so a
task sent back for rework adds its new spans to the same trace. A collector that is down or
refuses gets the SDK's bounded retry (within ``timeout_seconds``), then that export is dropped;
the failure is logged once with the fix. The engine never waits for any of it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from app.core.errors import BureauError
from app.core.jsonfile import load_model_file, save_model_file
from app.insights.models import Trace, TraceSpan
from app.insights.trace import _at, task_trace
from app.store.db import ChangeEvent, Database

if TYPE_CHECKING:
    from app.core.secrets import Secrets
    from app.core.settings import Settings, Traces

log = logging.getLogger(__name__)

FINISHED = ("delivered", "done", "failed", "cancelled")
HEADERS_KEY = "traces:otlp_headers"  # the keyring entry: "Name=value,Name2=value2" (like OTEL_EXPORTER_OTLP_HEADERS)
CURSOR_FILE = "traces-cursor.json"
SERVICE_NAME = "bureau"
_SDK_LOGGERS = ("opentelemetry.exporter.otlp", "opentelemetry.exporter.http")


class OtlpError(BureauError):
    """A trace could not be sent to the configured collector."""


def parse_headers(text: str) -> dict[str, str]:
    """``Name=value,Name2=value2`` as a dict; a malformed pair is an error naming the fix."""
    headers: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, eq, value = part.partition("=")
        if not eq or not name.strip() or not value.strip():
            raise OtlpError("The OTLP headers in the keyring are not `Name=value` pairs separated by commas.",
                            fix="Store them again, e.g. `Authorization=Bearer TOKEN` "
                                "(`bureau traces --headers-stdin`).")
        headers[name.strip()] = value.strip()
    return headers


def trace_id_of(db: Database, task_id: int, created_at: datetime) -> int:
    """A stable 128-bit trace id for the task (the same each export, distinct across data folders)."""
    digest = hashlib.sha256(f"{db.path}|{task_id}|{created_at.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:16], "big") or 1


class RandomIdGenerator:
    """Random 64-bit span ids (the SDK's ``RandomIdGenerator``, imported lazily)."""

    def __init__(self) -> None:
        from opentelemetry.sdk.trace.id_generator import RandomIdGenerator as SdkIds

        self._ids = SdkIds()

    def generate_span_id(self) -> int:
        return self._ids.generate_span_id()


def _ns(created: datetime, seconds: float) -> int:
    return int((created + timedelta(seconds=seconds)).timestamp() * 1_000_000_000)


def _span_attributes(trace: Trace, span: TraceSpan) -> dict[str, Any]:
    attributes: dict[str, Any] = {"bureau.task.id": trace.task_id, "bureau.kind": span.kind,
                                  "bureau.status": span.status}
    if span.kind == "wait":
        return attributes
    attributes |= {"bureau.team": span.team, "bureau.step": span.key, "bureau.model": span.model,
                   "bureau.attempt": span.attempt, "bureau.tokens_in": span.tokens_in,
                   "bureau.tokens_out": span.tokens_out,
                   # the GenAI semantic conventions, so dashboards built for them work too
                   "gen_ai.request.model": span.model, "gen_ai.usage.input_tokens": span.tokens_in,
                   "gen_ai.usage.output_tokens": span.tokens_out}
    return attributes


def build_spans(trace: Trace, *, trace_id: int, since_s: float | None = None,
                until_s: float | None = None, round_: int = 1) -> list[Any]:
    """The trace as OpenTelemetry spans (SDK ``ReadableSpan``): a root span for the task, a child per span
    of the trace that ended in (``since_s``, ``until_s``]; open spans are left for a later export.

    The spans are built directly, not through a ``TracerProvider``: their times come from the journal,
    the trace id from the task, and ``OTEL_SDK_DISABLED`` (set by app/core/privacy.py so nothing
    exports implicitly) must not silence the export the founder configured.
    """
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import ReadableSpan
    from opentelemetry.sdk.util.instrumentation import InstrumentationScope
    from opentelemetry.trace import SpanContext, Status, StatusCode, TraceFlags

    ids = RandomIdGenerator()
    resource = Resource.create({"service.name": SERVICE_NAME})
    scope = InstrumentationScope("bureau.insights")

    def context() -> SpanContext:
        return SpanContext(trace_id, ids.generate_span_id(), is_remote=False, trace_flags=TraceFlags(TraceFlags.SAMPLED))

    until = trace.total_s if until_s is None else until_s
    chosen = [s for s in trace.spans if s.end_s is not None and s.end_s <= until + 1e-6
              and (since_s is None or s.end_s > since_s + 1e-6)]
    start = 0.0 if since_s is None else min([since_s] + [s.start_s for s in chosen])
    root_context = context()
    root = ReadableSpan(
        f"task {trace.task_id}: {trace.title}"[:200], context=root_context, resource=resource,
        instrumentation_scope=scope, start_time=_ns(trace.created_at, start),
        end_time=_ns(trace.created_at, max(until, start)),
        status=Status(StatusCode.ERROR, "the task failed") if trace.status == "failed" else Status(StatusCode.UNSET),
        attributes={"bureau.task.id": trace.task_id, "bureau.task.title": trace.title,
                    "bureau.task.status": trace.status, "bureau.round": round_,
                    "bureau.model_seconds": round(trace.model_s, 3), "bureau.retries": trace.retries})
    children = [ReadableSpan(
        span.label[:200], context=context(), parent=root_context, resource=resource, instrumentation_scope=scope,
        start_time=_ns(trace.created_at, span.start_s), end_time=_ns(trace.created_at, span.end_s or span.start_s),
        status=Status(StatusCode.ERROR, "attempt failed") if span.kind != "wait" and span.status == "failed"
        else Status(StatusCode.UNSET),
        attributes=_span_attributes(trace, span)) for span in chosen]
    return [root, *children]


class OtlpSender:
    """Sends spans to the configured collector with the SDK's OTLP/HTTP protobuf exporter."""

    def __init__(self, settings: Callable[[], Settings], secrets: Secrets | None = None) -> None:
        self._settings = settings
        self._secrets = secrets
        self._exporter: Any = None
        self._key: tuple[str, tuple[tuple[str, str], ...], float] | None = None
        self._failing = False
        self._lock = threading.Lock()

    def _headers(self, traces: Traces) -> dict[str, str]:
        if not traces.headers_keyring:
            return {}
        from app.core.secrets import Secrets

        text = (self._secrets or Secrets()).get(HEADERS_KEY)
        if not text:
            raise OtlpError("Traces are set to send headers from the OS keyring, but none are stored.",
                            fix="Store them with `bureau traces --headers-stdin`, or turn headers off "
                                "(`bureau traces --no-headers`).")
        return parse_headers(text)

    def _exporter_for(self, traces: Traces) -> Any:
        url = traces.traces_url
        assert url is not None
        key = (url, tuple(sorted(self._headers(traces).items())), traces.timeout_seconds)
        if key != self._key:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            for name in _SDK_LOGGERS:  # it logs every failed attempt; Bureau logs once, with the fix
                logging.getLogger(name).setLevel(logging.CRITICAL)
            if self._exporter is not None:
                self._exporter.shutdown()
            self._exporter = OTLPSpanExporter(endpoint=url, headers=dict(key[1]), timeout=traces.timeout_seconds)
            self._key = key
        return self._exporter

    def send(self, spans: list[Any], *, raise_errors: bool = False) -> bool:
        """True when the collector took the spans; a failure is logged once per outage (or raised)."""
        traces = self._settings().traces
        if not traces.enabled or not spans:
            return False
        from opentelemetry.sdk.trace.export import SpanExportResult

        with self._lock:
            try:
                ok = self._exporter_for(traces).export(spans) == SpanExportResult.SUCCESS
                problem = None if ok else OtlpError(
                    f"The OpenTelemetry collector at {traces.traces_url} did not take the trace "
                    "(down, unreachable or refusing); those spans were dropped.",
                    fix="Start the collector (Jaeger, Grafana Alloy, otelcol) with OTLP/HTTP on that address, "
                        "fix `traces.otlp_endpoint` in the settings, or clear it to stop exporting.")
            except OtlpError as exc:
                problem = exc
            except Exception as exc:  # noqa: BLE001 - an exporter failure must never reach the engine
                problem = OtlpError(f"Sending the trace failed ({type(exc).__name__}: {exc}).",
                                    fix="Check `traces` in the settings; clear `otlp_endpoint` to stop exporting.")
            if problem is None:
                if self._failing:
                    log.info("Traces reach the collector at %s again.", traces.traces_url)
                self._failing = False
                return True
            if raise_errors:
                raise problem
            if not self._failing:
                log.warning("%s", problem)  # the message and its fix
            self._failing = True
            return False

    def close(self) -> None:
        with self._lock:
            if self._exporter is not None:
                self._exporter.shutdown()
                self._exporter = None
                self._key = None


def export_task(db: Database, sender: OtlpSender, task_id: int, *, since: datetime | None = None,
                until: datetime | None = None, round_: int = 1, raise_errors: bool = False) -> int:
    """Send the task's spans that ended in (``since``, ``until``]; the number of spans sent (0: none or failed)."""
    trace = task_trace(db, task_id)
    since_s = None if since is None else (since - trace.created_at).total_seconds()
    until_s = None if until is None else (until - trace.created_at).total_seconds()
    spans = build_spans(trace, trace_id=trace_id_of(db, task_id, trace.created_at), since_s=since_s,
                        until_s=until_s, round_=round_)
    return len(spans) if sender.send(spans, raise_errors=raise_errors) else 0


class Cursor(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: int = 0


def forget_cursor(home: Path) -> None:
    """Export turned off: when it is turned on again, it starts from then (no backlog is sent).

    Under the cursor's lock: an export pass that was running when the export was turned off ends
    before the cursor goes, and never writes it back."""
    from filelock import FileLock

    path = home / CURSOR_FILE
    with FileLock(f"{path}.lock", timeout=60):
        path.unlink(missing_ok=True)


class TraceExportLoop:
    """A background thread that exports each task's trace as it finishes, from a cursor over the journal.

    Woken by the store's events in this process; it also looks every ``poll_seconds`` for tasks
    finished by other processes on the same data folder.
    """

    def __init__(self, db: Database, home: Path, settings: Callable[[], Settings], *,
                 secrets: Secrets | None = None, poll_seconds: float = 30.0, batch: int = 50) -> None:
        self.db = db
        self.path = home / CURSOR_FILE
        self.settings = settings
        self.sender = OtlpSender(settings, secrets)
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.sent = 0  # spans the collector took
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._busy = threading.Lock()  # one export pass at a time: the cursor is read and moved under it
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._load()

    def _load(self) -> int:
        if not self.path.exists():  # turned on now (or again): traces from here on, not the whole history
            with self.db.raw_read() as conn:
                last = int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM event").fetchone()[0])
            self._save(last)
            return last
        fix = f"Delete {self.path}; traces are then exported from now on."
        return load_model_file(Cursor, self.path, what="The trace export cursor", fix=fix).event_id

    def _save(self, event_id: int) -> None:
        save_model_file(Cursor(event_id=event_id), self.path)

    def _on_events(self, events: list[ChangeEvent]) -> None:
        if any(e.kind == "status" and e.status in FINISHED for e in events):
            self._wake.set()  # only wakes the thread: the committing engine never waits

    def start(self) -> TraceExportLoop:
        self._unsubscribe = self.db.subscribe(self._on_events)
        self._thread = threading.Thread(target=self._run, name="bureau-trace-export", daemon=True)
        self._thread.start()
        return self

    def stop(self, *, timeout: float = 10.0) -> None:
        """Export what finished so far (bounded by the exporter's timeout), then end the thread."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.sender.close()

    def _run(self) -> None:
        while True:
            try:
                self.export_pending()
            except Exception:  # noqa: BLE001 - the exporter never takes the engine down
                log.exception("The trace export failed; it tries again with the next finished task.")
            if self._stop.is_set():
                return
            self._wake.wait(self.poll_seconds)
            self._wake.clear()

    def export_pending(self) -> int:
        """Export every task that finished after the cursor; the number of spans the collector took."""
        if not self.settings().traces.enabled:
            return 0
        from filelock import FileLock, Timeout

        with self._busy:
            try:  # the app and a `bureau run` on one data folder: one exports, the other finds it done
                with FileLock(f"{self.path}.lock", timeout=0):
                    return self._export_pending()
            except Timeout:
                return 0

    def _export_pending(self) -> int:
        taken = 0
        while True:
            if not self.settings().traces.enabled:  # turned off during this pass: leave the cursor alone
                return taken
            cursor = self._load()
            with self.db.raw_read() as conn:
                rows = conn.execute(
                    "SELECT id, task_id, created_at FROM event WHERE id > ? AND kind = 'status' AND task_id IS NOT NULL "
                    f"AND status IN ({','.join('?' * len(FINISHED))}) ORDER BY id LIMIT ?",
                    (cursor, *FINISHED, self.batch)).fetchall()
                last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM event").fetchone()[0] if not rows else 0
            if not rows:
                if last > cursor:
                    self._save(int(last))
                return taken
            for event_id, task_id, at in rows:
                with self.db.raw_read() as conn:
                    earlier = conn.execute(
                        "SELECT created_at FROM event WHERE task_id = ? AND id < ? AND kind = 'status' "
                        f"AND status IN ({','.join('?' * len(FINISHED))}) ORDER BY id",
                        (task_id, event_id, *FINISHED)).fetchall()
                try:
                    count = export_task(self.db, self.sender, int(task_id),
                                         since=_at(earlier[-1][0]) if earlier else None, until=_at(at),
                                         round_=len(earlier) + 1)
                    taken += count
                    self.sent += count
                except BureauError as exc:  # e.g. the task was deleted since: skip it
                    log.info("Trace of task %s not exported: %s", task_id, exc)
                self._save(int(event_id))  # sent or dropped after the bounded retry: never sent twice
