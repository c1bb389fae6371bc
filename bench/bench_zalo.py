"""The Zalo channel under load: the signed webhook acknowledgement.

(The burst of notifications against the rate limit is ``bench_zalo_burst``.)

* **Webhook**: the signed ``POST /webhooks/zalo`` acknowledgement (signature,
  replay window, inbox write) against a bare Starlette endpoint on the same
  uvicorn server, under ``wrk`` (8 connections), on SQLite and PostgreSQL;
  every request a new signed event (bodies signed beforehand; ``wrk`` reads them).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_service import _database, _server, _wrk
from tthc_adapters.zalo._fake_server import FakeZaloServer

NAME = "zalo"

PARTS = [p for p in os.environ.get("TTHC_BENCH_ZALO_PARTS", "webhook").split(",") if p]
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
    """The webhook on SQLite and PostgreSQL."""
    result: dict[str, object] = {}
    if "webhook" in PARTS:
        with tempfile.TemporaryDirectory() as folder:
            result["webhook_sqlite"] = _webhook(f"sqlite:///{folder}/bench.sqlite3", Path(folder))
        with tempfile.TemporaryDirectory() as folder, _database() as dsn:
            result["webhook_postgres"] = _webhook(dsn, Path(folder))
    result["notes"] = (
        "webhook: ratio = signed Zalo webhook requests/s / bare Starlette endpoint requests/s "
        "on the same server, measured just before (wrk, 8 connections, 2 threads)."
    )
    return result
