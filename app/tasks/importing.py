"""Reading many tasks from a file: JSON Lines or CSV, every error naming the line and the fix.

The same reader serves `bureau import` (which creates the tasks, all or nothing) and
`bureau route --file` (which only routes them), so a file one accepts the other reads alike.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.core.errors import InvalidInput

MAX_IMPORT_ROWS = 10_000
MAX_FILE_BYTES = 64 * 1024 * 1024  # far above 10,000 tasks of ordinary length; refuses a wrong file early
BUDGET_FIELDS = ("max_rounds", "max_steps", "max_tokens", "max_minutes")
FIELDS = ("text", "title", "priority", "due", "team", "sensitive", *BUDGET_FIELDS)
STDIN = "-"
T = TypeVar("T")

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.tasks.service import NewTask


@dataclass(frozen=True)
class Row:
    """One task read from a file: its line number (for messages) and its fields."""

    line: int
    fields: dict[str, Any]


def read_source(path: Path | str, *, stdin: io.TextIOBase | None = None) -> tuple[str, str]:
    """(name for messages, text) of a file, or of standard input when ``path`` is ``-``."""
    if str(path) == STDIN:
        import sys

        stream = stdin if stdin is not None else sys.stdin
        try:
            return "standard input", stream.read(MAX_FILE_BYTES + 1)
        except UnicodeDecodeError:
            raise InvalidInput("Standard input is not UTF-8 text.", fix="Send UTF-8 text.") from None
    path = Path(path)
    if not path.is_file():
        what = "a folder" if path.is_dir() else "no file"
        raise InvalidInput(f"{path} is {what}." if path.is_dir() else f"There is no file {path}.",
                           fix="Check the path." if what == "no file" else "Give a file's path.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput(f"{path.name} is {path.stat().st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}.",
                           fix="Split the file.")
    try:
        return path.name, path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path.name} is not UTF-8 text.", fix="Save it as UTF-8 (CSV or JSON Lines).") from None


def parse_rows(name: str, content: str, *, csv_format: bool, plain_lines: bool = False) -> list[Row]:
    """The rows of ``content``: CSV with a header, or JSON Lines (plain lines too when ``plain_lines``)."""
    if csv_format:
        rows = _csv_rows(name, content)
    else:
        rows = []
        for number, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            if plain_lines and not line.lstrip().startswith("{"):
                rows.append(Row(number, {"text": line}))
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{name} line {number} is not JSON: {exc.msg}.",
                                   fix="Write one JSON object per line with a `text` field, or use CSV "
                                       "(a .csv file with a header row).") from None
            if not isinstance(data, dict):
                raise InvalidInput(f"{name} line {number} is not a JSON object.", fix='Write {"text": "..."} per line.')
            check_fields(name, number, data)
            rows.append(Row(number, data))
    if not rows:
        raise InvalidInput(f"{name} holds no tasks.", fix="Add one task per line.")
    if len(rows) > MAX_IMPORT_ROWS:
        raise InvalidInput(f"{name} holds {len(rows):,} tasks; the limit is {MAX_IMPORT_ROWS:,}.", fix="Split the file.")
    return rows


def read_rows(path: Path | str, *, plain_lines: bool = False) -> list[Row]:
    name, content = read_source(path)
    return parse_rows(name, content, csv_format=str(path).lower().endswith(".csv"), plain_lines=plain_lines)


def import_rows(path: Path | str, validate: Callable[[NewTask], T]) -> list[T]:
    """Each row of ``path`` as a ``NewTask`` passed through ``validate``; an error names the line."""
    from app.tasks.service import NewTask

    name, content = read_source(path)
    rows = parse_rows(name, content, csv_format=str(path).lower().endswith(".csv"))
    results: list[T] = []
    for row in rows:
        f = row.fields
        try:
            results.append(validate(NewTask(
                text=text_of(name, row), title=_str(f.get("title")), priority=_str(f.get("priority")),
                due=_str(f.get("due")), team=_str(f.get("team")), sensitive=flag(f.get("sensitive")),
                source="import", budget={key: f[field] for key, field in zip(
                    ("rounds", "steps", "tokens", "minutes"), BUDGET_FIELDS, strict=True) if f.get(field) is not None})))
        except InvalidInput as exc:
            message = exc.message if exc.message.startswith(f"{name} line") else f"{name} line {row.line}: {exc.message}"
            raise InvalidInput(message, fix=exc.fix) from None
    return results


def _str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"a field holds {value!r} where text was expected.", fix="Write it as a string.")
    return value


def check_fields(name: str, line: int, data: Mapping[str, Any]) -> None:
    """An unknown field is an error naming the line, the field and the nearest known field."""
    for field in data:
        if field not in FIELDS:
            close = difflib.get_close_matches(str(field).lower(), FIELDS, n=1, cutoff=0.6)
            hint = f"Did you mean `{close[0]}`? " if close else ""
            raise InvalidInput(f"{name} line {line}: unknown field {str(field)!r}.",
                               fix=f"{hint}The fields are: {', '.join(FIELDS)}.")
    text = data.get("text")
    if text is not None and not isinstance(text, str):
        raise InvalidInput(f"{name} line {line}: `text` must be a string, not {type(text).__name__}.",
                           fix='Write {"text": "..."}.')


def text_of(name: str, row: Row) -> str:
    """The row's text as given (the task's own checks say what is wrong with it)."""
    text = row.fields.get("text")
    return text if isinstance(text, str) else ""


def flag(value: Any) -> bool:
    """A yes/no field of an import (`sensitive`): JSON true/false, or CSV yes/no/true/false/1/0/empty."""
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "0", "no", "false")):
        return False
    if isinstance(value, str) and value.strip().lower() in ("1", "yes", "true"):
        return True
    raise InvalidInput(f"`sensitive` is {value!r}.", fix="Write true or false (yes or no in CSV).")


def _csv_rows(name: str, content: str) -> list[Row]:
    try:
        reader = csv.DictReader(io.StringIO(content, newline=""), strict=True)
        header = reader.fieldnames
        if not header or "text" not in header:
            raise InvalidInput(f"{name} has no `text` column.", fix="Add a header row with a `text` column.")
        check_fields(name, 1, {h: None for h in header})
        rows: list[Row] = []
        for record in reader:
            if None in record:  # more cells than the header has columns
                raise InvalidInput(f"{name} line {reader.line_num} has more cells than the header has columns.",
                                   fix="Quote cells that contain commas.")
            if any((v or "").strip() for v in record.values()):
                rows.append(Row(reader.line_num, {k: v for k, v in record.items() if v not in (None, "")}))
        return rows
    except csv.Error as exc:
        raise InvalidInput(f"{name} is not valid CSV: {exc}.", fix="Quote cells that contain commas or quotes.") from None
