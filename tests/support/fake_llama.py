"""FakeLlama: stands in for LlamaCppBackend in pool and view tests (no model is loaded)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agents.backends.base import ChatMessage, ChatOptions, ChatResult

HOLD: dict[str, threading.Event] = {}  # model name -> event a request waits for (to keep a model busy)


class FakeLlama:
    """Records loads, chats and closes in ``FakeLlama.log``; answers "from NAME" at once."""

    log: list[str] = []

    def __init__(self, path: Path, *, name: str, n_ctx: int, n_threads: int | None) -> None:
        self.name = name

    def load(self) -> None:
        FakeLlama.log.append(f"load {self.name}")

    def chat(self, messages: Sequence[ChatMessage], options: ChatOptions = ChatOptions(), *,
             on_token: Any = None, cancelled: Any = None) -> ChatResult:
        FakeLlama.log.append(f"chat {self.name} {messages[0].content}")
        hold = HOLD.get(self.name)
        if hold is not None:
            hold.wait(5)
        return ChatResult(text=f"from {self.name}", model=self.name, tokens_in=1, tokens_out=1,
                          finish_reason="stop", seconds=0.01)

    def close(self) -> None:
        FakeLlama.log.append(f"close {self.name}")
