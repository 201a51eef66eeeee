"""Bureau's overhead: tokens/s of one agent step through Bureau vs a direct llama-cpp-python
call (same model, prompt, token limit), and Bureau's own bookkeeping time per task.

Targets: Bureau >= 0.97 of direct tokens/s; bookkeeping <= 5 ms per task.
Run: .venv/bin/python bench/overhead.py [--rounds 3] [--tasks 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agents.backends.base import Capabilities, ChatOptions, ChatResult, ModelBackend  # noqa: E402
from agents.team_agent import StepRequest, build_messages  # noqa: E402
from app.core.paths import embedded_model_path  # noqa: E402
from app.company import Company  # noqa: E402
from app.tasks.service import NewTask  # noqa: E402
from teams import TEAMS  # noqa: E402

TASK = "Write release notes for version 2.4: dark mode, CSV import, faster search"  # ends on its own (~420 tokens)
MAX_TOKENS = 1536  # the reply ends on its own well before this (else both sides would stop here)
TEMPERATURE = 0.2


def direct_tokens_per_second(llm, messages: list[dict[str, str]]) -> tuple[float, int]:
    started = time.perf_counter()
    tokens = 0
    for chunk in llm.create_chat_completion(messages=messages, max_tokens=MAX_TOKENS, temperature=TEMPERATURE, seed=7,
                                            repeat_penalty=1.15, stream=True):
        if chunk["choices"][0]["delta"].get("content"):
            tokens += 1
    return tokens / (time.perf_counter() - started), tokens


def bureau_tokens_per_second(company: Company) -> tuple[float, int]:
    """One real task through the engine, streamed to a listener as the app's window is.

    Timed from the step's start in the journal to the end of its reply, on the work step's only
    attempt (a retried step would compare other tokens): Bureau's per-token path (callbacks,
    cancellation checks, the lease heartbeat) and its step bookkeeping are inside the time.
    """
    pieces: list[str] = []
    task = company.tasks.submit(NewTask(text=TASK, team="content"))
    engine = company.engine(on_stream=lambda _task, _key, piece: pieces.append(piece))
    while company.tasks.detail(task.id).task.status in {"inbox", "queued", "running"}:
        engine.tick()
        if company.tasks.detail(task.id).task.status == "in_review":
            break
    step = [s for s in company.tasks.detail(task.id).steps if s.kind == "work"][0]
    assert step.attempts == 1 and step.status == "done", f"the work step ran {step.attempts} times: {step.error}"
    seconds = (step.finished_at - step.started_at).total_seconds()
    return step.tokens_out / seconds, step.tokens_out


class InstantBackend(ModelBackend):
    """Answers at once, so only Bureau's own work is timed."""

    name = "instant"
    capabilities = Capabilities(streaming=True, json_schema=True)
    text = ("# Keeping a tidy desk\n\n"
            "A tidy desk is not about looking organised; it is about finding the thing you need in the "
            "moment you need it. Start with one rule: everything on the desk earns its place every day.\n\n"
            "## Clear it every evening\n\nSpend five minutes before you leave putting papers in one tray, "
            "cables in a drawer and cups back in the kitchen. Tomorrow starts on a clean surface.\n\n"
            "## Keep only today's work in reach\n\nThe notebook, the laptop and the one file you are working "
            "on belong on the desk; reference books and old notes belong on a shelf behind you.\n\n"
            "## Make a home for small things\n\nPens, chargers and sticky notes drift when they have no "
            "place. A small box for each stops the drift and makes the evening clear-up quick.\n")

    def chat(self, messages, options=ChatOptions(), *, on_token=None, cancelled=None):  # type: ignore[override]
        if on_token is not None:
            on_token(self.text)
        return ChatResult(text=self.text, model=self.name, tokens_in=50, tokens_out=120,
                          finish_reason="stop", seconds=0.0)


def bookkeeping_ms_per_task(n_tasks: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        company = Company.open(Path(tmp))
        company.update_settings(review_with_model=False)
        backend = InstantBackend()
        company.models.backend_for = lambda role: backend  # type: ignore[method-assign]
        company.router()  # build the router once, as a running app has
        for i in range(n_tasks):
            company.tasks.submit(NewTask(text=f"Write a short blog post about keeping a tidy desk, number {i}"))
        started = time.perf_counter()
        company.engine().run_until_idle()
        elapsed = time.perf_counter() - started
        assert company.tasks.counts() == {"delivered": n_tasks}, company.tasks.counts()
        company.close()
    return elapsed * 1000 / n_tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        company = Company.open(Path(tmp))
        company.update_settings(model={"step_max_tokens": MAX_TOKENS, "temperature": TEMPERATURE, "n_ctx": 4096},
                                budgets={"max_step_attempts": 1})
        team = TEAMS["content"]
        messages = [{"role": m.role, "content": m.content}
                    for m in build_messages(StepRequest(team=team, role=team.lead, task_text=TASK))]
        bureau_tokens_per_second(company)  # loads the model
        # The direct side calls the very same loaded llama.cpp model (weights, threads, context);
        # its state is reset before every run on both sides, so both generate the same tokens.
        llm = company.models.default()._inner._llm  # type: ignore[attr-defined]
        direct, through = [], []
        for _ in range(args.rounds):
            llm.reset()
            direct.append(direct_tokens_per_second(llm, messages))
            llm.reset()
            through.append(bureau_tokens_per_second(company))
        company.close()
    d = statistics.median(x for x, _ in direct)
    b = statistics.median(x for x, _ in through)
    print(f"model: {embedded_model_path().name}, max_tokens={MAX_TOKENS}, temperature={TEMPERATURE}, rounds={args.rounds}")
    print(f"{'':28}{'direct':>12}{'bureau':>12}")
    print(f"{'tokens/s (median)':28}{d:>12.1f}{b:>12.1f}")
    print(f"{'tokens generated (median)':28}{statistics.median(t for _, t in direct):>12}"
          f"{statistics.median(t for _, t in through):>12}")
    print(f"bureau / direct: {b / d:.3f}  (target >= 0.97)")
    ms = bookkeeping_ms_per_task(args.tasks)
    print(f"bookkeeping per task without model time: {ms:.2f} ms over {args.tasks} tasks  (target <= 5 ms)")


if __name__ == "__main__":
    main()
