"""Rules as APScheduler (3.x) triggers, and fire times that stay right across daylight saving.

APScheduler computes the wall-clock times (cron), fixed intervals and one-off dates. Two
corrections are made here, because a founder's 02:30 must run once a day whatever the clocks do:
an occurrence in the hour skipped at spring-forward runs once at the first valid instant after
the gap (03:00 in Berlin), and a wall-clock occurrence in the hour repeated at fall-back runs
only on its first pass. All instants leaving this module are aware UTC datetimes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from app.core.errors import InvalidInput
from app.schedules.rules import parse_rule
from app.schedules.spec import RuleSpec, rule_error

_EPS = timedelta(microseconds=1)
MIN_SPACING = timedelta(seconds=60)
_MAX_PROBES = 2000  # candidates a phase or fall-back filter may skip for one next occurrence
COUNT_CAP = 12  # missed occurrences counted one by one; past it the count is estimated


def local_zone_name() -> str:
    """The system's time zone (tzlocal), or UTC when it cannot be told."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
    except Exception:  # noqa: BLE001 - an odd system setup: fall back to UTC, never fail
        name = None
    return name or "UTC"


def resolve_tz(name: str | None) -> ZoneInfo:
    """A time zone by its IANA name; the system's when ``name`` is empty."""
    text = (name or "").strip() or local_zone_name()
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidInput(f"Unknown time zone {text!r}.",
                           fix="Use an IANA name such as Europe/Berlin, America/New_York or UTC.") from None


@dataclass(frozen=True)
class Missed:
    """Occurrences after a cursor and up to a moment: how many, the first and the last."""

    count: int
    first: datetime
    last: datetime
    estimated: bool = False


class CompiledRule:
    """A parsed rule with its triggers, in one time zone."""

    def __init__(self, spec: RuleSpec, tz: ZoneInfo) -> None:
        self.spec = spec
        self.tz = tz
        self.trigger: BaseTrigger
        self.wall_clock = spec.kind == "cron" and any(c.wall_clock for c in spec.crons)
        if spec.kind == "cron":
            try:
                crons = [CronTrigger(**c.as_kwargs(), timezone=tz) for c in spec.crons]
            except ValueError as exc:
                raise rule_error(spec.words, str(exc)) from None
            self.trigger = crons[0] if len(crons) == 1 else OrTrigger(crons)
        elif spec.kind == "interval":
            assert spec.start is not None
            self.trigger = IntervalTrigger(seconds=spec.interval_seconds, start_date=spec.start, timezone=tz)
        else:
            assert spec.at is not None
            self.trigger = DateTrigger(run_date=valid_instant(spec.at, tz), timezone=tz)

    @classmethod
    def parse(cls, text: str, *, tz: ZoneInfo, anchor: datetime) -> CompiledRule:
        return cls(parse_rule(text, tz=tz, now=anchor), tz)

    @property
    def words(self) -> str:
        return self.spec.words

    def next_after(self, t: datetime) -> datetime | None:
        """The first occurrence strictly after ``t`` (aware), in UTC; None when the rule is over."""
        t = t.astimezone(UTC)
        if self.spec.kind != "cron":
            raw = self.trigger.get_next_fire_time(None, t + _EPS)
            if raw is None or raw <= t:
                return None
            return raw.astimezone(UTC)
        probe = t
        for _ in range(_MAX_PROBES):
            raw = self.trigger.get_next_fire_time(None, probe + _EPS)
            if raw is None:
                return None
            probe = raw.astimezone(UTC)  # (wall-clock arithmetic on a fold=1 time would step back an hour)
            if self.wall_clock and _second_pass(raw):
                continue
            phase = self.spec.phase
            if phase is not None:
                days = (raw.astimezone(self.tz).date() - phase.origin).days
                if (days // 7 if phase.unit == "weeks" else days) % phase.every:
                    continue
            fixed = valid_instant(raw, self.tz)
            if fixed > t:
                return fixed.astimezone(UTC)
        return None

    def upcoming(self, after: datetime, *, count: int) -> list[datetime]:
        return list(_take(self.iter_after(after), count))

    def iter_after(self, after: datetime) -> Iterator[datetime]:
        t: datetime | None = after
        while t is not None:
            t = self.next_after(t)
            if t is not None:
                yield t

    def missed(self, after: datetime, until: datetime) -> Missed | None:
        """Occurrences in (after, until]; counted exactly up to ``COUNT_CAP``, then estimated."""
        first = self.next_after(after)
        if first is None or first > until:
            return None
        if self.spec.kind == "interval":
            step = self.spec.interval_seconds
            n = int((until - first).total_seconds() // step)
            return Missed(n + 1, first, first + timedelta(seconds=n * step))
        count, last = 1, first
        for t in self.iter_after(first):
            if t > until:
                return Missed(count, first, last)
            count, last = count + 1, t
            if count >= COUNT_CAP:
                break
        latest = self._last_until(last, until)
        spacing = (last - first) / max(count - 1, 1)
        estimate = count + int((until - last) / spacing) if spacing.total_seconds() > 0 else count
        return Missed(max(estimate, count), first, latest, estimated=True)

    def _last_until(self, known: datetime, until: datetime) -> datetime:
        """The latest occurrence at or before ``until`` (one at or before it, ``known``, exists)."""
        for back in (timedelta(hours=2), timedelta(days=2), timedelta(days=9), timedelta(days=40)):
            start = max(known, until - back)
            found = self._last_from(start - _EPS, until)
            if found is not None:
                return found
        found = self._last_from(known - _EPS, until)
        return found or known

    def _last_from(self, start: datetime, until: datetime) -> datetime | None:
        last = None
        for t in self.iter_after(start):
            if t > until:
                break
            last = t
        return last


def valid_instant(moment: datetime, tz: tzinfo) -> datetime:
    """``moment``'s wall time in ``tz`` if it exists; in a spring-forward gap, the first instant after it."""
    local = moment.astimezone(tz) if moment.tzinfo is not tz else moment
    naive = local.replace(tzinfo=None, fold=0)
    back = local.astimezone(UTC).astimezone(tz).replace(tzinfo=None, fold=0)
    if back == naive:
        return local
    # In a gap: fold=1 reads the wall time with the offset after the change (earlier in UTC).
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if lo > hi:
        lo, hi = hi, lo
    after = hi.astimezone(tz).utcoffset()
    while (hi - lo) > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0).astimezone(tz)


def _second_pass(raw: datetime) -> bool:
    """A wall time in the hour repeated at fall-back, on its second pass."""
    return raw.fold == 1 and raw.replace(fold=0).utcoffset() != raw.utcoffset()


def _take(items: Iterator[datetime], n: int) -> Iterator[datetime]:
    for i, item in enumerate(items):
        if i >= n:
            return
        yield item


def check_fires(rule: CompiledRule, text: str, *, now: datetime) -> list[datetime]:
    """The next occurrences; refuses a rule that never fires or would fire more than once a minute."""
    upcoming = rule.upcoming(now, count=5)
    if not upcoming:
        if rule.spec.kind == "once" and rule.spec.at is not None:
            raise InvalidInput(f"The rule {text.strip()!r} is {rule.spec.at.strftime('%Y-%m-%d %H:%M')}, "
                               "which has passed.", fix="Give a time in the future.")
        raise InvalidInput(f"The rule {text.strip()!r} never fires.",
                           fix="Check the days and months (for example, February has no 30th).")
    for a, b in zip(upcoming, upcoming[1:], strict=False):
        if b - a < MIN_SPACING:
            raise InvalidInput(f"The rule {text.strip()!r} would create more than one task a minute.",
                               fix="Schedules run at most once a minute: say 'every minute' or 'every 5 minutes'.")
    return upcoming
