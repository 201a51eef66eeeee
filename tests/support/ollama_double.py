"""OllamaDouble: a TEST DOUBLE of the Ollama server (the real one cannot be installed here).

It speaks the part of Ollama's HTTP API that Bureau uses, with Ollama's shapes, streaming
and error conventions, and answers chats with a REAL model through llama-cpp-python:

- GET  /api/tags      installed models with size and details
- POST /api/show      details, template, model_info (read from the GGUF), capabilities
- POST /api/chat      streaming NDJSON (or one JSON object), ``format`` = "json" or a JSON schema,
                      options num_predict / temperature / seed; done_reason "stop" or "length"
- POST /api/pull      progress NDJSON (status, digest, total, completed); an unknown name ends in
                      {"error": ...}; a client that disconnects cancels the pull
- DELETE /api/delete  404 {"error": ...} for an unknown model
Errors are {"error": "..."} with Ollama's status codes (400 bad request, 404 not found).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from agents.gguf.check import check_gguf
from agents.gguf.meta import GgufInfo


class OllamaDouble:
    """Start with ``with OllamaDouble(gguf) as url:``; ``library`` names are pullable, ``installed`` are ready."""

    def __init__(self, gguf: Path, *, installed: tuple[str, ...] = ("smollm2:135m",),
                 library: tuple[str, ...] = ("smollm2:135m", "smollm2:latest"), n_ctx: int = 2048,
                 n_threads: int = 2, pull_steps: int = 20, pull_delay: float = 0.02) -> None:
        self.gguf = gguf
        self.info: GgufInfo = check_gguf(gguf)
        self.installed: dict[str, datetime] = {name: datetime.now(UTC) for name in installed}
        self.library = set(library)
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.pull_steps = pull_steps
        self.pull_delay = pull_delay
        self.cancelled_pulls: list[str] = []
        self.chat_requests: list[dict[str, Any]] = []
        self._llm: Any = None
        self._llm_lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> str:
        double = self

        class Handler(_Handler):
            owner = double

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="ollama-double", daemon=True)
        self._thread.start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        with self._llm_lock:
            if self._llm is not None:
                self._llm.close()
                self._llm = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the model -------------------------------------------------------------------------
    def llm(self) -> Any:
        if self._llm is None:
            from llama_cpp import Llama

            self._llm = Llama(model_path=str(self.gguf), n_ctx=self.n_ctx, n_threads=self.n_threads, verbose=False)
        return self._llm

    def tag(self, name: str) -> dict[str, Any]:
        return {"name": name, "model": name, "modified_at": self.installed[name].isoformat(),
                "size": self.info.file_size, "digest": _digest(name), "details": self.details()}

    def details(self) -> dict[str, Any]:
        return {"parent_model": "", "format": "gguf", "family": self.info.architecture,
                "families": [self.info.architecture], "parameter_size": self.info.parameters_label,
                "quantization_level": self.info.quantisation}

    def model_info(self) -> dict[str, Any]:
        info = {k: v for k, v in self.info.metadata.items()
                if not isinstance(v, tuple) and k != "tokenizer.chat_template"}
        info["general.parameter_count"] = self.info.parameter_count
        return info

    @staticmethod
    def known(name: str, names: Any) -> str | None:
        """Ollama's rule: a name without a tag means ``:latest``."""
        for candidate in (name, f"{name}:latest"):
            if candidate in names:
                return candidate
        return None


class _Handler(BaseHTTPRequestHandler):
    owner: OllamaDouble
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    # -- plumbing --------------------------------------------------------------------------
    def _json(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": message})

    def _body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b"{}"
        try:
            data = json.loads(raw or b"{}")
        except json.JSONDecodeError as exc:
            self._error(400, f"invalid character in request body: {exc.msg}")
            return None
        if not isinstance(data, dict):
            self._error(400, "json: cannot unmarshal into Go value of type api.Request")
            return None
        return data

    def _stream(self, lines: Iterator[dict[str, Any]]) -> None:
        """NDJSON over chunked transfer encoding, as Ollama streams."""
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for line in lines:
                data = (json.dumps(line) + "\n").encode()
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        finally:
            close = getattr(lines, "close", None)
            if close is not None:
                close()  # a client that went away releases the model at once

    # -- routes ----------------------------------------------------------------------------
    def do_GET(self) -> None:
        if self.path == "/":
            body = b"Ollama is running"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/api/tags":
            self._json(200, {"models": [self.owner.tag(n) for n in sorted(self.owner.installed)]})
        elif self.path == "/api/version":
            self._json(200, {"version": "0.0.0-test-double"})
        else:
            self._error(404, "404 page not found")

    def do_DELETE(self) -> None:
        if self.path != "/api/delete":
            return self._error(404, "404 page not found")
        body = self._body()
        if body is None:
            return None
        name = self.owner.known(str(body.get("model") or body.get("name") or ""), self.owner.installed)
        if name is None:
            return self._error(404, f"model '{body.get('model')}' not found")
        del self.owner.installed[name]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return None

    def do_POST(self) -> None:
        routes = {"/api/show": self._show, "/api/chat": self._chat, "/api/pull": self._pull}
        route = routes.get(self.path)
        if route is None:
            self._error(404, "404 page not found")
            return
        body = self._body()
        if body is not None:
            route(body)

    def _show(self, body: dict[str, Any]) -> None:
        name = self.owner.known(str(body.get("model") or body.get("name") or ""), self.owner.installed)
        if name is None:
            return self._error(404, f"model '{body.get('model')}' not found")
        info = self.owner.info
        self._json(200, {"license": str(info.metadata.get("general.license", "")), "modelfile": f"FROM {name}\n",
                         "parameters": "", "template": info.chat_template or "", "details": self.owner.details(),
                         "model_info": self.owner.model_info(), "capabilities": ["completion"],
                         "modified_at": self.owner.installed[name].isoformat()})
        return None

    def _chat(self, body: dict[str, Any]) -> None:
        if not body.get("model"):
            return self._error(400, "model is required")
        name = self.owner.known(str(body["model"]), self.owner.installed)
        if name is None:
            return self._error(404, f'model "{body["model"]}" not found, try pulling it first')
        messages = body.get("messages")
        if not isinstance(messages, list):
            return self._error(400, "messages must be a list")
        self.owner.chat_requests.append(body)
        lines = self._generate(name, messages, body.get("options") or {}, body.get("format"))
        if body.get("stream", True):
            try:
                self._stream(lines)
            except (BrokenPipeError, ConnectionResetError):
                return None
        else:
            parts = list(lines)
            final = parts[-1]
            final["message"] = {"role": "assistant", "content": "".join(p["message"]["content"] for p in parts)}
            self._json(200, final)
        return None

    def _generate(self, name: str, messages: list[dict[str, Any]], options: dict[str, Any],
                  fmt: Any) -> Iterator[dict[str, Any]]:
        kwargs: dict[str, Any] = {"messages": [{"role": m.get("role", "user"), "content": m.get("content", "")}
                                               for m in messages],
                                  "max_tokens": int(options.get("num_predict", 128)),
                                  "temperature": float(options.get("temperature", 0.8)), "stream": True}
        if "seed" in options:
            kwargs["seed"] = int(options["seed"])
        if fmt == "json":
            kwargs["response_format"] = {"type": "json_object"}
        elif isinstance(fmt, dict):
            kwargs["response_format"] = {"type": "json_object", "schema": fmt}
        started = time.perf_counter_ns()
        with self.owner._llm_lock:
            llm = self.owner.llm()
            count, reason = 0, "stop"
            for chunk in llm.create_chat_completion(**kwargs):
                choice = chunk["choices"][0]
                piece = choice["delta"].get("content")
                if piece:
                    count += 1
                    yield {"model": name, "created_at": _now(), "message": {"role": "assistant", "content": piece},
                           "done": False}
                reason = choice.get("finish_reason") or reason
            prompt_tokens = max(0, int(llm.n_tokens) - count)
        elapsed = time.perf_counter_ns() - started
        yield {"model": name, "created_at": _now(), "message": {"role": "assistant", "content": ""}, "done": True,
               "done_reason": "length" if reason == "length" else "stop", "total_duration": elapsed,
               "load_duration": 0, "prompt_eval_count": prompt_tokens, "prompt_eval_duration": 0,
               "eval_count": count, "eval_duration": elapsed}

    def _pull(self, body: dict[str, Any]) -> None:
        requested = str(body.get("model") or body.get("name") or "")
        if not requested:
            return self._error(400, "model is required")
        name = self.owner.known(requested, self.owner.library)
        try:
            self._stream(self._pull_lines(name, requested))
        except (BrokenPipeError, ConnectionResetError):
            self.owner.cancelled_pulls.append(requested)
        return None

    def _pull_lines(self, name: str | None, requested: str) -> Iterator[dict[str, Any]]:
        yield {"status": "pulling manifest"}
        if name is None:
            yield {"error": "pull model manifest: file does not exist"}
            return
        total = self.owner.info.file_size
        digest = _digest(name)
        for step in range(self.owner.pull_steps + 1):
            time.sleep(self.owner.pull_delay)
            yield {"status": f"pulling {digest[7:19]}", "digest": digest, "total": total,
                   "completed": total * step // self.owner.pull_steps}
        yield {"status": "verifying sha256 digest"}
        yield {"status": "writing manifest"}
        self.owner.installed[name] = datetime.now(UTC)
        yield {"status": "success"}


def _digest(name: str) -> str:
    return "sha256:" + hashlib.sha256(name.encode()).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat()
