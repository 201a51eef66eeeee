"""Files into sections: Markdown and HTML by heading, plain text by paragraphs, PDF by page (pypdf).

A section is the unit of search and citation: the file it comes from, its heading, its text.
Problems are ``ParseError``s whose message names the file and says what is wrong with it.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MAX_FILE_BYTES = 5_000_000  # text, Markdown, HTML
MAX_PDF_BYTES = 30_000_000
MAX_SECTION_CHARS = 4000  # a longer section is split in parts ("Heading (part 2)")
TEXT_KINDS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text", ".rst": "text",
              ".html": "html", ".htm": "html", ".pdf": "pdf"}


class ParseError(Exception):
    """A file that cannot be indexed; the message says why."""


@dataclass(frozen=True)
class Section:
    heading: str
    body: str


def kind_of(path: Path) -> str | None:
    return TEXT_KINDS.get(path.suffix.lower())


def check_size(path: Path, size: int) -> None:
    limit = MAX_PDF_BYTES if kind_of(path) == "pdf" else MAX_FILE_BYTES
    if size > limit:
        raise ParseError(f"it is too large ({size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB)")


def parse_bytes(path: Path, data: bytes) -> list[Section]:
    """The sections of a file's content; ``ParseError`` when it is not readable text of its kind."""
    kind = kind_of(path)
    if kind is None:
        raise ParseError(f"{path.suffix or 'a file without extension'} is not a kind Bureau reads "
                         "(Markdown, text, HTML, PDF)")
    if kind == "pdf":
        return _split_long(_pdf(data))
    if b"\x00" in data[:8192]:
        raise ParseError("it looks binary, not text")
    text = _decode(data)
    title = path.stem.replace("_", " ").replace("-", " ").strip() or path.name
    match kind:
        case "markdown":
            sections = _markdown(text, title)
        case "html":
            sections = _html(text, title)
        case _:
            sections = _plain(text, title)
    return _split_long([s for s in sections if s.body.strip() or s.heading.strip()])


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")


def _markdown(text: str, title: str) -> list[Section]:
    sections: list[Section] = []
    heading, body = title, []
    fenced = False
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        m = None if fenced else _HEADING.match(line)
        setext = (not fenced and i + 1 < len(lines) and line.strip() and _SETEXT.match(lines[i + 1])
                  and not line.lstrip().startswith(("-", "*", "|")))
        if m or setext:
            if "".join(body).strip():
                sections.append(Section(heading, "\n".join(body).strip()))
            heading, body = (m.group(2) if m else line).strip(), []
            continue
        if body == [] and _SETEXT.match(line) and not fenced:
            continue  # the underline of a setext heading
        body.append(line)
    if "".join(body).strip() or not sections:
        sections.append(Section(heading, "\n".join(body).strip()))
    return sections


def _plain(text: str, title: str) -> list[Section]:
    return [Section(title, text.strip())]


class _HtmlSections(HTMLParser):
    """Text by heading; scripts, styles and comments are dropped (hidden text is not knowledge)."""

    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self, title: str) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[Section] = []
        self.heading = title
        self.body: list[str] = []
        self.in_heading: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.in_heading = []
        elif tag in ("p", "br", "li", "div", "tr", "section", "article"):
            self.body.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) and self.in_heading is not None:
            self.flush()
            self.heading = " ".join("".join(self.in_heading).split()) or self.heading
            self.in_heading = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        (self.in_heading if self.in_heading is not None else self.body).append(data)

    def flush(self) -> None:
        text = re.sub(r"[ \t]+", " ", "".join(self.body))
        text = re.sub(r"\n\s*\n+", "\n\n", text).strip()
        if text:
            self.sections.append(Section(self.heading, text))
        self.body = []


def _html(text: str, title: str) -> list[Section]:
    parser = _HtmlSections(title)
    parser.feed(text)
    parser.close()
    parser.flush()
    return parser.sections


def _pdf(data: bytes) -> list[Section]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except ImportError:
        raise ParseError("reading PDF needs the pypdf package (pip install pypdf)") from None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ParseError(f"the PDF could not be read ({type(exc).__name__}: {exc})") from None
    sections = [Section(f"page {n}", text.strip()) for n, text in enumerate(pages, start=1) if text.strip()]
    if not sections:
        raise ParseError("the PDF has no text (a scan needs OCR first)")
    return sections


def _split_long(sections: list[Section]) -> list[Section]:
    out: list[Section] = []
    for s in sections:
        if len(s.body) <= MAX_SECTION_CHARS:
            out.append(s)
            continue
        parts, current = [], ""
        for para in re.split(r"\n\s*\n", s.body):
            while len(para) > MAX_SECTION_CHARS:
                parts.append((current + "\n\n" + para[:MAX_SECTION_CHARS]).strip())
                current, para = "", para[MAX_SECTION_CHARS:]
            if len(current) + len(para) > MAX_SECTION_CHARS and current:
                parts.append(current.strip())
                current = ""
            current += "\n\n" + para
        if current.strip():
            parts.append(current.strip())
        out += [Section(s.heading if n == 1 else f"{s.heading} (part {n})", p) for n, p in enumerate(parts, 1)]
    return out
