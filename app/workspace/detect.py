"""A likely test command for a repository, from the files at its top (the founder confirms or changes it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

_PYTEST_MARKS = ("pytest.ini", "conftest.py", "tox.ini", "noxfile.py")


def detect_test_command(root: Path) -> str | None:
    """pytest, npm test, go test, cargo test or make test, in that order of evidence; None when unsure."""
    def has(name: str) -> bool:
        return (root / name).exists()

    def text(name: str) -> str:
        try:
            return (root / name).read_text(encoding="utf-8", errors="replace")[:200_000]
        except OSError:
            return ""

    makefile = next((n for n in ("Makefile", "makefile", "GNUmakefile") if has(n)), None)
    if makefile and re.search(r"^test\s*:", text(makefile), re.M):
        return "make test"
    if any(has(n) for n in _PYTEST_MARKS) or "[tool.pytest" in text("pyproject.toml") \
            or "[tool:pytest]" in text("setup.cfg") or (has("tests") and _has_python(root)):
        return "python -m pytest -q"
    if has("package.json"):
        try:
            scripts = json.loads(text("package.json")).get("scripts", {})
        except (ValueError, AttributeError):
            scripts = {}
        if isinstance(scripts, dict) and "test" in scripts and "no test specified" not in str(scripts["test"]):
            return "npm test"
    if has("go.mod"):
        return "go test ./..."
    if has("Cargo.toml"):
        return "cargo test"
    if _has_python(root) and (has("test") or any(root.glob("test_*.py"))):
        return "python -m pytest -q"
    return None


def _has_python(root: Path) -> bool:
    return any((root / n).exists() for n in ("pyproject.toml", "setup.py", "setup.cfg")) or any(root.glob("*.py")) \
        or any(root.glob("*/__init__.py"))
