"""Reliability of the PostgreSQL store under concurrency and crashes.

* 8 threads x 1,000 transitions on the same few dossiers: no lost update,
  every loser gets ConcurrencyConflict, and the final state equals a serial
  replay of the winners (optimistic concurrency, cosmicpython's
  ``test_concurrent_updates_to_version_are_not_allowed``, anchors §4.1).
* An outbox worker killed with SIGKILL in the middle of a drain: after a
  restart every message is delivered, none is lost, and the repeated delivery
  is suppressed by the idempotency key (at-least-once, anchors §2.3).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from tthc_adapters.storage import PostgresStore
from tthc_core.storage import ConcurrencyConflict, OutboundMessage, OutboxCounts
from tthc_core.testing.contracts import DOCKETS, Docket, DocketAdvanced, ManualClock, docket_code

pytestmark = pytest.mark.postgres

THREADS = 8
TRANSITIONS = 1000
DOCKET_COUNT = 3


@pytest.fixture
def store(postgres_dsn: str, postgres_schema: str) -> Iterator[PostgresStore]:
    store = PostgresStore(
        postgres_dsn, schema=postgres_schema, clock=ManualClock(), max_size=THREADS
    )
    yield store
    store.close()


def test_concurrent_transitions_lose_no_update(store: PostgresStore) -> None:
    clock = ManualClock()
    codes = [docket_code(n) for n in range(1, DOCKET_COUNT + 1)]
    with store.unit_of_work() as uow:
        for code in codes:
            uow.repository(DOCKETS).save(Docket(code))
        uow.commit()

    def worker(thread: int) -> tuple[list[tuple[str, int, int]], list[ConcurrencyConflict]]:
        wins: list[tuple[str, int, int]] = []  # (key, version produced, step)
        conflicts: list[ConcurrencyConflict] = []
        for i in range(TRANSITIONS):
            key, step = str(codes[(thread + i) % DOCKET_COUNT]), thread * TRANSITIONS + i
            try:
                with store.unit_of_work() as uow:
                    repo = uow.repository(DOCKETS)
                    current = repo.get(key)
                    assert current is not None
                    saved = repo.save(*current.advance(step, clock()))
                    uow.commit()
            except ConcurrencyConflict as conflict:
                conflicts.append(conflict)
            else:
                wins.append((key, saved.version, step))
        return wins, conflicts

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(worker, range(THREADS)))

    winners: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for wins, _ in results:
        for key, version, step in wins:
            winners[key].append((version, step))
    conflicts = [c for _, cs in results for c in cs]
    assert sum(len(w) for w in winners.values()) + len(conflicts) == THREADS * TRANSITIONS
    assert conflicts  # the threads did contend
    # Each loser was told it read a version someone else had already replaced.
    assert all(c.actual is not None and c.actual > c.expected for c in conflicts)

    with store.unit_of_work() as uow:
        for code in codes:
            key = str(code)
            final = uow.repository(DOCKETS).get(key)
            assert final is not None
            ordered = sorted(winners[key])
            # Each winner produced a distinct version, with no gap: no lost update.
            assert [v for v, _ in ordered] == list(range(2, final.version + 1))
            replay = Docket(code)
            for _, step in ordered:
                replay = replay.advance(step, clock())[0]
            assert replay.total == final.total
            trail = uow.audit.history(DOCKETS, key)
            assert [r.event for r in trail if isinstance(r.event, DocketAdvanced)] == [
                DocketAdvanced(occurred_at=clock(), code=code, step=s) for _, s in ordered
            ]


# The worker process: drains the outbox with a sender that records each
# delivery at a sink that suppresses repeats by the idempotency key. With
# STALL_AFTER=n it hangs after the n-th delivery, before acknowledging it.
WORKER = """
import datetime as dt, os, sys, time
import psycopg
from tthc_adapters.storage import PostgresStore
from tthc_core.storage import drain_outbox

dsn, schema, owner = sys.argv[1:4]
stall_after = int(os.environ.get("STALL_AFTER", "0"))
store = PostgresStore(dsn, schema=schema, upgrade=False)
sink = psycopg.connect(dsn, autocommit=True, options=f"-c search_path={schema}")
sent = 0

def send(message):
    global sent
    sink.execute("INSERT INTO sink_attempts (key) VALUES (%s)", (message.key,))
    sink.execute("INSERT INTO sink_effects (key) VALUES (%s) ON CONFLICT DO NOTHING",
                 (message.key,))
    sent += 1
    if sent == stall_after:
        time.sleep(3600)  # killed here: delivered, not acknowledged

clock = lambda: dt.datetime.now(dt.UTC)
while store.outbox_queue.counts().pending:
    drain_outbox(store.outbox_queue, send, owner=owner, clock=clock,
                 lease=dt.timedelta(seconds=1), batch=10)
    time.sleep(0.1)
"""

MESSAGES = 200


def _spawn(dsn: str, schema: str, owner: str, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WORKER, dsn, schema, owner], env={**os.environ, **env}
    )


def _scalar(conn: psycopg.Connection[tuple[int]], query: str) -> int:
    row = conn.execute(query.encode()).fetchone()
    assert row is not None
    return int(row[0])


def test_a_killed_worker_loses_no_message(
    store: PostgresStore, postgres_dsn: str, postgres_schema: str
) -> None:
    with store.unit_of_work() as uow:
        for n in range(MESSAGES):
            uow.outbox.put(OutboundMessage(f"notify-{n}", "zalo", {"n": n}))
        uow.commit()
    with psycopg.connect(
        postgres_dsn, autocommit=True, options=f"-c search_path={postgres_schema}"
    ) as conn:
        conn.execute(b"CREATE TABLE sink_attempts (key text NOT NULL)")
        conn.execute(b"CREATE TABLE sink_effects (key text PRIMARY KEY)")

        first = _spawn(postgres_dsn, postgres_schema, "worker-1", STALL_AFTER="50")
        deadline = time.monotonic() + 60
        while _scalar(conn, "SELECT count(*) FROM sink_attempts") < 50:
            assert first.poll() is None, "the worker exited before it was killed"
            assert time.monotonic() < deadline, "the worker made no progress"
            time.sleep(0.02)
        os.kill(first.pid, signal.SIGKILL)
        assert first.wait(10) == -signal.SIGKILL
        # Killed mid-drain: it held leases on messages it had not acknowledged.
        held = _scalar(
            conn,
            "SELECT count(*) FROM outbox WHERE lease_owner = 'worker-1' AND delivered_at IS NULL",
        )
        assert held >= 1

        second = _spawn(postgres_dsn, postgres_schema, "worker-2")
        assert second.wait(120) == 0

        attempts = _scalar(conn, "SELECT count(*) FROM sink_attempts")
        effects = _scalar(conn, "SELECT count(*) FROM sink_effects")
        distinct = _scalar(conn, "SELECT count(DISTINCT key) FROM sink_attempts")
    assert store.outbox_queue.counts() == OutboxCounts(pending=0, delivered=MESSAGES, parked=0)
    assert effects == distinct == MESSAGES  # every message arrived, once in effect
    assert attempts > MESSAGES  # the stalled one was sent again, and suppressed
