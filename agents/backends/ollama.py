"""Ollama through the official ``ollama`` client: chat (streaming, ``format=`` JSON schema) and model admin.

Every failure becomes a ``BackendError`` that names the host and the fix: an unreachable or
hanging server is ``BackendUnavailable`` (transient), a missing model or a server that does
not speak Ollama's API is permanent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import ollama
import pydantic

from agents.backends.base import (
    BackendError,
    BackendUnavailable,
    Cancelled,
    CancelCheck,
    Capabilities,
    ChatMessage,
    ChatOptions,
    ChatResult,
    ModelBackend,
    TokenCallback,
)
from agents.backends.stream import Delta, PriorityGate, collect

DEFAULT_OLLAMA_HOST = "http://127.0.0.1:11434"
DEFAULT_TIMEOUT = 120.0
CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True)
class OllamaModel:
    """One model on an Ollama server, as ``/api/tags`` lists it."""

    name: str
    size_bytes: int
    parameter_size: str
    quantisation: str
    family: str


@dataclass(frozen=True)
class OllamaDetails:
    """What ``/api/show`` says about a model (for the Models view and fit advice)."""

    name: str
    family: str
    parameter_size: str
    quantisation: str
    parameter_count: int | None
    context_length: int | None
    block_count: int | None
    head_count: int | None
    head_count_kv: int | None
    embedding_length: int | None
    key_length: int | None
    template: str
    capabilities: tuple[str, ...]


@dataclass(frozen=True)
class PullProgress:
    status: str
    completed: int | None = None
    total: int | None = None

    @property
    def fraction(self) -> float | None:
        return self.completed / self.total if self.completed is not None and self.total else None


def normalize_host(host: str) -> str:
    """``host:port`` or a URL -> ``http://host:port``; ``ValueError`` naming the fix when it is not one."""
    raw = host.strip().rstrip("/")
    if "://" not in raw:
        raw = "http://" + raw
    parts = urlsplit(raw)
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{host!r} has an invalid port; write it like http://192.168.1.20:11434") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{host!r} is not a host URL; write it like http://192.168.1.20:11434")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    default_port = 443 if parts.scheme == "https" else 11434
    return f"{parts.scheme}://{netloc}:{port or default_port}{parts.path}"


class OllamaServer:
    """One Ollama host: list, show, pull and delete models."""

    def __init__(self, host: str = DEFAULT_OLLAMA_HOST, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.host = normalize_host(host)
        self.timeout = timeout
        self.client = ollama.Client(host=self.host,
                                    timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)))

    def list_models(self) -> list[OllamaModel]:
        with self.errors():
            listed = self.client.list()
        return [OllamaModel(name=m.model or "", size_bytes=int(m.size or 0),
                            parameter_size=(m.details.parameter_size or "") if m.details else "",
                            quantisation=(m.details.quantization_level or "") if m.details else "",
                            family=(m.details.family or "") if m.details else "")
                for m in listed.models]

    def show(self, model: str) -> OllamaDetails:
        with self.errors(model):
            shown = self.client.show(model)
        info: dict[str, Any] = dict(shown.modelinfo or {})
        arch = str(info.get("general.architecture", ""))

        def num(key: str) -> int | None:
            value = info.get(f"{arch}.{key}") if not key.startswith("general.") else info.get(key)
            return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

        details = shown.details
        return OllamaDetails(
            name=model, family=(details.family or arch) if details else arch,
            parameter_size=(details.parameter_size or "") if details else "",
            quantisation=(details.quantization_level or "") if details else "",
            parameter_count=num("general.parameter_count"), context_length=num("context_length"),
            block_count=num("block_count"), head_count=num("attention.head_count"),
            head_count_kv=num("attention.head_count_kv"), embedding_length=num("embedding_length"),
            key_length=num("attention.key_length"), template=shown.template or "",
            capabilities=tuple(shown.capabilities or ()),
        )

    def pull(self, model: str, *, on_progress: Callable[[PullProgress], None] | None = None,
             cancelled: CancelCheck | None = None) -> None:
        """Download ``model`` onto the server; ``cancelled`` is polled between progress lines."""
        with self.errors(model, action="pull"):
            stream = self.client.pull(model, stream=True)
            try:
                for part in stream:
                    if on_progress is not None:
                        on_progress(PullProgress(status=part.status or "", completed=part.completed,
                                                 total=part.total))
                    if cancelled is not None and cancelled():
                        raise Cancelled(f"Pulling {model} was cancelled.")
            finally:
                stream.close()  # closes the connection: the server stops the download

    def delete(self, model: str) -> None:
        with self.errors(model, action="delete"):
            self.client.delete(model)

    def close(self) -> None:
        self.client.close()

    @contextmanager
    def errors(self, model: str | None = None, *, action: str = "chat") -> Iterator[None]:
        try:
            yield
        except BackendError:
            raise
        except Exception as exc:  # noqa: BLE001 - every client failure is translated, none escapes raw
            raise translate_error(exc, self.host, model, timeout=self.timeout, action=action) from exc


def translate_error(exc: Exception, host: str, model: str | None, *, timeout: float,
                    action: str = "chat") -> BackendError:
    """One ``BackendError`` naming host and fix for any failure of the ``ollama`` client."""
    start_fix = (f"Start Ollama on that machine (`ollama serve`), or correct the host "
                 f"(the default is {DEFAULT_OLLAMA_HOST}).")
    if isinstance(exc, ConnectionError | httpx.ConnectError | httpx.ConnectTimeout):
        return BackendUnavailable(f"Ollama at {host} is not reachable.", fix=start_fix)
    if isinstance(exc, httpx.TimeoutException):
        return BackendUnavailable(f"Ollama at {host} did not answer within {timeout:.0f} s.",
                                  fix="Check that the server is not stuck or overloaded, restart it, "
                                      "or raise the model's timeout.")
    if isinstance(exc, httpx.TransportError):
        return BackendUnavailable(f"The connection to Ollama at {host} broke ({type(exc).__name__}).",
                                  fix=start_fix)
    if isinstance(exc, ollama.ResponseError):
        return _response_error(exc, host, model, action)
    if isinstance(exc, json.JSONDecodeError | pydantic.ValidationError | TypeError | KeyError | ValueError):
        return BackendError(f"{host} answered with something that is not Ollama's API.",
                            fix="Check the host and port (Ollama listens on 11434); for llama.cpp's server, "
                                "LM Studio or vLLM add the model as OpenAI-compatible (--openai) instead.")
    return BackendError(f"Ollama at {host} failed: {type(exc).__name__}: {str(exc)[:200]}.",
                        fix="Check the Ollama server's log.")


def _response_error(exc: ollama.ResponseError, host: str, model: str | None, action: str) -> BackendError:
    reason = str(exc.error)[:300]
    status = exc.status_code
    lowered = reason.lower()
    if action == "pull" and ("does not exist" in lowered or "not found" in lowered or status == 404):
        return BackendError(f"Ollama at {host} could not pull {model!r}: {reason}.",
                            fix="Check the spelling and tag on https://ollama.com/library (e.g. qwen2.5:3b).")
    if action == "delete" and (status == 404 or "not found" in lowered):
        return BackendError(f"Ollama at {host} has no model {model!r} to delete ({reason}).",
                            fix=f"See its models with `bureau models ollama list --host {host}`.")
    if status == 404 or "not found" in lowered:
        return BackendError(f"Ollama at {host} has no model {model!r} ({reason}).",
                            fix=f"Pull it first: `bureau models ollama pull {model} --host {host}`.")
    if status in (401, 403):
        return BackendError(f"Ollama at {host} refused the request ({reason}).",
                            fix="Check the proxy in front of Ollama and its credentials.")
    if status in (502, 503, 504):
        return BackendUnavailable(f"Ollama at {host} is busy or restarting ({reason}).",
                                  fix="Wait a moment; Bureau retries on its own.")
    return BackendError(f"Ollama at {host} refused the request: {reason}.",
                        fix="Read the reason above; for memory errors choose a smaller model or quantisation.")


class OllamaBackend(ModelBackend):
    """A model on an Ollama server. Requests through one backend run one at a time, interactive first."""

    capabilities = Capabilities(streaming=True, json_schema=True)

    def __init__(self, model: str, *, host: str = DEFAULT_OLLAMA_HOST, name: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, n_ctx: int | None = None) -> None:
        self.model = model
        self.name = name or model
        self.server = OllamaServer(host, timeout=timeout)
        self.n_ctx = n_ctx
        self._gate = PriorityGate()

    @property
    def host(self) -> str:
        return self.server.host

    def chat(
        self,
        messages: Sequence[ChatMessage],
        options: ChatOptions = ChatOptions(),
        *,
        on_token: TokenCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> ChatResult:
        model_options: dict[str, Any] = {"num_predict": options.max_tokens, "temperature": options.temperature}
        if options.seed is not None:
            model_options["seed"] = options.seed
        if self.n_ctx:
            model_options["num_ctx"] = self.n_ctx
        with self._gate.hold(options.priority), self.server.errors(self.model):
            started = time.perf_counter()
            stream = self.server.client.chat(
                model=self.model, messages=[{"role": m.role, "content": m.content} for m in messages],
                stream=True, format=options.json_schema, options=model_options)
            try:
                return self._collect(stream, options, started, on_token, cancelled)
            finally:
                stream.close()

    def _collect(self, stream: Iterator[ollama.ChatResponse], options: ChatOptions, started: float,
                 on_token: TokenCallback | None, cancelled: CancelCheck | None) -> ChatResult:
        final: list[ollama.ChatResponse] = []

        def deltas() -> Iterator[Delta]:
            for part in stream:
                if part.done:
                    final.append(part)
                yield Delta(part.message.content or "" if part.message else "",
                            (part.done_reason or "stop") if part.done else None)

        reply = collect(deltas(), max_tokens=options.max_tokens, on_token=on_token, cancelled=cancelled)
        if not final:
            raise BackendUnavailable(f"Ollama at {self.host} stopped answering in the middle of a reply.",
                                     fix="Check the Ollama server's log; Bureau retries on its own.")
        done = final[-1]
        return ChatResult(text=reply.text, model=self.name, tokens_in=int(done.prompt_eval_count or 0),
                          tokens_out=int(done.eval_count or reply.chunks), finish_reason=done.done_reason or "stop",
                          seconds=time.perf_counter() - started)

    def close(self) -> None:
        self.server.close()
