"""``kill -9`` of the inbox worker mid-batch: every acknowledged chat event is answered once.

The chat webhook acknowledges events (inbox), a separate ``tthc worker``
process answers them; it is SIGKILLed while it holds a claimed batch, then
restarted. Its leases expire and the new process takes the events over; the
``handled:`` inbox record makes a handling that committed before the kill
count, so nothing is answered twice and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests._app import client_for
from tests._desk import receive

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.storage import SqliteStore
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk

EVENTS = 150
TIMEOUT = 60.0


def _worker(db: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "tthc_adapters.cli",
        "worker",
        "--db",
        str(db),
        "--lease",
        "2",
        "--poll",
        "0.05",
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "TTHC_RECEIPT_KEYS": "K1=" + "ab" * 32}
    return subprocess.Popen(command, env=env, stderr=subprocess.PIPE)  # noqa: S603 - our CLI


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _wait_for(db: Path, sql: str, at_least: int, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + TIMEOUT
    while (found := _count(db, sql)) < at_least:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, f"only {found} of {at_least} after {TIMEOUT} s"
        time.sleep(0.005)
    return found


HANDLED = "SELECT COUNT(*) FROM inbox_events WHERE handled_at IS NOT NULL"
IN_FLIGHT = "SELECT COUNT(*) FROM inbox_events WHERE handled_at IS NULL AND lease_owner IS NOT NULL"
#: 1 once some events are handled and a batch is claimed but not marked.
MID_BATCH = (
    "SELECT SUM(handled_at IS NOT NULL) >= 10"
    " AND SUM(handled_at IS NULL AND lease_owner IS NOT NULL) > 0 FROM inbox_events"
)


def test_a_killed_worker_leaves_no_event_unanswered_or_answered_twice(
    tmp_path: Path, desk: Desk
) -> None:
    db = tmp_path / "tthc.sqlite3"
    store = SqliteStore(db)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    dossier = receive(store, desk)
    client = client_for(store, desk, now=dt.datetime.now(VN_TZ))
    stamp = int(time.time() * 1000)
    for n in range(EVENTS):
        text = f"tra cứu {dossier.code}" if n % 2 else "xin chào"
        body = {"event_id": f"evt-{n}", "user_id": f"u-{n % 7}", "text": text, "timestamp": stamp}
        response = client.post(
            "/webhooks/chat", json=body, headers={"authorization": "Bearer chat-webhook-secret"}
        )
        assert response.json() == {"accepted": True, "duplicate": False}
    store.close()

    in_flight = 0
    for _ in range(5):  # until a kill lands while a batch is claimed and not yet marked
        first = _worker(db)
        try:
            _wait_for(db, MID_BATCH, 1, first)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            if first.poll() is None:
                first.kill()
        in_flight = _count(db, IN_FLIGHT)
        if in_flight:
            break
    handled_at_kill = _count(db, HANDLED)
    assert handled_at_kill < EVENTS, "the worker finished before the kill: raise EVENTS"
    assert in_flight > 0, "no kill landed mid-batch"

    second = _worker(db)
    try:
        _wait_for(db, HANDLED, EVENTS, second)
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
    finally:
        if second.poll() is None:
            second.kill()

    with sqlite3.connect(db) as conn:
        replies = [key for (key,) in conn.execute("SELECT key FROM outbox ORDER BY key")]
        handled = conn.execute(
            "SELECT COUNT(*) FROM inbox WHERE source IN ('zalo', 'handled:zalo')"
        ).fetchone()[0]
        parked = conn.execute(
            "SELECT COUNT(*) FROM inbox_events WHERE handled_at IS NULL"
        ).fetchone()[0]
        retaken = conn.execute("SELECT COUNT(*) FROM inbox_events WHERE attempts > 1").fetchone()[0]
    # One reply per acknowledged event, each recorded handled once, none parked.
    assert replies == sorted(f"reply:zalo:evt-{n}:0" for n in range(EVENTS))
    assert handled == 2 * EVENTS
    assert parked == 0
    assert retaken >= in_flight  # the killed worker's batch was claimed again
