"""Render resources/icons/bureau.svg to the PNG sizes desktops ask for (run after editing the SVG).

    QT_QPA_PLATFORM=offscreen python installer/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "bureau.svg"))
    if not renderer.isValid():
        raise SystemExit("bureau.svg does not render")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = ICONS / f"bureau-{size}.png"
        image.save(str(out))
        print(out)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
