"""Shared fixtures: a fresh data folder per test, and a scripted model for unit tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from agents.backends.base import (
    BackendError,
    Capabilities,
    CancelCheck,
    ChatMessage,
    ChatOptions,
    ChatResult,
    ModelBackend,
    ReplyTruncated,
    TokenCallback,
)
from app.company import Company
from tests.support.answers import plausible_answer

Reply = str | BackendError | Callable[[Sequence[ChatMessage]], str]


class ScriptedBackend(ModelBackend):
    """A test double: answers from a script instead of a model (unit tests only).

    Work steps and reviews are scripted separately: a request that carries a JSON schema
    takes the next entry from ``reviews``, every other request from ``replies``. When a
    script runs out its last entry repeats.
    """

    capabilities = Capabilities(streaming=True, json_schema=True)

    def __init__(self, replies: Sequence[Reply] = (plausible_answer,),
                 reviews: Sequence[Reply] = ('{"verdict": "pass", "notes": "Looks good to me."}',),
                 name: str = "scripted") -> None:
        self.name = name
        self.replies = list(replies)
        self.reviews = list(reviews)
        self.calls: list[tuple[list[ChatMessage], ChatOptions]] = []
        self.lock = threading.Lock()

    def chat(self, messages: Sequence[ChatMessage], options: ChatOptions = ChatOptions(), *,
             on_token: TokenCallback | None = None, cancelled: CancelCheck | None = None) -> ChatResult:
        with self.lock:
            self.calls.append((list(messages), options))
            script = self.reviews if options.json_schema is not None else self.replies
            reply = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(reply, BackendError):
            raise reply
        text = reply(messages) if callable(reply) else reply
        if len(text.split()) > options.max_tokens:
            raise ReplyTruncated(max_tokens=options.max_tokens, partial=text)
        for word in text.split(" "):
            if on_token is not None:
                on_token(word + " ")
        return ChatResult(text=text, model=self.name, tokens_in=sum(len(m.content.split()) for m in messages),
                          tokens_out=len(text.split()), finish_reason="stop", seconds=0.001)

    @property
    def work_calls(self) -> list[tuple[list[ChatMessage], ChatOptions]]:
        return [c for c in self.calls if c[1].json_schema is None]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("BUREAU_HOME", str(folder))
    return folder


@pytest.fixture
def company(home: Path) -> Iterator[Company]:
    c = Company.open(home)
    yield c
    c.close()


@pytest.fixture
def scripted() -> ScriptedBackend:
    return ScriptedBackend()


@pytest.fixture
def scripted_company(company: Company, scripted: ScriptedBackend, monkeypatch: pytest.MonkeyPatch) -> Company:
    """A company whose every model request goes to the scripted backend, trusted as a reviewer.

    (A real model earns that trust by calibration; the scripted one's verdicts are what the tests script.)
    """
    from agents.review.calibrate import PAIRS, Calibration
    from app.llm.calibration import record

    monkeypatch.setattr(company.models, "backend_for", lambda role: scripted)
    record(company.home, Calibration(model=scripted.name, trusted=True, model_right=2 * len(PAIRS),
                                     checks_right=len(PAIRS), asked=2 * len(PAIRS), false_passes=0, false_reworks=0))
    return company
