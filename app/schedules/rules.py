"""Rules in the founder's words ("every weekday at 8:30", "last friday of the month", "in 3 hours").

``parse_rule`` turns a rule into a ``RuleSpec`` that APScheduler's triggers run (see timing.py),
with the rule said back in plain words. Relative rules ("tomorrow at 7", "in 3 hours") are read
from ``now``: a saved schedule keeps the instant it was read from, so it always means the same.
A rule without a time of day runs at 09:00.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.core.errors import InvalidInput
from app.schedules.crontab import looks_like_cron, parse_cron
from app.schedules.spec import CronFields, Phase, RuleSpec, rule_error
from app.schedules.vocab import (
    ALL_DAYS, DAY, DAY_NAMES, DAYLIST, DOM, DOMLIST, MONTH, MONTH_DAYS, MONTH_NAMES, NUMBER, WEEKDAYS, WEEKEND,
    Time, clock, cron_days, day_of_month, day_set, describe_days, describe_times, dom_list, extract_times,
    join_words, month_number, normalize, number, ordinal,
)

DEFAULT_TIME: Time = (9, 0)
MAX_RULE_CHARS = 300
_GROUPS = {"weekday": WEEKDAYS, "workday": WEEKDAYS, "business day": WEEKDAYS, "working day": WEEKDAYS,
           "weekend": WEEKEND, "weekend day": WEEKEND, "day": ALL_DAYS}
_GROUP = r"(?:weekday|workday|business day|working day|weekend day|weekend)s?"


@dataclass
class _Ctx:
    text: str
    times: list[Time]
    excluded: frozenset[int]
    window: tuple[int, int] | None
    tz: ZoneInfo
    now: datetime  # local

    @property
    def at(self) -> list[Time]:
        return self.times or [DEFAULT_TIME]


def parse_rule(text: str, *, tz: ZoneInfo, now: datetime) -> RuleSpec:
    """Read ``text``; raises ``InvalidInput`` with examples when it cannot."""
    if text is None or not text.strip():
        raise InvalidInput("The rule is empty.", fix="Say when the task should run, for example 'every monday at 9'.")
    if len(text) > MAX_RULE_CHARS:
        raise rule_error(text, f"it is longer than {MAX_RULE_CHARS} characters")
    s = normalize(text)
    if looks_like_cron(s):
        return parse_cron(text, s)
    if re.search(rf"\b(?:seconds|secs?)\b|\bevery second\b(?! {DAY})", s):
        raise InvalidInput(f"The rule {text.strip()!r} would create more than one task a minute.",
                           fix="Schedules run at most once a minute: say 'every minute' or 'every 5 minutes'.")
    s, window = _extract_window(text, s)
    s, iso_time = _extract_iso_datetime(s)
    times, s = extract_times(s)
    if iso_time is not None:
        times.insert(0, iso_time)
    s, excluded = _extract_except(s)
    ctx = _Ctx(text=text, times=times, excluded=excluded, window=window, tz=tz, now=now.astimezone(tz))
    s = re.sub(r"^(?:and|at|,)\s+|\s+(?:and|at|,)$", "", s).strip()
    for pattern, handler in _HANDLERS:
        match = pattern.fullmatch(s)
        if match:
            return handler(match, ctx)
    raise rule_error(text)


# -- pieces taken out before the rule's shape is matched --------------------------------------
def _extract_window(text: str, s: str) -> tuple[str, tuple[int, int] | None]:
    hour = r"(\d{1,2})(?::00)?\s*(am|pm)?"
    m = re.search(rf"\b(?:between|from) {hour} (?:and|to|until|till|-) {hour}\b", s)
    if m is None:
        return s, None
    first, last = _hour(m.group(1), m.group(2)), _hour(m.group(3), m.group(4))
    if first is None or last is None or first >= last:
        raise rule_error(text, "the hours in 'between ... and ...' must be whole hours, the first before the last")
    return (s[:m.start()] + s[m.end():]).strip(), (first, last)


def _hour(value: str, half: str | None) -> int | None:
    hour = int(value)
    if half:
        hour = hour % 12 + (12 if half == "pm" else 0)
    return hour if 0 <= hour <= 24 else None


def _extract_iso_datetime(s: str) -> tuple[str, Time | None]:
    m = re.search(r"\b(\d{4}-\d{2}-\d{2})[t ](\d{1,2}):(\d{2})(?::\d{2})?\b", s)
    if m is None:
        return s, None
    return s[:m.start()] + m.group(1) + s[m.end():], (int(m.group(2)), int(m.group(3)))


def _extract_except(s: str) -> tuple[str, frozenset[int]]:
    m = re.search(rf"\b(?:except|but not|excluding|not)(?: on)? ((?:{_GROUP}|{DAYLIST})(?:\s*(?:,|and|or)\s*"
                  rf"(?:{_GROUP}|{DAYLIST}))*)", s)
    if m is None:
        return s, frozenset()
    return (s[:m.start()] + s[m.end():]).strip(), _days_in(m.group(1))


def _days_in(phrase: str) -> frozenset[int]:
    days: set[int] = set(day_set(re.sub(_GROUP, " ", phrase)))
    for group in re.findall(_GROUP, phrase):
        days |= _GROUPS[group.rstrip("s")]
    return frozenset(days)


# -- building specs ---------------------------------------------------------------------------
def _crons(times: list[Time], **fields: str) -> tuple[CronFields, ...]:
    by_minute: dict[int, list[int]] = {}
    for hour, minute in sorted(set(times)):
        by_minute.setdefault(minute, []).append(hour)
    return tuple(CronFields(minute=str(m), hour=",".join(map(str, hs)), **fields) for m, hs in by_minute.items())


def _left(ctx: _Ctx, days: frozenset[int]) -> frozenset[int]:
    left = days - ctx.excluded
    if not left:
        raise rule_error(ctx.text, "no day is left once the exceptions are taken out")
    return left


def _weekly(ctx: _Ctx, days: frozenset[int], *, every: int = 1) -> RuleSpec:
    days = _left(ctx, days)
    if every < 1:
        raise InvalidInput(f"'every {every} weeks' never comes round.", fix="Use a number of weeks of 1 or more.")
    words = f"{describe_days(days)} {describe_times(ctx.at)}"
    phase = None
    if every > 1:
        first = _first_day(ctx, days)
        monday = first - timedelta(days=first.weekday())
        phase = Phase("weeks", every, monday)
        names = join_words([DAY_NAMES[d] for d in sorted(days)])
        words = f"{'every other week' if every == 2 else f'every {every} weeks'} on {names} {describe_times(ctx.at)}" \
                f" (counting from the week of {monday.isoformat()})"
    return RuleSpec(kind="cron", words=words, crons=_crons(ctx.at, day_of_week=cron_days(days)), phase=phase)


def _first_day(ctx: _Ctx, days: frozenset[int]) -> date:
    """The first of ``days`` from today on on which one of the rule's times is still ahead."""
    today = ctx.now.date()
    ahead = any(datetime.combine(today, time(h, m), tzinfo=ctx.tz) > ctx.now for h, m in ctx.at)
    for offset in range(0 if ahead else 1, 8):
        day = today + timedelta(days=offset)
        if day.weekday() in days:
            return day
    return today


def _daily_every(m: re.Match[str], ctx: _Ctx) -> RuleSpec:
    every = number(m.group(1))
    if every < 1:
        raise InvalidInput("'every 0 days' never comes round.", fix="Use a number of days of 1 or more.")
    if every == 1:
        return _weekly(ctx, ALL_DAYS)
    origin = _first_day(ctx, ALL_DAYS)
    words = f"{'every other day' if every == 2 else f'every {every} days'} {describe_times(ctx.at)} " \
            f"(counting from {origin.isoformat()})"
    return RuleSpec(kind="cron", words=words, crons=_crons(ctx.at, day_of_week=cron_days(_left(ctx, ALL_DAYS))),
                    phase=Phase("days", every, origin))


def _interval(m: re.Match[str], ctx: _Ctx) -> RuleSpec:
    if m.group("half"):
        count, unit = 30, "minute"
    elif m.group("unit") is None:  # hourly
        count, unit = 1, "hour"
    else:
        count = number(m.group("n") or "1")
        unit = "hour" if m.group("unit").startswith("h") else "minute"
    if count < 1:
        raise InvalidInput(f"'every 0 {unit}s' would never stop firing.", fix=f"Use a number of {unit}s of 1 or more.")
    minutes = count * (60 if unit == "hour" else 1)
    days = _left(ctx, _days_in(m.group("days")) if m.group("days") else ALL_DAYS)
    dow = cron_days(days)
    when = {ALL_DAYS: "", WEEKDAYS: " on weekdays", WEEKEND: " on weekends"}.get(
        days, " on " + describe_days(days).removeprefix("every "))
    every = f"every {count} {unit}s" if count > 1 else f"every {unit}"
    window = ctx.window
    if window is not None:
        first, last = window
        hours = f"{first}-{last}" if unit == "hour" else f"{first}-{last - 1}"
        step = minutes if unit == "minute" else 60
        if unit == "hour" and count > 1:
            hours = f"{first}-{last}/{count}"
        if step >= 60:
            crons = (CronFields(minute="0", hour=hours, day_of_week=dow),)
        elif 60 % step == 0:
            crons = (CronFields(minute=f"*/{step}", hour=hours, day_of_week=dow),)
        else:
            raise rule_error(ctx.text, "with hours of the day, the minutes must divide the hour (5, 10, 15, 20, 30)")
        return RuleSpec(kind="cron", words=f"{every}{when} from {clock((first, 0))} to {clock((last, 0))}",
                        crons=crons)
    if minutes < 60 and 60 % minutes == 0:
        return RuleSpec(kind="cron", words=f"{every}{when}", crons=(CronFields(
            minute=f"*/{minutes}" if minutes > 1 else "*", hour="*", day_of_week=dow),))
    if minutes % 60 == 0 and 24 % (minutes // 60) == 0:
        return RuleSpec(kind="cron", words=f"{every}{when}", crons=(CronFields(
            minute="0", hour=f"*/{minutes // 60}" if minutes > 60 else "*", day_of_week=dow),))
    if days != ALL_DAYS:
        raise rule_error(ctx.text, "an interval that does not divide the day cannot be limited to some days")
    start = (ctx.now.replace(second=0, microsecond=0) + timedelta(minutes=1))
    return RuleSpec(kind="interval", words=f"{every}, from {start.strftime('%Y-%m-%d %H:%M')}",
                    interval_seconds=minutes * 60, start=start)


def _monthly(ctx: _Ctx, days: list[int], *, every: int = 1, day_field: str | None = None,
             what: str | None = None) -> RuleSpec:
    if every < 1:
        raise InvalidInput("'every 0 months' never comes round.", fix="Use a number of months of 1 or more.")
    for d in days:
        if d == 0 or d > 31:
            raise rule_error(ctx.text, f"no month has a day {d}")
    field = day_field or ",".join("last" if d == -1 else str(d) for d in sorted(set(days)))
    what = what or "the " + join_words([ordinal(d) if d != -1 else "last day" for d in sorted(set(days), key=_dom_key)])
    month_field, period = "*", "every month"
    if every > 1:
        start = ctx.now.month
        months = sorted({(start - 1 + k) % 12 + 1 for k in range(0, 12, every)}) if 12 % every == 0 else None
        if months is None:
            raise rule_error(ctx.text, "the number of months must divide the year (2, 3, 4 or 6)")
        month_field = ",".join(map(str, months))
        period = "every quarter" if every == 3 else f"every {every} months"
        period += f" ({join_words([MONTH_NAMES[x - 1] for x in months])})"
    dow = "*" if not ctx.excluded else cron_days(_left(ctx, ALL_DAYS))
    words = f"on {what} of {period} {describe_times(ctx.at)}"
    if dow != "*":
        words += f", only when it is {describe_days(_left(ctx, ALL_DAYS)).removeprefix('every ')}"
    if any(d > 28 for d in days):
        words += f" (months without a {ordinal(max(days))} are skipped; 'last day of the month' means the end of each)"
    return RuleSpec(kind="cron", words=words, crons=_crons(ctx.at, day=field, month=month_field, day_of_week=dow))


def _dom_key(d: int) -> int:
    return 99 if d == -1 else d


def _yearly(ctx: _Ctx, month: int, day: int) -> RuleSpec:
    _check_day(ctx, month, day)
    return RuleSpec(kind="cron", words=f"every year on {MONTH_NAMES[month - 1]} {day} {describe_times(ctx.at)}",
                    crons=_crons(ctx.at, day=str(day), month=str(month)))


def _check_day(ctx: _Ctx, month: int, day: int, year: int | None = None) -> None:
    most = MONTH_DAYS[month - 1] if year is None or month != 2 else (29 if _leap(year) else 28)
    if not 1 <= day <= most:
        raise InvalidInput(f"{MONTH_NAMES[month - 1]} has no day {day}" + (f" in {year}" if year else "") + ".",
                           fix=f"Pick a day from 1 to {most}, or say 'last day of the month'.")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _once(ctx: _Ctx, day: date, *, times: list[Time] | None = None) -> RuleSpec:
    hour, minute = (times or ctx.at)[0]
    if len(ctx.times) > 1:
        raise rule_error(ctx.text, "a one-off rule has one time; say 'every day at ...' for several times a day")
    at = datetime.combine(day, time(hour, minute), tzinfo=ctx.tz)
    return RuleSpec(kind="once", words=f"once, on {at.strftime('%a %Y-%m-%d')} at {clock((hour, minute))}", at=at)


def _next_time_today_or_tomorrow(ctx: _Ctx) -> RuleSpec:
    hour, minute = ctx.at[0]
    today = ctx.now.date()
    later = datetime.combine(today, time(hour, minute), tzinfo=ctx.tz) > ctx.now
    return _once(ctx, today if later else today + timedelta(days=1))


def _weekday_once(ctx: _Ctx, day: int, *, strictly_after_today: bool) -> RuleSpec:
    today = ctx.now.date()
    ahead = (day - today.weekday()) % 7
    if ahead == 0:
        hour, minute = ctx.at[0]
        if strictly_after_today or datetime.combine(today, time(hour, minute), tzinfo=ctx.tz) <= ctx.now:
            ahead = 7
    return _once(ctx, today + timedelta(days=ahead))


def _relative(m: re.Match[str], ctx: _Ctx) -> RuleSpec:
    count = 30 if m.group("half") else number(m.group("n"))
    unit = "minute" if m.group("half") else m.group("unit")
    if count < 1:
        raise rule_error(ctx.text, "'in 0 ...' is now; say 'in 1 minute' or use `bureau schedule run-now`")
    if unit in ("day", "week"):
        later = ctx.now.date() + timedelta(days=count * (7 if unit == "week" else 1))
        return _once(ctx, later, times=ctx.times or [(ctx.now.hour, ctx.now.minute)])
    if ctx.times:
        raise rule_error(ctx.text, "'in N minutes/hours' already says when; leave out the time of day")
    at = (ctx.now + timedelta(minutes=count * (60 if unit.startswith("h") else 1))).replace(microsecond=0)
    return RuleSpec(kind="once", words=f"once, on {at.strftime('%a %Y-%m-%d at %H:%M')} (in {count} {unit}"
                    f"{'s' if count > 1 else ''})", at=at)


def _date_once(m: re.Match[str], ctx: _Ctx) -> RuleSpec:
    g = m.groupdict()
    if g.get("iso"):
        try:
            day = date.fromisoformat(g["iso"])
        except ValueError:
            y, mo, d = (int(x) for x in g["iso"].split("-"))
            if 1 <= mo <= 12:
                _check_day(ctx, mo, d, y)
            raise rule_error(ctx.text, f"{g['iso']} is not a date") from None
        return _once(ctx, day)
    month = month_number(g["month"])
    dom = day_of_month(g["dom"])
    year = int(g["year"]) if g.get("year") else None
    _check_day(ctx, month, dom, year)
    if year is None:  # the next time that day comes round
        year = ctx.now.year
        while (month, dom) == (2, 29) and not _leap(year) or \
                datetime.combine(date(year, month, dom), time(*ctx.at[0]), tzinfo=ctx.tz) <= ctx.now:
            year += 1
    return _once(ctx, date(year, month, dom))


def _yearly_match(m: re.Match[str], ctx: _Ctx) -> RuleSpec:
    return _yearly(ctx, month_number(m.group("month")), day_of_month(m.group("dom")))


def _nth_weekday(m: re.Match[str], ctx: _Ctx) -> RuleSpec:
    nth = day_of_month(m.group("nth"))
    if not (nth == -1 or 1 <= nth <= 5):
        raise rule_error(ctx.text, "a month has at most five of each weekday")
    day = min(day_set(m.group("day")))
    field = f"{'last' if nth == -1 else ordinal(nth)} {['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'][day]}"
    return _monthly(ctx, [1], day_field=field, what=f"the {ordinal(nth)} {DAY_NAMES[day]}")


def _weekday_plural(m: re.Match[str], ctx: _Ctx) -> RuleSpec:
    """'mondays' or 'on mondays and thursdays' repeat; 'on monday' is the next Monday only."""
    words = re.findall(DAY, m.group("days"))
    if len(words) > 1 or all(w.endswith("s") and w not in ("tues", "thurs") for w in words):
        return _weekly(ctx, day_set(m.group("days")))
    return _weekday_once(ctx, min(day_set(m.group("days"))), strictly_after_today=False)


def _weeks(m: re.Match[str], ctx: _Ctx) -> RuleSpec:
    every = 2 if m.group("other") else number(m.group("n") or "1")
    days = day_set(m.group("days")) if m.group("days") else frozenset({ctx.now.weekday()} if every > 1 else {0})
    return _weekly(ctx, days, every=every)


def _require_time(ctx: _Ctx) -> RuleSpec:
    if not ctx.times:
        raise rule_error(ctx.text)
    return _next_time_today_or_tomorrow(ctx)


_EVERY_N = rf"every (?:(?P<n>{NUMBER}) )?"
_MONTH_END = r"(?:of )?(?:the|every|a) month"
_H: list[tuple[str, Callable[[re.Match[str], _Ctx], RuleSpec]]] = [
    (rf"in (?:(?P<n>{NUMBER}) (?P<unit>minute|hour|day|week)s?|(?P<half>half an hour))", _relative),
    (r"(?:every|daily|every day|everyday|every single day|once a day|day|days)", lambda m, c: _weekly(c, ALL_DAYS)),
    (rf"(?:every |on )?(?P<g>{_GROUP})", lambda m, c: _weekly(c, _GROUPS[m.group("g").rstrip("s")])),
    (rf"(?:every |on )?(?P<days>{DAYLIST}) (?:and|&) (?:every |on )?(?P<g>{_GROUP})",
     lambda m, c: _weekly(c, day_set(m.group("days")) | _GROUPS[m.group("g").rstrip("s")])),
    (rf"every (?P<days>{DAYLIST})", lambda m, c: _weekly(c, day_set(m.group("days")))),
    (rf"(?:on )?(?P<days>{DAYLIST})", _weekday_plural),
    (rf"(?:(?:every|on|this) )?(?P<day>{DAY}) only", lambda m, c: _weekday_once(c, min(day_set(m.group("day"))),
                                                                                strictly_after_today=False)),
    (rf"next (?P<day>{DAY})", lambda m, c: _weekday_once(c, min(day_set(m.group("day"))), strictly_after_today=True)),
    (rf"this (?P<day>{DAY})", lambda m, c: _weekday_once(c, min(day_set(m.group("day"))), strictly_after_today=False)),
    (rf"(?:{_EVERY_N}weeks?|(?P<other>biweekly|fortnightly|every fortnight|every other week)|weekly|once a week)"
     rf"(?: on (?P<days>{DAYLIST}))?", _weeks),
    (rf"(?:every (?P<n>{NUMBER}) days?)", _daily_every),
    (rf"(?:{_EVERY_N}(?P<unit>minute|min|hour|hr)s?|(?P<half>every half hour|half-hourly)|hourly)"
     rf"(?: (?:on |every )?(?P<days>(?:{_GROUP}|{DAYLIST})))?", _interval),
    (rf"(?:on |every )?(?:the )?(?P<nth>first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th) "
     rf"(?P<day>{DAY}) {_MONTH_END}", _nth_weekday),
    (rf"(?:on |every )?(?:the )?last day {_MONTH_END}", lambda m, c: _monthly(c, [-1])),
    (rf"(?:on |every )?(?:the )?(?P<doms>{DOMLIST})(?: day)? {_MONTH_END}", lambda m, c: _monthly(c, dom_list(m["doms"]))),
    (rf"(?:every month|monthly|once a month)(?: on (?:the )?(?P<doms>{DOMLIST}))?",
     lambda m, c: _monthly(c, dom_list(m["doms"]) if m["doms"] else [1])),
    (rf"(?:{_EVERY_N}months?|(?P<q>quarterly|every quarter))(?: on (?:the )?(?P<doms>{DOMLIST}))?",
     lambda m, c: _monthly(c, dom_list(m["doms"]) if m["doms"] else [1],
                           every=3 if m["q"] else number(m["n"] or "1"))),
    (rf"on the (?P<doms>{DOMLIST})", lambda m, c: _monthly(c, dom_list(m["doms"]))),
    (rf"(?:every year|yearly|annually|once a year|every)(?: on)? (?:the )?(?P<dom>{DOM}) (?:of )?(?P<month>{MONTH})",
     _yearly_match),
    (rf"(?:every year|yearly|annually|once a year|every)(?: on)? (?P<month>{MONTH}) (?:the )?(?P<dom>{DOM})",
     _yearly_match),
    (r"today", lambda m, c: _once(c, c.now.date())),
    (r"tonight", lambda m, c: _once(c, c.now.date(), times=c.times or [(21, 0)])),
    (r"tomorrow", lambda m, c: _once(c, c.now.date() + timedelta(days=1))),
    (r"(?:the )?day after tomorrow", lambda m, c: _once(c, c.now.date() + timedelta(days=2))),
    (r"next week", lambda m, c: _once(c, c.now.date() + timedelta(days=7 - c.now.weekday()))),
    (r"next month", lambda m, c: _once(c, (c.now.date().replace(day=1) + timedelta(days=32)).replace(day=1))),
    (r"(?:on )?(?P<iso>\d{4}-\d{1,2}-\d{1,2})", _date_once),
    (rf"(?:on )?(?P<month>{MONTH}) (?:the )?(?P<dom>{DOM})(?: (?P<year>\d{{4}}))?", _date_once),
    (rf"(?:on )?(?:the )?(?P<dom>{DOM}) (?:of )?(?P<month>{MONTH})(?: (?P<year>\d{{4}}))?", _date_once),
    (r"(?:once|once only|one time)?", lambda m, c: _require_time(c)),
]

_HANDLERS = [(re.compile(p), h) for p, h in _H]
