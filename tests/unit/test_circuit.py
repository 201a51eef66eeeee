import pytest

from agents.backends.base import BackendUnavailable, ChatMessage, ModelFileError
from agents.backends.circuit import CircuitBreaker, CircuitOpen, CircuitState
from tests.conftest import ScriptedBackend

HELLO = [ChatMessage("user", "hello")]


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def down():
    return BackendUnavailable("Cannot reach http://127.0.0.1:9.")


def test_opens_after_consecutive_failures_then_probes_and_closes():
    clock = Clock()
    inner = ScriptedBackend(replies=[down(), down(), down(), "back again"])
    breaker = CircuitBreaker(inner, failures_to_open=3, cooldown=10, clock=clock)
    for _ in range(3):
        with pytest.raises(BackendUnavailable):
            breaker.chat(HELLO)
    assert breaker.state == CircuitState.OPEN
    with pytest.raises(CircuitOpen, match="try it again in 10 s") as info:
        breaker.chat(HELLO)
    assert info.value.transient  # the engine retries later instead of failing the task
    assert len(inner.calls) == 3  # the open circuit did not touch the server
    clock.now = 10
    assert breaker.state == CircuitState.HALF_OPEN
    assert breaker.chat(HELLO).text == "back again"
    assert breaker.state == CircuitState.CLOSED


def test_a_failed_probe_reopens_with_a_longer_cooldown():
    clock = Clock()
    breaker = CircuitBreaker(ScriptedBackend(replies=[down()]), failures_to_open=1, cooldown=5, clock=clock)
    with pytest.raises(BackendUnavailable):
        breaker.chat(HELLO)
    clock.now = 5
    with pytest.raises(BackendUnavailable):
        breaker.chat(HELLO)  # the probe fails
    assert breaker.state == CircuitState.OPEN and breaker.retry_in() == 10


def test_other_errors_do_not_count():
    breaker = CircuitBreaker(ScriptedBackend(replies=[ModelFileError("bad file"), "fine"]), failures_to_open=1)
    with pytest.raises(ModelFileError):
        breaker.chat(HELLO)
    assert breaker.state == CircuitState.CLOSED
