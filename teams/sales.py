from teams.base import ArtifactSpec, Role, Rubric, TeamSpec

TEAM = TeamSpec(
    name="sales",
    description="Winning specific deals.",
    owns="lead lists of named companies or roles, cold outreach to named prospects, follow-ups, "
    "demos and call prep, proposals, quotes, RFPs and tenders, security questionnaires in "
    "procurement, negotiation, objection handling, CRM pipeline hygiene and forecasts, renewals "
    "and upsells, partnership and reseller deals",
    roles=(Role("account executive", "teams/sales.md"),),
    rubric=Rubric(
        criteria=(
            "is addressed to the specific prospect or deal",
            "states the value for that prospect and a next step",
            "is concise and professional",
        ),
        min_words=40,
    ),
    artifact=ArtifactSpec(".md", "text/markdown"),
    color="#8b5cf6",
    stage=50,
)
