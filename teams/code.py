from teams.base import ArtifactSpec, Role, Rubric, TeamSpec

TEAM = TeamSpec(
    name="code",
    description="Software: writing, fixing and reviewing code.",
    owns="features, bug fixes, refactoring, code review, tests, scripts, SQL queries, APIs, "
    "front end and back end, prototypes, library upgrades",
    roles=(Role("engineer", "teams/code.md"), Role("reviewer", "teams/code.md")),
    rubric=Rubric(
        criteria=(
            "contains working code for what the task asks",
            "the code is in a fenced code block with its language",
            "explains briefly how to use or test it",
        ),
        min_words=15,
        must_match_any=(r"```", r"^\s*(def|class|function|SELECT|import|const|let|fn) ",),
        must_match_hint="Put the code in a fenced code block (```language ... ```).",
    ),
    artifact=ArtifactSpec(".md", "text/markdown", extract_code_blocks=True),
    color="#10b981",
    stage=10,
)
