"""Evidence that only makes sense for one clause of a split task: its leading verb and its addressee.

"deploy it" is devops work and "document the failover steps" content work whatever the
rest of the sentence is about; "tell our leads" is sales, "tell the customers who reported
it" support. Whole tasks are routed without these cues.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from agents.routing.objects import object_phrase
from agents.routing.text import clean, stem, tokens
from agents.routing.verbs import is_base_verb

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class ClauseCues:
    verbs: dict[str, dict[str, float]]  # stemmed verb -> team -> weight
    address_verbs: frozenset[str]
    recipients: dict[tuple[str, ...], str]  # stemmed phrase -> team
    recipient_weight: float
    make_verbs: frozenset[str] = frozenset()  # "build ... page": the thing made decides
    made_things: frozenset[tuple[str, ...]] = frozenset()
    make_team: str = ""
    make_weight: float = 0.0
    agents: dict[str, str] = field(default_factory=dict)  # "devs" -> code: who work is handed to
    object_heads: dict[str, str] = field(default_factory=dict)  # stemmed head of the verb's object -> team
    object_weight: float = 0.0

    def verb_table(self, words: list[str]) -> dict[str, float]:
        """The leading verb's weights per team; "find and fix ...", "test and deploy ...": two verbs on one thing
        weigh as the stronger of the two for each team."""
        if not words:
            return {}
        table = dict(self.verbs.get(stem(words[0]), {}))
        if len(words) > 2 and words[1] == "and" and is_base_verb(words[0]) and is_base_verb(words[2]):
            for team, weight in self.verbs.get(stem(words[2]), {}).items():
                table[team] = max(weight, table.get(team, 0.0))
        return table

    def verb_team(self, bare: str) -> str | None:
        """The team the leading verb alone points to clearly (weight 2 or more), if any."""
        table = self.verb_table(tokens(clean(bare, max_chars=200)))
        best = max(table.items(), key=lambda item: item[1], default=None)
        return best[0] if best is not None and best[1] >= 2 else None

    def verb_weight(self, bare: str) -> float:
        """How strongly the leading verb alone points to one team (0 when it points nowhere)."""
        return max(self.verb_table(tokens(clean(bare, max_chars=200))).values(), default=0.0)

    def addressed(self, bare: str) -> bool:
        """Whether the clause names its recipient or channel ("tell our leads", "post it on linkedin")."""
        words = tokens(clean(bare, max_chars=2000))
        if not words or stem(words[0]) not in self.address_verbs or not _addresses(words):
            return False
        if len(words) > 1 and words[1] in _SAID:
            return False  # "mention we already work with two clinics": what to say, not whom to
        if words[0] in ("mention", "include", "note") and not {"to", "in", "on"} & set(words[1:12]):
            return False  # "mention the member app she liked": what to say ("mention it in the newsletter": where)
        stems = [stem(w) for w in words[1:12]]
        return any(tuple(stems[i:i + n]) in self.recipients for i in range(len(stems)) for n in (3, 2, 1))

    def makes(self, thing: str) -> bool:
        """Whether a verb's object is one of the things the cues know are made ("a pricing page", "an endpoint")."""
        stems = [stem(w) for w in tokens(clean(thing, max_chars=200))]
        return any(tuple(stems[-len(made):]) == made for made in self.made_things) if stems else False

    def verb_scores(self, bare: str, teams: frozenset[str]) -> dict[str, float]:
        """The part of ``scores`` that comes from the leading verb alone."""
        table = self.verb_table(tokens(clean(bare, max_chars=200)))
        return {team: weight for team, weight in table.items() if team in teams}

    def scores(self, bare: str, teams: frozenset[str]) -> dict[str, float]:
        """Extra raw score per team for a clause (already without its leading fillers)."""
        words = tokens(clean(bare, max_chars=2000))
        if not words:
            return {}
        verb = stem(words[0])
        out: dict[str, float] = {}
        for team, weight in self.verb_table(words).items():
            if team in teams:
                out[team] = out.get(team, 0.0) + weight
        stems = [stem(w) for w in words[1:12]]
        if verb in self.make_verbs and self.make_team in teams and any(
                tuple(stems[i:i + len(thing)]) == thing for thing in self.made_things for i in range(len(stems))):
            out[self.make_team] = out.get(self.make_team, 0.0) + self.make_weight
        head = _object_head(bare)
        team = self.object_heads.get(stem(head)) if head else None
        if team is not None and team in teams:  # "fix her invoice": the thing worked on says whose work it is
            out[team] = out.get(team, 0.0) + self.object_weight
        if verb in self.address_verbs and _addresses(words):
            found: set[str] = set()
            for i in range(len(stems)):
                for n in (3, 2, 1):
                    team = self.recipients.get(tuple(stems[i:i + n]))
                    if team is not None and team in teams and team not in found:
                        found.add(team)
                        out[team] = out.get(team, 0.0) + self.recipient_weight
                        break
        return out


def _addresses(words: list[str]) -> bool:
    """ "let ppl type an address" lets them do something; "let them know" tells them."""
    return words[0] != "let" or "know" in words[:12]


def _object_head(bare: str) -> str:
    words = tokens(clean(object_phrase(bare), max_chars=200))
    return words[-1] if words else ""


@lru_cache(maxsize=1)
def builtin_cues() -> ClauseCues:
    data = json.loads(resources.files("resources.routing").joinpath("clauses.json").read_text(encoding="utf-8"))
    verbs: dict[str, dict[str, float]] = {}
    for team, table in data["verbs"].items():
        for verb, weight in table.items():
            verbs.setdefault(stem(verb), {})[team] = float(weight)
    recipients = {tuple(stem(w) for w in phrase.split()): team
                  for team, phrases in data["recipients"].items() for phrase in phrases}
    return ClauseCues(verbs=verbs, address_verbs=frozenset(stem(v) for v in data["address_verbs"]),
                      recipients=recipients, recipient_weight=float(data["recipient_weight"]),
                      make_verbs=frozenset(stem(v) for v in data["makes"]["verbs"]),
                      made_things=frozenset(tuple(stem(w) for w in t.split()) for t in data["makes"]["things"]),
                      make_team=data["makes"]["team"], make_weight=float(data["makes"]["weight"]),
                      agents={name.casefold(): team for team, names in data["agents"].items() if team != "about"
                              for name in names},
                      object_heads={stem(head): team for team, heads in data["object_heads"].items()
                                    if isinstance(heads, list) for head in heads},
                      object_weight=float(data["object_heads"]["weight"]))


_SAID = frozenset("we i it they that how why what".split())  # what follows a speech verb, when it opens what is said
