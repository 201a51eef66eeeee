"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from agents.routing.router import Router, builtin_team_profiles


@pytest.fixture(scope="session")
def builtin_router() -> Router:
    """The router on the built-in teams and the shipped reader (read-only: share it)."""
    return Router(builtin_team_profiles())
