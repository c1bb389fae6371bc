"""The service under load: chat webhook acknowledgement and status page, against a bare endpoint.

A real load generator (``wrk``, 8 connections, 2 threads, ``TTHC_BENCH_SECONDS``
seconds per run, default 10) against one uvicorn process on loopback serving
``tthc serve``'s application (:mod:`bench._service_server`), once on SQLite and
once on PostgreSQL. The peer is ``GET /bare`` on the same server: a Starlette
endpoint answering "hello". Ratios are taken against the bare run of the same
store's server, measured right before.

* status page: ``GET /<code>`` of an existing dossier, as served (a kept page
  is sent without reading the store for a second: ``app._status_pages``), and
  again on a server reading the store on every request (``page_fresh=0``);
* chat webhook: ``POST /webhooks/chat`` with a new event id each time (the
  acknowledgement: check, validate, record in the inbox, answer);
* the same webhook answering before the flush to disk (``serve --fast-ack``);
* the webhook again with one connection: a light load, where the worker keeps up;
* acknowledgement to reply: for every event accepted during a webhook run,
  the time from its receipt to its reply being in the outbox (the inbox worker
  as its own process, ``tthc worker --poll 0.02``, as the issue's design
  allows: it shares no GIL with the server), p50 and p99, measured in the
  database;
* the flush time of one durable commit on this disk: with 8 requests in
  flight, a durable acknowledgement answers at most ``8 / flush`` per second.

Goals (issue 9): webhook ≥ 0.5× bare requests/s and p99 < 50 ms; status page
≥ 0.5× bare. The machine is shared: read the ratios, not the absolute rates.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql

from tthc_adapters.bootstrap import DEMO_CATALOGUE, DEMO_SETTINGS, build_desk
from tthc_adapters.keys import load_key_ring
from tthc_adapters.storage import open_store
from tthc_core.calendar import VN_TZ
from tthc_core.desk import receive_dossier
from tthc_core.party import Applicant

NAME = "service"

SECONDS = int(os.environ.get("TTHC_BENCH_SECONDS", "10"))
CONNECTIONS = 8
#: Turns of the bare endpoint and the status page (each ``SECONDS`` long).
ROUNDS = int(os.environ.get("TTHC_BENCH_ROUNDS", "3"))
THREADS = 2
DSN = os.environ.get("TTHC_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
_LAND = "1.004227.000.00.00.H15"
_SECRET = "bench-chat-secret"  # noqa: S105 - bench._service_server's
_LUA = """
local counter = 0
tid = 0
function setup(thread)
  tid = tid + 1
  thread:set("tid", tid)
end
request = function()
  counter = counter + 1
  local body = string.format(
    '{"event_id":"bPREFIX%s-%d","user_id":"u%d","text":"tra cứu CODE","timestamp":%d}',
    tid, counter, counter % 50, os.time() * 1000)
  return wrk.format("POST", "PATH",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer SECRET"}, body)
end
"""
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(
    db: str,
    *,
    worker_process: bool,
    page_fresh: float | None = None,
    module: str = "bench._service_server",
) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", module, "--db", db, "--port", str(port)]
    if page_fresh is not None:
        command += ["--page-fresh", str(page_fresh)]
    process = subprocess.Popen(  # noqa: S603 - our own module
        [*command, "--no-workers-here"] if worker_process else command,
        stderr=subprocess.DEVNULL,
    )
    worker = None
    if worker_process:
        cli = [sys.executable, "-m", "tthc_adapters.cli", "worker", "--demo-key", "--db", db]
        worker = subprocess.Popen(  # noqa: S603 - our own CLI
            [*cli, "--poll", "0.02", "--log-level", "warning"],
            stderr=subprocess.DEVNULL,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"the benchmark server on {db} did not start")
            time.sleep(0.2)
        yield base
    finally:
        for running in (process, worker):
            if running is not None:
                running.terminate()
                running.wait(timeout=30)


def _wrk(url: str, script: Path | None = None, *, connections: int = CONNECTIONS) -> dict[str, Any]:
    threads = min(THREADS, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{SECONDS}s", "--latency"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    latency = {
        f"p{pct}_ms": round(float(value) * _UNITS[unit], 2)
        for pct, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = re.search(r"(\d+) requests in", out)
    return {
        "requests_per_s": float(rate[1]) if rate else 0.0,
        **latency,
        "requests": int(requests[1]) if requests else 0,
        "non_2xx": int(errors[1]) if errors else 0,
    }


def _paired(bare_url: str, url: str, rounds: int = ROUNDS) -> tuple[dict[str, Any], dict[str, Any]]:
    """The bare endpoint and ``url`` taking turns, ``rounds`` runs each (the machine is shared).

    Other sessions' load swings from one run to the next; alternating gives both the
    same moments. Rates are over all runs; latencies are the worst run's.
    """
    runs: dict[str, list[dict[str, Any]]] = {"bare": [], "endpoint": []}
    for _ in range(rounds):
        runs["bare"].append(_wrk(bare_url))
        runs["endpoint"].append(_wrk(url))
    merged = {name: _merge(found) for name, found in runs.items()}
    return merged["bare"], merged["endpoint"]


def _merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    requests = sum(run["requests"] for run in runs)
    merged: dict[str, Any] = {
        "requests_per_s": round(sum(run["requests_per_s"] for run in runs) / len(runs), 2),
        "requests_per_s_each_run": [run["requests_per_s"] for run in runs],
    }
    for key in ("p50_ms", "p90_ms", "p99_ms"):
        merged[key] = max(run.get(key, 0.0) for run in runs)
    merged.update(requests=requests, non_2xx=sum(run["non_2xx"] for run in runs))
    return merged


def _seed(db: str, **options: Any) -> str:
    store = open_store(db, **options)
    keys = load_key_ring(None, demo=True)
    desk = build_desk(DEMO_SETTINGS, keys, on=dt.datetime.now(VN_TZ).date())
    applicant = Applicant("Nguyễn Văn An", "Thôn 3, xã Krông Năng", "0912345678")
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        dossier = receive_dossier(
            uow, desk, procedure_code=_LAND, applicant=applicant, at=dt.datetime.now(VN_TZ)
        )
        uow.commit()
    store.close()
    return str(dossier.code)


def _ack_to_reply(db: str, prefix: str, pending: Any) -> dict[str, Any]:
    """Wait for the worker to answer every accepted event; the receipt-to-reply times."""
    started = time.monotonic()
    while (left := pending()) and time.monotonic() - started < 300:
        time.sleep(0.2)
    drained_s = time.monotonic() - started
    join = (
        "SELECT e.received_at, o.created_at FROM inbox_events e JOIN outbox o"
        " ON o.key = 'reply:zalo:' || e.event_id || ':0' WHERE e.event_id LIKE "
    )
    rows = _rows(db, join + f"'{prefix}%'")
    waits = sorted(
        (_instant(created) - _instant(received)).total_seconds() * 1000
        for received, created in rows
    )
    cuts = statistics.quantiles(waits, n=100) if len(waits) > 1 else [0.0] * 99
    return {
        "events": len(waits),
        "unanswered": left,
        "p50_ms": round(cuts[49], 1),
        "p99_ms": round(cuts[98], 1),
        "backlog_drained_after_load_s": round(drained_s, 1),
    }


def _instant(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def _rows(db: str, query: str) -> list[Any]:
    if db.startswith("postgresql://"):
        with psycopg.connect(db, options="-c search_path=tthc") as conn:
            return conn.execute(query).fetchall()  # type: ignore[arg-type]
    import sqlite3

    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        return conn.execute(query).fetchall()


def _script(folder: Path, code: str, path: str, prefix: str) -> Path:
    script = folder / f"chat{prefix}.lua"
    text = _LUA.replace("CODE", code).replace("SECRET", _SECRET)
    script.write_text(text.replace("PATH", path).replace("PREFIX", prefix), encoding="utf-8")
    return script


def _load() -> list[float]:
    """The machine's load average (1, 5, 15 minutes): the machine is shared."""
    return [round(x, 2) for x in os.getloadavg()]


def _measure(db: str, folder: Path) -> dict[str, Any]:
    code = _seed(db)
    pending_sql = "SELECT COUNT(*) FROM inbox_events WHERE handled_at IS NULL"
    load_before = _load()
    with _server(db, worker_process=False, page_fresh=0) as base:
        # The store read on every request (no page sent from memory without it).
        read_bare, read_status = _paired(f"{base}/bare", f"{base}/{code}")
        # The inbox worker in the server's process (`tthc serve`'s single-process default).
        inproc = _wrk(f"{base}/", _script(folder, code, "/webhooks/chat", "i"))
        inproc_reply = _ack_to_reply(db, "bi", lambda: int(_rows(db, pending_sql)[0][0]))
    # The inbox worker as its own process (`tthc worker`): no GIL shared with the server.
    with _server(db, worker_process=True) as base:
        paired_bare, status = _paired(f"{base}/bare", f"{base}/{code}")
        bare = _wrk(f"{base}/bare")
        webhook = _wrk(f"{base}/", _script(folder, code, "/webhooks/chat", "d"))
        reply = _ack_to_reply(db, "bd", lambda: int(_rows(db, pending_sql)[0][0]))
        fast = _wrk(f"{base}/", _script(folder, code, "/fast-ack/webhooks/chat", "f"))
        fast_reply = _ack_to_reply(db, "bf", lambda: int(_rows(db, pending_sql)[0][0]))
        light = _wrk(f"{base}/", _script(folder, code, "/webhooks/chat", "l"), connections=1)
        light_reply = _ack_to_reply(db, "bl", lambda: int(_rows(db, pending_sql)[0][0]))
        bare_after = _wrk(f"{base}/bare")
    ratio = bare["requests_per_s"]
    return {
        "load_average_before": load_before,
        "load_average_after": _load(),
        "bare": bare,
        "bare_after": bare_after,
        "status_page": {
            **status,
            "bare": paired_bare,
            "ratio": round(status["requests_per_s"] / paired_bare["requests_per_s"], 3),
        },
        "status_page_store_read_every_request": {
            **read_status,
            "bare": read_bare,
            "ratio": round(read_status["requests_per_s"] / read_bare["requests_per_s"], 3),
        },
        "chat_webhook_ack_worker_in_process": {
            **inproc,
            "ack_mode": "durable",
            "ratio": round(inproc["requests_per_s"] / read_bare["requests_per_s"], 3),
        },
        "ack_to_reply_in_outbox_worker_in_process": inproc_reply,
        "chat_webhook_ack": {
            **webhook,
            "ratio": round(webhook["requests_per_s"] / ratio, 3),
            "ack_mode": "durable (answered after the flush to disk; the default)",
        },
        "ack_to_reply_in_outbox": reply,
        "chat_webhook_fast_ack": {
            **fast,
            "ratio": round(fast["requests_per_s"] / ratio, 3),
            "ack_mode": "fast (answered once in the database's log; serve --fast-ack)",
        },
        "fast_ack_to_reply_in_outbox": fast_reply,
        "chat_webhook_ack_1_connection": light,
        "ack_to_reply_in_outbox_1_connection": light_reply,
        "commit_flush_ms": _flush_ms(db),
    }


def _flush_ms(db: str, count: int = 50) -> float:
    """One durable commit of one row, in ms (median): the bound of a durable acknowledgement.

    With ``CONNECTIONS`` requests in flight, at most that many events share a
    commit, so a durable webhook answers at most ``CONNECTIONS / flush`` per second.
    """
    times = []
    if db.startswith("postgresql://"):
        with psycopg.connect(db) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS bench_flush_probe (x int)")
            conn.commit()
            for i in range(count):
                started = time.perf_counter()
                conn.execute("INSERT INTO bench_flush_probe VALUES (%s)", (i,))
                conn.commit()
                times.append(time.perf_counter() - started)
            conn.execute("DROP TABLE bench_flush_probe")
            conn.commit()
    else:
        import sqlite3

        conn = sqlite3.connect(db.removeprefix("sqlite:///") + ".probe", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE IF NOT EXISTS probe (x)")
        for i in range(count):
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO probe VALUES (?)", (i,))
            conn.execute("COMMIT")
            times.append(time.perf_counter() - started)
        conn.close()
    return round(statistics.median(times) * 1000, 2)


@contextmanager
def _database() -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield DSN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(DSN, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def run() -> dict[str, object]:
    """Load the SQLite and the PostgreSQL service."""
    with tempfile.TemporaryDirectory() as folder:
        sqlite = _measure(f"sqlite:///{folder}/bench.sqlite3", Path(folder))
        with _database() as dsn:
            postgres = _measure(dsn, Path(folder))
    return {
        "sqlite": sqlite,
        "postgres": postgres,
        "settings": {
            "load_generator": "wrk 4.1",
            "connections": CONNECTIONS,
            "threads": THREADS,
            "seconds_per_run": SECONDS,
            "status_page_rounds": ROUNDS,
            "server": "1 uvicorn process, log level warning (no access log), loopback; "
            "the queue workers as their own process (tthc worker --poll 0.02)",
            "status_page": "one dossier code, taking turns with the bare endpoint "
            "(ROUNDS runs each, rate = mean over the runs, latency = worst run); kept pages "
            "sent without a store read for "
            "1 s (page_fresh, the default); status_page_store_read_every_request: "
            "page_fresh=0, its own server and bare run, whose queue workers run in-process "
            "(chat_webhook_ack_worker_in_process: tthc serve's single-process default)",
        },
        "notes": (
            "ratio = endpoint requests/s / bare Starlette endpoint requests/s on the same "
            "server, measured just before (bare_after: the same at the end). ack_to_reply: "
            "inbox receipt time to the reply's outbox row, over every event accepted during "
            "the webhook run (backlog included). commit_flush_ms: one durable commit on "
            "this disk; a durable acknowledgement with 8 connections answers at most "
            "8 / flush per second. The machine is shared (load_average_*): read the ratios."
        ),
    }
