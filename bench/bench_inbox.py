"""The inbox worker alone: chat events answered per second, CPU and round trips per event.

``TTHC_BENCH_EVENTS`` chat look-ups (default 2,000; "tra cứu <code>" from 50
senders, as the service benchmark sends) are accepted into the inbox, then
drained by :func:`~tthc_core.storage.drain_inbox` with the service's handlers,
in batches of 50, twice on fresh stores taking turns: the ordinary way (each
batch in one unit of work holding the write transaction throughout) and the
inbox worker's way (``optimistic``: a deferred unit of work that reads without
the write lock and writes at commit, ``storage._sql_deferred``). For each:
events/s, this thread's CPU per event, and

* SQLite: the write lock's hold, per ``BEGIN IMMEDIATE`` … ``COMMIT`` of the
  drain (claims, handling, marks): the time the webhook's acknowledgement may
  have to wait;
* PostgreSQL: round trips per event (psycopg waits outside pipeline mode,
  plus one per pipeline).

The machine is shared: read the same-run ratios.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from tthc_adapters.bootstrap import DEMO_CATALOGUE, DEMO_SETTINGS, build_desk
from tthc_adapters.keys import load_key_ring
from tthc_adapters.storage import PostgresStore, SqliteStore
from tthc_adapters.storage._sqlite_lock import PollingConnection
from tthc_adapters.webhooks import chat_inbound, inbox_handlers
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk, receive_dossier
from tthc_core.party import Applicant
from tthc_core.storage import drain_inbox

NAME = "inbox"

EVENTS = int(os.environ.get("TTHC_BENCH_EVENTS", "2000"))
BATCH = 50
DSN = os.environ.get("TTHC_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
_LAND = "1.004227.000.00.00.H15"


def _desk() -> Desk:
    return build_desk(
        DEMO_SETTINGS, load_key_ring(None, demo=True), on=dt.datetime.now(VN_TZ).date()
    )


def _fill(store: Any, desk: Desk) -> None:
    applicant = Applicant("Nguyễn Văn An", "Thôn 3, xã Krông Năng", "0912345678")
    now = dt.datetime.now(VN_TZ)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        dossier = receive_dossier(uow, desk, procedure_code=_LAND, applicant=applicant, at=now)
        uow.commit()
    events = [
        chat_inbound(
            desk,
            event_id=f"e{i}",
            user_id=f"u{i % 50}",
            text=f"tra cứu {dossier.code}",
            sent_at=now,
            raw=b"{}",
            received_at=now,
        )
        for i in range(EVENTS)
    ]
    for start in range(0, EVENTS, 100):
        store.inbox_queue.accept_all(events[start : start + 100])


def _drain(store: Any, desk: Desk, *, deferred: bool) -> dict[str, float]:
    started, on_cpu = time.perf_counter(), time.thread_time()
    report = drain_inbox(
        store.inbox_queue,
        store.unit_of_work,
        inbox_handlers(desk),
        owner="bench",
        clock=lambda: dt.datetime.now(dt.UTC),
        batch=BATCH,
        optimistic=store.deferred_unit_of_work if deferred else None,
    )
    seconds, cpu = time.perf_counter() - started, time.thread_time() - on_cpu
    assert report.handled == EVENTS, report
    return {
        "events_per_s": round(EVENTS / seconds, 1),
        "cpu_us_per_event": round(1e6 * cpu / EVENTS, 1),
    }


@contextmanager
def _lock_holds() -> Iterator[list[float]]:
    """Record how long each write transaction of this process holds SQLite's write lock."""
    holds: list[float] = []
    execute, commit, rollback = (
        PollingConnection.execute,
        PollingConnection.commit,
        PollingConnection.rollback,
    )

    def timed_execute(self: Any, statement: str, parameters: Any = (), /) -> Any:
        cursor = execute(self, statement, parameters)
        if statement.startswith("BEGIN IMMEDIATE"):
            self.bench_taken = time.perf_counter()
        return cursor

    def ending(end: Callable[[Any], None]) -> Callable[[Any], None]:
        def timed(self: Any) -> None:
            taken = getattr(self, "bench_taken", None)
            end(self)
            if taken is not None:
                holds.append(time.perf_counter() - taken)
                self.bench_taken = None

        return timed

    PollingConnection.execute = timed_execute  # type: ignore[method-assign]
    PollingConnection.commit = ending(commit)  # type: ignore[method-assign]
    PollingConnection.rollback = ending(rollback)  # type: ignore[method-assign]
    try:
        yield holds
    finally:
        PollingConnection.execute = execute  # type: ignore[method-assign]
        PollingConnection.commit = commit  # type: ignore[method-assign]
        PollingConnection.rollback = rollback  # type: ignore[method-assign]


def _holds(holds: list[float]) -> dict[str, float]:
    ms = sorted(h * 1000 for h in holds)
    cuts = statistics.quantiles(ms, n=100) if len(ms) > 1 else [ms[0]] * 99
    return {
        "write_lock_holds": len(ms),
        "write_lock_hold_p50_ms": round(cuts[49], 2),
        "write_lock_hold_p99_ms": round(cuts[98], 2),
        "write_lock_hold_max_ms": round(ms[-1], 2),
        "write_lock_held_ms_per_event": round(sum(ms) / EVENTS, 3),
    }


def _sqlite(desk: Desk, *, deferred: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "inbox.sqlite3")
        _fill(store, desk)
        with _lock_holds() as holds:
            result = _drain(store, desk, deferred=deferred)
        store.close()
    return result | _holds(holds)


@contextmanager
def _round_trips() -> Iterator[list[int]]:
    """Count psycopg's round trips (waits outside pipeline mode, one per pipeline)."""
    from psycopg._pipeline import Pipeline

    count = [0]
    wait, leave = psycopg.Connection.wait, Pipeline.__exit__

    def counted_wait(self: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(self, "_pipeline", None) is None:
            count[0] += 1
        return wait(self, *args, **kwargs)

    def counted_leave(self: Any, *args: Any) -> Any:
        count[0] += 1
        return leave(self, *args)

    psycopg.Connection.wait = counted_wait  # type: ignore[method-assign]
    Pipeline.__exit__ = counted_leave  # type: ignore[method-assign]
    try:
        yield count
    finally:
        psycopg.Connection.wait = wait  # type: ignore[method-assign]
        Pipeline.__exit__ = leave  # type: ignore[method-assign]


def _postgres(desk: Desk, *, deferred: bool) -> dict[str, float]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    store = PostgresStore(DSN, schema=schema, max_size=4)
    try:
        _fill(store, desk)
        with _round_trips() as count:
            result = _drain(store, desk, deferred=deferred)
        return result | {"round_trips_per_event": round(count[0] / EVENTS, 2)}
    finally:
        store.close()
        with psycopg.connect(DSN, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def _pair(measure: Callable[..., dict[str, float]], desk: Desk) -> dict[str, Any]:
    ordinary = measure(desk, deferred=False)
    deferred = measure(desk, deferred=True)
    return {
        "ordinary": ordinary,
        "deferred": deferred,
        "events_per_s_ratio": round(deferred["events_per_s"] / ordinary["events_per_s"], 3),
        "cpu_ratio": round(deferred["cpu_us_per_event"] / ordinary["cpu_us_per_event"], 3),
    }


def run() -> dict[str, object]:
    """Drain the inbox both ways on SQLite and on PostgreSQL."""
    load_before = [round(x, 2) for x in os.getloadavg()]
    desk = _desk()
    return {
        "load_average_before": load_before,
        "sqlite": _pair(_sqlite, desk),
        "postgres": _pair(_postgres, desk),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "settings": {"events": EVENTS, "batch": BATCH, "senders": 50},
        "notes": (
            "ordinary: each claimed batch handled in one unit of work that holds the write "
            "transaction from its first statement (SQLite: BEGIN IMMEDIATE, the write lock); "
            "deferred: the inbox worker's way, reads first without the lock, writes kept back "
            "and replayed at commit (PostgreSQL: pipelined). write_lock_*: every write "
            "transaction of the drain (claims, handling, marks); the durable commit's flush is "
            "inside the hold. cpu: this thread's CPU time. ratios: deferred / ordinary."
        ),
    }
