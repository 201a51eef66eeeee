"""What a team is: charter, roles, prompts, review rubric, artifact kind, model choice."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    name: str
    prompt: str  # a file under resources/prompts, e.g. "teams/content.md"


@dataclass(frozen=True)
class ArtifactSpec:
    extension: str  # of the main artifact, e.g. ".md"
    media_type: str
    extract_code_blocks: bool = False  # also save fenced code blocks as their own files


@dataclass(frozen=True)
class Rubric:
    """How the CEO judges the team's work: criteria for the model, checks for the code."""

    criteria: tuple[str, ...]
    min_words: int = 40
    must_match_any: tuple[str, ...] = ()  # regular expressions; one must match
    must_match_hint: str = ""  # what to add when none matches


@dataclass(frozen=True)
class TeamSpec:
    name: str
    description: str
    owns: str
    roles: tuple[Role, ...]
    rubric: Rubric
    artifact: ArtifactSpec
    color: str  # for the board
    model: str | None = None  # a configured model name; None uses the default
    custom: bool = False  # added by the founder (prompt: teams/custom.md)
    # Where the team's work usually sits when a plan's text states no order: lower runs first
    # (software 10, running it 20, writing about it 30, telling the market 40, deals and
    # customers 50). None: the planner takes the stage of the built-in team closest to the charter.
    stage: int | None = None

    @property
    def lead(self) -> Role:
        return self.roles[0]


def custom_team(name: str, description: str, *, stage: int | None = None) -> TeamSpec:
    """A team the founder added: a generic role and rubric around its charter."""
    return TeamSpec(
        name=name,
        description=description,
        owns=description,
        roles=(Role("specialist", "teams/custom.md"),),
        rubric=Rubric(criteria=("does what the task asks, within the team's charter",
                                "is complete and concrete"), min_words=30),
        artifact=ArtifactSpec(".md", "text/markdown"),
        color="#64748b",
        custom=True,
        stage=stage,
    )
