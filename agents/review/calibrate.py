"""Can this model judge? A few known-good and known-bad pieces of work that the checks alone cannot tell apart.

Every bad piece here passes the checks (it is on topic, well formed, the right length) but is wrong in a
way a capable reviewer sees: the checks alone get the good ones right and the bad ones wrong. A model's
verdict is used only when it beats that: it catches at least half the bad pieces and sends back at most
one good piece. The bad pieces come
first, so a model that passes everything is found out after a handful of calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import Literal

from pydantic import BaseModel

from agents.backends.base import CancelCheck, ChatMessage, ChatOptions, ModelBackend
from agents.review.checks import Check
from agents.structured import StructuredOutputError, ask_structured
from teams.base import TeamSpec


NEED_CATCHES = 2  # a judge must catch at least half of the bad pieces


@dataclass(frozen=True)
class Pair:
    team: str
    task: str
    good: str
    bad: str  # passes every check, but is wrong


PAIRS: tuple[Pair, ...] = (
    Pair("support", "Reply to Maria, who was charged twice for her March invoice",
         "Hi Maria,\n\nI'm sorry you were charged twice for your March invoice. I have refunded the duplicate "
         "charge today; it reaches your card within five business days.\n\nBest regards,\nThe Support Team",
         "Hi Maria,\n\nYou were charged twice for your March invoice because you clicked twice, so the second "
         "charge is your own fault and we will not refund it. Please be more careful.\n\nRegards,\nThe Support Team"),
    Pair("code", "Write a Python function that checks whether a number is prime",
         "```python\ndef is_prime(n: int) -> bool:\n    if n < 2:\n        return False\n    for d in range(2, "
         "int(n ** 0.5) + 1):\n        if n % d == 0:\n            return False\n    return True\n```\n"
         "It checks whether a number is prime: `is_prime(7)` is True, `is_prime(8)` is False.",
         "```python\ndef is_prime(n: int) -> bool:\n    return n % 2 == 1\n```\n"
         "It checks whether a number is prime: `is_prime(7)` is True, `is_prime(8)` is False."),
    Pair("marketing", "Write a tweet announcing our new dark mode",
         "Dark mode is here! Easier on your eyes at night and kinder to your battery. Update the app today and "
         "switch it on in Settings.",
         "Dark mode is here! Sadly it drains your battery, hurts your eyes and hides half the buttons. "
         "Update the app today anyway."),
    Pair("content", "Write a short blog post about why small businesses should back up their data",
         "# Back up your data\n\nA small business lives on its data: invoices, customer lists and contracts. "
         "A stolen laptop or a failed disk can erase years of work in a minute. Keep three copies of your data, "
         "on two kinds of storage, with one copy off site, and test a restore every month. Backups cost little; "
         "losing your data can end the business.",
         "# Back up your data\n\nSmall businesses rarely need to back up their data. Disks almost never fail, "
         "laptops are seldom stolen, and cloud services keep everything safe forever, so a backup is money "
         "spent on a problem that does not happen. Skip it and put the time into sales instead."),
)


class VerdictOnly(BaseModel):
    verdict: Literal["pass", "rework"]


def model_verdict(backend: ModelBackend, team: TeamSpec, task: str, output: str, options: ChatOptions, *,
                  cancelled: CancelCheck | None = None) -> str:
    """The model's bare verdict on one piece (the same prompt as the review; no notes, so it is quick)."""
    from agents.review import model_prompt, what_was_asked

    prompt = model_prompt(team, what_was_asked(task), task, output, "the criteria as a whole")
    return ask_structured(backend, [ChatMessage("user", prompt)], VerdictOnly, options, cancelled=cancelled).value.verdict


@dataclass(frozen=True)
class Calibration:
    model: str
    trusted: bool
    model_right: int
    checks_right: int
    asked: int  # how many pieces the model judged (it stops once it cannot win)
    false_passes: int
    false_reworks: int

    @property
    def summary(self) -> str:
        verdict = "its verdict is used" if self.trusted else "its verdict is not used (reviewed by checks only)"
        return (f"{self.model}: {self.model_right} of {self.asked} calibration pieces right "
                f"({self.false_passes} bad passed, {self.false_reworks} good sent back); {verdict}.")


def calibrate(backend: ModelBackend, teams: dict[str, TeamSpec], options: ChatOptions, *,
              cancelled: CancelCheck | None = None) -> Calibration:
    """Judge the built-in pairs with ``backend``; trusted only when it beats the checks alone."""
    fast = ChatOptions(max_tokens=24, temperature=0.0, seed=options.seed, priority=options.priority)
    pieces = [(p, p.bad, "rework") for p in PAIRS] + [(p, p.good, "pass") for p in PAIRS]
    total = len(pieces)
    checks_right = len(PAIRS)  # every piece passes the checks: right on the good ones only
    right = asked = false_passes = false_reworks = 0
    for pair, output, expected in pieces:
        try:
            verdict = model_verdict(backend, teams[pair.team], pair.task, output, fast, cancelled=cancelled)
        except StructuredOutputError:  # an unavailable model (BackendError) is not a verdict: it propagates
            verdict = "none"
        asked += 1
        right += verdict == expected
        false_passes += expected == "rework" and verdict != "rework"
        false_reworks += expected == "pass" and verdict != "pass"
        if right + (total - asked) <= checks_right or false_reworks > 1 or false_passes > len(PAIRS) - NEED_CATCHES:
            break  # it can no longer beat the checks alone
    trusted = asked == total and right > checks_right and false_reworks <= 1 and \
        len(PAIRS) - false_passes >= NEED_CATCHES
    return Calibration(model=backend.name, trusted=trusted, model_right=right, checks_right=checks_right,
                       asked=asked, false_passes=false_passes, false_reworks=false_reworks)


def pieces_pass_checks() -> list[tuple[str, list[Check]]]:
    """For tests: the checks' findings on every calibration piece (all must pass)."""
    from agents.review import check_work

    return [(out[:40], check_work(task_text=p.task, output=out)[1]) for p in PAIRS for out in (p.good, p.bad)]
