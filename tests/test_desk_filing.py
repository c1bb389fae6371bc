"""Online filing at the desk: the chat hook, files, notices, intake actions reaching the filer."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import attrs
import pytest
from fpdf import FPDF
from PIL import Image
from tests._app import client_for
from tests._desk import at

from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.documents import FileCheck, FilesystemBlobStore
from tthc_adapters.identity import FakeIdentityProvider
from tthc_core.catalogue import IdentityLevel
from tthc_core.complaint import CaseResolved
from tthc_core.desk import (
    E_RESULTS,
    RATINGS,
    Desk,
    FeeAccount,
    act,
    answer_chat,
    ask_after_case,
    attach_file,
    issue_e_result,
    open_filing,
    result_link,
    verify_identity,
)
from tthc_core.dossier import (
    AskToComplete,
    DossierState,
    HandOver,
    ReceiveDossier,
    RefuseAtIntake,
    RequestPayment,
    RequestSupplement,
)
from tthc_core.errors import DomainRuleViolation
from tthc_core.filing import Stage
from tthc_core.rating import Question
from tthc_core.receipt import parse_vietqr
from tthc_core.report import art13_scores, digitisation_4_2, online_share_3_3, satisfaction_5_4
from tthc_core.storage import Store
from tthc_core.storage.kinds import CHAT_FILINGS, COMPLAINTS, DOSSIERS, FILINGS


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 180, 160)).save(out, "JPEG")
    return out.getvalue()


def _pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Can cuoc")
    return bytes(pdf.output())


class Citizen:
    """A chat account talking to the desk; every reply it got, in order."""

    def __init__(self, store: Store, desk: Desk, blobs: Path, user: str = "u1") -> None:
        self.store, self.desk, self.user = store, desk, user
        self.blobs = FilesystemBlobStore(blobs)
        self.n = 0
        self.when = at(11, 23, 8)
        self.transcript: list[tuple[str, str]] = []

    def say(self, text: str) -> list[str]:
        self.n += 1
        self.when += dt.timedelta(minutes=1)
        with self.store.unit_of_work() as uow:
            replies = answer_chat(
                uow,
                self.desk,
                user_id=self.user,
                event_id=f"{self.user}-{self.n}",
                text=text,
                at=self.when,
            )
            uow.commit()
        self.transcript += [("citizen", text)] + [("desk", r) for r in replies]
        return replies

    def send(self, data: bytes, label: str = "[ảnh]") -> list[str]:
        self.when += dt.timedelta(minutes=1)
        with self.store.unit_of_work() as uow:
            replies = attach_file(
                uow,
                self.desk,
                check=FileCheck(),
                blobs=self.blobs,
                user_id=self.user,
                data=data,
                at=self.when,
            )
            uow.commit()
        self.transcript += [("citizen", label)] + [("desk", r) for r in replies]
        return replies


@pytest.fixture
def online(store: Store, desk: Desk) -> tuple[Store, Desk]:
    with store.unit_of_work() as uow:
        for procedure in sample_catalogue():
            uow.catalogue.put(procedure)
        uow.commit()
    return store, attrs.evolve(desk, fee_account=FeeAccount("970415", "113366668888"))


def file_birth(c: Citizen) -> list[str]:
    assert "thủ tục nào" in c.say("nop ho so")[0]
    first = c.say("dang ky khai sinh")
    assert "Đăng ký khai sinh" in first[0]
    assert first[1].startswith("Câu 1/9")
    for answer in ("Nguyễn Thị Mai", "05/11/2026", "2", "Trạm Y tế xã Krông Năng",
                   "Trần Thị Lan", "bỏ qua", "Trần Thị Lan", "066203001234", "mẹ"):  # fmt: skip
        c.say(answer)
    c.say("bỏ qua")  # the paper declaration: the e-form stands for it
    assert "Đã nhận 1 tệp" in c.send(_photo())[0]
    c.say("xong")
    c.say("bỏ qua")
    c.say("0912345678")
    summary = c.say("2")[0]
    assert "không phải nộp" in summary
    return c.say("đồng ý")


def test_filing_in_chat_submits_a_dossier_in_status_1_at_once(
    online: tuple[Store, Desk], tmp_path: Path
) -> None:
    store, desk_ = online
    c = Citizen(store, desk_, tmp_path)
    notice = file_birth(c)[0]
    assert "Mới đăng ký" in notice
    with store.unit_of_work() as uow:
        (filing,) = [f for f in uow.repository(FILINGS).page() if f.stage is Stage.SUBMITTED]
        dossier = uow.repository(DOSSIERS).get(str(filing.dossier_code))
        assert dossier is not None
        assert dossier.state is DossierState.SUBMITTED
        assert dossier.state.national_code == 1
        assert dossier.applicant.name == "Trần Thị Lan"
        assert dossier.applicant.phone == "0912345678"
        assert [link.user_id for link in uow.links.for_dossier(dossier.code)] == ["u1"]
        assert open_filing(uow, desk_, "u1") is None
        # the officer receives it: the electronic receipt goes to the filer
        act(uow, desk_, dossier.code, ReceiveDossier(desk_.unit, officer="Cán bộ A"), at=c.when)
        uow.commit()
    texts = _outbox(store, c.when)
    assert any("đã tiếp nhận hồ sơ" in t and str(dossier.code) in t for t in texts)
    assert "Được tiếp nhận" in c.say(str(dossier.code))[0]  # other intents still answer


def test_cancel_and_resume_and_other_intents_untouched(
    online: tuple[Store, Desk], tmp_path: Path
) -> None:
    store, desk_ = online
    c = Citizen(store, desk_, tmp_path)
    assert c.say("xin chào")  # not filing: the help text
    assert "chưa mở hồ sơ" in c.send(_photo())[0]  # nothing open: not stored
    assert not any(tmp_path.rglob("*.part*"))
    assert "thủ tục nào" in c.say("nộp hồ sơ")[0]
    assert "Không tìm thấy" in c.say("xin giấy phép lái xe")[0]
    with store.unit_of_work() as uow:  # not trapped: the next message may be anything
        cursor = uow.repository(CHAT_FILINGS).get(f"{desk_.chat_channel}:u1")
        assert cursor is not None
        assert not cursor.choosing
    c.say("nộp hồ sơ 1.001193")
    c.say("Nguyễn Thị Mai")
    c.when += dt.timedelta(days=5)  # days of silence
    resumed = c.say("nộp hồ sơ")
    assert resumed[0].startswith("Câu 2/9")
    assert "Đã dừng" in c.say("hủy")[0]
    with store.unit_of_work() as uow:
        assert open_filing(uow, desk_, "u1") is None


def test_a_bad_file_is_answered_and_not_kept(online: tuple[Store, Desk], tmp_path: Path) -> None:
    store, desk_ = online
    c = Citizen(store, desk_, tmp_path)
    c.say("nộp hồ sơ đăng ký khai sinh")
    assert "chương trình" in c.send(b"MZ\x90\x00" + b"\0" * 64, "[tệp .jpg]")[0]
    with store.unit_of_work() as uow:
        filing = open_filing(uow, desk_, "u1")
        assert filing is not None
        assert not filing.documents
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def _file_copy(c: Citizen) -> str:
    c.say("nộp hồ sơ")
    c.say("trich luc")
    for answer in ("1", "Nguyễn Văn An", "bỏ qua", "Nguyễn Văn An", "066203001234", "bỏ qua"):
        c.say(answer)
    c.send(_pdf(), "[PDF]")
    c.say("xong")
    c.say("0912345678")
    assert "8.000 đồng" in c.say("1")[0]
    return c.say("dong y")[0]


def test_supplement_at_intake_listed_at_once_answered_in_chat(
    online: tuple[Store, Desk], tmp_path: Path
) -> None:
    store, desk_ = online
    c = Citizen(store, desk_, tmp_path)
    _file_copy(c)
    with store.unit_of_work() as uow:
        (filing,) = uow.repository(FILINGS).page()
        code = filing.dossier_code
        assert code is not None
        items = ("Ảnh mặt sau căn cước", "Bản chụp trích lục cũ (nếu có)")
        act(uow, desk_, code, AskToComplete(items, "Thiếu giấy tờ"), at=c.when)
        uow.commit()
    texts = _outbox(store, c.when)
    assert any("đầy đủ một lần" in t and all(i in t for i in items) for t in texts)
    assert "Chưa nhận" in c.say("xong")[0]
    c.send(_photo())
    assert "Đã nhận đủ" in c.say("xong")[0]
    with store.unit_of_work() as uow:
        dossier = uow.repository(DOSSIERS).get(str(code))
        assert dossier is not None
        assert dossier.state is DossierState.SUBMITTED  # back with the desk
        act(uow, desk_, code, ReceiveDossier(desk_.unit), at=c.when)
        first = dossier.steps[0].unit if dossier.steps else "Công chức Tư pháp - Hộ tịch"
        act(uow, desk_, code, HandOver(first), at=c.when + dt.timedelta(minutes=5))
        act(uow, desk_, code, RequestSupplement(("Bản sao giấy khai sinh",), "Đối chiếu"),
            at=c.when + dt.timedelta(minutes=10))  # fmt: skip
        uow.commit()
    c.when += dt.timedelta(minutes=15)
    c.send(_pdf(), "[PDF]")
    c.say("xong")
    with store.unit_of_work() as uow:
        dossier = uow.repository(DOSSIERS).get(str(code))
        assert dossier is not None
        assert dossier.state is DossierState.IN_PROCESSING  # the clock runs again
        assert len(dossier.supplements) == 1
        act(uow, desk_, code, RequestPayment(8000, "Phí cấp bản sao trích lục"), at=c.when)
        uow.commit()
    (fee,) = [t for t in _outbox(store, c.when + dt.timedelta(hours=1)) if "Quét mã VietQR" in t]
    payment = parse_vietqr(fee.rsplit("\n", 1)[1])
    assert payment.amount_vnd == 8000
    assert payment.bill_number == str(code)


def test_refusal_reaches_the_filer(online: tuple[Store, Desk], tmp_path: Path) -> None:
    store, desk_ = online
    c = Citizen(store, desk_, tmp_path)
    _file_copy(c)
    with store.unit_of_work() as uow:
        (filing,) = uow.repository(FILINGS).page()
        assert filing.dossier_code is not None
        act(uow, desk_, filing.dossier_code, RefuseAtIntake("Không thuộc thẩm quyền"), at=c.when)
        uow.commit()
    assert any("Không thuộc thẩm quyền" in t for t in _outbox(store, c.when))


def _outbox(store: Store, when: dt.datetime) -> list[str]:
    claimed = store.outbox_queue.claim(
        owner="t", now=when + dt.timedelta(hours=1), lease=dt.timedelta(minutes=1), limit=500
    )
    return [str(p.message.payload["text"]) for p in claimed]


def test_the_electronic_result_arrives_as_a_tag_protected_link(
    online: tuple[Store, Desk], tmp_path: Path
) -> None:
    store, desk_ = online
    c = Citizen(store, desk_, tmp_path)
    file_birth(c)  # electronic return chosen (toàn trình)
    pdf = _pdf()
    with store.unit_of_work() as uow:
        (filing,) = uow.repository(FILINGS).page()
        code = filing.dossier_code
        assert code is not None
        act(uow, desk_, code, ReceiveDossier(desk_.unit), at=c.when)
        blob = c.blobs.put(pdf, FileCheck().media_type(pdf))
        result = issue_e_result(
            uow, desk_, code, blob=blob, result_code="123/TLKS", at=c.when + dt.timedelta(hours=1)
        )
        uow.commit()
    with store.unit_of_work() as uow:
        dossier = uow.repository(DOSSIERS).get(str(code))
        assert dossier is not None
        assert dossier.state is DossierState.RESULT_RETURNED
    (notice,) = [t for t in _outbox(store, c.when + dt.timedelta(hours=2)) if "Tải về tại" in t]
    link = result_link(desk_, result)
    assert link in notice
    path = "/" + link.split("/", 3)[3]
    client = client_for(store, desk_, results=c.blobs)
    got = client.get(path)
    assert got.status_code == 200
    assert got.content == pdf
    assert got.headers["content-type"] == "application/pdf"
    wrong_tag = path[:-1] + ("0" if path[-1] != "0" else "1")
    other = path.replace(str(code), str(code)[:-1] + ("9" if str(code)[-1] != "9" else "8"))
    for probe in (wrong_tag, other, path + "x", "/ket-qua/khong-co/A.b"):
        refused = client.get(probe)
        assert refused.status_code == 404
        assert pdf not in refused.content
    with pytest.raises(DomainRuleViolation, match="PDF"), store.unit_of_work() as uow:
        issue_e_result(uow, desk_, code, blob=attrs.evolve(blob, media_type="image/png"),
                       result_code="x", at=c.when)  # fmt: skip


def test_after_the_result_the_citizen_rates_and_the_reports_count_it(
    online: tuple[Store, Desk], tmp_path: Path
) -> None:
    store, desk_ = online
    c = Citizen(store, desk_, tmp_path)
    file_birth(c)
    pdf = _pdf()
    with store.unit_of_work() as uow:
        (filing,) = uow.repository(FILINGS).page()
        code = filing.dossier_code
        assert code is not None
        act(uow, desk_, code, ReceiveDossier(desk_.unit), at=c.when)
        blob = c.blobs.put(pdf, "application/pdf")
        issue_e_result(uow, desk_, code, blob=blob, result_code="7/TLKS", at=c.when)
        uow.commit()
    (asked,) = [t for t in _outbox(store, c.when) if "Mời ông/bà đánh giá" in t]
    assert "1. Thích" in asked
    assert "Sớm hơn hẹn" in c.say("thich")[0]
    assert "bổ sung" in c.say("1")[0]  # indicator 1: early
    c.say("khong phai bo sung")
    c.say("2")
    assert "Cảm ơn" in c.say("Rất tốt")[0]
    assert "Sớm hơn hẹn" not in c.say("1")[0]  # the rating is closed: "1" goes elsewhere
    with store.unit_of_work() as uow:
        ratings = uow.repository(RATINGS).page()
        dossiers = uow.repository(DOSSIERS).page()
        e_results = {str(r.dossier_code) for r in uow.repository(E_RESULTS).page()}
        documented = {str(f.dossier_code) for f in uow.repository(FILINGS).page() if f.documents}
    scores = art13_scores(ratings)
    assert scores[Question.TIME] == 2.0
    assert scores[Question.AGENCIES] == 1.0
    assert online_share_3_3(dossiers, e_results=e_results).full_marks
    assert digitisation_4_2(dossiers, documented=documented, e_results=set()).share == 0.0
    assert digitisation_4_2(dossiers, documented=documented, e_results=e_results).share == 1.0
    kpi = satisfaction_5_4(dossiers, at=c.when, complained=set(), ratings=ratings)
    assert kpi.share == 1.0


def test_a_procedure_needing_vneid_takes_a_verified_identity_only(
    online: tuple[Store, Desk], tmp_path: Path
) -> None:
    store, desk_ = online
    provider = FakeIdentityProvider(b"s" * 32)
    desk_ = attrs.evolve(desk_, identity=provider)
    with store.unit_of_work() as uow:
        copy = uow.catalogue.get("2.000635")
        assert copy is not None
        uow.catalogue.put(attrs.evolve(copy, identity=IdentityLevel.VERIFIED))
        uow.commit()
    c = Citizen(store, desk_, tmp_path)
    c.say("nộp hồ sơ 2.000635")
    for answer in ("1", "Nguyễn Văn An", "bỏ qua", "Nguyễn Văn An", "066203001234", "bỏ qua"):
        c.say(answer)
    c.send(_pdf(), "[PDF]")
    c.say("xong")
    assert "VNeID" in c.say("0912345678")[0]  # a shared phone is not enough here
    assert provider.base_url in c.say("vneid")[0]
    with store.unit_of_work() as uow:
        filing = open_filing(uow, desk_, "u1")
        assert filing is not None
        other = provider.assert_identity("066203001234", "Nguyễn Văn An", "0912345678", state="x")
        forged = other.rsplit("|", 1)[0] + "|" + "0" * 64
        for bad in (other, forged):
            refused = verify_identity(uow, desk_, user_id="u1", assertion=bad, at=c.when)
            assert "không thành công" in refused[0]
        good = provider.assert_identity(
            "066203001234", "Nguyễn Văn An", "0912345678", state=filing.filing_id
        )
        replies = verify_identity(uow, desk_, user_id="u1", assertion=good, at=c.when)
        assert "nhận kết quả" in replies[0]
        uow.commit()
    c.say("1")
    c.say("đồng ý")
    with store.unit_of_work() as uow:
        (dossier,) = list(uow.repository(DOSSIERS).page())
        assert dossier.applicant.identity_number == "066203001234"
        assert dossier.applicant.name == "Nguyễn Văn An"


def test_an_answered_petition_about_a_dossier_is_rated_by_its_follower(
    online: tuple[Store, Desk], tmp_path: Path
) -> None:
    store, desk_ = online
    c = Citizen(store, desk_, tmp_path)
    file_birth(c)
    with store.unit_of_work() as uow:
        (filing,) = uow.repository(FILINGS).page()
    code = filing.dossier_code
    assert "GY-" in c.say(f"góp ý {code} cán bộ hướng dẫn chưa rõ")[0]
    with store.unit_of_work() as uow:
        (case,) = uow.repository(COMPLAINTS).for_dossier(str(code))
        resolved = CaseResolved(
            occurred_at=c.when, case_id=case.case_id, summary="Đã hướng dẫn lại",
            document_ref=None, on_time=True,
            clock=None,
        )  # fmt: skip
        assert ask_after_case(uow, case, [], at=c.when) == 0  # not answered yet
        assert ask_after_case(uow, case, [resolved], at=c.when) == 1
        assert ask_after_case(uow, case, [resolved], at=c.when) == 0  # asked once
        uow.commit()
    (asked,) = [t for t in _outbox(store, c.when) if "Mời ông/bà đánh giá" in t]
    assert case.case_id in asked
    c.say("thích")
    c.say("đúng hẹn")
    assert "Cảm ơn" in c.say("rất tốt")[0]
