"""One-sentence rationales for routing decisions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agents.routing.examples import Neighbour
from agents.routing.lexicon import LexiconHit

_MAX_QUOTE = 70


@dataclass(frozen=True)
class Evidence:
    """Everything that moved the scores of one text."""

    raw: Mapping[str, float]
    hits: Mapping[str, Sequence[LexiconHit]]
    nearest: Mapping[str, Neighbour]
    correction: Neighbour | None = None

    def nearest_team(self, at_least: float) -> str | None:
        """The team of the nearest example when it is at least ``at_least`` similar (else None: the examples say
        nothing)."""
        near = [n for n in self.nearest.values() if n.similarity >= at_least]
        return max(near, key=lambda n: n.similarity).example.team if near else None

    def with_less_material(self, core: Evidence, *, share: float) -> Evidence:
        """The whole task's evidence with its material (a changelog, a quoted email, a log) counting less: ``core``
        (the requests and their context) weighs ``share``. A list of features inside a request for release notes
        says what the notes are about, not who writes them."""
        raw = {team: share * core.raw[team] + (1.0 - share) * self.raw[team] for team in self.raw}
        return Evidence(raw, self.hits, self.nearest, self.correction)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_QUOTE else text[: _MAX_QUOTE - 1].rstrip() + "…"


def top_labels(hits: Sequence[LexiconHit], limit: int) -> list[str]:
    """The distinct phrases that weighed most, strongest first."""
    best: dict[str, float] = {}
    for hit in hits:
        best[hit.words] = max(best.get(hit.words, 0.0), hit.weight)
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    return [label for label, _ in ranked[:limit]]


def _quoted_list(labels: Sequence[str]) -> str:
    return ", ".join(f'"{label}"' for label in labels)


def _reason(team: str, evidence: Evidence, gist: str) -> str:
    correction = evidence.correction
    if correction is not None and correction.example.team == team:
        how = "reassigned" if correction.example.source == "correction" else "assigned"
        return f'close to a task the founder {how} to {team} ("{_quote(correction.example.text)}")'
    labels = top_labels(evidence.hits.get(team, ()), 3)
    if labels:
        verb = "points" if len(labels) == 1 else "point"
        return f"{_quoted_list(labels)} {verb} to {gist}"
    nearest = evidence.nearest.get(team)
    if nearest is not None:
        return f'closest to known {team} tasks such as "{_quote(nearest.example.text)}"'
    return f"weak hints of {gist}"


def _runner_up(team: str, evidence: Evidence) -> str:
    labels = top_labels(evidence.hits.get(team, ()), 2)
    if labels:
        return f"runner-up {team} scored lower (only {_quoted_list(labels)})"
    return f"runner-up {team} had no matching words"


def explain(
    team: str,
    runner_up: str | None,
    evidence: Evidence,
    *,
    gists: Mapping[str, str],
    also: Sequence[str] = (),
    overrules: str | None = None,
) -> str:
    """E.g. 'content: "blog post" points to long-form writing; runner-up marketing scored lower (only "audience").'

    ``overrules``: the team the phrases pointed to when the reading of the whole task chose ``team`` instead."""
    if not any(evidence.raw.values()):
        return f"No clear signal for any team (no known task words), so {team} is only a low-confidence guess."
    parts = [f"{team}: {_reason(team, evidence, gists.get(team, f'the {team} charter'))}"]
    if overrules is not None:  # the coverage reader read the whole task as another team's than its phrases
        parts.append(f"read as a whole, the task asks for {team}'s work, though its phrases lean to {overrules}")
    elif runner_up is not None:
        parts.append(_runner_up(runner_up, evidence))
    if also:
        parts.append(f"the task also asks for {', '.join(also)}, so it is planned as {len(also) + 1} steps")
    return "; ".join(parts) + "."
