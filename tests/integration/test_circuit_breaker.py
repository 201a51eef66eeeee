"""The circuit breaker against the real llama_cpp.server on loopback, stopped and started again."""

import time

import pytest

from agents.backends.base import BackendUnavailable, ChatMessage, ChatOptions
from agents.backends.circuit import CircuitBreaker, CircuitOpen, CircuitState
from agents.backends.openai_compat import OpenAICompatBackend
from app.core.paths import embedded_model_path
from tests.support.servers import free_port, llama_cpp_server

pytestmark = pytest.mark.model

ASK = [ChatMessage("user", "Reply with one word: hello.")]
SHORT = ChatOptions(max_tokens=96)  # room for a small model that says more than asked


def test_a_dead_server_opens_the_breaker_and_a_restarted_one_closes_it():
    port = free_port()
    with llama_cpp_server(embedded_model_path(), port=port) as base_url:
        breaker = CircuitBreaker(OpenAICompatBackend("smollm2", base_url=base_url, name="box", timeout=30),
                                 failures_to_open=2, cooldown=1.0)
        assert breaker.chat(ASK, SHORT).text
    # The server is gone: two real failures open the breaker.
    for _ in range(2):
        with pytest.raises(BackendUnavailable):
            breaker.chat(ASK, SHORT)
    assert breaker.state == CircuitState.OPEN
    started = time.monotonic()
    with pytest.raises(CircuitOpen, match="box failed 2 times in a row"):
        breaker.chat(ASK, SHORT)
    assert time.monotonic() - started < 0.05  # refused at once, without waiting on the network
    with llama_cpp_server(embedded_model_path(), port=port):
        time.sleep(max(0.0, breaker.retry_in()))
        assert breaker.state == CircuitState.HALF_OPEN
        assert breaker.chat(ASK, SHORT).text  # the probe succeeds
        assert breaker.state == CircuitState.CLOSED


def test_tasks_wait_with_the_reason_while_the_server_is_down(company, monkeypatch):
    """The engine turns an open breaker into a waiting task with the reason, not a failed one."""
    from app.tasks.service import NewTask

    breaker = CircuitBreaker(OpenAICompatBackend("smollm2", base_url=f"http://127.0.0.1:{free_port()}/v1",
                                                 name="gpu-box", timeout=2), failures_to_open=1, cooldown=60)
    monkeypatch.setattr(company.models, "backend_for", lambda role: breaker)
    monkeypatch.setattr("app.engine.phases.random.uniform", lambda a, b: 0.01)  # short backoff
    task = company.tasks.submit(NewTask(text="Write a short blog post about tidy desks", team="content"))
    engine = company.engine()
    engine.tick()
    detail = company.tasks.detail(task.id).task
    assert detail.status == "queued" and "Retrying in" in detail.waiting_reason
    assert breaker.state == CircuitState.OPEN
    time.sleep(0.1)
    engine.tick()  # the retry meets the open breaker: refused at once, and the founder is told why
    detail = company.tasks.detail(task.id).task
    assert detail.status == "queued"
    assert "gpu-box failed 1 times in a row" in detail.waiting_reason and "try it again in" in detail.waiting_reason
