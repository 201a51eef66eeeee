"""Weighted phrase lexicon for the router: loading, extending and matching against a task text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from agents.routing.text import FILLER_WORDS, STOP_WORDS, clean, stem, tokens

NEUTRAL = "neutral"
NOT_DIRECT = -1
_CHUNK_RE = re.compile(r"[;,:!?()\[\]\n]|\.(?=\s|$)")
_NAMED_RE = re.compile(r"\b(?:at|for|with|to|from)\s+([A-Z][A-Za-z0-9&]*[A-Za-z][A-Za-z0-9&]*)")
_LEAD_MIN_WEIGHT = 4.0
_LEAD_BONUS = 1.3
_DISCOUNT_RESET = frozenset({"and", "then", "but", "so", "while", "plus", "into"})


@dataclass(frozen=True)
class LexiconHit:
    """One matched phrase and what it contributed to one team."""

    team: str
    phrase: str  # the lexicon entry (counted once per text)
    words: str  # the words of the task that matched it
    weight: float
    position: int  # token index of a direct phrase; NOT_DIRECT for co-occurrences and names

    @property
    def direct(self) -> bool:
        return self.position != NOT_DIRECT


@dataclass(frozen=True)
class _Entry:
    team: str
    weight: float
    label: str


@dataclass(frozen=True)
class _Cooc:
    team: str
    weight: float
    label: str
    parts: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Token:
    stem: str
    discounted: bool
    raw_index: int


@dataclass(frozen=True)
class LexiconSettings:
    """Non-phrase settings of the lexicon file."""

    topic_markers: tuple[tuple[str, ...], ...] = ()
    topic_discount: float = 0.5
    action_verbs: frozenset[str] = frozenset()
    common_capitalised: frozenset[str] = frozenset()
    named_company_team: str = "sales"
    named_company_weight: float = 2.0
    team_mention_weight: float = 4.0
    gists: Mapping[str, str] = field(default_factory=dict)


def phrase_key(phrase: str) -> tuple[str, ...]:
    """The matching key of a phrase: stemmed words without filler words."""
    return tuple(stem(t) for t in tokens(clean(phrase, max_chars=500)) if t not in FILLER_WORDS)


class Lexicon:
    """Phrases (and co-occurring phrase pairs) with per-team weights; immutable once built."""

    def __init__(self, settings: LexiconSettings) -> None:
        self.settings = settings
        self._phrases: dict[tuple[str, ...], list[_Entry]] = {}
        self._coocs: list[_Cooc] = []
        self._max_len = 1
        self._vocabulary: set[str] = set()
        self._teams: set[str] = set()
        self._first_words: set[str] = set()
        self._markers_by_first: dict[str, list[tuple[str, ...]]] = {}
        for marker in settings.topic_markers:
            self._markers_by_first.setdefault(marker[0], []).append(marker)
        self._cooc_len = 1

    # -- building -------------------------------------------------------------------------
    def add_phrase(self, team: str, phrase: str, weight: float) -> None:
        """Add one phrase ('a ~ b' adds a co-occurrence rule); the highest weight per team wins."""
        if "~" in phrase:
            self._add_cooc(team, phrase, weight)
            return
        key = phrase_key(phrase)
        if not key:
            return
        entries = self._phrases.setdefault(key, [])
        for i, entry in enumerate(entries):
            if entry.team == team:
                if weight > entry.weight:
                    entries[i] = _Entry(team, weight, entry.label)
                return
        entries.append(_Entry(team, weight, phrase.strip()))
        self._teams.add(team)
        self._first_words.add(key[0])
        self._max_len = max(self._max_len, len(key))
        self._vocabulary.update(t for t in tokens(clean(phrase, max_chars=500)))

    def _add_cooc(self, team: str, phrase: str, weight: float) -> None:
        parts = tuple(phrase_key(p) for p in phrase.split("~"))
        if len(parts) >= 2 and all(parts):
            label = " … ".join(p.strip() for p in phrase.split("~"))
            self._coocs.append(_Cooc(team, weight, label, parts))
            self._cooc_len = max(self._cooc_len, *(len(p) for p in parts))

    def add_tiers(self, team: str, tiers: Mapping[str, Iterable[str]]) -> None:
        """Add phrases grouped as {"weight": [phrases]}."""
        for weight_text, phrases in tiers.items():
            for phrase in phrases:
                self.add_phrase(team, phrase, float(weight_text))

    def knows_word(self, word: str) -> bool:
        return word in self._vocabulary or word in self.settings.common_capitalised

    # -- matching -------------------------------------------------------------------------
    def match(self, text: str, *, max_chars: int, lead_bonus: float = _LEAD_BONUS) -> list[LexiconHit]:
        """All phrase hits in the text, longest phrase first, with topic discount and lead bonus."""
        cleaned = clean(text, max_chars=max_chars)
        hits: list[LexiconHit] = []
        present: set[tuple[str, ...]] = set()
        offset = 0
        for chunk_text in _CHUNK_RE.split(cleaned):
            raw = tokens(chunk_text)
            chunk = self._chunk_tokens(raw)
            hits.extend(self._match_chunk(chunk, raw, offset, present))
            offset += len(chunk)
        hits = _apply_lead_bonus(hits, lead_bonus)
        hits.extend(self._match_coocs(present))
        hits.extend(self._named_companies(text[:max_chars]))
        return hits

    def _chunk_tokens(self, raw: Sequence[str]) -> list[_Token]:
        out: list[_Token] = []
        discounted = False
        for i, word in enumerate(raw):
            if word in _DISCOUNT_RESET:
                discounted = False
            elif not discounted and self._marker_at(raw, i):
                discounted = True
            if word not in FILLER_WORDS:
                out.append(_Token(stem(word), discounted, i))
        return out

    def _marker_at(self, raw: Sequence[str], i: int) -> bool:
        markers = self._markers_by_first.get(raw[i], ())
        return any(tuple(raw[i : i + len(marker)]) == marker for marker in markers)

    def _match_chunk(
        self, chunk: Sequence[_Token], raw: Sequence[str], offset: int, present: set[tuple[str, ...]]
    ) -> list[LexiconHit]:
        stems = [t.stem for t in chunk]
        for n in range(1, self._cooc_len + 1):
            present.update(tuple(stems[i : i + n]) for i in range(len(stems) - n + 1))
        hits: list[LexiconHit] = []
        i = 0
        while i < len(stems):
            length = self._longest_at(stems, i)
            if not length:
                i += 1
                continue
            factor = self.settings.topic_discount if chunk[i].discounted else 1.0
            label = " ".join(raw[chunk[i].raw_index : chunk[i + length - 1].raw_index + 1])
            for entry in self._phrases[tuple(stems[i : i + length])]:
                if entry.team != NEUTRAL:
                    hits.append(LexiconHit(entry.team, entry.label, label, entry.weight * factor, offset + i))
            i += length
        return hits

    def _longest_at(self, stems: Sequence[str], i: int) -> int:
        if stems[i] not in self._first_words:
            return 0
        for n in range(min(self._max_len, len(stems) - i), 0, -1):
            if tuple(stems[i : i + n]) in self._phrases:
                return n
        return 0

    def _match_coocs(self, present: set[tuple[str, ...]]) -> list[LexiconHit]:
        return [
            LexiconHit(c.team, c.label, c.label, c.weight, NOT_DIRECT)
            for c in self._coocs
            if all(part in present for part in c.parts)
        ]

    def _named_companies(self, text: str) -> list[LexiconHit]:
        team = self.settings.named_company_team
        if team not in self._teams:
            return []
        for match in _NAMED_RE.finditer(text):
            name = match.group(1)
            if not self.knows_word(name.casefold()) and name.casefold() not in STOP_WORDS:
                label = f"named company {name}"
                return [LexiconHit(team, label, name, self.settings.named_company_weight, NOT_DIRECT)]
        return []


def _apply_lead_bonus(hits: list[LexiconHit], bonus: float) -> list[LexiconHit]:
    """The first unmistakable phrase usually names the deliverable: weigh it more."""
    lead = next((h.position for h in hits if h.weight >= _LEAD_MIN_WEIGHT), None)
    if lead is None:
        return hits
    return [
        LexiconHit(h.team, h.phrase, h.words, h.weight * bonus, h.position) if h.position == lead else h
        for h in hits
    ]


@lru_cache(maxsize=1)
def builtin_data() -> dict:
    text = resources.files("resources.routing").joinpath("lexicon.json").read_text(encoding="utf-8")
    return json.loads(text)


def builtin_settings() -> LexiconSettings:
    """Settings from the built-in lexicon file."""
    data = builtin_data()
    return LexiconSettings(
        topic_markers=tuple(tuple(tokens(m)) for m in data.get("topic_markers", ())),
        topic_discount=float(data.get("topic_discount", 0.5)),
        action_verbs=frozenset(data.get("action_verbs", ())),
        common_capitalised=frozenset(data.get("common_capitalised", ())),
        named_company_weight=float(data.get("named_company_weight", 2.0)),
        team_mention_weight=float(data.get("team_mention_weight", 4.0)),
        gists=dict(data.get("gists", {})),
    )


def builtin_tiers(team: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The phrase tiers and co-occurrence tiers of one built-in team (empty when unknown); read-only."""
    data = builtin_data()
    return dict(data["teams"].get(team, {})), dict(data.get("cooccurrence", {}).get(team, {}))
