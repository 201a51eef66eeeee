"""Which parts of the founder's company profile each team's charter needs, and which teams read the
knowledge base on every step (the others read it only when a step asks about the product).

Field names are the profile's (``plans``, ``policies.refunds``, ...); a team the founder added
gets ``CUSTOM_TEAM_FIELDS``. A step that asks about a topic (prices, refunds, data, support hours)
also gets that topic's fields, whatever its team (``TOPIC_FIELDS``).
"""

from __future__ import annotations

from teams.base import TeamSpec

PROFILE_NEEDS: dict[str, tuple[str, ...]] = {
    "content": ("product_name", "pitch", "audience", "voice", "plans", "links"),
    "marketing": ("product_name", "pitch", "audience", "voice", "plans", "links"),
    "sales": ("product_name", "pitch", "audience", "voice", "plans", "policies.refunds", "links",
              "sender_name", "signature"),
    "support": ("product_name", "voice", "plans", "policies.refunds", "policies.data", "policies.support_hours",
                "links", "sender_name", "signature"),
    "code": ("product_name",),
    "devops": ("product_name", "policies.data"),
}
CUSTOM_TEAM_FIELDS: tuple[str, ...] = ("product_name", "pitch", "audience", "voice")

TOPIC_FIELDS: dict[str, tuple[str, ...]] = {
    "prices": ("product_name", "plans"),
    "refunds": ("policies.refunds",),
    "data": ("policies.data",),
    "support_hours": ("policies.support_hours",),
}

# Teams whose every step retrieves from the knowledge base (replies, deals, documents about the product).
GROUNDED_TEAMS: frozenset[str] = frozenset({"support", "sales", "content"})


def profile_fields(team: TeamSpec, topics: set[str] | frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The profile fields a step of ``team`` is given, for a step that asks about ``topics``."""
    fields = list(PROFILE_NEEDS.get(team.name, CUSTOM_TEAM_FIELDS if team.custom else ("product_name",)))
    for topic in sorted(topics):
        fields += [f for f in TOPIC_FIELDS.get(topic, ()) if f not in fields]
    return tuple(fields)
