"""Crontab expressions (``cron: 0 9 * * 1-5``) as APScheduler cron fields, and said back in words.

Two classic pitfalls are handled here: APScheduler 3 numbers weekdays from Monday = 0 while
crontab uses Sunday = 0 (so weekdays are translated to names), and crontab fires when *either*
a restricted day of month or a restricted weekday matches (so that case becomes two triggers).
"""

from __future__ import annotations

import re

from app.schedules.spec import CronFields, RuleSpec, rule_error
from app.schedules.vocab import CRON_DAYS, DAY_NAMES, clock, describe_days, join_words

_NICKNAMES = {
    "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
}
_CRON_DAY_NUMBERS = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
_FIELD = re.compile(r"[\d*/,\-a-z?]+")
_NUMERIC_FIVE = re.compile(r"[\d*/,\-]+(?: [\d*/,\-]+){4}")


def looks_like_cron(s: str) -> bool:
    return s.startswith(("cron:", "cron ")) or s in _NICKNAMES or bool(_NUMERIC_FIVE.fullmatch(s))


def parse_cron(text: str, s: str) -> RuleSpec:
    expr = re.sub(r"^cron:?\s*", "", s).strip()
    expr = _NICKNAMES.get(expr, expr)
    fields = expr.split()
    if len(fields) != 5 or not all(_FIELD.fullmatch(f) for f in fields):
        raise rule_error(text, "a cron rule has five fields: minute hour day-of-month month day-of-week "
                         "(for example `cron: 0 9 * * 1-5`)")
    minute, hour, day, month, dow = ("*" if f == "?" else f for f in fields)
    days = _weekdays(text, dow)
    names = "*" if days is None else ",".join(CRON_DAYS[d] for d in sorted(days))
    if day != "*" and names != "*":  # crontab: either one matching is enough
        crons = (CronFields(minute, hour, day, month, "*"), CronFields(minute, hour, "*", month, names))
    else:
        crons = (CronFields(minute, hour, day, month, names),)
    return RuleSpec(kind="cron", words=_words(expr, minute, hour, day, month, days), crons=crons)


def _weekdays(text: str, field: str) -> frozenset[int] | None:
    """Crontab weekdays (0 or 7 = Sunday, names allowed) as Monday = 0 .. Sunday = 6; None for any day."""
    if field == "*":
        return None
    result: set[int] = set()
    for part in field.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() else 1
        if step_text and not step_text.isdigit():
            raise rule_error(text, f"the weekday step {step_text!r} is not a number")
        if body == "*":
            first, last = 0, 6
        elif "-" in body:
            a, b = body.split("-", 1)
            first, last = _day_number(text, a), _day_number(text, b)
            if last == 0 and first > 0:
                last = 7
        else:
            first = last = _day_number(text, body)
        if first > last:
            raise rule_error(text, f"the weekday range {body!r} runs backwards")
        result.update(n % 7 for n in range(first, last + 1, step))
    if len(result) == 7:
        return None
    return frozenset((n - 1) % 7 for n in result)  # crontab Sunday=0 -> Monday=0


def _day_number(text: str, token: str) -> int:
    if token.isdigit() and 0 <= int(token) <= 7:
        return int(token)
    if token[:3] in _CRON_DAY_NUMBERS:
        return _CRON_DAY_NUMBERS[token[:3]]
    raise rule_error(text, f"{token!r} is not a weekday (0-7 or sun..sat)")


def _words(expr: str, minute: str, hour: str, day: str, month: str, days: frozenset[int] | None) -> str:
    simple_time = minute.isdigit() and re.fullmatch(r"\d+(,\d+)*", hour) is not None
    if not simple_time or month != "*" or not re.fullmatch(r"\*|\d+(,\d+)*", day):
        return f"cron `{expr}` (minute hour day-of-month month weekday)"
    times = [clock((int(h), int(minute))) for h in hour.split(",")]
    at = "at " + join_words(times)
    if day != "*" and days is not None:
        names = join_words([DAY_NAMES[d] for d in sorted(days)])
        return f"on day {day} of every month and every {names}, {at}"
    if day != "*":
        return f"on day {join_words(day.split(','))} of every month, {at}"
    return f"{describe_days(days if days is not None else frozenset(range(7)))} {at}"
