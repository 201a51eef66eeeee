"""DESIGN.md: agents/ and teams/ never import Qt or app/; only app/gui imports Qt."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_agents_and_teams_are_free_of_qt_and_app():
    for folder in ("agents", "teams"):
        for path in (ROOT / folder).rglob("*.py"):
            bad = imports(path) & {"PySide6", "shiboken6", "app", "sqlmodel", "sqlalchemy"}
            assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_only_the_gui_imports_qt():
    for path in (ROOT / "app").rglob("*.py"):
        if "gui" in path.relative_to(ROOT).parts:
            continue
        assert not imports(path) & {"PySide6", "shiboken6"}, path


def test_modules_stay_small():
    for folder in ("app", "agents", "teams"):
        for path in (ROOT / folder).rglob("*.py"):
            assert len(path.read_text(encoding="utf-8").splitlines()) <= 500, path
