"""Online filing: chat messages per second the inbox worker handles, SQLite and PostgreSQL.

A full filing dialogue of a typical procedure (the sample birth registration:
the start, nine e-form answers, one photo, the documents' questions, the
phone, the return channel, the confirmation — 17 events) per citizen,
accepted into the inbox and handled by ``drain_inbox`` with the production
handlers (``inbox_handlers(desk, files=...)``, which check and store the
photo). The peer, measured in the same run on the same store kind: as many
status look-ups (a typed dossier code) through the same worker. The figure
is the ratio filing/look-up messages per second (the work per message of a
filing is a dialogue step, a file check and the filing's save).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from PIL import Image
from psycopg import sql

from tthc_adapters.bootstrap import DEMO_SETTINGS, build_desk
from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.documents import FileCheck, FilesystemBlobStore
from tthc_adapters.storage import PostgresStore, SqliteStore
from tthc_adapters.webhooks import inbox_handlers
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk, FilingFiles
from tthc_core.receipt import ReceiptKey, StaticKeyRing
from tthc_core.storage import InboundEvent, Store, drain_inbox

NAME = "filing"

DSN = os.environ.get("TTHC_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
CITIZENS = int(os.environ.get("TTHC_BENCH_FILINGS", "40"))
_ANSWERS = (
    "nộp hồ sơ đăng ký khai sinh",
    "Nguyễn Thị Mai",
    "05/11/2026",
    "2",
    "Trạm Y tế xã Krông Năng",
    "Trần Thị Lan",
    "bỏ qua",
    "Trần Thị Lan",
    "066203001234",
    "mẹ",
    "bỏ qua",
    None,  # the photo of the birth certificate
    "xong",
    "bỏ qua",
    "0912345678",
    "2",
    "đồng ý",
)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 170, 160)).save(out, "JPEG", quality=60)
    return out.getvalue()


def _desk() -> Desk:
    keys = StaticKeyRing([ReceiptKey("K1", b"k" * 32)])
    return build_desk(DEMO_SETTINGS, keys, on=dt.date(2026, 11, 23))


def _events(kind: str, count: int, at: dt.datetime, photo: str) -> list[InboundEvent]:
    events = []
    for citizen in range(count):
        user = f"{kind}-{citizen}"
        texts = _ANSWERS if kind == "filing" else ("000.43.31.H15-261123-0001",) * len(_ANSWERS)
        for n, text in enumerate(texts):
            payload: dict[str, Any] = {
                "user_id": user,
                "text": text or "",
                "sent_at": at.isoformat(),
            }
            if text is None:
                payload["file"] = photo
            events.append(InboundEvent("zalo", f"{user}-{n}", payload, b"", at))
    return events


def _rate(store: Store, desk: Desk, blobs: Path, kind: str) -> float:
    at = dt.datetime(2026, 11, 23, 8, tzinfo=VN_TZ)
    photo = base64.b64encode(_photo()).decode("ascii")
    events = _events(kind, CITIZENS, at, photo)
    with store.unit_of_work() as uow:
        for event in events:
            uow.inbox.accept(event)
        uow.commit()
    handlers = inbox_handlers(desk, files=FilingFiles(FileCheck(), FilesystemBlobStore(blobs)))
    started = time.perf_counter()
    report = drain_inbox(
        store.inbox_queue, store.unit_of_work, handlers, owner="bench", clock=lambda: at
    )
    elapsed = time.perf_counter() - started
    assert report.handled == len(events), report
    return len(events) / elapsed


def _measure(make: Callable[[], Store]) -> dict[str, float]:
    desk = _desk()
    rates = {}
    for kind in ("filing", "lookup"):
        store = make()
        with store.unit_of_work() as uow:
            for procedure in sample_catalogue():
                uow.catalogue.put(procedure)
            uow.commit()
        with tempfile.TemporaryDirectory() as blobs:
            rates[kind] = _rate(store, desk, Path(blobs), kind)
        close = getattr(store, "close", None)
        if close is not None:
            close()
    return {
        "filing_messages_per_s": round(rates["filing"], 1),
        "lookup_messages_per_s": round(rates["lookup"], 1),
        "filing_over_lookup": round(rates["filing"] / rates["lookup"], 3),
    }


def run() -> dict[str, Any]:
    """Both stores; PostgreSQL in a fresh schema, dropped afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(100))
        sqlite = _measure(lambda: SqliteStore(str(Path(tmp) / f"b{next(counter)}.sqlite3")))
    schemas: list[str] = []

    def postgres() -> Store:
        schemas.append(f"bench_{uuid.uuid4().hex[:12]}")
        return PostgresStore(DSN, schema=schemas[-1], max_size=2)

    try:
        pg = _measure(postgres)
    finally:
        with psycopg.connect(DSN, autocommit=True) as conn:
            for name in schemas:
                conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name))
                )
    return {
        "citizens": CITIZENS,
        "events_per_filing": len(_ANSWERS),
        "sqlite": sqlite,
        "postgres": pg,
    }
