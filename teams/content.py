from teams.base import ArtifactSpec, Role, Rubric, TeamSpec

TEAM = TeamSpec(
    name="content",
    description="Long-form and reference writing.",
    owns="blog posts, articles, documentation, user guides, tutorials, release notes, newsletter "
    "articles, video and podcast scripts, editing, proofreading, translation of text",
    roles=(Role("writer", "teams/content.md"), Role("editor", "teams/content.md")),
    rubric=Rubric(
        criteria=(
            "answers the task's topic directly",
            "has a title and is organised in paragraphs or sections",
            "reads clearly, without filler or repetition",
        ),
        min_words=80,
    ),
    artifact=ArtifactSpec(".md", "text/markdown"),
    color="#3b82f6",
    stage=30,
)
