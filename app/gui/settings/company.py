"""The Settings dialog's Company tab: the founder's company profile, each field with one line saying what it is for.

Loaded and saved through ``ProfileStore`` on the op helper. Only the fields the founder changed
are written back (through ``with_field``, which validates them), so nothing typed elsewhere,
such as a plan's notes, is lost by a round trip through the form.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.gui.common.form_dialog import FormDialog

from app.gui.settings.view import _Page
from app.knowledge.profile import CompanyProfile, field_text, with_field

COMPANY_TAB = "Company"

# field -> (label, explanation, multi-line)
PROFILE_ROWS: dict[str, tuple[str, str, bool]] = {
    "product_name": ("Product", "What you sell, as customers call it; teams use this name, never an invented one.",
                     False),
    "pitch": ("One-line pitch", "What it does for whom, in a sentence: the start of every announcement.", False),
    "audience": ("Audience", "Who buys it and why: marketing and sales write for these people.", True),
    "voice": ("Voice and tone", "How you sound (e.g. plain, warm, no hype): every team writes in it.", True),
    "plans": ("Prices and plans", "Name: price; separated by semicolons. The review rejects any other price.", False),
    "policies.refunds": ("Refund policy", "What support may promise about refunds, word for word.", True),
    "policies.data": ("Data policy", "What you keep about customers and where: support and sales quote it.", True),
    "policies.support_hours": ("Support hours", "When customers can expect an answer.", False),
    "links": ("Links", "label=https://…; separated by semicolons: the only links teams put in drafts.", False),
    "sender_name": ("Sender name", "The name outbound emails are sent as.", False),
    "signature": ("Signature", "Added under emails the teams draft for you.", True),
}


def _links_text(profile: CompanyProfile) -> str:
    return "; ".join(f"{k}={v}" for k, v in profile.links.items())


def display_text(profile: CompanyProfile, name: str) -> str:
    """A field as the form shows it (and as ``with_field`` reads it back)."""
    return _links_text(profile) if name == "links" else field_text(profile, name)


class CompanyTab(_Page):
    """Layout only; the settings controller loads and saves it."""

    def __init__(self) -> None:
        super().__init__("Your business in one place: teams are given the parts their work needs, and the review "
                         "checks figures against it. Leave a field empty when it does not apply.")
        self.setObjectName("company-tab")
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.loaded: CompanyProfile | None = None
        for name, (label, explanation, multi) in PROFILE_ROWS.items():
            widget: QLineEdit | QPlainTextEdit
            if multi:
                widget = QPlainTextEdit()
                widget.setFixedHeight(58)
                widget.setTabChangesFocus(True)
            else:
                widget = QLineEdit()
            widget.setObjectName(f"profile-{name}")
            self.fields[name] = widget
            self.row(label, widget, explanation)
        self.setEnabled(False)  # until the profile is read

    def set_profile(self, profile: CompanyProfile) -> None:
        self.loaded = profile
        for name, widget in self.fields.items():
            text = display_text(profile, name)
            if isinstance(widget, QLineEdit):
                widget.setText(text)
            else:
                widget.setPlainText(text)
        self.setEnabled(True)

    def text_of(self, name: str) -> str:
        widget = self.fields[name]
        return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()

    def changes(self) -> dict[str, str]:
        """The fields the founder changed since the profile was read."""
        if self.loaded is None:
            return {}
        loaded = self.loaded
        return {name: self.text_of(name) for name in self.fields
                if self.text_of(name).strip() != display_text(loaded, name).strip()}


def apply_changes(profile: CompanyProfile, changes: dict[str, str]) -> CompanyProfile:
    """``profile`` with the changed fields set (each validated; the first bad one raises ``InvalidInput``)."""
    for name, text in changes.items():
        profile = with_field(profile, name, text)
    return profile


FIRST_RUN_FIELDS = ("product_name", "pitch", "plans", "policies.refunds", "sender_name")


class CompanyFormDialog(FormDialog):
    """The first-run form: five fields, skippable; the rest lives in Settings → Company."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Tell Bureau about your company", "&Save", parent)
        self.setObjectName("company-form")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("S&kip")
        intro = QLabel("Teams use these facts instead of inventing them; the review checks prices against them. "
                       "Everything is optional, and Settings → Company has more fields.")
        intro.setWordWrap(True)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name in FIRST_RUN_FIELDS:
            label, explanation, _multi = PROFILE_ROWS[name]
            edit = QLineEdit()
            edit.setObjectName(f"profile-{name}")
            edit.setPlaceholderText(explanation)
            edit.setToolTip(explanation)
            self.fields[name] = edit
            form.addRow(label + ":", edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 280)

    def changes(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.fields.items() if edit.text().strip()}
