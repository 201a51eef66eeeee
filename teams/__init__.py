"""The six built-in teams, by name."""

from __future__ import annotations

from teams import code, content, devops, marketing, sales, support
from teams.base import ArtifactSpec, Role, Rubric, TeamSpec

TEAMS: dict[str, TeamSpec] = {
    t.name: t for t in (content.TEAM, code.TEAM, devops.TEAM, marketing.TEAM, sales.TEAM, support.TEAM)
}
TEAM_NAMES: tuple[str, ...] = tuple(TEAMS)


def get_team(name: str) -> TeamSpec:
    """The team called ``name``; ``KeyError`` names the known teams."""
    try:
        return TEAMS[name]
    except KeyError:
        raise KeyError(f"Unknown team {name!r}; the teams are: {', '.join(TEAM_NAMES)}.") from None


__all__ = ["TEAMS", "TEAM_NAMES", "ArtifactSpec", "Role", "Rubric", "TeamSpec", "get_team"]
