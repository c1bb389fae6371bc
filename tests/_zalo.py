"""Helpers for the Zalo adapter tests: keys, signed bodies, the app with Zalo switched on."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from tests._app import NOW, TestClient, client_for

from tthc_adapters.webhooks import inbox_handlers
from tthc_adapters.zalo import (
    JOB_CHANNEL,
    SIGNATURE_HEADER,
    PhotoFetcher,
    Variant,
    ZaloJobs,
    ZaloSecrets,
    ZaloWebhookSettings,
    mac,
    zalo_handlers,
)
from tthc_core.desk import Desk
from tthc_core.storage import DrainInboxReport, Store, drain_inbox

__all__ = [
    "APP_ID",
    "OA_ID",
    "SECRETS",
    "MovingClock",
    "body",
    "client",
    "drain",
    "ms",
    "post",
    "run_jobs",
    "signed",
]

APP_ID = "360846524940903967"
OA_ID = "388613280878808645"
OA_SECRET = "oa-secret-key"  # noqa: S105 - a test value
APP_SECRET = "app-secret"  # noqa: S105 - a test value
SECRETS = ZaloSecrets(APP_ID, OA_ID, OA_SECRET, APP_SECRET)


class MovingClock:
    """A clock the test moves (``clock.now = ...``)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now


def ms(at: dt.datetime) -> str:
    """Milliseconds since 1970, as Zalo writes timestamps (a string)."""
    return str(int(at.timestamp() * 1000))


def body(name: str = "user_send_text", user: str = "u-1", **fields: Any) -> dict[str, Any]:
    """A Zalo event body sent at :data:`NOW`."""
    made: dict[str, Any] = {"app_id": APP_ID, "event_name": name, "timestamp": ms(NOW)}
    if name in ("follow", "unfollow"):
        made |= {"oa_id": OA_ID, "follower": {"id": user}}
    else:
        made |= {"sender": {"id": user}, "recipient": {"id": OA_ID}}
    return made | fields


def signed(
    event: dict[str, Any], *, variant: Variant | None = None, secret: str = OA_SECRET
) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers, signed the documented way (or as ``variant`` says)."""
    raw = json.dumps(event, ensure_ascii=False).encode("utf-8")
    stamp = str(event.get("timestamp", ""))
    first = APP_ID
    if variant is not None:
        first = APP_ID if variant.first.value == "app_id" else OA_ID
        secret = OA_SECRET if variant.secret.value == "oa_secret" else APP_SECRET
    headers = {
        "content-type": "application/json",
        SIGNATURE_HEADER: f"mac={mac(first, raw, stamp, secret)}",
    }
    return raw, headers


def client(store: Store, desk: Desk, *, secrets: ZaloSecrets = SECRETS) -> TestClient:
    """The app with the Zalo webhook on."""
    return client_for(store, desk, zalo=ZaloWebhookSettings(secrets))


def post(test_client: TestClient, event: dict[str, Any], **kw: Any) -> Any:
    """POST a signed event."""
    raw, headers = signed(event, **kw)
    return test_client.post("/webhooks/zalo", content=raw, headers=headers)


def run_jobs(
    store: Store, desk: Desk, photos: PhotoFetcher | None, ledger: Any = None, files: Any = None
) -> int:
    """Run the queued ``zalo.job`` jobs once (as the outbox worker would); how many ran.

    Other outbox messages are released again, due at once, for the test to read.
    """
    jobs = ZaloJobs(store, desk, photos=photos, ledger=ledger, files=files)
    queue, ran = store.outbox_queue, 0
    for claimed in queue.claim(owner="jobs", now=NOW, lease=dt.timedelta(minutes=1), limit=100):
        if claimed.message.channel == JOB_CHANNEL:
            jobs(claimed.message)
            queue.delivered(claimed.id, owner="jobs", now=NOW)
            ran += 1
        else:
            queue.failed(claimed.id, owner="jobs", error="not a job", retry_at=NOW)
    return ran


def drain(store: Store, desk: Desk, photos: PhotoFetcher | None = None) -> DrainInboxReport:
    """Run the inbox worker with the Zalo handlers."""
    handlers = zalo_handlers(desk, base=inbox_handlers(desk), photos=photos)
    return drain_inbox(
        store.inbox_queue, store.unit_of_work, handlers, owner="test", clock=lambda: NOW
    )
