"""What every backend shares: the one streaming loop, and the priority gate that queues requests.

A backend turns its server's chunks into ``Delta``s; ``collect`` does the rest the same way
everywhere: pieces to the caller's ``on_token``, cancellation checked between chunks, the
reply cut off at the token limit reported as ``ReplyTruncated``.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from agents.backends.base import Cancelled, CancelCheck, Priority, ReplyTruncated, TokenCallback


@dataclass(frozen=True, slots=True)
class Delta:
    """One chunk of a streamed reply: new text, and the finish reason once the server gives it."""

    text: str = ""
    finish_reason: str | None = None


@dataclass(frozen=True)
class Streamed:
    text: str
    chunks: int  # pieces of text received: a token count where the server reports none
    finish_reason: str | None  # None: the stream ended without saying why (the server went away)


def collect(deltas: Iterable[Delta], *, max_tokens: int, on_token: TokenCallback | None,
            cancelled: CancelCheck | None) -> Streamed:
    """Run the stream to its end; raises ``Cancelled`` or ``ReplyTruncated``."""
    pieces: list[str] = []
    append = pieces.append
    finish: str | None = None
    for delta in deltas:
        if delta.text:
            append(delta.text)
            if on_token is not None:
                on_token(delta.text)
        if delta.finish_reason:
            finish = delta.finish_reason
        if cancelled is not None and cancelled():
            raise Cancelled("The request was cancelled.")
    text = "".join(pieces)
    if finish == "length":
        raise ReplyTruncated(max_tokens=max_tokens, partial=text)
    return Streamed(text=text, chunks=len(pieces), finish_reason=finish)


class PriorityGate:
    """A lock handed out by priority, then arrival: interactive requests jump the queue."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._busy = False
        self._queue: list[tuple[int, int]] = []
        self._tickets = itertools.count()

    @contextmanager
    def hold(self, priority: Priority) -> Iterator[None]:
        ticket = (int(priority), next(self._tickets))
        with self._cond:
            heapq.heappush(self._queue, ticket)
            while self._busy or self._queue[0] != ticket:
                self._cond.wait()
            heapq.heappop(self._queue)
            self._busy = True
        try:
            yield
        finally:
            with self._cond:
                self._busy = False
                self._cond.notify_all()

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._queue)
