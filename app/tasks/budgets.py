"""Loop and stall breakers: each task's budgets of rework rounds, steps, tokens and wall time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import ValidationError

from app.core.errors import InvalidInput
from app.core.settings import Budgets
from app.store.snapshot import TaskSnapshot

Limit = Literal["steps", "tokens", "minutes"]
LIMITS: tuple[Limit, ...] = ("steps", "tokens", "minutes")


@dataclass(frozen=True)
class Usage:
    steps: int  # model calls made, retries included
    tokens: int
    minutes: float


@dataclass(frozen=True)
class Overrun:
    limit: Limit
    used: float
    allowed: float

    def message(self) -> str:
        unit = {"steps": "steps", "tokens": "tokens", "minutes": "minutes"}[self.limit]
        return (f"Stopped: this task used {self.used:,.0f} {unit}; its budget is {self.allowed:,.0f}. "
                "Approve to continue with twice the budget, or accept, rework or cancel it.")


def usage_of(task: TaskSnapshot, *, now: datetime | None = None) -> Usage:
    starts = [s.started_at for s in task.steps if s.started_at]
    minutes = 0.0
    if starts:
        first = datetime.fromisoformat(min(starts)).replace(tzinfo=UTC)
        minutes = ((now or datetime.now(UTC)) - first).total_seconds() / 60
    return Usage(steps=sum(s.attempts for s in task.steps), tokens=sum(s.tokens for s in task.steps), minutes=minutes)


def allowed(task: TaskSnapshot, defaults: Budgets) -> dict[Limit, float]:
    """The task's budgets: its own overrides over the settings' defaults."""
    base: dict[Limit, float] = {"steps": defaults.max_steps, "tokens": defaults.max_tokens,
                                "minutes": defaults.max_minutes}
    for limit in LIMITS:
        if limit in task.budget:
            base[limit] = float(task.budget[limit])
    return base


def overrun(task: TaskSnapshot, defaults: Budgets, *, now: datetime | None = None) -> Overrun | None:
    used = usage_of(task, now=now)
    limits = allowed(task, defaults)
    for limit in LIMITS:
        value = float(getattr(used, limit))
        if value > limits[limit]:  # a budget of N allows N: the task stops on exceeding it
            return Overrun(limit=limit, used=value, allowed=limits[limit])
    return None


# A task's own budgets (``task.budget``) and the settings field each one overrides.
OVERRIDES: dict[str, str] = {"rounds": "max_rework_rounds", "steps": "max_steps", "tokens": "max_tokens",
                             "minutes": "max_minutes"}
CLI_FLAGS: dict[str, str] = {key: f"--max-{key}" for key in OVERRIDES}
IMPORT_FIELDS: dict[str, str] = {key: f"max_{key}" for key in OVERRIDES}


def check_overrides(values: Mapping[str, Any], *, names: Mapping[str, str] = CLI_FLAGS) -> dict[str, float]:
    """A task's budget overrides, checked by the same rules as ``settings.json`` (``Budgets``).

    ``names`` says how the founder wrote each key (a CLI flag, an import field), for the message.
    """
    checked: dict[str, float] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key not in OVERRIDES:
            raise InvalidInput(f"There is no budget called {key!r}.",
                               fix=f"Budgets are: {', '.join(names.get(k, k) for k in OVERRIDES)}.")
        name = names.get(key, key)
        if isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
            raise InvalidInput(f"{name} must be a number, not {value!r}.", fix=_example(key, name))
        try:
            model = Budgets.model_validate({OVERRIDES[key]: value})
        except ValidationError as exc:
            raise InvalidInput(f"{name} {_requirement(exc)}, not {value!r}.", fix=_example(key, name)) from None
        checked[key] = getattr(model, OVERRIDES[key])
    return checked


def budget_lines(task: TaskSnapshot, defaults: Budgets, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Each budget of ``task``: what it allows, what was used, and whether it is the task's own."""
    used = usage_of(task, now=now)
    limits = allowed(task, defaults)
    rounds = float(task.budget.get("rounds", defaults.max_rework_rounds))
    rows = [{"name": "rounds", "allowed": _num(rounds), "used": task.round, "own": "rounds" in task.budget}]
    for limit in LIMITS:
        rows.append({"name": limit, "allowed": _num(limits[limit]), "used": _num(round(float(getattr(used, limit)), 2)),
                     "own": limit in task.budget})
    return rows


def _num(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _requirement(exc: ValidationError) -> str:
    err = exc.errors()[0]
    ctx = err.get("ctx") or {}
    match err["type"]:
        case "greater_than_equal":
            return f"must be at least {ctx['ge']:g}"
        case "greater_than":
            return f"must be more than {ctx['gt']:g}"
        case "less_than_equal":
            return f"must be at most {ctx['le']:g}"
        case "less_than":
            return f"must be less than {ctx['lt']:g}"
        case "int_type" | "int_parsing" | "int_from_float":
            return "must be a whole number"
        case _:
            return "must be a number"


def _example(key: str, name: str) -> str:
    default = Budgets.model_fields[OVERRIDES[key]].default
    allowed_values = {"rounds": "a whole number from 0 to 10", "steps": "a whole number of 1 or more",
                      "tokens": "a whole number of 100 or more", "minutes": "a number above 0"}[key]
    return f"Give {allowed_values} (the default is {default:g}), for example: {name} {default:g}."
