"""Take docs/screenshot.png of the real app on a data folder (run it under Xvfb or a desktop).

    Xvfb :99 -screen 0 1400x900x24 &
    DISPLAY=:99 QT_QPA_PLATFORM=xcb .venv/bin/python bench/screenshot.py --home DIR [--select blog] [--wait 20]

It starts the app exactly as `bureau` does (``app.gui.main.start_app``), selects the first task
whose title contains --select, waits --wait seconds (the engine works, tokens stream), then
saves a picture of the main window.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer  # noqa: E402

from app.gui.main import start_app  # noqa: E402
from app.status import Status  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--select", default="", help="select the first task whose title contains this")
    parser.add_argument("--tab", type=int, default=0, help="detail tab to show (0 overview, 1 work, ...)")
    parser.add_argument("--wait", type=float, default=15.0, help="seconds to let the app work before the picture")
    parser.add_argument("--size", default="1400x900")
    args = parser.parse_args()

    app, launcher, hooks = start_app(args.home)
    width, height = (int(v) for v in args.size.split("x"))
    started = time.monotonic()

    def when_loaded() -> None:
        controller = launcher.controller
        if controller is None or not controller.board_model.loaded:
            if time.monotonic() - started > 60:
                print("the board did not load within a minute", file=sys.stderr)
                app.exit(1)
                return
            QTimer.singleShot(100, when_loaded)
            return
        controller.window.resize(width, height)
        controller.window.move(0, 0)
        model = controller.board_model
        wanted = args.select.casefold()
        ids = sorted(i for s in Status for i in _ids(model, s))
        chosen = next((i for i in ids if wanted in (model.card(i).title.casefold() if model.card(i) else "")), None)
        if chosen is not None:
            controller.board.select_task(chosen)
        controller.window.detail.tabs.setCurrentIndex(args.tab)
        QTimer.singleShot(int(args.wait * 1000), take)

    def take() -> None:
        controller = launcher.controller
        assert controller is not None
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        ok = controller.window.grab().save(str(out))
        print(f"saved {out}" if ok else f"could not save {out}")
        controller.window.close()
        app.exit(0 if ok else 1)

    def _ids(model, status: Status) -> list[int]:  # type: ignore[no-untyped-def]
        column = model.columns[status]
        return [column.card_at(r).id for r in range(column.rowCount())]

    QTimer.singleShot(0, when_loaded)
    try:
        code = app.exec()
    finally:
        hooks.uninstall()
        if launcher.controller is not None:
            launcher.controller.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main())
