"""The llama.cpp backend on llama-cpp-python: one context, one request at a time."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from agents.backends.base import (
    BackendError,
    Capabilities,
    CancelCheck,
    ChatMessage,
    ChatOptions,
    ChatResult,
    ModelBackend,
    ModelFileError,
    TokenCallback,
)
from agents.backends.stream import Delta, PriorityGate, collect
from agents.gguf.check import check_gguf


class LlamaCppBackend(ModelBackend):
    """A GGUF model loaded lazily on first use."""

    capabilities = Capabilities(streaming=True, json_schema=True)

    def __init__(self, model_path: Path, *, name: str | None = None, n_ctx: int = 4096,
                 n_threads: int | None = None) -> None:
        check_gguf(model_path)
        self.model_path = model_path
        self.name = name or model_path.stem
        self.n_ctx = n_ctx
        self.n_threads = n_threads or max(1, os.cpu_count() or 1)
        self._llm: Any = None
        self._load_lock = threading.Lock()
        self._gate = PriorityGate()

    def load(self) -> None:
        """Load the model now (otherwise the first request does)."""
        with self._load_lock:
            if self._llm is not None:
                return
            from llama_cpp import Llama  # heavy import, deferred

            try:
                self._llm = Llama(
                    model_path=str(self.model_path),
                    n_ctx=self.n_ctx,
                    n_threads=self.n_threads,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise ModelFileError(
                    f"llama.cpp could not load {self.model_path.name}: {exc}.",
                    fix="Check that the file is a complete GGUF model of an architecture llama.cpp supports.",
                ) from exc

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    def chat(
        self,
        messages: Sequence[ChatMessage],
        options: ChatOptions = ChatOptions(),
        *,
        on_token: TokenCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> ChatResult:
        self.load()
        kwargs: dict[str, Any] = {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "repeat_penalty": 1.15,
            "stream": True,
        }
        if options.seed is not None:
            kwargs["seed"] = options.seed
        if options.json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": options.json_schema}
        with self._gate.hold(options.priority):
            return self._generate(kwargs, options, on_token, cancelled)

    def _generate(self, kwargs: dict[str, Any], options: ChatOptions,
                  on_token: TokenCallback | None, cancelled: CancelCheck | None) -> ChatResult:
        started = time.perf_counter()
        stream = self._llm.create_chat_completion(**kwargs)
        try:
            reply = collect(_deltas(stream), max_tokens=options.max_tokens, on_token=on_token, cancelled=cancelled)
        except (ValueError, RuntimeError) as exc:
            raise BackendError(f"llama.cpp failed while answering: {exc}.",
                               fix="Shorten the task text, or raise the context size in settings.") from exc
        finally:
            stream.close()
        tokens_out = reply.chunks  # llama.cpp streams one token a chunk
        tokens_in = max(0, int(self._llm.n_tokens) - tokens_out)
        return ChatResult(text=reply.text, model=self.name, tokens_in=tokens_in, tokens_out=tokens_out,
                          finish_reason=reply.finish_reason or "stop", seconds=time.perf_counter() - started)

    def close(self) -> None:
        with self._load_lock:
            if self._llm is not None:
                self._llm.close()
                self._llm = None


def _deltas(stream: Iterator[dict[str, Any]]) -> Iterator[Delta]:
    for chunk in stream:
        choice = chunk["choices"][0]
        yield Delta(choice["delta"].get("content") or "", choice.get("finish_reason"))
