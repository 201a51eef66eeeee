"""docs/ARCHITECTURE.md: the rooms import downwards only."""

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


def _app_imports(path: Path) -> set[str]:
    """The ``app.*`` modules a file imports, at any depth (``from app.x.y import z`` -> ``app.x.y``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("app."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("app."):
            found.add(node.module)
    return found


LOWER_ROOMS = ("core", "store", "tasks", "engine", "routing", "llm", "schedules", "insights", "knowledge", "relay")


def test_lower_rooms_never_import_the_faces():
    """Nothing under the services imports the GUI or the CLI: the faces sit on top."""
    for room in LOWER_ROOMS:
        for path in (ROOT / "app" / room).rglob("*.py"):
            bad = {m for m in _app_imports(path) if m.startswith(("app.gui", "app.cli"))}
            assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_core_and_store_stay_at_the_bottom():
    """app/core imports no other room; app/store imports only app/core (and agents' pure types)."""
    for path in (ROOT / "app" / "core").rglob("*.py"):
        bad = {m for m in _app_imports(path) if not m.startswith("app.core")}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
    for path in (ROOT / "app" / "store").rglob("*.py"):
        bad = {m for m in _app_imports(path) if not m.startswith(("app.core", "app.store"))}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


def test_nothing_points_outside_the_repository():
    """The project stands on its own files: no README, doc or module points at a folder beside it."""
    texts = [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    texts += [p for folder in ("app", "agents", "teams") for p in (ROOT / folder).rglob("*.py")]
    for path in texts:
        assert "../shared" not in path.read_text(encoding="utf-8"), path
