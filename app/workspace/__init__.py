"""The workspace: linked git repositories, a private worktree per task, the project's own tests, the patch."""
