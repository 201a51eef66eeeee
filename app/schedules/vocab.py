"""The words of schedule rules: days, months, ordinals, times of day, and saying them back."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.core.errors import InvalidInput

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CRON_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_WORDS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2, "thursday": 3,
    "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
_MONTH_WORDS = {name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)} | {
    name.lower()[:3]: i + 1 for i, name in enumerate(MONTH_NAMES)} | {"sept": 9}
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # the most a month can have
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                 "thirty": 30, "other": 2}

DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)s?\b"
DAYLIST = rf"{DAY}(?:\s*(?:,|and|&|or)?\s*{DAY})*"
MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|" \
        r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|other)"
DOM = r"(?:\d{1,2}(?:st|nd|rd|th)?|first|second|third|last)"
DOMLIST = rf"{DOM}(?:\s*(?:,|and|&)\s*(?:the\s+)?{DOM})*"
_TIME_ONE = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|noon|midday|midnight)"
_TIME_WORDS = {"morning": (9, 0), "afternoon": (14, 0), "evening": (18, 0), "night": (21, 0)}
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
ALL_DAYS = frozenset(range(7))

Time = tuple[int, int]


def normalize(text: str) -> str:
    s = text.strip().lower().replace("\u2019", "'")
    s = re.sub(r"[;!?]+", " ", s)
    s = re.sub(r"\s*,\s*", ", ", s)
    s = re.sub(r"\s+", " ", s).strip().rstrip(".").strip()
    s = re.sub(r"\beach\b", "every", s)
    s = re.sub(r"\ba\.m\.?", "am", s)
    s = re.sub(r"\bp\.m\.?", "pm", s)
    s = re.sub(r"\b(\d{1,2})h(\d{2})\b", r"\1:\2", s)  # 8h30
    s = re.sub(r"\b(\d{1,2})\.(\d{2})\s*(am|pm)\b", r"\1:\2 \3", s)  # 8.30pm
    return s


def number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def day_set(text: str) -> frozenset[int]:
    return frozenset(_DAY_WORDS[w.rstrip("s") if w.rstrip("s") in _DAY_WORDS else w]
                     for w in re.findall(DAY, text))


def month_number(word: str) -> int:
    return _MONTH_WORDS[word]


def day_of_month(word: str) -> int:
    """1..31, or -1 for "last"."""
    if word in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[word]
    return int(re.sub(r"(st|nd|rd|th)$", "", word))


def dom_list(text: str) -> list[int]:
    return [day_of_month(w) for w in re.findall(DOM, text)]


def _time_of(token: str) -> Time:
    token = token.strip()
    if token in ("noon", "midday"):
        return (12, 0)
    if token == "midnight":
        return (0, 0)
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", token)
    if m is None:
        raise InvalidInput(f"{token!r} is not a time of day.", fix="Write times like 9, 9:30, 17:00 or 5pm.")
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if half is not None:
        if not 1 <= hour <= 12:
            raise InvalidInput(f"There is no {token}.", fix="With am/pm the hour is 1 to 12 (or write 17:00).")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise InvalidInput(f"There is no time {token}.", fix="Hours go from 0 to 23 and minutes from 0 to 59.")
    return (hour, minute)


def extract_times(s: str) -> tuple[list[Time], str]:
    """The times of day in ``s`` (in order, without repeats), and ``s`` without them."""
    times: list[Time] = []

    def take(match: re.Match[str]) -> str:
        for token in re.findall(_TIME_ONE, match.group("t")):
            times.append(_time_of(token))
        return " "

    s = re.sub(rf"(?:\bat\b|@)\s*(?P<t>{_TIME_ONE}(?:\s*(?:,|and|&)\s*{_TIME_ONE})*)(?!\s*(?:st|nd|rd|th)\b)",
               take, s)
    s = re.sub(r"(?<![\d:-])(?P<t>\d{1,2}:\d{2}(?:\s*(?:am|pm))?|\d{1,2}\s*(?:am|pm))(?![\d:])", take, s)
    s = re.sub(r"\b(?:at\s+)?(?P<t>noon|midday|midnight)\b", take, s)

    words: list[Time] = []

    def word(match: re.Match[str]) -> str:
        words.append(_TIME_WORDS[match.group(1)])
        return " "

    s = re.sub(r"\b(?:in the |at )?(morning|afternoon|evening|night)s?\b", word, s)
    unique = list(dict.fromkeys(times or words[:1]))
    return unique, re.sub(r"\s+", " ", s).strip()


def clock(time: Time) -> str:
    return f"{time[0]:02d}:{time[1]:02d}"


def describe_times(times: Iterable[Time]) -> str:
    shown = [clock(t) for t in sorted(times)]
    return "at " + (shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1])


def describe_days(days: frozenset[int]) -> str:
    if days == ALL_DAYS:
        return "every day"
    if days == WEEKDAYS:
        return "every weekday (Monday to Friday)"
    if days == WEEKEND:
        return "every Saturday and Sunday"
    names = [DAY_NAMES[d] for d in sorted(days)]
    return "every " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])


def cron_days(days: frozenset[int]) -> str:
    return "*" if days == ALL_DAYS else ",".join(CRON_DAYS[d] for d in sorted(days))


def ordinal(n: int) -> str:
    if n == -1:
        return "last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def join_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
