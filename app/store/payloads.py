"""The typed payloads of decisions: written and read here only.

A decision row's ``payload`` column holds one of these as JSON; which one follows from the
row's ``kind``. ``dump`` writes it; ``load_payload`` reads it back (old rows included: the
JSON shape is the one Bureau has always written, so `bureau show --json` stays compatible).
Unknown keys are kept, so a payload written by a newer Bureau survives a round trip.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.ceo import Plan

DecisionKind = Literal["route", "plan", "review", "founder"]


class _Payload(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    def dump(self) -> str:
        return json.dumps(self.to_json(), default=str)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True, mode="json")

    # What the engine reads off any decision (None where a kind does not carry it).
    @property
    def starts_round(self) -> int | None:
        return None

    @property
    def redo(self) -> tuple[str, ...]:
        return ()

    @property
    def plan(self) -> Plan | None:
        return None


class Alternative(BaseModel):
    team: str
    score: float


class RoutePayload(_Payload):
    alternatives: list[Alternative] = Field(default_factory=list)
    ms: float | None = None


class PlanPayload(_Payload):
    """The CEO's plan, stored as the plan's own JSON (``Plan.to_json``)."""

    shape: str
    steps: list[dict[str, Any]]

    @classmethod
    def of(cls, plan: Plan) -> PlanPayload:
        return cls.model_validate(plan.to_json())

    @property
    def plan(self) -> Plan:
        return Plan.from_json(self.to_json())


class CriticVerdict(BaseModel):
    model_config = ConfigDict(extra="allow")

    verdict: str
    notes: str = ""


class StepVerdict(BaseModel):
    """The CEO's verdict on one step's work in a review."""

    model_config = ConfigDict(extra="allow")

    step: str
    team: str
    verdict: Literal["pass", "rework"]
    notes: str = ""
    failed_checks: list[str] = Field(default_factory=list)
    check: bool | None = None  # decided by a loop's check, not by the critics
    critics: list[CriticVerdict] | None = None
    passes: str | None = None  # "2 of 3 (needs 2)"


class _StartsRound(_Payload):
    """A decision that may start a rework round: which round, and which steps are redone."""

    starts_round_: int | None = Field(default=None, alias="starts_round")
    redo_: list[str] | None = Field(default=None, alias="redo")

    model_config = ConfigDict(extra="allow", frozen=True, populate_by_name=True)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True, mode="json", by_alias=True)

    @property
    def starts_round(self) -> int | None:
        return self.starts_round_

    @property
    def redo(self) -> tuple[str, ...]:
        return tuple(self.redo_ or ())


class ReviewPayload(_StartsRound):
    round: int = 0
    verdicts: list[StepVerdict] = Field(default_factory=list)

    def notes_for(self, step_key: str) -> str | None:
        for verdict in self.verdicts:
            if verdict.step == step_key:
                return verdict.notes
        return None


class FounderPayload(_StartsRound):
    """A founder's action; a reassignment carries the new plan (flattened, as always)."""

    action: str
    note: str | None = None
    from_team: str | None = None
    budget: dict[str, float] | None = None
    shape: str | None = None  # with ``steps``: the plan the founder gave the task
    steps: list[dict[str, Any]] | None = None

    @classmethod
    def with_plan(cls, plan: Plan, **fields: Any) -> FounderPayload:
        return cls.model_validate({**fields, **plan.to_json()})

    @property
    def plan(self) -> Plan | None:
        if self.steps is None or self.shape is None:
            return None
        return Plan.from_json(self.to_json())


_KINDS: dict[str, type[_Payload]] = {"route": RoutePayload, "plan": PlanPayload, "review": ReviewPayload,
                                     "founder": FounderPayload}


class UnknownPayload(_Payload):
    """A decision of a kind this Bureau does not know (written by a newer one): kept as it is."""


DecisionPayload = RoutePayload | PlanPayload | ReviewPayload | FounderPayload | UnknownPayload


def load_payload(kind: str, raw: str | dict[str, Any] | None) -> DecisionPayload:
    """The typed payload of a decision row; a damaged one reads as an empty payload of its kind's fallback."""
    data = raw if isinstance(raw, dict) else json.loads(raw or "{}")
    model = _KINDS.get(kind, UnknownPayload)
    try:
        return model.model_validate(data)  # type: ignore[return-value]
    except ValidationError:
        return UnknownPayload.model_validate(data if isinstance(data, dict) else {})
