from teams.base import ArtifactSpec, Role, Rubric, TeamSpec

TEAM = TeamSpec(
    name="support",
    description="Existing customers' problems and requests.",
    owns="replies to tickets, chats and reviews, troubleshooting, account access, billing "
    "corrections and refunds, cancellations, data export and deletion requests, onboarding "
    "help, triage of the inbox, summarising complaints and feature requests, outreach to "
    "struggling customers, apologies after incidents",
    roles=(Role("support agent", "teams/support.md"),),
    rubric=Rubric(
        criteria=(
            "speaks to the customer kindly and acknowledges the problem",
            "gives concrete next steps or an answer",
            "promises nothing the company cannot keep",
        ),
        min_words=30,
    ),
    artifact=ArtifactSpec(".md", "text/markdown"),
    color="#ef4444",
    stage=50,
)
