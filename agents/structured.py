"""Ask a model for an answer that validates against a pydantic model, re-asking at most twice."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from agents.backends.base import BackendError, CancelCheck, ChatMessage, ChatOptions, ModelBackend, ReplyTruncated

T = TypeVar("T", bound=BaseModel)
MAX_REASKS = 2


class StructuredOutputError(Exception):
    """The model did not give a valid answer after the re-asks."""

    def __init__(self, reason: str, attempts: int) -> None:
        self.reason = reason
        self.attempts = attempts
        super().__init__(f"The model gave no valid answer in {attempts} attempts: {reason}")


@dataclass(frozen=True)
class Structured(Generic[T]):
    value: T
    attempts: int
    tokens_in: int
    tokens_out: int
    model: str
    raw: str


def ask_structured(
    backend: ModelBackend,
    messages: Sequence[ChatMessage],
    schema: type[T],
    options: ChatOptions,
    *,
    cancelled: CancelCheck | None = None,
) -> Structured[T]:
    """Chat with the JSON schema of ``schema``; validate; re-ask with the error (at most twice)."""
    history = list(messages)
    json_schema = schema.model_json_schema() if backend.capabilities.json_schema else None
    opts = ChatOptions(max_tokens=options.max_tokens, temperature=options.temperature,
                       seed=options.seed, json_schema=json_schema, priority=options.priority)
    tokens_in = tokens_out = 0
    reason = ""
    model = backend.name
    for attempt in range(1, MAX_REASKS + 2):
        try:
            result = backend.chat(history, opts, cancelled=cancelled)
        except ReplyTruncated as exc:
            reason = f"the reply was cut off at {exc.max_tokens} tokens"
            raw = exc.partial
        except BackendError:
            raise
        else:
            tokens_in += result.tokens_in
            tokens_out += result.tokens_out
            model = result.model
            raw = result.text
            try:
                value = schema.model_validate_json(_strip_fences(raw))
            except (ValidationError, ValueError) as exc:
                reason = _describe(exc)
            else:
                return Structured(value=value, attempts=attempt, tokens_in=tokens_in,
                                  tokens_out=tokens_out, model=model, raw=raw)
        history = [*history, ChatMessage("assistant", raw[:2000]), ChatMessage(
            "user",
            f"That answer was not valid ({reason}). Answer again with only a JSON object "
            f"matching this schema: {json.dumps(schema.model_json_schema())}",
        )]
    raise StructuredOutputError(reason, MAX_REASKS + 1)


def _strip_fences(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.strip("`")
        text = text[text.find("{"):] if "{" in text else text
    return text


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "the object"
        return f"{where}: {err['msg']}"
    return f"not JSON: {exc}"
