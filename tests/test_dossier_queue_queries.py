"""A province's work queues as indexed, paged queries (migration 0011).

The queries must give exactly the queues the one-pass sort gives
(:func:`build_queues`), page after page, on every store; and on PostgreSQL
with 100 000 dossiers the planner must answer each from an index.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._desk import receive

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.staff._queues import build_queues
from tthc_adapters.storage import MemoryStore, PostgresStore, SqliteStore
from tthc_adapters.storage._dossier_queues import QUEUES, dossier_queue, queue_sql
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk
from tthc_core.dossier import Dossier
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store
from tthc_core.storage.kinds import DOSSIERS
from tthc_core.testing.strategies import dossiers

_BY_DUE = ("mine", "due_today", "late", "awaiting_leader")


def _store_all(store: Store, found: list[Dossier]) -> None:
    with store.unit_of_work() as uow:
        for dossier in found:
            uow.repository(DOSSIERS).save(dossier)
        uow.commit()


def _paged(store: Store, name: str, size: int, **kw: Any) -> list[str]:
    codes: list[str] = []
    after = None
    while page := dossier_queue(store, name, after=after, limit=size, **kw):
        codes += [str(d.code) for d in page]
        # The cursor is the last dossier's key: its submission code if it was renumbered
        # at receipt (what the staff page's "Xem tiếp" link carries), not its code.
        after = DOSSIERS.key(page[-1])
        assert len(page) <= size
    return codes


def _check(store: Store, found: list[Dossier], now: dt.datetime, unit: str, leaders: Any) -> None:
    expected = build_queues(found, unit=unit, leader_units=leaders, now=now)
    for name in QUEUES:
        want = [str(d.code) for d in getattr(expected, name)]
        got = _paged(store, name, 2, unit=unit, leader_units=leaders, now=now)
        if name in _BY_DUE:
            assert got == want, name  # soonest due first, ties by code
        else:
            assert got == sorted(want), name  # by code


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    found=st.lists(dossiers(), max_size=12, unique_by=lambda d: str(d.code)),
    now=st.datetimes(
        dt.datetime(2019, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        dt.datetime(2035, 1, 1),  # noqa: DTZ001
        timezones=st.just(VN_TZ),
    ),
    pick=st.integers(0, 11),
)
def test_the_queries_are_the_queues_page_after_page(
    found: list[Dossier], now: dt.datetime, pick: int
) -> None:
    units = sorted({d.holder_unit for d in found if d.holder_unit}) or ["Bộ phận Một cửa"]
    unit = units[pick % len(units)]
    leaders = frozenset(units[::2])
    if found and found[pick % len(found)].due_at is not None:
        now = found[pick % len(found)].due_at  # type: ignore[assignment] - on a boundary
    memory = MemoryStore()
    _store_all(memory, found)
    _check(memory, found, now, unit, leaders)
    with tempfile.TemporaryDirectory() as folder:
        sqlite = SqliteStore(str(Path(folder) / "q.sqlite3"))
        try:
            _store_all(sqlite, found)
            _check(sqlite, found, now, unit, leaders)
        finally:
            sqlite.close()


def test_bad_queue_requests_are_refused() -> None:
    now = dt.datetime(2026, 11, 23, 9, tzinfo=VN_TZ)
    with pytest.raises(InvalidInput, match="no queue"):
        dossier_queue(MemoryStore(), "all", unit="x", leader_units=frozenset(), now=now)
    with pytest.raises(InvalidInput, match="1 to 500"):
        dossier_queue(MemoryStore(), "late", unit="x", leader_units=frozenset(), now=now, limit=0)


_UNITS = 40
_N = 100_000


@pytest.mark.postgres
def test_postgresql_answers_every_queue_from_an_index_at_100k_dossiers(
    postgres_dsn: str, postgres_schema: str, desk: Desk
) -> None:
    """EXPLAIN of each queue page (and a next page) names one of the queue indexes."""
    import psycopg

    store = PostgresStore(postgres_dsn, schema=postgres_schema, max_size=2)
    try:
        with store.unit_of_work() as uow:
            for procedure in DEMO_CATALOGUE:
                uow.catalogue.put(procedure)
            uow.commit()
        sample = receive(store, desk)
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{postgres_schema}"')
            # 100 000 copies of one stored body: spread over units, states and due times.
            conn.execute(
                "INSERT INTO aggregates (kind, key, version, state, due_at, dossier_code, body)"
                " SELECT kind, key || '-' || g, 1,"
                "  (ARRAY['processing','awaiting_supplement','submitted','resolved'])[1 + g %% 4],"
                "  CASE WHEN g %% 4 = 3 THEN NULL"
                "       ELSE timestamptz '2026-01-01' + g * interval '7 minutes' END,"
                "  dossier_code || '-' || g,"
                "  jsonb_set(body, '{holder_unit}', to_jsonb('Đơn vị ' || (g %% %s)))"
                " FROM aggregates, generate_series(1, %s) AS g WHERE kind = 'dossier'",
                (_UNITS, _N),
            )
            conn.execute("ANALYZE aggregates")
            now = dt.datetime(2026, 6, 1, 9, tzinfo=VN_TZ)
            from tthc_adapters.storage._dialect import PostgresDialect

            plans = {}
            for name in QUEUES:
                for after in (None, f"{sample.code}-5000"):
                    sql, params = queue_sql(
                        PostgresDialect(), name, unit="Đơn vị 7",
                        leaders=["Đơn vị 1", "Đơn vị 2"], now=now, after=after, limit=50,
                    )  # fmt: skip
                    plan = "\n".join(
                        r[0] for r in conn.execute("EXPLAIN " + sql, params).fetchall()
                    )
                    plans[name, after is not None] = plan
                    assert "aggregates_" in plan, (name, after, plan)
                    assert "Seq Scan on aggregates" not in plan, (name, after, plan)
            assert "aggregates_holder_due" in plans["mine", False]
            assert "aggregates_state_key" in plans["submitted", False]
    finally:
        store.close()
