"""The Zalo channel under load: a burst of notifications against the rate limit, and the webhook.

* **Burst** (issue 11): ``TTHC_BENCH_ZALO_MESSAGES`` (default 20,000)
  result-ready notifications queued in the SQLite outbox are drained by
  ``TTHC_BENCH_ZALO_WORKERS`` (default 4) workers — each with its own
  connections, sharing the rate bucket in the database — against the fake
  Zalo platform on loopback, which answers ``-32`` above
  ``TTHC_BENCH_ZALO_LIMIT`` (default 4,000) requests in any
  ``TTHC_BENCH_ZALO_WINDOW_S`` (default 60) seconds. Measured at the fake:
  the achieved rate as a share of the limit (first to last request), the most
  requests seen in any window (must never exceed the limit), ``-32`` answers,
  messages delivered once. A full-scale run takes five minutes; the window
  can be scaled down (the JSON says which was run).
* **Webhook**: the signed ``POST /webhooks/zalo`` acknowledgement (signature,
  replay window, inbox write) against a bare Starlette endpoint on the same
  uvicorn server, under ``wrk`` (8 connections), on SQLite and PostgreSQL;
  every request a new signed event (bodies signed beforehand; ``wrk`` reads them).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.bench_service import _database, _server, _wrk
from tthc_adapters.bootstrap import Dispatcher
from tthc_adapters.storage import SqliteStore
from tthc_adapters.zalo import (
    OaClient,
    RateSettings,
    SqlRateLimiter,
    ZaloApiSettings,
    ZaloSender,
    sqlite_token_store,
)
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_adapters.zalo._sqlside import sqlite_side
from tthc_core.storage import OutboundMessage, drain_outbox

NAME = "zalo"

MESSAGES = int(os.environ.get("TTHC_BENCH_ZALO_MESSAGES", "20000"))
WORKERS = int(os.environ.get("TTHC_BENCH_ZALO_WORKERS", "4"))
LIMIT = int(os.environ.get("TTHC_BENCH_ZALO_LIMIT", "4000"))
WINDOW_S = float(os.environ.get("TTHC_BENCH_ZALO_WINDOW_S", "60"))
PARTS = [p for p in os.environ.get("TTHC_BENCH_ZALO_PARTS", "burst,webhook").split(",") if p]
_USERS = 2000
_LUA = """
local lines = {}
tid = 0
local n = 0
function setup(thread)
  tid = tid + 1
  thread:set("tid", tid)
end
function init(args)
  local i = 0
  for line in io.lines("BODIES") do
    i = i + 1
    if i % 2 == tid - 1 then
      local tab = string.find(line, "\\t")
      lines[#lines + 1] = {string.sub(line, 1, tab - 1), string.sub(line, tab + 1)}
    end
  end
end
request = function()
  n = n + 1
  local item = lines[(n - 1) % #lines + 1]
  return wrk.format("POST", "/webhooks/zalo",
    {["Content-Type"] = "application/json", ["X-ZEvent-Signature"] = item[1]}, item[2])
end
"""


def _most_in_window(times: list[dt.datetime], window: dt.timedelta) -> int:
    ordered = sorted(times)
    return max(
        (bisect.bisect_left(ordered, t + window) - i for i, t in enumerate(ordered)), default=0
    )


def burst() -> dict[str, Any]:
    """Drain the burst against the fake platform's limit."""
    window = dt.timedelta(seconds=WINDOW_S)
    with tempfile.TemporaryDirectory() as folder, FakeZaloServer() as fake:
        fake.rate_limit, fake.rate_window = LIMIT, window
        path = Path(folder) / "bench.sqlite3"
        store = SqliteStore(path)
        users = [str(8_000_000_000 + i) for i in range(_USERS)]
        for user in users:
            fake._last_seen[user] = fake.clock()
        with store.unit_of_work() as uow:
            for i in range(MESSAGES):
                text = f"Hồ sơ 000.43.31.H15-261123-{i:04}: đã có kết quả."
                user = users[i % _USERS]
                uow.outbox.put(
                    OutboundMessage(f"n{i}#zalo:{user}", "zalo", {"user_id": user, "text": text})
                )
            uow.commit()
        tokens = sqlite_token_store(path, fake.oa_id)
        tokens.save(fake.grant())
        api = ZaloApiSettings(fake.app_id, fake.app_secret, fake.base_url, fake.base_url)
        rate = RateSettings(LIMIT, window, pause=window / 6)  # Zalo's 10 s pause, scaled
        clock = fake.clock

        def worker(name: str) -> None:
            limiter = SqlRateLimiter(sqlite_side(path, durable=False), rate, clock=clock)
            client = OaClient(
                api, sqlite_token_store(path, fake.oa_id), clock=clock, limiter=limiter
            )
            sender = ZaloSender(client, clock=clock)  # daytime is not checked: notices at any hour
            dispatcher = Dispatcher(
                chat=lambda *_: None, postal=None, channels={"zalo": _daytime(sender)}
            )
            while store.outbox_queue.counts().pending:
                drain_outbox(store.outbox_queue, dispatcher, owner=name, clock=clock, batch=20)

        started = time.monotonic()
        threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        counts = store.outbox_queue.counts()
        store.close()
        requests = list(fake.requests)
        keys = [m.text for m in fake.sent]
    span = (max(requests) - min(requests)).total_seconds()
    achieved_per_window = (len(requests) - 1) / span * WINDOW_S
    return {
        "messages": MESSAGES,
        "workers": WORKERS,
        "limit": LIMIT,
        "window_s": WINDOW_S,
        "scaled": WINDOW_S != 60 or LIMIT != 4000,
        "requests_at_platform": len(requests),
        "delivered": counts.delivered,
        "parked": counts.parked,
        "duplicates_at_platform": len(keys) - len(set(keys)),
        "rate_limited_answers": fake.rate_limited,
        "span_s": round(span, 2),
        "wall_s": round(wall, 2),
        "achieved_share_of_limit": round(achieved_per_window / LIMIT, 4),
        "most_in_any_window": _most_in_window(requests, dt.timedelta(seconds=WINDOW_S)),
        "never_above_limit": _most_in_window(requests, dt.timedelta(seconds=WINDOW_S)) <= LIMIT,
    }


def _daytime(sender: ZaloSender) -> Any:
    """The sender with quiet hours off (the burst must not wait for 06:00 when run at night)."""

    def send(message: OutboundMessage) -> None:
        sender(OutboundMessage(message.key, message.channel, {**message.payload, "urgent": True}))

    return send


def _bodies(folder: Path, count: int) -> Path:
    """``count`` signed user_send_text events, one a line: ``mac=<hex>\\t<body>``."""
    fake = FakeZaloServer()  # not served: it only signs
    now = str(int(time.time() * 1000))
    path = folder / "bodies.tsv"
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            body = {
                "app_id": fake.app_id, "event_name": "user_send_text", "timestamp": now,
                "sender": {"id": f"u{i % 500}"}, "recipient": {"id": fake.oa_id},
                "message": {"msg_id": f"b{folder.name}-{i}", "text": "tra cứu hồ sơ"},
            }  # fmt: skip
            raw = json.dumps(body, ensure_ascii=False)
            out.write(f"{fake.sign(raw.encode('utf-8'), now)}\t{raw}\n")
    return path


def _webhook(db: str, folder: Path) -> dict[str, Any]:
    script = folder / "zalo.lua"
    script.write_text(_LUA.replace("BODIES", str(_bodies(folder, 120_000))), encoding="utf-8")
    load_before = [round(x, 2) for x in os.getloadavg()]
    with _server(db, worker_process=False, module="bench._zalo_server") as base:
        bare = _wrk(f"{base}/bare")
        signed = _wrk(f"{base}/", script)
    ratio = round(signed["requests_per_s"] / bare["requests_per_s"], 3)
    return {
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "bare": bare,
        "zalo_webhook_ack": {
            **signed,
            "ratio": ratio,
            "ack_mode": "durable (answered after the flush to disk; the default)",
            "workers": "inbox and outbox workers in the server's process (tthc serve's default)",
        },
    }


def run() -> dict[str, object]:
    """The burst, then the webhook on SQLite and PostgreSQL."""
    result: dict[str, object] = {}
    if "burst" in PARTS:
        result["burst"] = burst()
    if "webhook" in PARTS:
        with tempfile.TemporaryDirectory() as folder:
            result["webhook_sqlite"] = _webhook(f"sqlite:///{folder}/bench.sqlite3", Path(folder))
        with tempfile.TemporaryDirectory() as folder, _database() as dsn:
            result["webhook_postgres"] = _webhook(dsn, Path(folder))
    result["notes"] = (
        "burst: achieved_share_of_limit = (requests - 1) / (last - first request) x window / "
        "limit, measured at the fake platform; most_in_any_window over every sliding window. "
        "webhook: ratio = signed Zalo webhook requests/s / bare Starlette endpoint requests/s "
        "on the same server, measured just before (wrk, 8 connections, 2 threads)."
    )
    return result
