"""Behaviour of the Settings dialog: open it (any number of times), save by swapping in new settings.

The dialog builds a new ``Settings``; ``Company.update_settings`` writes it and only then swaps
it in for the engine, so a failed save leaves the settings in effect as they were.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.company import Company
from app.core.settings import Settings
from app.gui.common.ops import Op, TaskRunner
from app.gui.common.widgets import DialogSlot
from app.gui.relay.controller import HybridController, attach_hybrid
from app.gui.routing.controller import RoutingController
from app.gui.settings.company import COMPANY_TAB, CompanyFormDialog, CompanyTab, apply_changes
from app.gui.settings.view import SettingsDialog


class SettingsController(QObject):
    saved = Signal(object)  # the new Settings, after they were written and swapped in
    teams_changed = Signal()
    message = Signal(str)

    def __init__(self, company: Company, runner: TaskRunner, parent_widget: Callable[[], QWidget],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._company = company
        self._runner = runner
        self._parent_widget = parent_widget
        self._slot = DialogSlot[SettingsDialog]()
        self.company_form = DialogSlot[CompanyFormDialog]()
        self.routing: RoutingController | None = None
        self.hybrid: HybridController | None = None

    @property
    def dialog(self) -> SettingsDialog | None:
        return self._slot.dialog

    def open(self, tab: str | None = None) -> SettingsDialog:
        dialog, new = self._slot.open(lambda: SettingsDialog(self._company.settings, self._parent_widget()))
        if new:
            dialog.submitted.connect(lambda: self.save(dialog))
            self.routing = RoutingController(self._company.routing, self._runner, dialog.routing, dialog)
            self.routing.teams_changed.connect(self.teams_changed)
            self.routing.load()
            self.hybrid = attach_hybrid(dialog.tabs, self._company, self._runner, dialog)  # the relay's tab
            self._attach_company(dialog)
        if tab:
            dialog.show_tab(tab)
        return dialog

    def _attach_company(self, dialog: SettingsDialog) -> None:
        """The Company tab: the profile is read on the op helper, the tab fills in when it arrives."""
        tab = CompanyTab()
        dialog.company = tab  # type: ignore[attr-defined]
        dialog.tabs.addTab(tab, COMPANY_TAB)
        profile = self._company.profile

        def failed(exc: BaseException) -> None:  # a broken company.json: said in the dialog, the rest still saves
            from app.gui.common.errors import ReadableError

            error = ReadableError.of(exc)
            dialog.show_error(error.message, error.fix)

        Op(self._runner, profile, owner=tab).success(tab.set_profile).failure(failed).run()

    def open_company_form(self) -> CompanyFormDialog:
        """The first-run form (from the welcome panel): a few profile fields, saved through ``ProfileStore``."""
        dialog, new = self.company_form.open(lambda: CompanyFormDialog(self._parent_widget()))
        if new:
            dialog.submitted.connect(lambda: self._save_company_form(dialog))
        return dialog

    def _save_company_form(self, dialog: CompanyFormDialog) -> None:
        store, changes = self._company.profile, dialog.changes()

        def done(_profile: object) -> None:
            dialog.accept()
            self.message.emit("Company profile saved; Settings → Company has the rest of its fields.")

        Op(self._runner, lambda: store.replace(apply_changes(store(), changes)), owner=dialog).success(done) \
            .errors_in(dialog).run()

    def save(self, dialog: SettingsDialog) -> None:
        company = self._company
        new = dialog.values(company.settings)
        tab: CompanyTab | None = getattr(dialog, "company", None)
        changes = tab.changes() if tab is not None else {}

        def write() -> Settings:
            profile = apply_changes(company.profile(), changes) if changes else None  # validated before any write
            saved = company.update_settings(Settings.model_validate(new.model_dump()))
            if profile is not None:
                company.profile.replace(profile)
            return saved

        def done(_saved: Settings) -> None:
            dialog.accept()
            self.saved.emit(company.settings)
            self.message.emit("Settings saved; they apply to the next step and decision.")

        # Written first, then swapped in (``Company.update_settings``): a failed save changes nothing.
        Op(self._runner, write, owner=dialog).success(done).errors_in(dialog).progress("Saving settings…").run()
