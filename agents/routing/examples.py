"""A small TF-IDF nearest-neighbour index over labelled example tasks (stdlib only)."""

from __future__ import annotations

import heapq
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from agents.routing.text import index_terms


@dataclass(frozen=True)
class IndexedExample:
    """One example as the index sees it."""

    text: str
    team: str
    weight: float
    source: str = "builtin"


@dataclass(frozen=True)
class Neighbour:
    """An example close to the query, with its cosine similarity."""

    example: IndexedExample
    similarity: float


def _tf(count: int) -> float:
    return 1.0 + math.log(count)


class ExampleIndex:
    """Cosine similarity between a query and every example, through an inverted index."""

    def __init__(self, examples: Sequence[IndexedExample], *, max_chars: int) -> None:
        self._examples = tuple(examples)
        self._max_chars = max_chars
        term_lists = [Counter(index_terms(e.text, max_chars=max_chars)) for e in self._examples]
        df: Counter[str] = Counter()
        for terms in term_lists:
            df.update(terms.keys())
        n = len(self._examples)
        self._idf = {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}
        self._unknown_idf = math.log(n + 1) + 1.0
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for doc_id, terms in enumerate(term_lists):
            weights = {t: _tf(c) * self._idf[t] for t, c in terms.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for term, w in weights.items():
                self._postings.setdefault(term, []).append((doc_id, w / norm))

    def __len__(self) -> int:
        return len(self._examples)

    def neighbours(self, text: str, *, limit: int = 10) -> list[Neighbour]:
        """The most similar examples, best first (ties broken by example order)."""
        if not self._examples:
            return []
        query = Counter(index_terms(text, max_chars=self._max_chars))
        weights = {t: _tf(c) * self._idf.get(t, self._unknown_idf) for t, c in query.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if not norm:
            return []
        scores: defaultdict[int, float] = defaultdict(float)
        postings = self._postings
        for term, w in weights.items():
            for doc_id, doc_w in postings.get(term, ()):
                scores[doc_id] += w * doc_w
        items = scores.items()
        if len(scores) > limit:  # the scores at or above the limit-th best, then sorted()[:limit]: the same, faster
            cut = heapq.nlargest(limit, scores.values())[-1]
            items = [(doc_id, score) for doc_id, score in items if score >= cut]
        ranked = sorted(items, key=lambda item: (-item[1], item[0]))[:limit]
        return [Neighbour(self._examples[i], s / norm) for i, s in ranked if s > 0]


def team_similarity(neighbours: Sequence[Neighbour], teams: Sequence[str], *, k: int = 3) -> dict[str, float]:
    """Per team: the weighted mean of its k best similarities (0 when it has none)."""
    best: dict[str, list[float]] = {team: [] for team in teams}
    for n in neighbours:
        bucket = best.get(n.example.team)
        if bucket is not None and len(bucket) < k:
            bucket.append(min(1.0, n.similarity * n.example.weight))
    return {team: sum(sims) / k for team, sims in best.items()}


LABELLED_FILE = "labelled_examples.jsonl"
LABELLED_WEIGHT = 2.5  # a labelled task's similarity counts this much in the vote (measured by bench/examples.py)


@lru_cache(maxsize=2)
def labelled_index(max_chars: int) -> ExampleIndex | None:
    """The labelled one-team task sets (resources/routing/labelled_examples.jsonl, written by
    ``bench/examples.py --write``) as one read-only index; None when the file is not there."""
    path = resources.files("resources.routing").joinpath(LABELLED_FILE)
    if not path.is_file():
        return None
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return labelled_examples_index(((row["text"], row["team"]) for row in rows), max_chars=max_chars)


def labelled_examples_index(pairs: Iterable[tuple[str, str]], *, max_chars: int) -> ExampleIndex:
    """(text, team) pairs as the labelled sets' index: each similarity weighs ``LABELLED_WEIGHT`` in the vote."""
    return ExampleIndex([IndexedExample(text, team, LABELLED_WEIGHT, "labelled") for text, team in pairs],
                        max_chars=max_chars)
