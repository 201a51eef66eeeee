"""Settings → Hybrid: devices, pairing code as text and QR, revoke; and the Hybrid tab in the real dialog."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.common.ops import TaskRunner
from app.gui.relay.controller import HybridController
from app.gui.relay.view import HybridTab, qr_png
from app.gui.shell.app_controller import AppController
from app.relay.desktop import PairResult
from app.relay.pairing import PairingCode
from app.relay.store import PairedDevice

WAIT = 10_000


@dataclass
class FakeState:
    url: str = "tls://relay.example.com:4222"


@dataclass
class FakeDevice:
    state: FakeState = field(default_factory=FakeState)


class FakeRelay:
    configured = True

    def __init__(self) -> None:
        self.rows = [PairedDevice("d1", "phone", "device", "PK", "2026-01-01", "2026-01-02 10:00", None)]
        self.revoked: list[str] = []
        self.go = threading.Event()

    def device(self) -> FakeDevice:
        return FakeDevice()

    def devices(self) -> list[PairedDevice]:
        return list(self.rows)

    def revoke(self, ref: str) -> tuple[PairedDevice, bool]:
        self.revoked.append(ref)
        old = self.rows[0]
        self.rows = [PairedDevice(old.id, old.name, old.kind, old.public_key, old.paired_at, old.last_seen, "now")]
        return self.rows[0], True

    def pair(self, *, on_code: Callable[[PairingCode], None]) -> PairResult:
        code = PairingCode.new()
        on_code(code)
        assert self.go.wait(10)
        device = PairedDevice("r1", "big-box", "runner", "PK2", "2026-01-03", None, None)
        self.rows.append(device)
        return PairResult(device, code.text, "paired")


def test_hybrid_tab_lists_pairs_with_a_qr_code_and_revokes(qtbot: QtBot) -> None:
    runner = TaskRunner(lambda exc: (_ for _ in ()).throw(exc))
    tab = HybridTab()
    qtbot.addWidget(tab)
    relay = FakeRelay()
    HybridController(relay, runner, tab, tab)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=WAIT)
    assert "relay.example.com" in tab.status.text() and tab.pair_button.isEnabled()
    assert tab.table.item(0, 0).text() == "phone" and tab.table.item(0, 3).text() == "paired"
    tab.pair_button.click()
    qtbot.waitUntil(lambda: "valid 10 minutes" in tab.code.text(), timeout=WAIT)
    assert tab.qr.pixmap() is not None and not tab.qr.pixmap().isNull()
    assert "bureau remote pair" in tab.code.text() and not tab.pair_button.isEnabled()
    relay.go.set()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 2, timeout=WAIT)
    assert "Paired big-box" in tab.code.text() and tab.qr.pixmap().isNull()
    tab.table.selectRow(0)
    assert tab.revoke_button.isEnabled()
    tab.revoke_button.click()
    qtbot.waitUntil(lambda: tab.table.item(0, 3).text() == "revoked", timeout=WAIT)
    assert relay.revoked == ["d1"] and not tab.revoke_button.isEnabled()
    runner.close()


def test_qr_png_is_an_image() -> None:
    assert qr_png("4821-k7qm-xr2d").startswith(b"\x89PNG")


def test_settings_has_a_hybrid_tab_that_says_how_to_connect(qtbot: QtBot, company: Company,
                                                           open_app: Callable[..., AppController]) -> None:
    controller = open_app(company, paused=True)
    controller.open_settings()
    dialog = controller.settings_dialog
    assert dialog is not None
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "Hybrid" in titles
    tab: Any = dialog.tabs.widget(titles.index("Hybrid"))
    qtbot.waitUntil(lambda: "Not connected" in tab.status.text(), timeout=WAIT)
    assert not tab.pair_button.isEnabled()
    assert not controller.relay_status.isVisible()
    dialog.reject()
