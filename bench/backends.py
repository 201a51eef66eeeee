"""Tokens per second for the same prompt through each backend available here, side by side.

Backends (each loads its own copy of the model; all stay loaded so rounds can interleave):
  direct    llama-cpp-python's Llama.create_chat_completion (the baseline)
  llama     Bureau's LlamaCppBackend (same process)
  openai    Bureau's OpenAICompatBackend -> the real `python -m llama_cpp.server` on loopback
  ollama    Bureau's OllamaBackend (official `ollama` client) -> OllamaDouble, the TEST DOUBLE of
            the Ollama server in tests/support (real model through llama-cpp-python); a real
            Ollama server is not installed here, so this measures the client and HTTP path
Each gets a warm-up request; then ``--rounds`` rounds run every backend once, in turn, so a
busy machine slows them all alike. The median tokens/s is reported with the overhead against
direct llama-cpp-python. Tokens/s is measured by the caller (wall clock around the whole
request), so it includes prompt processing and any HTTP cost.

Run: .venv/bin/python bench/backends.py [--rounds 3] [--max-tokens 128] [--threads 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agents.backends.base import BackendError, ChatMessage, ChatOptions, ModelBackend, ReplyTruncated  # noqa: E402
from agents.backends.llama import LlamaCppBackend  # noqa: E402
from agents.backends.ollama import OllamaBackend  # noqa: E402
from agents.backends.openai_compat import OpenAICompatBackend  # noqa: E402
from app.core.paths import embedded_model_path  # noqa: E402

PROMPT = [ChatMessage("system", "You are a helpful writer."),
          ChatMessage("user", "Write a short blog post about keeping a tidy desk.")]
N_CTX = 2048

Run = Callable[[], tuple[int, float]]  # one request -> (tokens out, seconds)


@dataclass
class Row:
    name: str
    via: str
    tokens_per_second: float | None
    tokens: int
    note: str = ""


@contextmanager
def direct_run(model: Path, threads: int, max_tokens: int) -> Iterator[Run]:
    from llama_cpp import Llama

    llm = Llama(model_path=str(model), n_ctx=N_CTX, n_threads=threads, verbose=False)
    messages = [{"role": m.role, "content": m.content} for m in PROMPT]

    def run() -> tuple[int, float]:
        started = time.perf_counter()
        tokens = 0
        for chunk in llm.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0.2, seed=7,
                                                repeat_penalty=1.15, stream=True):
            if chunk["choices"][0]["delta"].get("content"):
                tokens += 1
        return tokens, time.perf_counter() - started

    try:
        yield run
    finally:
        llm.close()


def backend_run(backend: ModelBackend, max_tokens: int) -> Run:
    options = ChatOptions(max_tokens=max_tokens, temperature=0.2, seed=7)

    def run() -> tuple[int, float]:
        started = time.perf_counter()
        try:
            tokens = backend.chat(PROMPT, options).tokens_out
        except ReplyTruncated:
            tokens = max_tokens  # the limit was reached: that many tokens were generated
        return tokens, time.perf_counter() - started

    return run


@contextmanager
def llama_run(model: Path, threads: int, max_tokens: int) -> Iterator[Run]:
    backend = LlamaCppBackend(model, name="bench", n_ctx=N_CTX, n_threads=threads)
    try:
        yield backend_run(backend, max_tokens)
    finally:
        backend.close()


@contextmanager
def openai_run(model: Path, threads: int, max_tokens: int) -> Iterator[Run]:
    from tests.support.servers import llama_cpp_server

    with llama_cpp_server(model, n_ctx=N_CTX, n_threads=threads) as base_url:
        backend = OpenAICompatBackend("smollm2", base_url=base_url, name="bench", timeout=300)
        try:
            yield backend_run(backend, max_tokens)
        finally:
            backend.close()


@contextmanager
def ollama_run(model: Path, threads: int, max_tokens: int) -> Iterator[Run]:
    from tests.support.ollama_double import OllamaDouble

    with OllamaDouble(model, n_ctx=N_CTX, n_threads=threads) as url:
        backend = OllamaBackend("smollm2:135m", host=url, name="bench", timeout=300)
        try:
            yield backend_run(backend, max_tokens)
        finally:
            backend.close()


def measure(plan: list[tuple[str, str, Callable[[], Any]]], rounds: int) -> list[Row]:
    """Open every backend, warm each up, then run the rounds interleaved."""
    rows: dict[str, Row] = {}
    runs: dict[str, Run] = {}
    samples: dict[str, list[tuple[int, float]]] = {}
    with ExitStack() as stack:
        for name, via, factory in plan:
            try:
                runs[name] = stack.enter_context(factory())
                runs[name]()  # warm-up: load, caches
                samples[name] = []
            except (BackendError, RuntimeError, OSError) as exc:
                rows[name] = Row(name, via, None, 0, f"unavailable: {exc}")
        for round_ in range(rounds):
            for name, run in runs.items():
                samples[name].append(run())
            print(f"  round {round_ + 1} of {rounds} done", file=sys.stderr, flush=True)
    for name, via, _ in plan:
        if name in rows:
            continue
        rates = [tokens / seconds for tokens, seconds in samples[name] if seconds > 0]
        rows[name] = Row(name, via, statistics.median(rates), int(statistics.median(t for t, _ in samples[name])))
    return [rows[name] for name, _, _ in plan]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    model = embedded_model_path()
    print(f"model {model.name}, n_ctx {N_CTX}, {args.threads} threads, max_tokens {args.max_tokens}, "
          f"{args.rounds} timed round(s) each after a warm-up\n", flush=True)
    plan: list[tuple[str, str, Callable[[], Any]]] = [
        ("direct", "llama-cpp-python Llama (baseline)",
         lambda: direct_run(model, args.threads, args.max_tokens)),
        ("llama", "Bureau LlamaCppBackend", lambda: llama_run(model, args.threads, args.max_tokens)),
        ("openai", "OpenAICompatBackend -> llama_cpp.server",
         lambda: openai_run(model, args.threads, args.max_tokens)),
        ("ollama", "OllamaBackend -> OllamaDouble (test double)",
         lambda: ollama_run(model, args.threads, args.max_tokens)),
    ]
    rows = measure(plan, args.rounds)
    base = rows[0].tokens_per_second
    print(f"{'backend':<8} {'path':<44} {'tokens/s':>9} {'tokens':>7} {'overhead':>9}")
    for row in rows:
        if row.tokens_per_second is None:
            print(f"{row.name:<8} {row.via:<44} {'-':>9} {'-':>7} {'-':>9}  {row.note}")
            continue
        overhead = f"{(1 - row.tokens_per_second / base) * 100:+.1f}%" if base else "-"
        print(f"{row.name:<8} {row.via:<44} {row.tokens_per_second:>9.1f} {row.tokens:>7} {overhead:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
