"""Take docs/knowledge.png (the Knowledge view) and docs/drafts.png (the main window with a task's outbound draft).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/knowledge_shots.py

Runs on a fresh data folder with the sample knowledge folder of bench/grounding_kb (no model is
loaded: the engine stays paused and the draft is proposed the way a team's step proposes it).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["BUREAU_HOME"] = tempfile.mkdtemp(prefix="bureau-shots-")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.company import Company  # noqa: E402
from app.gui.common.compat import install_guard  # noqa: E402
from app.gui.shell.app_controller import AppController  # noqa: E402
from app.tasks.service import NewTask  # noqa: E402


def wait(condition, timeout_ms: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    loop_timer = QTimer()
    loop_timer.setSingleShot(True)
    loop_timer.start(timeout_ms)
    while not condition():
        if not loop_timer.isActive():
            raise TimeoutError("the view did not get there in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def pause(ms: int) -> None:
    wait_until = QTimer()
    wait_until.setSingleShot(True)
    wait_until.start(ms)
    wait(lambda: not wait_until.isActive())


def open_on_task(company: Company, task_id: int) -> tuple[AppController, Any, Any]:
    """The app's window at 1400x860 with the engine paused and one task selected: (controller, window, panel)."""
    controller = AppController(company)
    controller.engine.set_paused(True)
    controller.start()
    window = controller.window
    window.resize(1400, 860)
    window.show()
    wait(lambda: controller.board_model.loaded)
    assert controller.board.select_task(task_id)
    return controller, window, window.detail


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    install_guard(app)
    company = Company.open(Path(os.environ["BUREAU_HOME"]))
    company.profile.set("product_name", "Ledgerly")
    company.profile.set("sender_name", "Sam from Ledgerly")
    company.tasks.submit(NewTask(text="Write a blog post about closing the books in an afternoon"))
    task = company.tasks.submit(NewTask(text="Reply to Ana Ruiz (ana@example.com), who asks for a refund of her "
                                             "annual plan bought 10 days ago"))
    company.outbound.propose(
        task_id=task.id, step_key="s1.r0", kind="email", recipients=("ana@example.com",),
        subject="Your refund for Ledgerly Pro",
        body="Hi Ana,\n\nThanks for writing. You bought the annual Pro plan 10 days ago, so it is well within our "
             "30-day refund window [kb: refunds.md § Refund policy]. I have started the full refund; it reaches "
             "your card in 5 to 10 business days.\n\nIf anything is unclear, just reply to this email.\n\n"
             "Sam from Ledgerly")
    controller, window, panel = open_on_task(company, task.id)
    wait(lambda: panel.drafts.model.rowCount() == 1)
    panel.tabs.setCurrentWidget(panel.drafts)
    pause(300)
    docs = ROOT / "docs"
    window.grab().save(str(docs / "drafts.png"))

    open_knowledge = controller.features["knowledge"]
    view = open_knowledge()
    assert view is not None
    kb = ROOT / "bench" / "grounding_kb"
    from app.gui.knowledge.controller import KnowledgeController

    knowledge: KnowledgeController = next(c for c in window.findChildren(KnowledgeController))
    knowledge.add(kb)
    wait(lambda: knowledge.sources_model.rowCount() == 1 and not knowledge._indexing)
    view.resize(1000, 620)
    knowledge.window.search.setText("refund annual plan")
    knowledge.search_now()
    wait(lambda: knowledge.hits_model.rowCount() > 0)
    knowledge.window.sources.selectRow(0)
    pause(300)
    view.grab().save(str(docs / "knowledge.png"))
    controller.shutdown()
    print("saved docs/drafts.png and docs/knowledge.png")


if __name__ == "__main__":
    main()
