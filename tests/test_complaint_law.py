"""The law table, row by row, with its citation; transition tables are well formed.

Each expected row below is read from the text it cites (see docs/complaint.md):
Law on Complaints 02/2011/QH13 Art. 27, 28, 32, 33, 36, 37, 41; Decree 124/2020
Art. 16(1) as amended by Decree 155/2026 Art. 10; Law on Denunciations 25/2018
Art. 24, 30; Decree 20/2008 Art. 9(1)(d); Decision 766/QĐ-TTg PAKN indicators.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.complaint import (
    LAW_TABLE,
    TABLES,
    CaseKind,
    CaseState,
    Clock,
    ComplaintLevel,
    Step,
    TransitionTable,
    Variant,
    check_table,
    rule_for,
)
from tthc_core.errors import InvalidInput

K, S, L, V = CaseKind, Step, ComplaintLevel, Variant
cal, wd = Duration.calendar_days, Duration.working_days
BEFORE_155 = dt.date(2026, 6, 30)
AFTER_155 = dt.date(2026, 7, 1)
KN = "Complaints 02/2011/QH13"
D155 = "Decree 155/2026/NĐ-CP Art. 10"
TC = "Denunciations 25/2018/QH14"
D20 = "Decree 20/2008/NĐ-CP Art. 9(1)(d)"

# kind, level, step, variant, day, limit, remote limit, citation fragment
EXPECTED = [
    (K.COMPLAINT, L.FIRST, S.ACCEPT, V.ORDINARY, BEFORE_155, cal(10), cal(10), f"{KN} Art. 27"),
    (K.COMPLAINT, L.FIRST, S.ACCEPT, V.ORDINARY, AFTER_155, wd(7), wd(7), D155),
    (K.COMPLAINT, L.FIRST, S.RESOLVE, V.ORDINARY, AFTER_155, cal(30), cal(45), "Art. 28"),
    (K.COMPLAINT, L.FIRST, S.RESOLVE, V.COMPLEX, AFTER_155, cal(45), cal(60), "Art. 28"),
    (K.COMPLAINT, L.FIRST, S.PUBLISH, V.ORDINARY, AFTER_155, wd(3), wd(3), "Art. 32"),
    (K.COMPLAINT, L.FIRST, S.ESCALATE, V.ORDINARY, AFTER_155, cal(30), cal(45), "Art. 33(1)"),
    (K.COMPLAINT, L.SECOND, S.ACCEPT, V.ORDINARY, BEFORE_155, cal(10), cal(10), "Art. 36(1)"),
    (K.COMPLAINT, L.SECOND, S.ACCEPT, V.ORDINARY, AFTER_155, wd(7), wd(7), D155),
    (K.COMPLAINT, L.SECOND, S.RESOLVE, V.ORDINARY, AFTER_155, cal(45), cal(60), "Art. 37"),
    (K.COMPLAINT, L.SECOND, S.RESOLVE, V.COMPLEX, AFTER_155, cal(60), cal(70), "Art. 37"),
    (K.COMPLAINT, L.SECOND, S.PUBLISH, V.ORDINARY, AFTER_155, cal(7), cal(7), "Art. 41(1)"),
    (K.DENUNCIATION, None, S.ACCEPT, V.ORDINARY, AFTER_155, wd(7), wd(7), f"{TC} Art. 24(1)"),
    (K.DENUNCIATION, None, S.ACCEPT, V.MULTI_SITE, AFTER_155, wd(10), wd(10), "Art. 24(1)"),
    (K.DENUNCIATION, None, S.FORWARD, V.ORDINARY, AFTER_155, wd(5), wd(5), "Art. 24(2)"),
    (K.DENUNCIATION, None, S.RESOLVE, V.ORDINARY, AFTER_155, cal(30), cal(30), "Art. 30(1)"),
    (K.DENUNCIATION, None, S.RESOLVE, V.COMPLEX, AFTER_155, cal(60), cal(60), "Art. 30(2)"),
    (K.DENUNCIATION, None, S.RESOLVE, V.ESPECIALLY_COMPLEX, AFTER_155, cal(90), cal(90), "30(3)"),
    (K.PETITION, None, S.FORWARD, V.ORDINARY, AFTER_155, wd(5), wd(5), D20),
    (K.PETITION, None, S.ACCEPT, V.ORDINARY, AFTER_155, wd(2), wd(2), "766/QĐ-TTg"),
    (K.PETITION, None, S.RESOLVE, V.ORDINARY, AFTER_155, wd(15), wd(15), "766/QĐ-TTg"),
    (K.PETITION, None, S.PUBLISH, V.ORDINARY, AFTER_155, wd(2), wd(2), "766/QĐ-TTg"),
    (K.SERVICE_FEEDBACK, None, S.ACCEPT, V.ORDINARY, AFTER_155, wd(2), wd(2), "766/QĐ-TTg"),
    (K.SERVICE_FEEDBACK, None, S.RESOLVE, V.ORDINARY, AFTER_155, wd(15), wd(15), "766/QĐ-TTg"),
    (K.SERVICE_FEEDBACK, None, S.PUBLISH, V.ORDINARY, AFTER_155, wd(2), wd(2), "766/QĐ-TTg"),
]  # fmt: skip


Row = tuple[CaseKind, ComplaintLevel | None, Step, Variant, dt.date, Duration, Duration, str]


@pytest.mark.parametrize("row", EXPECTED, ids=lambda r: f"{r[0].value}-{r[2].value}-{r[3].value}")
def test_every_statutory_limit_with_its_citation(row: Row) -> None:
    kind, level, step, variant, day, limit, remote, citation = row
    rule = rule_for(kind, step, day, level=level, variant=variant)
    assert rule is not None
    assert rule.limit_for(remote=False) == limit
    assert rule.limit_for(remote=True) == remote
    assert citation in rule.citation


def test_the_expected_table_covers_every_row_of_the_law_table() -> None:
    covered = {
        id(rule_for(kind, step, day, level=level, variant=variant))
        for kind, level, step, variant, day, *_ in EXPECTED
    }
    assert covered == {id(row) for row in LAW_TABLE}


@pytest.mark.parametrize(
    ("kind", "step", "day"),
    [
        (K.COMPLAINT, S.ACCEPT, dt.date(2012, 6, 30)),  # before the Law on Complaints
        (K.DENUNCIATION, S.RESOLVE, dt.date(2018, 12, 31)),  # before the Law on Denunciations
        (K.PETITION, S.RESOLVE, dt.date(2022, 6, 22)),  # before the Decision 766 indicators
        (K.SERVICE_FEEDBACK, S.FORWARD, AFTER_155),  # no text sets one
    ],
)
def test_no_rule_outside_the_texts(kind: CaseKind, step: Step, day: dt.date) -> None:
    assert rule_for(kind, step, day, level=L.FIRST) is None


def test_acceptance_switches_to_working_days_on_1_july_2026() -> None:
    """Decree 155/2026 Art. 10 and 21: 7 working days for complaints received from 1/7/2026."""
    deadlines = default_deadlines()
    old = rule_for(K.COMPLAINT, S.ACCEPT, BEFORE_155, level=L.FIRST)
    new = rule_for(K.COMPLAINT, S.ACCEPT, AFTER_155, level=L.FIRST)
    assert old is not None
    assert new is not None
    # Received Tuesday 30/6/2026: 10 days end 24:00 Friday 10/7.
    old_clock = Clock.start(old, remote=False, on=BEFORE_155, deadlines=deadlines)
    assert old_clock.due_at == dt.datetime(2026, 7, 11, tzinfo=VN_TZ)
    # Received Wednesday 1/7/2026: 7 working days end 24:00 Friday 10/7.
    new_clock = Clock.start(new, remote=False, on=AFTER_155, deadlines=deadlines)
    assert new_clock.due_at == dt.datetime(2026, 7, 11, tzinfo=VN_TZ)


def test_calendar_period_ending_on_a_day_off_moves_to_the_next_working_day() -> None:
    """Civil Code 2015 Art. 148(2) via Deadlines.due_by_days; Law on Complaints Art. 28."""
    deadlines = default_deadlines()
    rule = rule_for(K.COMPLAINT, S.RESOLVE, dt.date(2026, 3, 9), level=L.FIRST)
    assert rule is not None
    # Accepted Monday 9/3/2026: day 30 is Wednesday 8/4 -> ends 24:00 that day.
    clock = Clock.start(rule, remote=False, on=dt.date(2026, 3, 9), deadlines=deadlines)
    assert clock.due_at == dt.datetime(2026, 4, 9, tzinfo=VN_TZ)
    # Accepted Thursday 12/3/2026: day 30 is Saturday 11/4 -> Monday 13/4.
    clock = Clock.start(rule, remote=False, on=dt.date(2026, 3, 12), deadlines=deadlines)
    assert clock.due_at == dt.datetime(2026, 4, 14, tzinfo=VN_TZ)
    # Remote area, 45 days: day 45 is Sunday 26/4 (Giỗ Tổ Hùng Vương), Monday 27/4 is its
    # compensatory day off (Labour Code Art. 111(3)) -> ends 24:00 Tuesday 28/4.
    remote = Clock.start(rule, remote=True, on=dt.date(2026, 3, 12), deadlines=deadlines)
    assert remote.limit == cal(45)
    assert remote.due_at == dt.datetime(2026, 4, 29, tzinfo=VN_TZ)


@pytest.mark.parametrize("kind", list(CaseKind))
def test_each_kind_table_is_well_formed(kind: CaseKind) -> None:
    table = TABLES[kind]
    check_table(kind.value, table)
    assert table.initial is CaseState.RECEIVED
    assert {CaseState.NOT_ACCEPTED, CaseState.FORWARDED, CaseState.WITHDRAWN} <= table.finals


def _edges(rows: dict[CaseState, set[CaseState]]) -> TransitionTable:
    return TransitionTable(
        CaseState.RECEIVED, MappingProxyType({s: frozenset(t) for s, t in rows.items()})
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({CaseState.RECEIVED: {CaseState.CLOSED}}, "unknown states"),
        (
            {
                CaseState.RECEIVED: {CaseState.CLOSED},
                CaseState.CLOSED: set(),
                CaseState.DIALOGUE: set(),
            },
            "unreachable",
        ),
        (
            {
                CaseState.RECEIVED: {CaseState.ACCEPTED, CaseState.CLOSED},
                CaseState.ACCEPTED: {CaseState.ACCEPTED},
                CaseState.CLOSED: set(),
            },
            "trap",
        ),
        ({CaseState.RECEIVED: {CaseState.RECEIVED}}, "no final"),
    ],
)
def test_check_table_rejects_malformed_tables(
    rows: dict[CaseState, set[CaseState]], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_table("test", _edges(rows))
