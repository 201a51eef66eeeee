"""Pydantic models kept as JSON files in the data folder: strict loading, atomic saving."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from app.core.errors import BureauError

M = TypeVar("M", bound=BaseModel)


def load_model_file(cls: type[M], path: Path, *, what: str, fix: str) -> M:
    """``cls`` from ``path`` (defaults when absent); a damaged file is an error that names the fix."""
    if not path.exists():
        return cls()
    try:
        return cls.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, ValueError, OSError) as exc:
        raise BureauError(f"{what} {path} is not valid: {first_error(exc)}.", fix=fix) from exc


def save_model_file(model: BaseModel, path: Path) -> None:
    """Validate what will be written, then write it atomically (temporary file, fsync, rename)."""
    text = json.dumps(model.model_dump(mode="json"), indent=2)
    type(model).model_validate_json(text)  # what is written must load again
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".json.tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise BureauError(f"Could not save {path}: {exc.strerror or exc}.",
                          fix="Free disk space or fix the data folder's permissions; nothing was changed.") from exc


def first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        return f"{where}: {plain_message(err['msg'])}" if where else plain_message(err["msg"])
    return str(exc)


def plain_message(message: str) -> str:
    """A validation message without pydantic's wording ("Value error, ...")."""
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message
