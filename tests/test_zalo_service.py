"""``tthc serve`` and ``tthc worker`` with ``TTHC_ZALO_*``: webhook, handlers, sender."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests._app import TestClient
from tests._zalo import APP_ID, OA_ID, body, signed

from tthc_adapters.app import create_app
from tthc_adapters.bootstrap import system_clock
from tthc_adapters.cli._service import Service, ServiceOptions
from tthc_adapters.zalo import ZaloSender

ENV = {
    "TTHC_ZALO_APP_ID": APP_ID,
    "TTHC_ZALO_OA_ID": OA_ID,
    "TTHC_ZALO_OA_SECRET": "oa-secret-key",
    "TTHC_ZALO_APP_SECRET": "app-secret",
}


def _service(tmp_path: Path, environ: dict[str, str]) -> Service:
    options = ServiceOptions(db=str(tmp_path / "tthc.sqlite3"), demo_key=True)
    return Service.open(options, environ)


def test_without_zalo_variables_nothing_changes(tmp_path: Path) -> None:
    service = _service(tmp_path, {})
    try:
        assert service.zalo is None
        assert service.zalo_webhook is None
        assert set(service.inbox_handlers()) == {"zalo", "postal"}  # chat, postal callbacks
    finally:
        service.close()


def test_with_zalo_variables_the_webhook_handlers_and_sender_are_wired(tmp_path: Path) -> None:
    service = _service(tmp_path, ENV)
    try:
        assert isinstance(service.dispatcher._channels["zalo"], ZaloSender)
        app = create_app(
            service.store,
            service.desk,
            postal_secret="p",  # noqa: S106 - a test value
            clock=system_clock,
            zalo=service.zalo_webhook,
        )
        raw, headers = signed(
            body("follow") | {"timestamp": str(int(system_clock().timestamp() * 1000))}
        )
        answer = TestClient(app).post("/webhooks/zalo", content=raw, headers=headers)
        assert answer.json() == {"accepted": True, "duplicate": False}
        handler = service.inbox_handlers()["zalo"]
        claimed = service.store.inbox_queue.claim(
            owner="t", now=system_clock(), lease=dt.timedelta(minutes=1), limit=1
        )
        with service.store.unit_of_work() as uow:
            handler(uow, claimed[0].event)  # the follow route: a welcome in the outbox
            uow.commit()
        assert service.store.outbox_queue.counts().pending == 1
    finally:
        service.close()
