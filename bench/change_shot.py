"""Take docs/change.png: the task panel's Change tab with a code task's diff in a linked repository.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/change_shot.py

Runs on a fresh data folder with a small git repository (tests/support/repos.py) and the scripted
model of the tests (no model is loaded): the code team fixes a failing test and adds one.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["BUREAU_HOME"] = tempfile.mkdtemp(prefix="bureau-shots-")

from PySide6.QtWidgets import QApplication  # noqa: E402

from agents.review.calibrate import PAIRS, Calibration  # noqa: E402
from app.company import Company  # noqa: E402
from app.gui.common.compat import install_guard  # noqa: E402
from app.llm.calibration import record  # noqa: E402
from app.tasks.service import NewTask  # noqa: E402
from bench.knowledge_shots import open_on_task, pause, wait  # noqa: E402
from tests.conftest import ScriptedBackend  # noqa: E402
from tests.support.repos import TEST_COMMAND, make_repo  # noqa: E402

REPLY = """calc/core.py
<<<<<<< SEARCH
def add(a, b):
    return a - b
=======
def add(a, b):
    \"\"\"The sum of a and b.\"\"\"
    return a + b
>>>>>>> REPLACE

tests/test_core.py
<<<<<<< SEARCH
def test_mul():
    assert mul(2, 3) == 6
=======
def test_mul():
    assert mul(2, 3) == 6


def test_add_negative():
    assert add(-2, 3) == 1
>>>>>>> REPLACE

add subtracted its arguments; it now adds them, and a test covers negative numbers.
"""


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    install_guard(app)
    home = Path(os.environ["BUREAU_HOME"])
    company = Company.open(home)
    scripted = ScriptedBackend()
    company.models.backend_for = lambda role: scripted  # type: ignore[method-assign]
    record(company.home, Calibration(model=scripted.name, trusted=True, model_right=2 * len(PAIRS),
                                     checks_right=len(PAIRS), asked=2 * len(PAIRS), false_passes=0, false_reworks=0))
    repo = make_repo(home.parent / f"{home.name}-repo")
    company.repos.add(repo, test_command=TEST_COMMAND, name="calc")
    scripted.replies[:] = [REPLY]
    task = company.tasks.submit(NewTask(text="Fix the add function in calc so that the tests pass", team="code"))
    company.engine().run_until_idle(max_wait=60)
    assert company.tasks.get(task.id).status == "delivered", company.tasks.get(task.id).waiting_reason
    controller, window, panel = open_on_task(company, task.id)
    wait(lambda: panel.change.delivery is not None)
    panel.tabs.setCurrentWidget(panel.change)
    pause(300)
    out = ROOT / "docs" / "change.png"
    window.grab().save(str(out))
    controller.shutdown()
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
