"""Helpers for the planner's unit tests: the built-in router's plan for a text, and the requests a text is split into."""

from __future__ import annotations

from collections.abc import Mapping

from agents.ceo import Plan, triage
from agents.routing.clauses import split
from agents.routing.lexicon import builtin_settings
from agents.routing.router import Router

VERBS = builtin_settings().action_verbs


def plan_of(router: Router, text: str) -> Plan:
    """The plan the CEO makes for ``text``."""
    return triage(router, text).plan


def requests(text: str, *, agents: Mapping[str, str] | None = None) -> list[str]:
    """The bare text of each request ``text`` is split into."""
    return [c.bare for c in split(text, VERBS, agents=agents)[0] if c.request]
