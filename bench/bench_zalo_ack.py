"""The signed Zalo webhook acknowledgement alone (issue 11), on SQLite and PostgreSQL.

The webhook part of :mod:`bench.bench_zalo` (whose burst of notifications is a
benchmark of its own): ``wrk`` with 8 connections posts signed
``user_send_text`` events — each a new one, signed beforehand — to ``POST
/webhooks/zalo`` of ``tthc serve``'s application (the queue workers in the
server's process, as ``serve`` runs them by default), right after the bare
Starlette endpoint on the same uvicorn server. The acknowledgement is durable
(answered after the flush to disk). Goal: ≥ 0.5× the bare endpoint's
requests/s and p99 < 50 ms.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.bench_service import SECONDS, _database
from bench.bench_zalo import _webhook

NAME = "zalo_ack"


def run() -> dict[str, object]:
    """The webhook on SQLite, then on PostgreSQL."""
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        result["webhook_sqlite"] = _webhook(f"sqlite:///{folder}/bench.sqlite3", Path(folder))
    with tempfile.TemporaryDirectory() as folder, _database() as dsn:
        result["webhook_postgres"] = _webhook(dsn, Path(folder))
    result["settings"] = {
        "load_generator": "wrk 4.1",
        "connections": 8,
        "threads": 2,
        "seconds_per_run": SECONDS,
        "server": "1 uvicorn process, log level warning, loopback; inbox and outbox workers "
        "in the server's process (replies fail against a closed port and are retried later)",
    }
    result["notes"] = (
        "ratio = signed Zalo webhook requests/s / bare Starlette endpoint requests/s on the same "
        "server, measured just before. The machine is shared (load_average_*): read the ratios."
    )
    return result
