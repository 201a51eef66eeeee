"""Day names, one spelling for every pattern that reads a time ("next Monday", "on Tue", "last friday")."""

from __future__ import annotations

DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
DAY_ABBREVIATIONS = "mon|tue|wed|thu|fri|sat|sun"
# every short spelling founders write ("thurs", "tues", "weds"), for patterns that end at a word boundary
DAY_FORMS = "mon|tues?|weds?|thu|thur|thurs|fri|sat|sun"
DAY_NAMES = frozenset(DAYS.split("|"))
