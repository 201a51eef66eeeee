"""What the engine asks around a step: the facts to give it, the claims to check, the draft to keep.

``Grounder.prepare`` picks the profile facts the team's charter needs and retrieves the
knowledge-base sections for the step (support, sales and content always; any team when the
step asks about prices, refunds, data or support hours). When the founder has set up a
profile or a knowledge base and neither holds what the step asks about, the step waits for
the founder instead of inventing; approving lets it go on without those facts.
``problems`` is the review's grounding check; ``after_work`` keeps outbound drafts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from agents.grounding import (
    FACT_TOPICS,
    Grounding,
    ProfileFact,
    Source,
    citations,
    grounding_problems,
    topics_asked,
)
from agents.outbound import draft_from_output, founder_recipients, outbound_kind
from app.knowledge.index import Hit, KnowledgeBase
from app.knowledge.outbound import OutboundService
from app.knowledge.profile import ProfileStore, facts, field_text
from app.store.db import Database
from teams.base import TeamSpec
from teams.profile_needs import GROUNDED_TEAMS, TOPIC_FIELDS, profile_fields

SECTIONS_PER_STEP = 3
WAIT_MARK = "found nothing about"
_TOPIC_WORDS = {"prices": "prices and plans", "refunds": "refunds", "data": "data export or deletion",
                "support_hours": "support hours"}
_TOPIC_FIX = {"prices": 'bureau company set plans "Starter: $9 a month; Pro: $29 a month"',
              "refunds": 'bureau company set policies.refunds "..."', "data": 'bureau company set policies.data "..."',
              "support_hours": 'bureau company set policies.support_hours "..."'}


@dataclass(frozen=True)
class Prepared:
    grounding: Grounding | None
    wait_reason: str | None = None
    record: dict[str, Any] = field(default_factory=dict)  # what the step journal keeps of it


class Grounder:
    def __init__(self, db: Database, kb: KnowledgeBase, profile: ProfileStore, outbound: OutboundService) -> None:
        self.db = db
        self.kb = kb
        self.profile = profile
        self.outbound = outbound

    # -- before the step ---------------------------------------------------------------
    def prepare(self, *, task_id: int, team: TeamSpec, step_text: str, task_text: str) -> Prepared:
        profile = self.profile()
        has_kb = self.kb.section_count() > 0
        if profile.empty and not has_kb:
            return Prepared(None)  # nothing set up yet: the team works as before
        topics = topics_asked(step_text)
        given = facts(profile, profile_fields(team, topics))
        product = profile.product_name.lower()
        wants_kb = team.name in GROUNDED_TEAMS or bool(topics) or bool(product and product in step_text.lower())
        hits = self._relevant(step_text, topics) if has_kb and wants_kb else []
        missing = [t for t in sorted(topics) if not self._covered(t, hits, profile)]
        go_on = False
        if topics and len(missing) == len(topics):
            if not self._waited(task_id):
                return Prepared(None, wait_reason=self._wait_reason(team, missing, has_kb))
            go_on = True
        grounding = Grounding(facts=given, sources=tuple(h.as_source() for h in hits), go_on_without=go_on)
        record = {"profile_facts": [{"field": f.field, "label": f.label, "text": f.text} for f in given],
                  "sources": [{"source": h.source, "section": h.section} for h in hits],
                  "topics": sorted(topics), "without_facts": go_on}
        return Prepared(grounding, record=record)

    def _relevant(self, text: str, topics: set[str]) -> list[Hit]:
        hits = self.kb.search(text, limit=8)
        if topics:  # a question about a business fact: only sections that speak of it are relevant
            hits = [h for h in hits if any(_mentions(h.section + " " + h.text, t) for t in topics)]
        return hits[:SECTIONS_PER_STEP]

    @staticmethod
    def _covered(topic: str, hits: list[Hit], profile: Any) -> bool:
        if any(_mentions(h.section + " " + h.text, topic) for h in hits):
            return True
        return any(field_text(profile, f).strip() for f in TOPIC_FIELDS.get(topic, ()) if f != "product_name")

    def _waited(self, task_id: int) -> bool:
        """True when this task already waited for the founder because nothing was found (approving goes on)."""
        with self.db.raw_read() as conn:
            return conn.execute("SELECT 1 FROM event WHERE task_id = ? AND kind = 'status' AND status = "
                                "'needs_decision' AND payload LIKE ? LIMIT 1",
                                (task_id, f"%{WAIT_MARK}%")).fetchone() is not None

    @staticmethod
    def _wait_reason(team: TeamSpec, missing: list[str], has_kb: bool) -> str:
        what = " and ".join(_TOPIC_WORDS[t] for t in missing)
        where = "the knowledge base or the company profile" if has_kb else "the company profile (the knowledge " \
                                                                           "base is empty)"
        return (f"The {team.name} team {WAIT_MARK} {what} in {where}, so it did not guess. Add a document "
                f"(bureau kb add PATH) or the fact ({_TOPIC_FIX[missing[0]]}), then approve; approving without it "
                "lets the team answer without those facts.")

    # -- the review -------------------------------------------------------------------------
    def problems(self, *, task_id: int, journal_key: str, output: str, task_text: str) -> list[str]:
        """The grounding check of a step's output; nothing for a step that was not grounded."""
        with self.db.raw_read() as conn:
            row = conn.execute("SELECT input FROM step WHERE task_id = ? AND key = ?", (task_id, journal_key)).fetchone()
        record = json.loads(row[0] or "{}").get("grounding") if row else None
        if not record:
            return []
        sources: list[Source] = []
        for s in record.get("sources", []):
            sources += self.kb.find(s["source"], s["section"])
        for c in citations(output):
            sources += [s for s in self.kb.find(c.source, c.section) if s not in sources]
        given = [ProfileFact(f["field"], f["label"], f["text"]) for f in record.get("profile_facts", [])]
        return grounding_problems(output, sources=sources, profile=given, task_text=task_text)

    # -- after the step ---------------------------------------------------------------------
    def after_work(self, *, task_id: int, step_key: str, team: TeamSpec, step_text: str, task_text: str,
                   title: str, output: str) -> None:
        """Keep work meant for someone outside as a draft; recipients only from the founder's words."""
        kind = outbound_kind(team.name, step_text)
        if kind is None or not output.strip():
            return
        recipients = founder_recipients(task_text) if kind == "email" else ()
        draft = draft_from_output(output, fallback_subject=title if kind == "email" else "")
        self.outbound.propose(task_id=task_id, step_key=step_key, kind=kind, recipients=recipients,
                              subject=draft.subject, body=draft.body)


def _mentions(text: str, topic: str) -> bool:
    low = " " + " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split()) + " "
    return any(f" {cue}" in low for cue in FACT_TOPICS[topic])
