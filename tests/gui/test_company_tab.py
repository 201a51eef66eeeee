"""The Settings dialog's Company tab: the profile fields with their explanations, saved through ProfileStore."""

from __future__ import annotations

import shiboken6
from pytestqt.qtbot import QtBot

from app.company import Company
from app.gui.settings.company import COMPANY_TAB, PROFILE_ROWS
from app.knowledge.profile import PlanPrice


def closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _open(app, qtbot: QtBot):
    app.window.settings_action.trigger()
    dialog = app.settings.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.show_tab(COMPANY_TAB)
    tab = dialog.company
    assert dialog.tabs.currentWidget() is tab
    qtbot.waitUntil(tab.isEnabled, timeout=5000)  # filled in from the op helper
    return dialog, tab


def test_the_company_tab_saves_a_field_and_keeps_the_rest(qtbot: QtBot, company: Company, open_app) -> None:
    company.profile.replace(company.profile().model_copy(update={
        "product_name": "Ledgerly", "plans": (PlanPrice(name="Pro", price="$29 a month", notes="billed monthly"),)}))
    app = open_app(company, paused=True)
    dialog, tab = _open(app, qtbot)
    assert set(tab.fields) == set(PROFILE_ROWS)
    assert tab.text_of("product_name") == "Ledgerly"
    assert tab.fields["pitch"].toolTip() == PROFILE_ROWS["pitch"][1]  # each field says what it is for
    tab.fields["pitch"].setText("Bookkeeping for one-person shops")
    tab.fields["policies.refunds"].setPlainText("Full refund within 30 days.")
    assert set(tab.changes()) == {"pitch", "policies.refunds"}
    dialog.ok.click()
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    saved = company.profile()
    assert saved.pitch == "Bookkeeping for one-person shops"
    assert saved.policies.refunds == "Full refund within 30 days."
    assert saved.plans[0].notes == "billed monthly"  # an untouched field keeps what the form cannot show

    dialog, tab = _open(app, qtbot)  # opens again, with the saved values
    assert tab.text_of("pitch") == "Bookkeeping for one-person shops"
    dialog.reject()


def test_a_bad_field_is_said_in_the_dialog_and_nothing_is_saved(qtbot: QtBot, company: Company, open_app) -> None:
    app = open_app(company, paused=True)
    dialog, tab = _open(app, qtbot)
    tab.fields["product_name"].setText("Ledgerly")
    tab.fields["links"].setText("site=ftp://example.com")
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
    assert "links" in dialog.error.text() and dialog.isVisible()
    assert company.profile().product_name == ""  # validated before anything was written
    tab.fields["links"].setText("site=https://example.com")
    dialog.ok.click()
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    assert company.profile().links == {"site": "https://example.com"}
    assert company.profile().product_name == "Ledgerly"


def test_the_first_run_form_is_skippable_and_saves_what_was_typed(qtbot: QtBot, company: Company,
                                                                  open_app) -> None:
    app = open_app(company, paused=True)
    button = app.window.welcome.company
    button.click()
    dialog = app.settings.company_form.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.reject()  # Skip
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    assert company.profile().empty
    button.click()  # opens again
    dialog = app.settings.company_form.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.fields["product_name"].setText("Ledgerly")
    dialog.fields["plans"].setText("Pro $29")  # no "name: price"
    dialog.ok.click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=5000)
    assert "has no price" in dialog.error.text() and company.profile().empty
    dialog.fields["plans"].setText("Pro: $29 a month")
    dialog.ok.click()
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    saved = company.profile()
    assert saved.product_name == "Ledgerly" and saved.plans[0].price == "$29 a month"
