"""A result file made ready to preview in the app (pure Python: runs on a worker thread).

Markdown is shown rendered (``QTextBrowser.setMarkdown``); code and config get syntax colouring
from Pygments (inline styles, so Qt's rich text shows them); anything else as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_for_filename
from pygments.util import ClassNotFound

MAX_PREVIEW_BYTES = 400_000
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


@dataclass(frozen=True)
class Preview:
    kind: Literal["markdown", "html", "text"]
    body: str
    note: str = ""  # "showing the first 400 KB", or why nothing is shown


def render_preview(path: Path, *, dark: bool = False) -> Preview:
    try:
        raw = path.read_bytes()[: MAX_PREVIEW_BYTES + 1]
    except OSError as exc:
        return Preview("text", "", f"The file cannot be read: {exc.strerror or exc}.")
    note = "Showing the first 400 KB." if len(raw) > MAX_PREVIEW_BYTES else ""
    if b"\0" in raw[:4096]:
        return Preview("text", "", "A binary file: use Open or Save as.")
    return render_text(path.name, raw[:MAX_PREVIEW_BYTES].decode("utf-8", errors="replace"), dark=dark, note=note)


def render_text(name: str, text: str, *, dark: bool = False, note: str = "") -> Preview:
    """Text named ``name`` (its suffix picks Markdown or the colouring), e.g. an attachment kept in the database."""
    if len(text) > MAX_PREVIEW_BYTES:
        text, note = text[:MAX_PREVIEW_BYTES], "Showing the first 400,000 characters."
    if Path(name).suffix.lower() in MARKDOWN_SUFFIXES:
        return Preview("markdown", text, note)
    try:
        lexer = get_lexer_for_filename(name, stripnl=False)
    except ClassNotFound:
        return Preview("text", text, note)
    formatter = HtmlFormatter(noclasses=True, nobackground=True, style="monokai" if dark else "default")
    html = highlight(text, lexer, formatter)
    return Preview("html", f"<div style='font-family: monospace; white-space: pre'>{html}</div>", note)
