"""A burst of result-ready notifications drained against Zalo's rate limit (issue 11).

``TTHC_BENCH_NOTICES`` (default 20,000) result-ready notifications are queued
in the outbox and drained by ``TTHC_BENCH_ZALO_WORKERS`` (default 4) worker
*processes* — each with its own connections, sharing the rate schedule in the
database (``SqlRateLimiter``) — against the fake Zalo platform on loopback,
which answers ``-32`` above ``TTHC_BENCH_RATE`` (default 4,000) requests in
any 60 seconds. On SQLite and PostgreSQL (``TTHC_BENCH_STORES``, default
``sqlite,postgres``).

Measured at the fake platform: requests, the achieved rate as a share of the
limit (first to last request), the most requests in any sliding 60 s window
(must never exceed the limit), ``-32`` answers; at the outbox: messages
delivered, parked; duplicates (one text per notice); the CPU time the workers
spent per notice (start-up included) and the fake platform per request. The
load average before and after each run says how busy the machine was.
``TTHC_BENCH_ZALO_BLOCK`` sets the slots reserved per rate transaction
(default 8; 1 is one transaction per request, the schedule before blocks).
A full-scale run takes five minutes per store; scale it down with the two
variables (the JSON says which was run).
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from typing import Any

from bench.bench_service import _database
from tthc_adapters.bootstrap import Dispatcher
from tthc_adapters.storage import open_store
from tthc_adapters.zalo import (
    OaClient,
    RateSettings,
    SqlRateLimiter,
    ZaloApiSettings,
    ZaloSender,
    sql_side_for,
)
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_adapters.zalo._tokens import token_store_for
from tthc_core.storage import OutboundMessage, drain_outbox

NAME = "zalo_burst"

NOTICES = int(os.environ.get("TTHC_BENCH_NOTICES", "20000"))
RATE = int(os.environ.get("TTHC_BENCH_RATE", "4000"))
WORKERS = int(os.environ.get("TTHC_BENCH_ZALO_WORKERS", "4"))
BLOCK = int(os.environ.get("TTHC_BENCH_ZALO_BLOCK", str(RateSettings().block)))
STORES = [s for s in os.environ.get("TTHC_BENCH_STORES", "sqlite,postgres").split(",") if s]
WINDOW = dt.timedelta(minutes=1)
_USERS = 2000
_OA = FakeZaloServer().oa_id


def most_in_any_window(times: list[dt.datetime], window: dt.timedelta) -> int:
    """The most instants in any half-open interval ``[t, t + window)``."""
    ordered = sorted(times)
    return max(
        (bisect.bisect_left(ordered, t + window) - i for i, t in enumerate(ordered)), default=0
    )


def _queue(db: str) -> None:
    store = open_store(db)
    try:
        with store.unit_of_work() as uow:
            for i in range(NOTICES):
                user = str(8_000_000_000 + i % _USERS)
                text = f"Hồ sơ 000.43.31.H15-261123-{i:05}: đã có kết quả."
                uow.outbox.put(
                    OutboundMessage(f"n{i}#zalo:{user}", "zalo", {"user_id": user, "text": text})
                )
            uow.commit()
    finally:
        store.close()


def _worker(db: str, base_url: str, app_id: str, app_secret: str, name: str) -> None:
    """One worker process (``TTHC_BENCH_PROFILE=<folder>``: profiled into ``<name>.prof`` there)."""
    folder = os.environ.get("TTHC_BENCH_PROFILE")
    if not folder:
        _drain(db, base_url, app_id, app_secret, name)
        return
    import cProfile

    cProfile.runctx(
        "_drain(db, base_url, app_id, app_secret, name)",
        globals(),
        locals(),
        os.path.join(folder, f"{name}.prof"),
    )


def _drain(db: str, base_url: str, app_id: str, app_secret: str, name: str) -> None:
    """Its own store, limiter and HTTP client; drains until nothing is due."""
    store = open_store(db)
    side = sql_side_for(store, durable=False)
    assert side is not None
    rate = RateSettings(RATE, WINDOW, pause=dt.timedelta(seconds=10), block=BLOCK)
    clock = _utc
    limiter = SqlRateLimiter(side, rate, clock=clock)
    api = ZaloApiSettings(app_id, app_secret, base_url, base_url)
    client = OaClient(api, token_store_for(store, _OA), clock=clock, limiter=limiter)
    sender = ZaloSender(client, clock=clock)
    send = _daytime(sender)
    dispatcher = Dispatcher(chat=lambda *_: None, postal=None, channels={"zalo": send})
    try:
        while store.outbox_queue.counts().pending:
            drain_outbox(store.outbox_queue, dispatcher, owner=name, clock=clock, batch=20)
            time.sleep(0.05)  # only leased messages left: wait for them
    finally:
        client.close()
        store.close()


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of the finished worker processes, and of this one (the fake)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    me = resource.getrusage(resource.RUSAGE_SELF)
    return children.ru_utime + children.ru_stime, me.ru_utime + me.ru_stime


def _utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _daytime(sender: ZaloSender) -> Any:
    """The sender with quiet hours off (the burst must not wait for 06:00 when run at night)."""

    def send(message: OutboundMessage) -> None:
        sender(OutboundMessage(message.key, message.channel, {**message.payload, "urgent": True}))

    return send


@contextlib.contextmanager
def _db(kind: str) -> Iterator[str]:
    if kind == "postgres":
        with _database() as dsn:
            yield dsn
    else:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.sqlite3"


def burst(kind: str) -> dict[str, Any]:
    """Queue the burst on one store and drain it with the worker processes."""
    spawn = multiprocessing.get_context("spawn")
    with _db(kind) as db, FakeZaloServer() as fake:
        fake.rate_limit, fake.rate_window = RATE, WINDOW
        for i in range(_USERS):
            fake._last_seen[str(8_000_000_000 + i)] = fake.clock()
        _queue(db)
        store = open_store(db)
        token_store_for(store, fake.oa_id).save(fake.grant())
        load_before = os.getloadavg()
        cpu_before = _cpu()
        started = time.monotonic()
        args = (db, fake.base_url, fake.app_id, fake.app_secret)
        workers = [spawn.Process(target=_worker, args=(*args, f"w{i}")) for i in range(WORKERS)]
        for process in workers:
            process.start()
        for process in workers:
            process.join()
        wall = time.monotonic() - started
        cpu_after = _cpu()
        load_after = os.getloadavg()
        counts = store.outbox_queue.counts()
        store.close()
        requests = list(fake.requests)
        texts = [m.text for m in fake.sent]
    span = (max(requests) - min(requests)).total_seconds() if len(requests) > 1 else 0.0
    per_window = (len(requests) - 1) / span * WINDOW.total_seconds() if span else 0.0
    most = most_in_any_window(requests, WINDOW)
    return {
        "notices": NOTICES,
        "workers": WORKERS,
        "worker_kind": "process",
        "limit_per_minute": RATE,
        "scaled": NOTICES != 20000 or RATE != 4000,
        "requests_at_platform": len(requests),
        "delivered": counts.delivered,
        "parked": counts.parked,
        "pending": counts.pending,
        "duplicates_at_platform": len(texts) - len(set(texts)),
        "rate_limited_answers": fake.rate_limited,
        "span_s": round(span, 2),
        "wall_s": round(wall, 2),
        "achieved_per_minute": round(per_window, 1),
        "achieved_share_of_limit": round(per_window / RATE, 4),
        "most_in_any_60s": most,
        "never_above_limit": most <= RATE,
        "block": BLOCK,
        "slots_per_rate_transaction": RateSettings(RATE, WINDOW, block=BLOCK).block_size,
        "worker_cpu_ms_per_notice": round((cpu_after[0] - cpu_before[0]) / NOTICES * 1000, 2),
        "platform_cpu_ms_per_request": round(
            (cpu_after[1] - cpu_before[1]) / max(len(requests), 1) * 1000, 2
        ),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }


def run() -> dict[str, object]:
    """The burst on each store."""
    result: dict[str, object] = {f"burst_{kind}": burst(kind) for kind in STORES}
    result["notes"] = (
        "achieved_share_of_limit = (requests - 1) / (last - first request) x 60 s / limit, "
        "measured at the fake platform; most_in_any_60s over every sliding 60 s window. "
        f"Command: TTHC_BENCH_NOTICES={NOTICES} TTHC_BENCH_RATE={RATE} "
        f"TTHC_BENCH_ZALO_WORKERS={WORKERS} TTHC_BENCH_ZALO_BLOCK={BLOCK} "
        "python -m bench bench_zalo_burst"
    )
    return result
