"""The model backend interface: chat, stream tokens, answer in a JSON schema."""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["system", "user", "assistant"]
TokenCallback = Callable[[str], None]
CancelCheck = Callable[[], bool]


class Priority(enum.IntEnum):
    """Lower runs first: the founder waiting beats background work."""

    INTERACTIVE = 0
    BACKGROUND = 1


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass(frozen=True)
class Capabilities:
    streaming: bool
    json_schema: bool


@dataclass(frozen=True)
class ChatResult:
    text: str
    model: str
    tokens_in: int
    tokens_out: int
    finish_reason: str
    seconds: float

    @property
    def tokens_per_second(self) -> float:
        return self.tokens_out / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, kw_only=True)
class ChatOptions:
    max_tokens: int = 512
    temperature: float = 0.2
    seed: int | None = 7
    json_schema: dict[str, Any] | None = None
    priority: Priority = Priority.BACKGROUND


class BackendError(Exception):
    """A model request failed. ``transient`` errors are worth retrying later."""

    transient: bool = False

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(f"{message} {fix}" if fix else message)


class BackendUnavailable(BackendError):
    """The model server is down or unreachable."""

    transient = True


class ReplyTruncated(BackendError):
    """The reply hit the token limit: a failure, not an answer."""

    transient = True

    def __init__(self, *, max_tokens: int, partial: str) -> None:
        self.max_tokens = max_tokens
        self.partial = partial
        super().__init__(
            f"The model's reply was cut off at the {max_tokens}-token limit.",
            fix="Raise Settings ▸ Model ▸ Step token limit, or ask for a shorter result.",
        )


class ModelFileError(BackendError):
    """The model file is missing, corrupt or unsupported."""


class Cancelled(BackendError):
    """The request was cancelled (the founder cancelled the task or the app stops)."""


class ModelBackend(ABC):
    """One model behind a small interface. Implementations queue concurrent requests."""

    name: str
    capabilities: Capabilities

    @abstractmethod
    def chat(
        self,
        messages: Sequence[ChatMessage],
        options: ChatOptions = ChatOptions(),
        *,
        on_token: TokenCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> ChatResult:
        """Answer ``messages``. Streams to ``on_token`` when given; raises ``BackendError``."""

    def close(self) -> None:
        """Release the model (memory, connections)."""
