"""Behaviour of the Hybrid tab and the status bar's relay state; every relay call runs off the GUI thread."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from app.gui.common.ops import TaskRunner
from app.gui.relay.view import DeviceRow, HybridTab

if TYPE_CHECKING:
    from app.company import Company
    from app.relay.desktop import DesktopRelay


def load_devices(relay: DesktopRelay) -> tuple[bool, str, list[DeviceRow]]:
    if not relay.configured:
        return False, "", []
    url = relay.device().state.url
    rows = [DeviceRow(d.id, d.name, d.kind, d.last_seen, d.revoked_at is not None) for d in relay.devices()]
    return True, url, rows


class HybridController(QObject):
    code_ready = Signal(str, str)
    pairing_done = Signal(str)

    def __init__(self, relay: DesktopRelay, runner: TaskRunner, tab: HybridTab, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay, self._runner, self._tab = relay, runner, tab
        tab.pair_clicked.connect(self.pair)
        tab.revoke_clicked.connect(self.revoke)
        self.code_ready.connect(tab.show_code)
        self.pairing_done.connect(self._paired)
        self.refresh()

    def refresh(self) -> None:
        self._runner.run(lambda: load_devices(self._relay), on_success=self._show, owner=self._tab)

    def _show(self, data: tuple[bool, str, list[DeviceRow]]) -> None:
        connected, url, rows = data
        self._tab.set_status(f"Connected to the relay at {url}. The desktop only connects out; it never listens."
                             if connected else "Not connected to a relay. On the relay's host run `bureau relay serve`, "
                             "then here `bureau relay connect URL --secret S` (see docs/relay.md).", connected=connected)
        self._tab.set_devices(rows)

    def pair(self) -> None:
        """Host a pairing on its own thread (it waits up to 10 minutes; the shared pool is not blocked)."""
        url = self._relay.device().state.url

        def host() -> None:
            try:
                result = self._relay.pair(on_code=lambda c: self.code_ready.emit(
                    c.text, f"bureau remote pair {c.text} --relay {url}"))
                self.pairing_done.emit(f"Paired {result.device.name}." if result.device
                                       else f"No device paired: the code {result.outcome}.")
            except Exception as exc:  # noqa: BLE001 - shown in the tab
                self.pairing_done.emit(f"Pairing failed: {exc}")

        threading.Thread(target=host, name="relay-pair", daemon=True).start()

    def _paired(self, message: str) -> None:
        self._tab.clear_code(message)
        self.refresh()

    def revoke(self, device_id: str) -> None:
        self._runner.run(lambda: self._relay.revoke(device_id), on_success=lambda _: self.refresh(), owner=self._tab,
                         label="Revoking the device…")


def attach_hybrid(tabs: Any, company: Company, runner: TaskRunner, parent: QObject) -> HybridController:
    """Add the Hybrid tab to the settings dialog's tabs."""
    from app.relay.desktop import DesktopRelay

    tab = HybridTab()
    tabs.addTab(tab, "Hybrid")
    return HybridController(DesktopRelay(company.home, company.db), runner, tab, parent)


class RelayStatus(QLabel):
    """"relay online" / "relay offline" in the status bar when this desktop uses a relay (hidden otherwise)."""

    def __init__(self, company: Company, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._company = company
        self.setAccessibleName("Relay state")
        self._timer = QTimer(self)  # a child: it stops when the label goes
        self._timer.timeout.connect(self.refresh)
        self._timer.start(2000)
        self.refresh()

    def refresh(self) -> None:
        link = getattr(self._company, "_relay", None)  # started with the engine; never started from here
        self.setVisible(link is not None)
        if link is not None:
            self.setText("relay online" if link.online else "relay offline")
