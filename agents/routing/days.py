"""Day names, one spelling for every pattern that reads a time ("next Monday", "on Tue", "last friday")."""

from __future__ import annotations

DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
DAY_ABBREVIATIONS = "mon|tue|wed|thu|fri|sat|sun"
DAY_NAMES = frozenset(DAYS.split("|"))
