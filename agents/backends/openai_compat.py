"""Any OpenAI-compatible server (llama.cpp's server, LM Studio, vLLM) over plain httpx.

Chat streams Server-Sent Events from ``/chat/completions``. A JSON schema is sent as the
standard ``response_format: {"type": "json_schema", ...}``; a server that refuses that form
(llama-cpp-python's server) gets ``{"type": "json_object", "schema": ...}`` instead, and the
backend remembers which form worked. The API key is passed in by the caller (from the OS
keyring) and never appears in messages, logs or ``repr``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from agents.backends.base import (
    BackendError,
    BackendUnavailable,
    CancelCheck,
    Capabilities,
    ChatMessage,
    ChatOptions,
    ChatResult,
    ModelBackend,
    TokenCallback,
)
from agents.backends.stream import Delta, PriorityGate, collect

DEFAULT_TIMEOUT = 120.0
CONNECT_TIMEOUT = 5.0
SchemaForm = Literal["json_schema", "json_object"]


def normalize_base_url(url: str) -> str:
    """``http://host:8000`` -> ``http://host:8000/v1``; a URL with its own path is kept as given."""
    raw = url.strip().rstrip("/")
    parts = urlsplit(raw)
    try:
        parts.port
    except ValueError:
        raise ValueError(f"{url!r} has an invalid port; write it like http://192.168.1.20:8000/v1") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r} is not an http(s) URL; write it like http://192.168.1.20:8000/v1")
    return raw if parts.path else raw + "/v1"


@dataclass(frozen=True)
class ServerModel:
    id: str
    owned_by: str


class OpenAIServer:
    """One OpenAI-compatible server: its model list, and the HTTP client the backend shares."""

    def __init__(self, base_url: str, *, api_key: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.base_url = normalize_base_url(base_url)
        self.timeout = timeout
        self.has_key = bool(api_key)
        headers = {"Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self.http = httpx.Client(base_url=self.base_url, headers=headers,
                                 timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)))

    def __repr__(self) -> str:  # never show the headers (the key)
        return f"OpenAIServer({self.base_url!r})"

    def list_models(self) -> list[ServerModel]:
        """GET /models: also the connection test (it checks URL, server and key)."""
        with self.errors():
            response = self.http.get("/models")
            self.raise_for_status(response, None)
            data = response.json()
            return [ServerModel(id=str(m["id"]), owned_by=str(m.get("owned_by", ""))) for m in data["data"]]

    def close(self) -> None:
        self.http.close()

    @contextmanager
    def errors(self, model: str | None = None) -> Iterator[None]:
        try:
            yield
        except BackendError:
            raise
        except httpx.ConnectError as exc:
            raise BackendUnavailable(f"The server at {self.base_url} is not reachable ({_reason(exc)}).",
                                     fix="Start the server, or correct the base URL (host and port).") from exc
        except httpx.TimeoutException as exc:
            raise BackendUnavailable(f"The server at {self.base_url} did not answer within {self.timeout:.0f} s.",
                                     fix="Check that it is not stuck or overloaded and restart it, "
                                         "or raise the model's timeout.") from exc
        except httpx.TransportError as exc:
            raise BackendUnavailable(f"The connection to {self.base_url} broke ({type(exc).__name__}).",
                                     fix="Check the server's log; Bureau retries on its own.") from exc
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, IndexError) as exc:
            raise BackendError(f"{self.base_url} answered with something that is not the OpenAI API.",
                               fix="Check the base URL: it usually ends in /v1 (for Ollama use --ollama).") from exc

    def raise_for_status(self, response: httpx.Response, model: str | None) -> None:
        if response.status_code < 400:
            return
        response.read()
        reason = _error_text(response)
        status = response.status_code
        if status in (401, 403) and not self.has_key:
            raise BackendError(f"The server at {self.base_url} wants an API key ({status}: {reason}).",
                               fix="Give one: --api-key-env VAR when adding the model, or "
                                   "`bureau models key NAME --api-key-env VAR` (VAR holding the key).")
        if status in (401, 403):
            raise BackendError(f"The server at {self.base_url} refused the API key ({status}: {reason}).",
                               fix="Store the right key with `bureau models key NAME --api-key-env VAR` "
                                   "(VAR holding the key), or in the Models view.")
        if status == 404:
            raise BackendError(f"The server at {self.base_url} has no {model or 'such endpoint'!r} ({reason}).",
                               fix="List its models with `bureau models openai list --base-url URL` and use "
                                   "one of those names; check that the base URL ends in /v1.")
        if status in (429, 502, 503, 504):
            raise BackendUnavailable(f"The server at {self.base_url} is busy or restarting ({status}: {reason}).",
                                     fix="Wait a moment; Bureau retries on its own.")
        raise BackendError(f"The server at {self.base_url} refused the request ({status}: {reason}).",
                           fix="Read the reason above; check the model name and the server's log.")


class OpenAICompatBackend(ModelBackend):
    """A model on an OpenAI-compatible server. Requests run one at a time per backend, interactive first."""

    capabilities = Capabilities(streaming=True, json_schema=True)

    def __init__(self, model: str, *, base_url: str, api_key: str | None = None, name: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.model = model
        self.name = name or model
        self.server = OpenAIServer(base_url, api_key=api_key, timeout=timeout)
        self.schema_form: SchemaForm = "json_schema"
        self._estimated_prompt_tokens = 0
        self._gate = PriorityGate()

    def __repr__(self) -> str:
        return f"OpenAICompatBackend({self.name!r}, model={self.model!r}, base_url={self.server.base_url!r})"

    def chat(
        self,
        messages: Sequence[ChatMessage],
        options: ChatOptions = ChatOptions(),
        *,
        on_token: TokenCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> ChatResult:
        with self._gate.hold(options.priority), self.server.errors(self.model):
            started = time.perf_counter()
            body = self._body(messages, options)
            while True:
                with self.server.http.stream("POST", "/chat/completions", json=body) as response:
                    if self._schema_refused(response, options):
                        self.schema_form = "json_object"
                        body = self._body(messages, options)
                        continue
                    self.server.raise_for_status(response, self.model)
                    return self._collect(response, options, started, on_token, cancelled)

    def _body(self, messages: Sequence[ChatMessage], options: ChatOptions) -> dict[str, Any]:
        # servers that send no usage (llama-cpp-python's) get a rough count: about 4 characters a token
        self._estimated_prompt_tokens = max(1, sum(len(m.content) for m in messages) // 4)
        body: dict[str, Any] = {
            "model": self.model, "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": options.max_tokens, "temperature": options.temperature, "stream": True,
            "stream_options": {"include_usage": True},
        }
        if options.seed is not None:
            body["seed"] = options.seed
        if options.json_schema is not None:
            if self.schema_form == "json_schema":
                body["response_format"] = {"type": "json_schema", "json_schema": {
                    "name": "answer", "schema": options.json_schema, "strict": True}}
            else:
                body["response_format"] = {"type": "json_object", "schema": options.json_schema}
        return body

    def _schema_refused(self, response: httpx.Response, options: ChatOptions) -> bool:
        """True when the server rejected the standard json_schema form (and the other form is worth a try)."""
        if options.json_schema is None or self.schema_form != "json_schema" or response.status_code not in (400, 422, 500):
            return False
        response.read()
        return "response_format" in response.text or "json_schema" in response.text

    def _collect(self, response: httpx.Response, options: ChatOptions, started: float,
                 on_token: TokenCallback | None, cancelled: CancelCheck | None) -> ChatResult:
        usage: dict[str, Any] = {}
        if "text/event-stream" not in response.headers.get("content-type", ""):
            raise ValueError("not an event stream")

        def deltas() -> Iterator[Delta]:
            for event in _events(response):
                if event.get("error"):
                    raise BackendError(f"The server at {self.server.base_url} failed mid-reply: "
                                       f"{str(event['error'])[:300]}.", fix="Check the server's log.")
                usage.update(event.get("usage") or {})
                for choice in event.get("choices") or ():
                    yield Delta((choice.get("delta") or {}).get("content") or "", choice.get("finish_reason"))

        reply = collect(deltas(), max_tokens=options.max_tokens, on_token=on_token, cancelled=cancelled)
        if not reply.finish_reason:
            raise BackendUnavailable(f"The server at {self.server.base_url} stopped in the middle of a reply.",
                                     fix="Check the server's log; Bureau retries on its own.")
        tokens_in = int(usage.get("prompt_tokens") or 0) or self._estimated_prompt_tokens
        return ChatResult(text=reply.text, model=self.name, tokens_in=tokens_in,
                          tokens_out=int(usage.get("completion_tokens") or reply.chunks),
                          finish_reason=reply.finish_reason, seconds=time.perf_counter() - started)

    def close(self) -> None:
        self.server.close()


def _events(response: httpx.Response) -> Iterator[dict[str, Any]]:
    """The JSON payloads of a Server-Sent Events stream, until ``[DONE]``."""
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue  # comments, event names, keep-alives
        payload = line[5:].strip()
        if payload == "[DONE]":
            return
        event = json.loads(payload)
        if not isinstance(event, dict):
            raise ValueError("an event is not a JSON object")
        yield event


def _error_text(response: httpx.Response) -> str:
    try:
        data = response.json()
    except (json.JSONDecodeError, ValueError):
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(data, dict):
        err = data.get("error", data.get("detail", data))
        if isinstance(err, dict):
            err = err.get("message", err)
        return str(err)[:200]
    return str(data)[:200]


def _reason(exc: Exception) -> str:
    text = str(exc)
    return text[:120] if text else type(exc).__name__
