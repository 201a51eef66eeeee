"""A guard against a reference-counting bug in PySide6 6.12.0.

In 6.12.0 every ``Signal.emit()`` made from Python hands back ``True`` without owning a
reference to it, and converting an empty ``QVariant`` to Python (``QModelIndex.data()`` for
a role the model leaves unset, ``QComboBox.currentData()`` of an item whose data is None,
``QCoreApplication.postEvent``) does the same with ``None``. Before Python 3.12 these
objects are not immortal, so after some ten thousand emits the interpreter aborts with
"deallocating True or False" — an app that streams tokens gets there within the hour.
6.11.3 is not affected (checked with the same script), so the real fix is to keep 6.12.0
out of the dependencies. Until then ``SingletonRefGuard`` gives back, twice a second, the
references the binding took, plus a margin for what happens in between.
"""

from __future__ import annotations

import ctypes
import sys

import PySide6
from PySide6.QtCore import QObject, QTimer

AFFECTED_VERSIONS = frozenset({"6.12.0"})
_SINGLETONS: tuple[object, ...] = (True, False, None)


def needs_guard(version: str = PySide6.__version__) -> bool:
    return version in AFFECTED_VERSIONS and sys.version_info < (3, 12)


class SingletonRefGuard(QObject):
    """Keeps the reference counts of True, False and None at least where they were, plus a margin."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 500, margin: int = 100_000) -> None:
        super().__init__(parent)
        self._keep: list[object] = []
        # The binding's lost references were never owned, so the ones given back must never be
        # released either, not even when the interpreter shuts down: the list is made immortal.
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(self._keep))
        for obj in _SINGLETONS:
            self._keep.extend([obj] * margin)  # room for what leaks between two checks
        self._target = {id(obj): sys.getrefcount(obj) for obj in _SINGLETONS}
        self.restored = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        for obj in _SINGLETONS:
            missing = self._target[id(obj)] - sys.getrefcount(obj)
            if missing > 0:
                self._keep.extend([obj] * missing)
                self.restored += missing


def install_guard(parent: QObject) -> SingletonRefGuard | None:
    """Start the guard when this PySide6 and Python need it; it lives as long as ``parent``."""
    return SingletonRefGuard(parent) if needs_guard() else None
