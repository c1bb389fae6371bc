"""Due-date queries: ``WorkingDayIndex.nth_working_day`` against ``holidays``' own walk.

Both answer the same seeded random queries (start dates 2020-2035, ``n`` in
1..60, Vietnam's calendar); every answer is compared. The ``holidays`` object
is warmed first (its years populated), so the ratio measures the query, not
the holiday table's construction. ``Deadlines.add_working_days`` (minute
resolution, office hours) is measured on random aware start instants.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

import holidays

from tthc_adapters.calendar import HolidaysCalendar, default_deadlines
from tthc_core.calendar import VN_TZ, WorkingDayIndex

NAME = "calendar"

QUERIES = 20_000
FIRST, LAST = dt.date(2020, 1, 1), dt.date(2035, 12, 31)


def _best_of(repeats: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def run() -> dict[str, object]:
    """Measure and return queries per second and their ratio."""
    rng = random.Random(20250426)
    span = (LAST - FIRST).days
    queries = [
        (FIRST + dt.timedelta(days=rng.randrange(span + 1)), rng.randint(1, 60))
        for _ in range(QUERIES)
    ]

    reference = holidays.country_holidays("VN")
    for year in range(FIRST.year, LAST.year + 2):
        reference.is_working_day(dt.date(year, 6, 1))  # populate every year used
    build_started = time.perf_counter()
    index = WorkingDayIndex(HolidaysCalendar(), 2015, 2040)
    build_seconds = time.perf_counter() - build_started

    expected = [reference.get_nth_working_day(d, n) for d, n in queries]
    answers = [index.nth_working_day(d, n) for d, n in queries]
    mismatches = sum(a != b for a, b in zip(answers, expected, strict=True))
    assert mismatches == 0, f"{mismatches} answers differ from holidays.get_nth_working_day"

    nth = index.nth_working_day
    get_nth = reference.get_nth_working_day
    holidays_s = _best_of(2, lambda: [get_nth(d, n) for d, n in queries])
    index_s = _best_of(5, lambda: [nth(d, n) for d, n in queries])

    deadlines = default_deadlines()
    starts = [
        (
            dt.datetime.combine(d, dt.time(rng.randrange(24), rng.randrange(60)), tzinfo=VN_TZ),
            n,
        )
        for d, n in queries
    ]
    add = deadlines.add_working_days
    deadlines_s = _best_of(5, lambda: [add(s, n) for s, n in starts])

    return {
        "queries": QUERIES,
        "answers_identical": mismatches == 0,
        "holidays_get_nth_working_day_per_s": round(QUERIES / holidays_s),
        "index_nth_working_day_per_s": round(QUERIES / index_s),
        "ratio_index_vs_holidays": round(holidays_s / index_s, 1),
        "deadlines_add_working_days_per_s": round(QUERIES / deadlines_s),
        "index_build_2015_2040_ms": round(build_seconds * 1000, 1),
        "holidays_version": holidays.__version__,
    }
