"""A scripted model's default answer: plausible work of the kind the task asks for (unit tests only).

It is on topic (it names the task's key terms), well formed for its kind and not repetitive,
so that tests about the engine are not tripped by the CEO's checks; tests about the review
script their own outputs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from agents.backends.base import ChatMessage
from agents.review.asked import what_was_asked
from agents.review.text import content_words

FILLER = (
    "Start with the one change that matters most this week.",
    "Keep the steps small enough to finish in an afternoon.",
    "Measure the result after seven days and write down what you learned.",
    "Share the outcome with the team so that everyone benefits.",
    "Plan a short review at the end of the month to decide what to keep.",
    "Ask one customer for feedback before you change anything else.",
    "Write the decision down where the whole company can find it later.",
    "Repeat what worked and drop what did not, without regret.",
    "Budget an hour on Friday for the follow-up work.",
    "Small, steady improvements beat a big plan that never ships.",
)


def task_of(messages: Sequence[ChatMessage]) -> tuple[str, str]:
    """The step's task, and the content words of any rework note in the prompt."""
    user = messages[-1].content
    m = re.search(r"^Task: (.+)$", user, re.M)
    task = m.group(1).strip() if m else user.strip().splitlines()[0]
    note = re.search(r"The reviewer's notes: (.+)", user)
    wanted = " ".join(content_words(note.group(1))) if note else ""
    return task, wanted


def plausible_answer(messages: Sequence[ChatMessage]) -> str:
    task, wanted = task_of(messages)
    asked = what_was_asked(task)
    topic = " ".join(dict.fromkeys([*asked.terms, *asked.entities, *asked.items])) or "the task"
    focus = f" This version focuses on {wanted}." if wanted else ""
    if asked.kind == "code":
        return (f"```python\ndef solve(value):\n    \"\"\"Handles {topic}.\"\"\"\n    return value\n```\n\n"
                f"Run solve() with a sample value to check {topic}.{focus}")
    if asked.kind in ("tweet", "subject", "haiku"):
        return f"News about {topic}: try it today!{focus}"[:260]
    if asked.kind == "list" and asked.count:
        return "\n".join(f"{i + 1}. {topic.capitalize()}: {FILLER[i % len(FILLER)]}" for i in range(asked.count))
    if asked.kind == "release_notes":
        changes = asked.items or (topic,)
        return f"# Release notes\n\n" + "\n".join(f"- {c}: now faster and simpler." for c in changes) + focus
    greeting = f"Hi {asked.recipient}," if asked.recipient else "Hi there,"
    body = f"This is about {topic}.{focus} " + " ".join(FILLER)
    if asked.kind == "email":
        return f"{greeting}\n\n{body}\n\nBest regards,\nThe Team"
    return f"# {topic.capitalize()}\n\n{body}\n\nThat is all it takes; the rest follows from practice."
