"""A test double of an OpenTelemetry collector: OTLP/HTTP on loopback that records the spans it is sent.

It accepts ``POST /v1/traces`` (protobuf), parses the body with opentelemetry-proto's
``ExportTraceServiceRequest`` and keeps each span as a ``ReceivedSpan``. ``status`` makes it
refuse (e.g. 503) to test a collector that will not take traces.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


def _value(v: Any) -> Any:
    kind = v.WhichOneof("value")
    return getattr(v, kind) if kind else None


@dataclass(frozen=True)
class ReceivedSpan:
    name: str
    trace_id: str
    span_id: str
    parent_span_id: str  # "" for a root span
    start_ns: int
    end_ns: int
    attributes: dict[str, Any]
    status_code: int  # 0 unset, 1 ok, 2 error
    service: str


@dataclass
class OtlpCollectorDouble:
    status: int = 200
    requests: list[dict[str, str]] = field(default_factory=list)  # the headers of each request
    spans: list[ReceivedSpan] = field(default_factory=list)

    def __post_init__(self) -> None:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                double.requests.append({k.lower(): v for k, v in self.headers.items()})
                if self.path != "/v1/traces" or double.status != 200:
                    self.send_response(404 if self.path != "/v1/traces" else double.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                double._record(ExportTraceServiceRequest.FromString(body))
                reply = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._lock = threading.Lock()

    def _record(self, request: ExportTraceServiceRequest) -> None:
        with self._lock:
            for rs in request.resource_spans:
                resource = {a.key: _value(a.value) for a in rs.resource.attributes}
                for ss in rs.scope_spans:
                    for s in ss.spans:
                        self.spans.append(ReceivedSpan(
                            name=s.name, trace_id=s.trace_id.hex(), span_id=s.span_id.hex(),
                            parent_span_id=s.parent_span_id.hex(), start_ns=s.start_time_unix_nano,
                            end_ns=s.end_time_unix_nano, attributes={a.key: _value(a.value) for a in s.attributes},
                            status_code=s.status.code, service=str(resource.get("service.name", ""))))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> OtlpCollectorDouble:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
