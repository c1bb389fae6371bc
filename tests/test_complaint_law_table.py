"""The law table pinned row by row: exact citation, limits and effective range.

Golden rows read from /work/shared/reference/vn-one-stop-rules.md §7 and the texts
they cite (docs/complaint.md, docs/rules.md is generated from the same table):

- Law on Complaints 02/2011/QH13 (in force 1/7/2012): accept 10 days (Art. 27, Art.
  36(1)); resolve first level 30 days, complex 45, remote 45/60 (Art. 28); send the
  first-level decision within 3 working days (Art. 32); second-level complaint within
  30 days, remote 45 (Art. 33(1)); resolve second level 45 days, complex 60, remote
  60/70 (Art. 37); publish the second-level decision within 7 days (Art. 41(1)).
- Decree 124/2020 Art. 16(1) as amended by Decree 155/2026/NĐ-CP Art. 10: acceptance
  within 7 working days for complaints received from 1/7/2026.
- Law on Denunciations 25/2018/QH14 (in force 1/1/2019): 7 working days, 10 when
  verified at several places (Art. 24(1)); forward within 5 working days (Art.
  24(2)); resolve 30 days, +30 once, +30 twice (Art. 30(1)-(3)).
- Decree 20/2008/NĐ-CP (in force 3/3/2008) Art. 9(1)(d): forward within 5 working days.
- Decision 766/QĐ-TTg (indicators from 23/6/2022): refuse within 2, handle within 15,
  publish within 2 working days.

The table is built when its module is imported, so the builders are also checked on
a fresh execution of the module's source (``_rebuilt_table``).
"""

from __future__ import annotations

import datetime as dt
import importlib.util

import attrs
import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.complaint import (
    LAW_TABLE,
    CaseKind,
    Clock,
    ComplaintLevel,
    Step,
    Variant,
    _law,
    rule_for,
)
from tthc_core.errors import InvalidInput

K, S, L, V = CaseKind, Step, ComplaintLevel, Variant
cal, wd = Duration.calendar_days, Duration.working_days
KN = "Law on Complaints 02/2011/QH13"
TC = "Law on Denunciations 25/2018/QH14"
D155 = "Decree 124/2020/NĐ-CP Art. 16(1), amended by Decree 155/2026/NĐ-CP Art. 10"
KPI = "Decision 766/QĐ-TTg (2022), PAKN indicators"
KN_FROM, D155_FROM = dt.date(2012, 7, 1), dt.date(2026, 7, 1)
TC_FROM, D20_FROM, KPI_FROM = dt.date(2019, 1, 1), dt.date(2008, 3, 3), dt.date(2022, 6, 23)


def _kpi(kind: CaseKind) -> list[tuple[object, ...]]:
    return [
        (kind, S.ACCEPT, None, V.ORDINARY, KPI_FROM, None, wd(2), None,
         f"{KPI}: refusal within 2 working days"),
        (kind, S.RESOLVE, None, V.ORDINARY, KPI_FROM, None, wd(15), None,
         f"{KPI}: handled within 15 working days"),
        (kind, S.PUBLISH, None, V.ORDINARY, KPI_FROM, None, wd(2), None,
         f"{KPI}: published within 2 working days"),
    ]  # fmt: skip


# kind, step, level, variant, effective from, until (exclusive), limit, remote limit, citation
GOLDEN: list[tuple[object, ...]] = [
    (K.COMPLAINT, S.ACCEPT, L.FIRST, V.ORDINARY, KN_FROM, D155_FROM, cal(10), None,
     f"{KN} Art. 27"),
    (K.COMPLAINT, S.ACCEPT, L.FIRST, V.ORDINARY, D155_FROM, None, wd(7), None, D155),
    (K.COMPLAINT, S.RESOLVE, L.FIRST, V.ORDINARY, KN_FROM, None, cal(30), cal(45),
     f"{KN} Art. 28"),
    (K.COMPLAINT, S.RESOLVE, L.FIRST, V.COMPLEX, KN_FROM, None, cal(45), cal(60),
     f"{KN} Art. 28 (complex case)"),
    (K.COMPLAINT, S.PUBLISH, L.FIRST, V.ORDINARY, KN_FROM, None, wd(3), None, f"{KN} Art. 32"),
    (K.COMPLAINT, S.ESCALATE, L.FIRST, V.ORDINARY, KN_FROM, None, cal(30), cal(45),
     f"{KN} Art. 33(1)"),
    (K.COMPLAINT, S.ACCEPT, L.SECOND, V.ORDINARY, KN_FROM, D155_FROM, cal(10), None,
     f"{KN} Art. 36(1)"),
    (K.COMPLAINT, S.ACCEPT, L.SECOND, V.ORDINARY, D155_FROM, None, wd(7), None, D155),
    (K.COMPLAINT, S.RESOLVE, L.SECOND, V.ORDINARY, KN_FROM, None, cal(45), cal(60),
     f"{KN} Art. 37"),
    (K.COMPLAINT, S.RESOLVE, L.SECOND, V.COMPLEX, KN_FROM, None, cal(60), cal(70),
     f"{KN} Art. 37 (complex case)"),
    (K.COMPLAINT, S.PUBLISH, L.SECOND, V.ORDINARY, KN_FROM, None, cal(7), None,
     f"{KN} Art. 41(1)"),
    (K.DENUNCIATION, S.ACCEPT, None, V.ORDINARY, TC_FROM, None, wd(7), None,
     f"{TC} Art. 24(1)"),
    (K.DENUNCIATION, S.ACCEPT, None, V.MULTI_SITE, TC_FROM, None, wd(10), None,
     f"{TC} Art. 24(1) (verification at several places)"),
    (K.DENUNCIATION, S.FORWARD, None, V.ORDINARY, TC_FROM, None, wd(5), None,
     f"{TC} Art. 24(2)"),
    (K.DENUNCIATION, S.RESOLVE, None, V.ORDINARY, TC_FROM, None, cal(30), None,
     f"{TC} Art. 30(1)"),
    (K.DENUNCIATION, S.RESOLVE, None, V.COMPLEX, TC_FROM, None, cal(60), None,
     f"{TC} Art. 30(2) (one extension of up to 30 days)"),
    (K.DENUNCIATION, S.RESOLVE, None, V.ESPECIALLY_COMPLEX, TC_FROM, None, cal(90), None,
     f"{TC} Art. 30(3) (two extensions of up to 30 days each)"),
    (K.PETITION, S.FORWARD, None, V.ORDINARY, D20_FROM, None, wd(5), None,
     "Decree 20/2008/NĐ-CP Art. 9(1)(d)"),
    *_kpi(K.PETITION),
    *_kpi(K.SERVICE_FEEDBACK),
]  # fmt: skip


def _plain(table: tuple[_law.LawRule, ...]) -> list[tuple[object, ...]]:
    return [
        (r.kind, r.step, r.level, r.variant, r.effective_from, r.effective_until, r.limit,
         r.remote_limit, r.citation)
        for r in table
    ]  # fmt: skip


def _rebuilt_table() -> tuple[_law.LawRule, ...]:
    """The table as the module's source builds it now (not the copy cached at import)."""
    spec = importlib.util.spec_from_file_location(_law.__name__, _law.__file__)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)  # not registered in sys.modules
    spec.loader.exec_module(module)
    table: tuple[_law.LawRule, ...] = module.LAW_TABLE
    return table


def test_the_law_table_is_exactly_the_golden_rows() -> None:
    assert _plain(LAW_TABLE) == GOLDEN


def test_the_law_tables_source_builds_exactly_the_golden_rows() -> None:
    assert _plain(_rebuilt_table()) == GOLDEN


@pytest.mark.parametrize(
    ("kind", "step", "level"),
    [(K.DENUNCIATION, S.RESOLVE, L.FIRST), (K.PETITION, S.FORWARD, L.SECOND)],
)
def test_a_complaint_level_is_ignored_for_other_kinds(
    kind: CaseKind, step: Step, level: ComplaintLevel
) -> None:
    """Levels (Law on Complaints Art. 7) exist only for complaints; other kinds have one row."""
    assert rule_for(kind, step, D155_FROM, level=level) == rule_for(kind, step, D155_FROM)
    assert rule_for(kind, step, D155_FROM) is not None


def _row(**changes: object) -> _law.LawRule:
    return attrs.evolve(LAW_TABLE[0], **changes)  # type: ignore[arg-type]


def test_the_table_check_accepts_versions_that_meet_at_the_change_day() -> None:
    """Decree 155/2026 takes over on 1/7/2026, the day the Art. 27 row stops applying."""
    _law._check_law_table((_row(), _row(effective_from=D155_FROM, effective_until=None)))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ((_row(citation="  "),), "has no citation"),
        ((_row(level=None),), "level is for complaints only"),
        ((_row(kind=K.DENUNCIATION),), "level is for complaints only"),
        ((_row(), _row(effective_from=dt.date(2026, 6, 30))), "law rows overlap"),
        ((_row(effective_until=None), _row(effective_from=D155_FROM)), "law rows overlap"),
    ],
)
def test_the_table_check_names_a_malformed_row(
    rows: tuple[_law.LawRule, ...], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        _law._check_law_table(rows)


def _denunciation_accept() -> _law.LawRule:
    rule = rule_for(K.DENUNCIATION, S.ACCEPT, D155_FROM)
    assert rule is not None
    return rule


def test_a_suspension_on_the_start_day_keeps_the_whole_working_day_period() -> None:
    """Law on Denunciations Art. 24(1), Art. 34: nothing counted before the start day ends."""
    deadlines = default_deadlines()
    monday = dt.date(2026, 7, 6)
    clock = Clock.start(_denunciation_accept(), remote=False, on=monday, deadlines=deadlines)
    paused = clock.pause(monday, deadlines)
    assert paused.consumed == 0
    assert not paused.running
    resumed = paused.resume(dt.date(2026, 7, 13), deadlines)
    assert resumed.running
    assert resumed.started_on == dt.date(2026, 7, 13)
    # 7 working days after Monday 13/7 (Tue 14 .. Wed 22): ends 24:00 Wednesday 22/7.
    assert resumed.due_at == dt.datetime(2026, 7, 23, tzinfo=VN_TZ)


def test_a_working_day_period_counts_only_working_days_before_a_suspension() -> None:
    """Art. 24(1) counts working days: Friday 10/7 -> Tuesday 14/7 used 2 (Mon, Tue), not 4."""
    deadlines = default_deadlines()
    clock = Clock.start(
        _denunciation_accept(), remote=False, on=dt.date(2026, 7, 10), deadlines=deadlines
    )
    paused = clock.pause(dt.date(2026, 7, 14), deadlines)
    assert paused.consumed == 2
    resumed = paused.resume(dt.date(2026, 7, 15), deadlines)
    # 5 working days left after Wednesday 15/7: ends 24:00 Wednesday 22/7.
    assert resumed.due_at == dt.datetime(2026, 7, 23, tzinfo=VN_TZ)


def test_a_calendar_period_suspended_on_its_start_day_counts_nothing() -> None:
    """Law on Complaints Art. 28, 11a: the suspension day is the first uncounted day."""
    deadlines = default_deadlines()
    rule = rule_for(K.COMPLAINT, S.RESOLVE, D155_FROM, level=L.FIRST)
    assert rule is not None
    day = dt.date(2026, 7, 6)
    paused = Clock.start(rule, remote=False, on=day, deadlines=deadlines).pause(day, deadlines)
    assert paused.consumed == 0
    assert paused.limit == cal(30)


def _rule(
    kind: CaseKind, step: Step, variant: Variant, level: ComplaintLevel | None = None
) -> _law.LawRule:
    rule = rule_for(kind, step, D155_FROM, level=level, variant=variant)
    assert rule is not None
    return rule


def test_a_suspension_after_the_period_ran_out_keeps_it_missed_through_extension() -> None:
    """Law on Denunciations Art. 30(1)-(2), Art. 34: suspending or extending a period that
    already ran out does not cure the miss; the clock runs again from the resumption day."""
    deadlines = default_deadlines()
    accepted = dt.date(2026, 7, 1)  # day 30 is Friday 31/7: due 24:00 that day
    ordinary = _rule(K.DENUNCIATION, S.RESOLVE, V.ORDINARY)
    clock = Clock.start(ordinary, remote=False, on=accepted, deadlines=deadlines)
    end = dt.datetime(2026, 8, 1, tzinfo=VN_TZ)
    assert clock.due_at == end
    paused = clock.pause(dt.date(2026, 8, 3), deadlines)
    assert (paused.lapsed_at, paused.missed_at) == (end, end)
    resumed = paused.resume(dt.date(2026, 8, 10), deadlines)
    assert resumed.running
    assert resumed.started_on == dt.date(2026, 8, 10)
    assert resumed.overdue_from == end
    complex_ = _rule(K.DENUNCIATION, S.RESOLVE, V.COMPLEX)
    extended = resumed.extend(
        complex_, remote=False, deadlines=deadlines, at=dt.datetime(2026, 8, 11, 9, tzinfo=VN_TZ)
    )
    assert extended.variant is V.COMPLEX
    assert extended.citation == complex_.citation
    assert extended.lapsed_at is None
    assert extended.missed_at == end
    assert extended.overdue_from == end


def test_a_complaint_clock_records_its_variant() -> None:
    """Law on Complaints Art. 28: the complex-case period is its own row."""
    deadlines = default_deadlines()
    rule = _rule(K.COMPLAINT, S.RESOLVE, V.COMPLEX, L.FIRST)
    clock = Clock.start(rule, remote=False, on=D155_FROM, deadlines=deadlines)
    assert clock.variant is V.COMPLEX


def test_a_remote_extension_takes_the_remote_complex_limit_minus_the_days_counted() -> None:
    """Law on Complaints Art. 28: remote complex case 60 days; Art. 11a: days counted
    before a suspension are kept, so 4 counted leave 56 from the resumption day."""
    deadlines = default_deadlines()
    ordinary = _rule(K.COMPLAINT, S.RESOLVE, V.ORDINARY, L.FIRST)
    clock = Clock.start(ordinary, remote=True, on=dt.date(2026, 7, 6), deadlines=deadlines)
    assert clock.limit == cal(45)
    paused = clock.pause(dt.date(2026, 7, 10), deadlines)
    assert paused.consumed == 4
    resumed = paused.resume(dt.date(2026, 7, 13), deadlines)
    complex_ = _rule(K.COMPLAINT, S.RESOLVE, V.COMPLEX, L.FIRST)
    extended = resumed.extend(
        complex_, remote=True, deadlines=deadlines, at=dt.datetime(2026, 7, 14, 9, tzinfo=VN_TZ)
    )
    assert extended.limit == cal(60)
    # Day 56 after Monday 13/7 is Monday 7/9/2026 (a working day): ends 24:00 that day.
    assert extended.due_at == dt.datetime(2026, 9, 8, tzinfo=VN_TZ)
