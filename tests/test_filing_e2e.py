"""End to end over real loopback HTTP: two filings through the generic chat webhook.

A citizen files a fee-exempt birth registration and a copy of a civil-status
extract (8.000 đồng); the officer receives the first and asks for a
supplement on the second; the citizen supplies it in chat; the fee is paid
by the VietQR request through the fake payment platform's signed webhook;
both are resolved; the electronic result arrives in chat and downloads; the
citizen rates the service. The inbox worker and the outbox are the real ones
(drained in the test's thread); the officer's actions are the desk's service
functions the staff pages call.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from pathlib import Path
from typing import Any

import attrs
import httpx
from fpdf import FPDF
from PIL import Image
from tests._app import CHAT_SECRET, POSTAL_SECRET, UNTHROTTLED
from tests._desk import KEY, at

from tthc_adapters.app import create_app
from tthc_adapters.bootstrap import DEMO_SETTINGS, build_desk
from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.documents import FileCheck, FilesystemBlobStore
from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.payments import FakePaymentPlatform
from tthc_adapters.storage import SqliteStore
from tthc_adapters.webhooks import inbox_handlers
from tthc_core.desk import (
    RATINGS,
    FeeAccount,
    FilingFiles,
    act,
    issue_e_result,
    reconciliation,
)
from tthc_core.dossier import (
    DossierState,
    HandOver,
    ReceiveDossier,
    RequestPayment,
    RequestSupplement,
    Resolve,
    ReturnAtDesk,
)
from tthc_core.receipt import StaticKeyRing, parse_vietqr
from tthc_core.storage import drain_inbox
from tthc_core.storage.kinds import DOSSIERS, FILINGS

PAYMENT_SECRET = "payment-secret"  # noqa: S105 - a test value
BIRTH_ANSWERS = (
    "Nguyễn Thị Mai",
    "05/11/2026",
    "nu",
    "Trạm Y tế xã Krông Năng",
    "Trần Thị Lan",
    "bỏ qua",
    "Trần Thị Lan",
    "066203001234",
    "2",
    "bỏ qua",
)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 170, 160)).save(out, "JPEG", quality=60)
    return out.getvalue()


def _pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


class World:
    """The service on a loopback port, its worker, and a citizen's chat."""

    def __init__(self, tmp: Path, staff: Any = None) -> None:
        self.now = at(11, 23, 8)
        self.store = SqliteStore(str(tmp / "tthc.sqlite3"), clock=lambda: self.now)
        base = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
        self.desk = attrs.evolve(base, fee_account=FeeAccount("970415", "113366668888"))
        self.blobs = FilesystemBlobStore(tmp / "blobs")
        self.handlers = inbox_handlers(self.desk, files=FilingFiles(FileCheck(), self.blobs))
        with self.store.unit_of_work() as uow:
            for procedure in sample_catalogue():
                uow.catalogue.put(procedure)
            uow.commit()
        self.app = create_app(
            self.store,
            self.desk,
            postal_secret=POSTAL_SECRET,
            clock=lambda: self.now,
            chat_secret=CHAT_SECRET,
            throttle=UNTHROTTLED,
            payment_secret=PAYMENT_SECRET,
            results=self.blobs,
            staff=None if staff is None else staff(self),
        )
        self.n = 0
        self.transcript: list[str] = []

    def tick(self, minutes: int = 1) -> None:
        self.now += dt.timedelta(minutes=minutes)

    def post(self, url: str, **body: Any) -> list[str]:
        """One chat event through the webhook; the worker answers; the replies to ``u1``."""
        self.n += 1
        self.tick()
        event = {"event_id": f"e{self.n}", "user_id": "u1", "timestamp": _ms(self.now), **body}
        got = httpx.post(
            f"{url}/webhooks/chat", json=event, headers={"authorization": f"Bearer {CHAT_SECRET}"}
        )
        assert got.status_code == 200, got.text
        report = drain_inbox(
            self.store.inbox_queue,
            self.store.unit_of_work,
            self.handlers,
            owner="worker",
            clock=lambda: self.now,
        )
        assert report.parked == 0
        self.transcript.append(f"> {body.get('text') or '[tệp]'}")
        return self.replies()

    def replies(self) -> list[str]:
        claimed = self.store.outbox_queue.claim(
            owner="t",
            now=self.now + dt.timedelta(hours=1),
            lease=dt.timedelta(minutes=1),
            limit=100,
        )
        texts = []
        for message in claimed:
            self.store.outbox_queue.delivered(
                message.id, owner="t", now=self.now + dt.timedelta(hours=1)
            )
            if message.message.payload.get("user_id") == "u1":
                texts.append(str(message.message.payload["text"]))
        self.transcript += texts
        return texts

    def say(self, url: str, text: str) -> list[str]:
        return self.post(url, text=text)

    def send(self, url: str, data: bytes) -> list[str]:
        return self.post(url, file=base64.b64encode(data).decode("ascii"))


def file_both(w: World, url: str) -> None:
    """The citizen files the birth registration and the extract copy through the webhook."""
    w.say(url, "nộp hồ sơ đăng ký khai sinh")
    for answer in BIRTH_ANSWERS:
        w.say(url, answer)
    w.send(url, _photo())
    for answer in ("xong", "bỏ qua", "0912345678", "2", "đồng ý"):
        w.say(url, answer)
    w.say(url, "nop ho so")
    w.say(url, "2.000635")
    for answer in ("1", "Nguyễn Văn An", "bỏ qua", "Nguyễn Văn An", "066203001234", "bỏ qua"):
        w.say(url, answer)
    w.send(url, _pdf("Can cuoc"))
    for answer in ("xong", "0912345678", "1", "đồng ý"):
        w.say(url, answer)


def _ms(instant: dt.datetime) -> int:
    return int(instant.timestamp() * 1000)


def test_two_filings_end_to_end_over_http(tmp_path: Path) -> None:
    w = World(tmp_path)
    with LoopbackServer(w.app) as server:
        url = server.url
        # 1. the fee-exempt birth registration, returned electronically
        w.say(url, "nộp hồ sơ đăng ký khai sinh")
        for answer in BIRTH_ANSWERS:
            w.say(url, answer)
        assert "chương trình" in w.send(url, b"MZ\x90\x00" + b"\0" * 100)[0]  # a renamed .exe
        assert "Đã nhận 1 tệp" in w.send(url, _photo())[0]
        for answer in ("xong", "bỏ qua", "0912345678", "2"):
            w.say(url, answer)
        birth_notice = w.say(url, "đồng ý")[0]
        assert "Mới đăng ký" in birth_notice
        # 2. the copy of an extract, with its fee, returned at the desk
        w.say(url, "nop ho so")
        w.say(url, "2.000635")
        for answer in ("1", "Nguyễn Văn An", "bỏ qua", "Nguyễn Văn An", "066203001234", "bỏ qua"):
            w.say(url, answer)
        w.send(url, _pdf("Can cuoc"))
        w.say(url, "xong")
        w.say(url, "0912345678")
        assert "8.000 đồng" in w.say(url, "1")[0]
        assert "Mới đăng ký" in w.say(url, "đồng ý")[0]
        with w.store.unit_of_work() as uow:
            filings = sorted(uow.repository(FILINGS).page(), key=lambda f: f.filing_id)
            birth, copy = (f.dossier_code for f in filings)
            assert birth is not None
            assert copy is not None
            # the officer receives the birth registration, asks a supplement on the copy
            w.tick(30)
            act(uow, w.desk, birth, ReceiveDossier(w.desk.unit, officer="Cán bộ A"), at=w.now)
            act(uow, w.desk, copy, ReceiveDossier(w.desk.unit, officer="Cán bộ A"), at=w.now)
            dossier = uow.repository(DOSSIERS).get(str(copy))
            assert dossier is not None
            act(uow, w.desk, copy, HandOver(dossier.steps[0].unit), at=w.now)
            act(uow, w.desk, copy, RequestSupplement(("Ảnh mặt sau căn cước",), "Để đối chiếu"),
                at=w.now)  # fmt: skip
            uow.commit()
        notices = w.replies()
        assert any("đã tiếp nhận hồ sơ" in t and str(birth) in t for t in notices)
        assert any("đầy đủ một lần" in t and "Ảnh mặt sau căn cước" in t for t in notices)
        w.send(url, _photo())
        assert "Đã nhận đủ" in w.say(url, "xong")[0]
        with w.store.unit_of_work() as uow:
            act(uow, w.desk, copy, RequestPayment(8000, "Phí cấp bản sao trích lục"), at=w.now)
            uow.commit()
        (fee,) = [t for t in w.replies() if "Quét mã VietQR" in t]
        request = parse_vietqr(fee.rsplit("\n", 1)[1])
        assert request.amount_vnd == 8000
        # the citizen pays: the platform reports it, signed; twice (a redelivery)
        bank = FakePaymentPlatform(f"{url}/webhooks/payment", PAYMENT_SECRET)
        assert bank.credit("FT1", 8000, str(request.bill_number), w.now).json()["recorded"]
        assert not bank.credit("FT1", 8000, str(request.bill_number), w.now).json()["recorded"]
        assert any("Đã nhận khoản nộp" in t for t in w.replies())
        # both resolved: the birth result electronically, the copy at the desk
        with w.store.unit_of_work() as uow:
            w.tick(60)
            blob = w.blobs.put(_pdf("Trich luc khai sinh"), "application/pdf")
            issue_e_result(uow, w.desk, birth, blob=blob, result_code="15/TLKS", at=w.now)
            act(uow, w.desk, copy, Resolve(), at=w.now)
            act(uow, w.desk, copy, ReturnAtDesk(), at=w.now)
            assert not reconciliation(uow)
            states = {str(c): uow.repository(DOSSIERS).get(str(c)) for c in (birth, copy)}
            assert all(
                d is not None and d.state is DossierState.RESULT_RETURNED for d in states.values()
            )
            uow.commit()
        arrived = w.replies()
        (link,) = [t.rsplit(" ", 1)[1] for t in arrived if "Tải về tại" in t]
        download = httpx.get(url + "/" + link.split("/", 3)[3])
        assert download.status_code == 200
        assert download.content.startswith(b"%PDF")
        assert sum("Mời ông/bà đánh giá" in t for t in arrived) == 2
        # the citizen rates (the latest rating asked is the one answered)
        for answer in ("thích", "đúng hẹn", "1", "chỉ bộ phận một cửa"):
            w.say(url, answer)
        assert "Cảm ơn" in w.say(url, "rất tốt")[0]
        with w.store.unit_of_work() as uow:
            answered = [r for r in uow.repository(RATINGS).page() if r.pending is None]
            assert len(answered) == 1
            assert answered[0].liked is True


def test_the_chat_webhook_refuses_bad_files(tmp_path: Path) -> None:
    w = World(tmp_path)
    from starlette.testclient import TestClient

    client = TestClient(w.app)
    headers = {"authorization": f"Bearer {CHAT_SECRET}"}
    event = {"event_id": "x", "user_id": "u1", "timestamp": _ms(w.now)}
    for bad in ("***", "", base64.b64encode(b"\0" * (47 * 1024)).decode()):
        got = client.post("/webhooks/chat", json={**event, "file": bad}, headers=headers)
        assert got.status_code in (400, 413), bad[:10]
        assert "file" in got.text or got.status_code == 413
