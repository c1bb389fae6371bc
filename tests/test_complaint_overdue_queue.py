"""One definition of "overdue" for complaint cases, in memory and in storage.

:func:`tthc_core.complaint.overdue` and the stored queue
(``Repository.due_by(now)`` over :data:`tthc_core.storage.kinds.COMPLAINTS`)
must agree on every case at every instant: both use
:func:`tthc_core.complaint.due_in_queue` with ``<=`` (the due instant is the
first instant a step is late — a day-counted period ends at 24:00, Civil Code
2015 Art. 148), and both include decisions resolved but not yet sent within the
limit of Law on Complaints 02/2011/QH13 Art. 32.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_adapters.calendar import default_deadlines
from tthc_adapters.storage import MemoryStore, SqliteStore
from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ
from tthc_core.codes import AgencyCode
from tthc_core.party import Applicant
from tthc_core.storage import Store
from tthc_core.storage.kinds import COMPLAINTS
from tthc_core.testing.strategies import case_walks

MINUTE = dt.timedelta(minutes=1)
DEADLINES = default_deadlines()
AGENCY = cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh")


def at_local(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=VN_TZ)


def received_complaint() -> cp.Case:
    """A complaint received Monday 2/3/2026 (acceptance due 24:00 Thursday 12/3, Art. 27)."""
    case, _ = cp.receive(
        case_id="KN-2026-0001",
        kind=cp.CaseKind.COMPLAINT,
        at=at_local(2026, 3, 2, 9),
        channel=cp.Channel.DESK,
        agency=AGENCY,
        deadlines=DEADLINES,
        sender=Applicant("Trần Thị Lan", address="Buôn Đrao, xã Ea Tóh"),
        content="Khiếu nại quyết định thu hồi đất",
    )
    return case


def _resolved_not_sent() -> cp.Case:
    """Decided Tuesday 10/3/2026, not yet sent."""
    case = received_complaint()
    case, _ = cp.accept(case, at=at_local(2026, 3, 3, 9), deadlines=DEADLINES)
    case, _ = cp.assign(case, at=at_local(2026, 3, 3, 10), unit="Thanh tra", handler="cb-1")
    case, _ = cp.start_verification(case, at=at_local(2026, 3, 4, 9))
    case, _ = cp.resolve(
        case, at=at_local(2026, 3, 10, 9), summary="Giữ nguyên", deadlines=DEADLINES
    )
    return case


def _stored_queue(store: Store, cases: list[cp.Case], now: dt.datetime) -> list[str]:
    with store.unit_of_work() as uow:
        repo = uow.repository(COMPLAINTS)
        for case in cases:
            repo.save(case)
        queue = [c.case_id for c in repo.due_by(now, limit=10_000)]
        uow.rollback()
    return queue


def _unique(walks: list[tuple[cp.Case, list[cp.CaseEvent]]]) -> list[cp.Case]:
    seen: dict[str, cp.Case] = {}
    for case, _ in walks:
        seen.setdefault(case.case_id, case)
    return list(seen.values())


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path_factory.mktemp("queue") / "q.sqlite3", synchronous="NORMAL")
    yield store
    store.close()


@settings(max_examples=40, deadline=None)
@given(
    walks=st.lists(case_walks(max_steps=10), min_size=1, max_size=6),
    pick=st.integers(0, 5),
    shift=st.sampled_from((-MINUTE, dt.timedelta(0), MINUTE, dt.timedelta(days=3))),
)
def test_the_in_memory_and_stored_queues_agree(
    sqlite_store: SqliteStore,
    walks: list[tuple[cp.Case, list[cp.CaseEvent]]],
    pick: int,
    shift: dt.timedelta,
) -> None:
    cases = _unique(walks)
    dues = [d for c in cases if (d := cp.due_in_queue(c)) is not None]
    anchor = dues[pick % len(dues)] if dues else cases[0].updated_at
    now = anchor + shift  # on, just before and just after a due instant
    expected = [c.case_id for c in cp.overdue(cases, now)]
    assert _stored_queue(MemoryStore(), cases, now) == expected
    assert _stored_queue(sqlite_store, cases, now) == expected  # rolled back after each example
    assert all(cp.timeliness(c, now) is cp.Timeliness.OVERDUE for c in cp.overdue(cases, now)
               if c.is_open)  # fmt: skip


def test_sqlite_agrees_at_the_boundary(tmp_path: Path) -> None:
    case = received_complaint()
    due = cp.due_in_queue(case)
    assert due is not None
    store = SqliteStore(tmp_path / "q.sqlite3")
    try:
        for now, inside in ((due - MINUTE, False), (due, True), (due + MINUTE, True)):
            assert (_stored_queue(store, [case], now) == [case.case_id]) is inside
            assert (cp.overdue([case], now) == [case]) is inside
    finally:
        store.close()


def test_a_midnight_job_sees_what_expired_that_night() -> None:
    case = received_complaint()
    due = cp.due_in_queue(case)
    assert due is not None
    assert due.hour == 0
    assert due.minute == 0
    assert cp.overdue([case], due) == [case]
    assert _stored_queue(MemoryStore(), [case], due) == [case.case_id]


def test_a_decision_not_sent_in_time_is_in_both_queues() -> None:
    case = _resolved_not_sent()
    assert not case.is_open
    due = cp.due_in_queue(case)
    # Art. 32: sent within 3 working days of the decision (Tue 10/3 -> end of Fri 13/3).
    assert due == at_local(2026, 3, 14, 0)
    for now, inside in ((due - MINUTE, False), (due, True), (due + MINUTE, True)):
        assert (cp.overdue([case], now) == [case]) is inside
        assert (_stored_queue(MemoryStore(), [case], now) == [case.case_id]) is inside
    sent, _ = cp.publish(case, at=due + MINUTE)
    assert cp.due_in_queue(sent) is None


def test_migration_5_backfills_unsent_decisions_on_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    store = SqliteStore(path)
    with store.unit_of_work() as uow:
        uow.repository(COMPLAINTS).save(_resolved_not_sent())
        uow.commit()
    store.close()
    with sqlite3.connect(path) as conn:  # the row as a store before version 5 indexed it
        conn.execute("UPDATE aggregates SET due_at = NULL")
        conn.execute("DELETE FROM schema_migrations WHERE version = 5")
    conn.close()
    store = SqliteStore(path)
    try:
        with store.unit_of_work() as uow:
            repo = uow.repository(COMPLAINTS)
            assert repo.due_by(at_local(2026, 3, 14) - MINUTE) == []
            assert [c.case_id for c in repo.due_by(at_local(2026, 3, 14))] == ["KN-2026-0001"]
    finally:
        store.close()


@pytest.mark.postgres
def test_migration_5_backfills_unsent_decisions_on_postgres(
    postgres_dsn: str, postgres_schema: str
) -> None:
    import psycopg
    from psycopg import sql

    from tthc_adapters.storage import PostgresStore

    store = PostgresStore(postgres_dsn, schema=postgres_schema, max_size=2)
    with store.unit_of_work() as uow:
        uow.repository(COMPLAINTS).save(_resolved_not_sent())
        uow.commit()
    store.close()
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        schema = sql.Identifier(postgres_schema)
        conn.execute(sql.SQL("UPDATE {}.aggregates SET due_at = NULL").format(schema))
        conn.execute(sql.SQL("DELETE FROM {}.schema_migrations WHERE version = 5").format(schema))
    store = PostgresStore(postgres_dsn, schema=postgres_schema, max_size=2)
    try:
        with store.unit_of_work() as uow:
            repo = uow.repository(COMPLAINTS)
            assert repo.due_by(at_local(2026, 3, 14) - MINUTE) == []
            assert [c.case_id for c in repo.due_by(at_local(2026, 3, 14))] == ["KN-2026-0001"]
    finally:
        store.close()


@pytest.mark.parametrize(
    ("accepted_on", "due"),
    [
        # day 30 is Wednesday 29/4/2026, the eve of 30/4-1/5: the period ends that midnight
        (dt.date(2026, 3, 30), at_local(2026, 4, 30)),
        # day 30 is 30/4 itself: past 1/5 and the weekend, to 24:00 Monday 4/5
        (dt.date(2026, 3, 31), at_local(2026, 5, 5)),
    ],
)
def test_a_period_ending_on_a_holiday_eve_and_on_a_holiday(
    accepted_on: dt.date, due: dt.datetime
) -> None:
    """Law on Complaints Art. 28 (30 days), counted by Civil Code Art. 147-148."""
    case = received_complaint()
    case, _ = cp.accept(
        case, at=dt.datetime.combine(accepted_on, dt.time(9), VN_TZ), deadlines=DEADLINES
    )
    assert cp.due_in_queue(case) == due
    for now, inside in ((due - MINUTE, False), (due, True), (due + MINUTE, True)):
        assert (cp.overdue([case], now) == [case]) is inside
        assert (_stored_queue(MemoryStore(), [case], now) == [case.case_id]) is inside
        assert (cp.timeliness(case, now) is cp.Timeliness.OVERDUE) is inside
