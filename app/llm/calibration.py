"""Whether the CEO's model may judge: its calibration, stored beside the model list and keyed by model name.

A model is calibrated once per configuration (``agents.review.calibrate``); the result is kept in
``review_calibration.json`` in the data folder. A changed configuration (another file, another server)
is calibrated again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from agents.backends.base import ChatOptions, ModelBackend
from agents.review.calibrate import PAIRS, Calibration, calibrate
from app.core.jsonfile import load_model_file, save_model_file
from app.llm.registry import REGISTRY_FILE, ModelRegistry
from teams.base import TeamSpec

log = logging.getLogger(__name__)

CALIBRATION_FILE = "review_calibration.json"
_lock = threading.Lock()
_calibrating = threading.Lock()


class CalibrationEntry(BaseModel):
    configuration: str  # what was calibrated: the model's entry in the model list, or its name
    trusted: bool
    model_right: int
    checks_right: int
    asked: int
    false_passes: int = 0
    false_reworks: int = 0
    pairs: int = len(PAIRS)
    at: str = ""

    def as_calibration(self, name: str) -> Calibration:
        return Calibration(model=name, trusted=self.trusted, model_right=self.model_right,
                           checks_right=self.checks_right, asked=self.asked, false_passes=self.false_passes,
                           false_reworks=self.false_reworks)


class CalibrationFile(BaseModel):
    models: dict[str, CalibrationEntry] = Field(default_factory=dict)

    @classmethod
    def load(cls, home: Path) -> CalibrationFile:
        return load_model_file(cls, home / CALIBRATION_FILE, what="The reviewer calibration file",
                               fix="Delete it; Bureau calibrates the CEO's model again.")

    def save(self, home: Path) -> None:
        save_model_file(self, home / CALIBRATION_FILE)


def configuration_of(home: Path, name: str) -> str:
    """The configuration a calibration is valid for: the model's entry in models.json, else its name."""
    if (home / REGISTRY_FILE).exists():
        try:
            registry = ModelRegistry.load(home)
            if registry.has(name):
                return registry.get(name).model_dump_json()
        except Exception:  # a broken model list is reported where it is used; calibrate by name meanwhile
            log.debug("models.json unreadable while looking up %s", name)
    return name


def record(home: Path, result: Calibration, *, configuration: str | None = None) -> None:
    """Store ``result`` for its model (also how a test or the founder vouches for a model)."""
    with _lock:
        data = CalibrationFile.load(home)
        data.models[result.model] = CalibrationEntry(
            configuration=configuration or configuration_of(home, result.model), trusted=result.trusted,
            model_right=result.model_right, checks_right=result.checks_right, asked=result.asked,
            false_passes=result.false_passes, false_reworks=result.false_reworks,
            at=datetime.now(UTC).isoformat(timespec="seconds"))
        data.save(home)


def stored(home: Path, name: str) -> Calibration | None:
    entry = CalibrationFile.load(home).models.get(name)
    if entry is None or entry.configuration != configuration_of(home, name):
        return None
    return entry.as_calibration(name)


def judge_for(home: Path, backend: ModelBackend, teams: Mapping[str, TeamSpec], options: ChatOptions
              ) -> tuple[ModelBackend | None, Calibration]:
    """The CEO's model when its calibration says it can judge, else None; calibrates it on first use."""
    found = stored(home, backend.name)
    if found is None:
        with _calibrating:  # one calibration at a time; a second reviewer waits for the first's result
            found = stored(home, backend.name)
            if found is None:
                found = calibrate(backend, dict(teams), options)
                log.info("Calibrated the reviewer: %s", found.summary)
                record(home, found)
    return (backend if found.trusted else None), found
