from teams.base import ArtifactSpec, Role, Rubric, TeamSpec

TEAM = TeamSpec(
    name="marketing",
    description="Getting attention from an audience.",
    owns="campaigns, positioning and messaging, brand voice, SEO strategy and keywords, social "
    "media posts and calendars, ads, landing-page and app-store copy, launches, press "
    "releases, market and competitor research, personas, referral programs, audience growth, "
    "campaign analytics, A/B tests of messaging",
    roles=(Role("marketer", "teams/marketing.md"),),
    rubric=Rubric(
        criteria=(
            "is written for the named audience and channel",
            "has a clear message and a call to action",
            "offers concrete copy or a concrete plan, not generalities",
        ),
        min_words=40,
    ),
    artifact=ArtifactSpec(".md", "text/markdown"),
    color="#ec4899",
    stage=40,
)
