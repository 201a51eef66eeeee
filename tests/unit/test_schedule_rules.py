"""Rules in the founder's words: a table of rules and their next occurrences from a fixed instant."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.core.errors import InvalidInput
from app.schedules.timing import CompiledRule, check_fires

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 1, 6, 12, 0, tzinfo=BERLIN)  # a Wednesday; 1 January 2027 was a Friday

# rule -> its next occurrences (local time, Europe/Berlin) from NOW
RULES: list[tuple[str, list[str]]] = [
    ("every monday at 9", ["2027-01-11 09:00", "2027-01-18 09:00"]),
    ("every weekday at 8:30", ["2027-01-07 08:30", "2027-01-08 08:30", "2027-01-11 08:30"]),
    ("on the 1st of every month", ["2027-02-01 09:00", "2027-03-01 09:00"]),
    ("every 2 weeks on friday at 16:00", ["2027-01-08 16:00", "2027-01-22 16:00", "2027-02-05 16:00"]),
    ("last friday of the month", ["2027-01-29 09:00", "2027-02-26 09:00"]),
    ("every day at 18:00 except weekends", ["2027-01-06 18:00", "2027-01-07 18:00", "2027-01-08 18:00",
                                            "2027-01-11 18:00"]),
    ("tomorrow at 7", ["2027-01-07 07:00"]),
    ("in 3 hours", ["2027-01-06 15:00"]),
    ("on 2027-01-15 at 10:00", ["2027-01-15 10:00"]),
    ("cron: 0 9 * * 1-5", ["2027-01-07 09:00", "2027-01-08 09:00", "2027-01-11 09:00"]),
    ("every day at 9", ["2027-01-07 09:00", "2027-01-08 09:00"]),
    ("daily at 6pm", ["2027-01-06 18:00", "2027-01-07 18:00"]),
    ("every 15 minutes", ["2027-01-06 12:15", "2027-01-06 12:30"]),
    ("every minute", ["2027-01-06 12:01", "2027-01-06 12:02"]),
    ("every hour", ["2027-01-06 13:00", "2027-01-06 14:00"]),
    ("every 2 hours", ["2027-01-06 14:00", "2027-01-06 16:00"]),
    ("every 4 hours", ["2027-01-06 16:00", "2027-01-06 20:00"]),
    ("every 90 minutes", ["2027-01-06 12:01", "2027-01-06 13:31", "2027-01-06 15:01"]),
    ("every hour between 9 and 17 on weekdays", ["2027-01-06 13:00", "2027-01-06 14:00"]),
    ("every 30 minutes between 9 and 17", ["2027-01-06 12:30", "2027-01-06 13:00"]),
    ("mondays at 10am", ["2027-01-11 10:00", "2027-01-18 10:00"]),
    ("every monday and thursday at 9:30", ["2027-01-07 09:30", "2027-01-11 09:30", "2027-01-14 09:30"]),
    ("Every Tuesday & Thursday at 4:15 PM", ["2027-01-07 16:15", "2027-01-12 16:15"]),
    ("Each Monday at 09:00.", ["2027-01-11 09:00"]),
    ("every first monday of the month", ["2027-02-01 09:00", "2027-03-01 09:00"]),
    ("every second tuesday of the month at 14:00", ["2027-01-12 14:00", "2027-02-09 14:00"]),
    ("last day of the month at 17:00", ["2027-01-31 17:00", "2027-02-28 17:00"]),
    ("every 31st of the month", ["2027-01-31 09:00", "2027-03-31 09:00"]),
    ("every quarter", ["2027-04-01 09:00", "2027-07-01 09:00"]),
    ("every 3 months on the 15th", ["2027-01-15 09:00", "2027-04-15 09:00"]),
    ("every 2 months on the 10th", ["2027-01-10 09:00", "2027-03-10 09:00"]),
    ("every year on march 1", ["2027-03-01 09:00", "2028-03-01 09:00"]),
    ("every 1st of january at 8", ["2028-01-01 08:00", "2029-01-01 08:00"]),
    ("on january 15", ["2027-01-15 09:00"]),
    ("on 15 march 2027 at 14:30", ["2027-03-15 14:30"]),
    ("next friday at 3pm", ["2027-01-08 15:00"]),
    ("on friday", ["2027-01-08 09:00"]),
    ("tonight", ["2027-01-06 21:00"]),
    ("the day after tomorrow at 8", ["2027-01-08 08:00"]),
    ("next week", ["2027-01-11 09:00"]),
    ("next month", ["2027-02-01 09:00"]),
    ("every morning", ["2027-01-07 09:00", "2027-01-08 09:00"]),
    ("every sunday evening", ["2027-01-10 18:00", "2027-01-17 18:00"]),
    ("every evening except sundays", ["2027-01-06 18:00", "2027-01-07 18:00", "2027-01-08 18:00",
                                      "2027-01-09 18:00", "2027-01-11 18:00"]),
    ("at 17:00", ["2027-01-06 17:00"]),
    ("in 2 days", ["2027-01-08 12:00"]),
    ("in half an hour", ["2027-01-06 12:30"]),
    ("every other day at 7", ["2027-01-07 07:00", "2027-01-09 07:00"]),
    ("biweekly on tuesday", ["2027-01-12 09:00", "2027-01-26 09:00"]),
    ("every 15th of the month", ["2027-01-15 09:00", "2027-02-15 09:00"]),
    ("the 1st and 15th of every month at noon", ["2027-01-15 12:00", "2027-02-01 12:00", "2027-02-15 12:00"]),
    ("monthly", ["2027-02-01 09:00", "2027-03-01 09:00"]),
    ("weekly", ["2027-01-11 09:00", "2027-01-18 09:00"]),
    ("weekdays at 8", ["2027-01-07 08:00", "2027-01-08 08:00"]),
    ("every weekend at 10", ["2027-01-09 10:00", "2027-01-10 10:00", "2027-01-16 10:00"]),
    ("on the 25th", ["2027-01-25 09:00", "2027-02-25 09:00"]),
    ("every weekday except friday at 9", ["2027-01-07 09:00", "2027-01-11 09:00"]),
    ("every day at 9 and 17:30", ["2027-01-06 17:30", "2027-01-07 09:00", "2027-01-07 17:30"]),
    ("cron 30 8 1 * mon", ["2027-01-11 08:30", "2027-01-18 08:30", "2027-01-25 08:30", "2027-02-01 08:30"]),
    ("cron: 0 9 * * 0", ["2027-01-10 09:00", "2027-01-17 09:00"]),  # crontab: 0 is Sunday
    ("cron: 0 9 * * 7", ["2027-01-10 09:00"]),
    ("cron: */10 9-17 * * mon-fri", ["2027-01-06 12:10", "2027-01-06 12:20"]),
    ("@daily", ["2027-01-07 00:00", "2027-01-08 00:00"]),
]


def _local(times: list[datetime]) -> list[str]:
    return [t.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M") for t in times]


def test_the_table_is_big_enough() -> None:
    assert len(RULES) >= 40


@pytest.mark.parametrize(("rule", "expected"), RULES, ids=[r for r, _ in RULES])
def test_next_occurrences(rule: str, expected: list[str]) -> None:
    compiled = CompiledRule.parse(rule, tz=BERLIN, anchor=NOW)
    assert _local(compiled.upcoming(NOW, count=len(expected))) == expected
    assert compiled.words and "cron `" not in compiled.words or rule.startswith("cron")
    check_fires(compiled, rule, now=NOW)


@pytest.mark.parametrize(("rule", "words"), [
    ("every monday at 9", "every Monday at 09:00"),
    ("every weekday at 8:30", "every weekday (Monday to Friday) at 08:30"),
    ("every day at 18:00 except weekends", "every weekday (Monday to Friday) at 18:00"),
    ("last friday of the month", "on the last Friday of every month at 09:00"),
    ("cron: 0 9 * * 1-5", "every weekday (Monday to Friday) at 09:00"),
    ("tomorrow at 7", "once, on Thu 2027-01-07 at 07:00"),
])
def test_rules_are_said_back_in_words(rule: str, words: str) -> None:
    assert CompiledRule.parse(rule, tz=BERLIN, anchor=NOW).words == words


def test_one_off_rules_are_over_after_they_fire() -> None:
    compiled = CompiledRule.parse("tomorrow at 7", tz=BERLIN, anchor=NOW)
    assert compiled.upcoming(NOW, count=5) == [datetime(2027, 1, 7, 7, tzinfo=BERLIN)]


@pytest.mark.parametrize(("rule", "says"), [
    ("every 0 minutes", "never stop"),
    ("on February 30", "February has no day 30"),
    ("on 2027-02-29", "February has no day 29 in 2027"),
    ("every 30 seconds", "more than one task a minute"),
    ("cron: 0 0 30 2 *", "never fires"),
    ("on 2020-01-01 at 10:00", "has passed"),
    ("every blue moon", "cannot read the rule"),
    ("", "empty"),
    ("every day at 25:00", "no time 25:00"),
    ("cron: 0 9 * *", "five fields"),
    ("cron: 0 9 * * 9", "not a weekday"),
    ("every 0 weeks on monday", "never comes round"),
    ("every weekday except weekdays", "no day is left"),
    ("at 13pm", "no 13pm"),
])
def test_bad_rules_are_refused_with_a_fix(rule: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        compiled = CompiledRule.parse(rule, tz=BERLIN, anchor=NOW)
        check_fires(compiled, rule, now=NOW)
    assert says in caught.value.message
    assert caught.value.fix


def test_an_unreadable_rule_gets_examples_that_work() -> None:
    with pytest.raises(InvalidInput) as caught:
        CompiledRule.parse("whenever the moon is full", tz=BERLIN, anchor=NOW)
    assert caught.value.fix is not None
    for example in ("every monday at 9", "cron: 0 9 * * 1-5", "in 3 hours"):
        assert example in caught.value.fix
        CompiledRule.parse(example, tz=BERLIN, anchor=NOW)  # and the examples themselves work
