"""Issue #13's end to end: two filings through the fake Zalo server, the officer in chromium.

Everything crosses real loopback HTTP: the fake Zalo platform signs and POSTs
the citizen's events (texts, a photo, a PDF file, a star rating) to tthc under
uvicorn; the inbox worker handles them; the outbox worker downloads the
photo and the file from the fake CDN (outside the inbox transaction) and
sends every reply through the fake OA API, where the test reads them as the
citizen does. The fee is paid by the VietQR request through the fake payment
platform's signed webhook. The officer works in headless Debian chromium
(selenium): receives the birth registration, returns the extract copy for
completion (Mẫu 02), then receives it once the citizen has sent the missing
photo in chat; asks for the fee and uploads the electronic result (PDF) on the
dossier pages. Both are resolved; the electronic result arrives in chat and
downloads; the citizen rates in chat and with Zalo's stars, and the ratings
report counts both. Skipped without chromium, except under CI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from tests._app import POSTAL_SECRET, UNTHROTTLED
from tests._desk import KEY, at
from tests._staff import FAST_HASHER, PASSWORD, SECRET, Clock
from tests.test_filing_e2e import BIRTH_ANSWERS, PAYMENT_SECRET, _pdf, _photo
from tests.test_staff_browser import USERS, Officer, browser  # noqa: F401 - the browser fixture

from tthc_adapters import zalo
from tthc_adapters.app import create_app, uvicorn_options
from tthc_adapters.bootstrap import DEMO_SETTINGS, Dispatcher, build_desk
from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.documents import FileCheck, FilesystemBlobStore
from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.payments import FakePaymentPlatform
from tthc_adapters.staff import staff_app
from tthc_adapters.staff._reports import ART13, ZALO_STARS, make_report, report_rows
from tthc_adapters.storage import SqliteStore, accounts_for
from tthc_adapters.webhooks import inbox_handlers
from tthc_adapters.zalo._fake_server import FakeZaloServer, SentMessage
from tthc_core.accounts import Account, Role
from tthc_core.codes import DossierCode
from tthc_core.desk import RATINGS, FeeAccount, FilingFiles, act, find_dossier
from tthc_core.dossier import DossierState, HandOver, Resolve, ReturnAtDesk
from tthc_core.receipt import StaticKeyRing, parse_vietqr
from tthc_core.storage import drain_inbox, drain_outbox
from tthc_core.storage.kinds import FILINGS

pytestmark = pytest.mark.browser

USER = "246845883529197922"
SHOTS = Path("build/screenshots")


@pytest.fixture
def fake() -> Iterator[tuple[FakeZaloServer, Clock]]:
    clock = Clock(at(11, 23, 8))
    with FakeZaloServer(clock=clock) as server:
        yield server, clock


class ZaloWorld:
    """tthc under uvicorn with Zalo, payments, e-results and the staff pages; its workers."""

    def __init__(self, tmp: Path, fake: FakeZaloServer, clock: Clock) -> None:
        self.fake, self.clock = fake, clock
        self.store = SqliteStore(str(tmp / "tthc.sqlite3"), clock=clock)
        base = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
        self.desk = attrs.evolve(
            base, chat_channel="zalo", fee_account=FeeAccount("970415", "113366668888")
        )
        self.blobs = FilesystemBlobStore(tmp / "files")
        files = FilingFiles(FileCheck(), self.blobs)
        with self.store.unit_of_work() as uow:
            for procedure in sample_catalogue():
                uow.catalogue.put(procedure)
            uow.commit()
        accounts = accounts_for(self.store)
        for role, (username, name, unit) in USERS.items():
            accounts.add(Account(username, name, role, unit, FAST_HASHER.hash(PASSWORD)))
        staff = staff_app(
            self.store, self.desk, accounts=accounts, clock=clock, secret_key=SECRET,
            hasher=FAST_HASHER, blobs=self.blobs,
        )  # fmt: skip
        secrets = zalo.ZaloSecrets(fake.app_id, fake.oa_id, fake.oa_secret)
        self.app = create_app(
            self.store, self.desk, postal_secret=POSTAL_SECRET, clock=clock, throttle=UNTHROTTLED,
            zalo=zalo.ZaloWebhookSettings(secrets),
            payment_secret=PAYMENT_SECRET, results=self.blobs, staff=staff,
        )  # fmt: skip
        photos = zalo.PhotoFetcher(
            zalo.PhotoSettings(frozenset({"127.0.0.1"}), allowed_schemes=("http",))
        )
        api = zalo.ZaloApiSettings(fake.app_id, fake.app_secret, fake.base_url, fake.base_url)
        self.parts = zalo.ZaloParts(
            self.store, self.desk, api, fake.oa_id, clock=clock, photos=photos, files=files
        )
        self.parts.tokens.save(fake.grant())
        self.handlers = zalo.zalo_handlers(
            self.desk, base=inbox_handlers(self.desk, files=files), photos=photos
        )
        self.dispatcher = Dispatcher(
            chat=lambda *_: None, postal=None, channels=self.parts.channels()
        )
        self.url = ""
        self.ids = iter(range(1, 10_000))
        self.transcript: list[str] = []

    def tick(self, minutes: int = 1) -> None:
        self.clock.now += dt.timedelta(minutes=minutes)

    def work(self) -> list[SentMessage]:
        """Run the inbox and outbox workers until quiet; what the fake OA API was sent."""
        before = len(self.fake.sent)
        for _ in range(5):  # a job's replies are sent on the next round
            inbox = drain_inbox(
                self.store.inbox_queue, self.store.unit_of_work, self.handlers,
                owner="w", clock=self.clock,
            )  # fmt: skip
            assert inbox.parked == 0
            outbox = drain_outbox(
                self.store.outbox_queue, self.dispatcher, owner="w", clock=self.clock
            )
            assert outbox.parked == outbox.retried == 0
            if not (inbox.handled or outbox.delivered):
                break
        sent = self.fake.sent[before:]
        self.transcript += [f"< {m.text}" for m in sent if m.user_id == USER]
        return [m for m in sent if m.user_id == USER]

    def event(self, name: str, **fields: Any) -> list[SentMessage]:
        self.tick()
        got = self.fake.post_event(
            f"{self.url}/webhooks/zalo", self.fake.event(name, USER, **fields)
        )
        assert got.status_code == 200, got.text
        return self.work()

    def say(self, text: str) -> list[str]:
        """The citizen types (or taps a quick reply sending) ``text``; the replies."""
        self.transcript.append(f"> {text}")
        message = {"msg_id": f"m-{next(self.ids)}", "text": text}
        return [m.text for m in self.event("user_send_text", message=message)]

    def attach(self, data: bytes, kind: str, content_type: str) -> list[str]:
        """A photo (``image``) or a file (``file``) hosted on the fake CDN, sent in chat."""
        self.transcript.append(f"> [{'ảnh' if kind == 'image' else 'tệp'}]")
        url = self.fake.host_photo(data, content_type)
        message = {"msg_id": f"m-{next(self.ids)}", "attachments": [
            {"type": kind, "payload": {"url": url, "thumbnail": url}}
        ]}  # fmt: skip
        return [m.text for m in self.event(f"user_send_{kind}", message=message)]


def _file_both(w: ZaloWorld) -> None:
    """The citizen files the birth registration (fee-exempt) and an extract copy (8.000 đồng)."""
    assert "Bắt đầu nộp hồ sơ" in w.say("nộp hồ sơ đăng ký khai sinh")[0]
    for answer in BIRTH_ANSWERS:
        w.say(answer)
    assert "Đã nhận 1 tệp" in w.attach(_photo(), "image", "image/jpeg")[0]
    for answer in ("xong", "bỏ qua", "0912345678", "2"):
        w.say(answer)
    assert "Mới đăng ký" in w.say("đồng ý")[0]
    w.say("nop ho so")
    w.say("2.000635")
    for answer in ("1", "Nguyễn Văn An", "bỏ qua", "Nguyễn Văn An", "066203001234", "bỏ qua"):
        w.say(answer)
    assert "Đã nhận 1 tệp" in w.attach(_pdf("Can cuoc"), "file", "application/octet-stream")[0]
    for answer in ("xong", "0912345678"):
        w.say(answer)
    assert "8.000 đồng" in w.say("1")[0]
    assert "Mới đăng ký" in w.say("đồng ý")[0]


def test_two_filings_through_zalo_with_the_officer_in_chromium(
    browser: Any,  # noqa: F811 - the fixture
    tmp_path: Path,
    fake: tuple[FakeZaloServer, Clock],
) -> None:
    w = ZaloWorld(tmp_path, *fake)
    with LoopbackServer(w.app, **uvicorn_options()) as server:
        w.url = server.url
        _story(w, Officer(browser, server.url))
    w.parts.close()
    w.store.close()


def _codes(w: ZaloWorld) -> tuple[str, str]:
    with w.store.unit_of_work() as uow:
        filings = sorted(uow.repository(FILINGS).page(), key=lambda f: f.filing_id)
    birth, copy = (str(f.dossier_code) for f in filings)
    return birth, copy


def _received_code(w: ZaloWorld, submitted: str) -> str:
    with w.store.unit_of_work() as uow:
        dossier = find_dossier(uow, submitted)
    assert dossier is not None
    assert str(dossier.submitted_as) == submitted
    return str(dossier.code)


def _state(w: ZaloWorld, code: str) -> DossierState:
    with w.store.unit_of_work() as uow:
        dossier = find_dossier(uow, code)
    assert dossier is not None
    return dossier.state


def _story(w: ZaloWorld, officer: Officer) -> None:
    _file_both(w)
    birth, copy = _codes(w)
    # The officer, in chromium: receives the birth registration, returns the copy (Mẫu 02).
    w.tick(30)
    officer.login(Role.DESK)
    officer.open("/staff/queues")
    assert birth in officer.find("main").text
    assert copy in officer.find("main").text
    officer.open(f"/staff/dossiers/{birth}")
    assert "Nguyễn Thị Mai" in officer.find("#online").text
    assert "Ảnh" in officer.find("#files").text
    officer.shot("zalo-filing-online-dossier")
    officer.act("receive_online")
    officer.open(f"/staff/dossiers/{copy}")
    officer.act("ask_to_complete", items="Ảnh mặt sau căn cước", reason="Thiếu giấy tờ")
    officer.shot("zalo-filing-asked-to-complete")
    assert "đã yêu cầu bổ sung 1 lần" in officer.find("#online").text  # asked, not yet sent
    notices = [m.text for m in w.work()]
    assert any("đã tiếp nhận hồ sơ" in t and birth in t for t in notices), notices
    assert any("đầy đủ một lần" in t and "Ảnh mặt sau căn cước" in t for t in notices), notices
    # The citizen supplies it in chat: a photo through Zalo, then "xong".
    assert "Đã nhận" in w.attach(_photo(), "image", "image/jpeg")[0]
    assert "Đã nhận đủ" in w.say("xong")[0]
    assert _state(w, copy) is DossierState.SUBMITTED  # back with the desk
    # Received two days later: the code is dated on the receipt day (Circular 01/2018 Art. 19).
    w.clock.now = at(11, 25, 8, 30)
    officer.open(f"/staff/dossiers/{copy}")
    officer.act("receive_online")
    officer.shot("zalo-filing-copy-received")
    submitted_as, copy = copy, _received_code(w, copy)
    assert "-261125-" in copy
    assert copy in officer.find("main h1").text
    assert any("đã tiếp nhận hồ sơ" in m.text and copy in m.text for m in w.work())
    officer.open(f"/staff/dossiers/{submitted_as}")  # the submission code still finds it
    assert copy in officer.find("main h1").text
    # The fee: the VietQR request in chat, paid through the platform's signed webhook.
    with w.store.unit_of_work() as uow:
        stored = find_dossier(uow, copy)
        assert stored is not None
        act(uow, w.desk, stored.code, HandOver(stored.steps[0].unit), at=w.clock.now)
        uow.commit()
    officer.open(f"/staff/dossiers/{copy}")  # the fee request, from the dossier page
    officer.act("request_payment", amount_vnd="8000", reason="Phí cấp bản sao trích lục")
    (fee,) = [m.text for m in w.work() if "Quét mã VietQR" in m.text]
    request = parse_vietqr(fee.rsplit("\n", 1)[1])
    assert request.amount_vnd == 8000
    bank = FakePaymentPlatform(f"{w.url}/webhooks/payment", PAYMENT_SECRET)
    assert bank.credit("FT1", 8000, str(request.bill_number), w.clock.now).json()["recorded"]
    assert not bank.credit("FT1", 8000, str(request.bill_number), w.clock.now).json()["recorded"]
    assert any("Đã nhận khoản nộp" in m.text for m in w.work())
    # Both resolved: the birth result electronically (in chat), the copy at the desk.
    w.tick(60)
    result_pdf = w.blobs.root.parent / "trich-luc-khai-sinh.pdf"
    result_pdf.write_bytes(_pdf("Trich luc khai sinh"))
    officer.open(f"/staff/dossiers/{birth}")  # the officer uploads the signed PDF
    form = officer.find("#action-e-result")
    form.find_element(officer.by.NAME, "result_code").send_keys("15/TLKS")
    form.find_element(officer.by.NAME, "file").send_keys(str(result_pdf))
    officer.click(form.find_element(officer.by.CSS_SELECTOR, "button[type=submit]"))
    assert "Đã trả kết quả điện tử số 15/TLKS" in officer.find(".flash").text
    officer.shot("zalo-filing-e-result-issued")
    with w.store.unit_of_work() as uow:
        act(uow, w.desk, _parse(copy), Resolve(), at=w.clock.now)
        act(uow, w.desk, _parse(copy), ReturnAtDesk(), at=w.clock.now)
        uow.commit()
    arrived = [m.text for m in w.work()]
    (link,) = [t.rsplit(" ", 1)[1] for t in arrived if "Tải về tại" in t]
    download = httpx.get(w.url + "/" + link.split("/", 3)[3], timeout=10)
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert {_state(w, birth), _state(w, copy)} == {DossierState.RESULT_RETURNED}
    assert sum("Mời ông/bà đánh giá" in t for t in arrived) == 2
    # The citizen rates in chat (the quick replies), then with Zalo's stars.
    for answer in ("thích", "đúng hẹn", "1", "chỉ bộ phận một cửa"):
        w.say(answer)
    assert "Cảm ơn" in w.say("rất tốt")[0]
    w.event("user_feedback", message={"msg_id": "fb-1", "rate": 5, "note": "Rất nhanh"})
    with w.store.unit_of_work() as uow:
        answered = [r for r in uow.repository(RATINGS).page() if r.pending is None]
    assert [r.liked for r in answered] == [True]
    side = zalo.sql_side_for(w.store)
    assert side is not None
    rows = report_rows(make_report(
        w.store, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), at=w.clock.now,
        channel=zalo.LedgerChannelFigures(side),
    ))  # fmt: skip
    stars = {item: value for section, item, value in rows if section == ZALO_STARS}
    assert stars == {"Số lượt đánh giá": "1", "Số sao trung bình (1-5)": "5.00/5"}, rows
    art13 = {item: value for section, item, value in rows if section == ART13}
    assert art13["Hồ sơ được đánh giá qua chat"] == "1"
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "zalo-filing-transcript.txt").write_text("\n".join(w.transcript), encoding="utf-8")


def _parse(code: str) -> DossierCode:
    return DossierCode.parse(code)
