from teams.base import ArtifactSpec, Role, Rubric, TeamSpec

TEAM = TeamSpec(
    name="devops",
    description="Running the software: deployment, infrastructure, monitoring, incidents.",
    owns="deployment, CI/CD pipelines, Docker/Kubernetes/Helm, cloud resources and cost, "
    "Terraform/Ansible, DNS, TLS certificates, monitoring and alerts, logs, backups and "
    "restores, outages and incidents, server security and patching, secrets on servers",
    roles=(Role("operator", "teams/devops.md"),),
    rubric=Rubric(
        criteria=(
            "gives concrete steps, commands or configuration",
            "says how to check that it worked and how to roll back",
            "does not put secrets in plain text",
        ),
        min_words=30,
    ),
    artifact=ArtifactSpec(".md", "text/markdown", extract_code_blocks=True),
    color="#f59e0b",
    stage=20,
)
