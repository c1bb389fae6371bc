"""The staff pages end to end (Starlette TestClient): intake, receipt, handovers, result, return."""

from __future__ import annotations

from typing import Any

from tests._desk import LAND
from tests._staff import DESK_UNIT, LEADER_UNIT, PEOPLE, SPECIALIST_UNIT, StaffDesk

from tthc_core.accounts import Role
from tthc_core.desk import Desk
from tthc_core.dossier import DossierState
from tthc_core.party import Applicant
from tthc_core.storage.kinds import DOSSIERS

APPLICANT_FORM = {
    "name": "Nguyễn Thị Hương",
    "phone": "0912 345 678",
    "address": "Thôn 3, xã Krông Năng",
    "identity_number": "066190000123",
    "return_channel": "desk",
}
ALL_DOCS = {"doc_0": "on", "doc_1": "on", "doc_2": "on"}


def receive(desk: StaffDesk, **extra: str) -> str:
    """Receive a land dossier through the intake page; its code."""
    desk.login(Role.DESK)
    response: Any = desk.post(f"/staff/intake/{LAND}", {**APPLICANT_FORM, **ALL_DOCS, **extra})
    assert response.status_code == 303, response.text
    return str(response.headers["location"]).rsplit("/", 1)[1]


def test_search_finds_procedures_without_diacritics(staff_desk: StaffDesk) -> None:
    staff_desk.login(Role.DESK)
    page = staff_desk.client.get("/staff/intake", params={"q": "bien dong dat"}).text
    assert LAND in page
    assert "2.000908" not in page
    assert "2.000908" in staff_desk.client.get("/staff/intake", params={"q": "BẢN SAO"}).text
    assert "Không tìm thấy" in staff_desk.client.get("/staff/intake", params={"q": "xyz"}).text


def test_the_intake_form_lists_the_catalogue_checklist(staff_desk: StaffDesk) -> None:
    staff_desk.login(Role.DESK)
    page = staff_desk.client.get(f"/staff/intake/{LAND}").text
    assert "Giấy chứng nhận quyền sử dụng đất" in page
    assert 'name="doc_2"' in page
    assert "30.000 đ" in page


def test_an_incomplete_dossier_gets_no_code(staff_desk: StaffDesk) -> None:
    staff_desk.login(Role.DESK)
    response: Any = staff_desk.post(
        f"/staff/intake/{LAND}", {**APPLICANT_FORM, "doc_0": "on", "doc_1": "on"}
    )
    assert response.status_code == 400
    assert "Hợp đồng chuyển nhượng" in response.text
    assert "Mẫu 02" in response.text
    assert 'value="Nguyễn Thị Hương"' in response.text  # the form keeps what was typed
    with staff_desk.store.unit_of_work() as uow:
        assert uow.repository(DOSSIERS).page() == []


def test_bad_applicant_data_is_a_form_error_not_a_crash(staff_desk: StaffDesk) -> None:
    staff_desk.login(Role.DESK)
    response: Any = staff_desk.post(
        f"/staff/intake/{LAND}", {**APPLICANT_FORM, **ALL_DOCS, "phone": "12345"}
    )
    assert response.status_code == 400
    assert "phone" in response.text


def test_the_whole_day_of_one_dossier(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk)
    page = staff_desk.client.get(f"/staff/dossiers/{code}").text
    assert "Phiếu kiểm soát" in page
    assert f"Đã tiếp nhận hồ sơ {code}" in page
    receipt = staff_desk.client.get(f"/staff/dossiers/{code}/receipt.pdf")
    assert receipt.status_code == 200
    assert receipt.content.startswith(b"%PDF")
    assert receipt.headers["content-type"] == "application/pdf"

    steps = [
        (Role.DESK, SPECIALIST_UNIT),
        (Role.SPECIALIST, LEADER_UNIT),
        (Role.LEADER, DESK_UNIT),
    ]
    for role, unit in steps:
        staff_desk.login(role)
        response: Any = staff_desk.post(f"/staff/dossiers/{code}/hand_over", {"to_unit": unit})
        assert response.status_code == 303
        assert staff_desk.dossier(code).holder_unit == unit  # type: ignore[attr-defined]
    staff_desk.login(Role.DESK)
    staff_desk.post(f"/staff/dossiers/{code}/resolve", {"note": "Đã ký"})
    staff_desk.post(f"/staff/dossiers/{code}/return_at_desk")
    final: Any = staff_desk.dossier(code)
    assert final.state is DossierState.RESULT_RETURNED
    assert len(final.sheet) == 3

    with staff_desk.store.unit_of_work() as uow:
        trail = [(type(r.event).__name__, r.actor) for r in uow.audit.history(DOSSIERS, code)]
    desk, specialist, leader = (PEOPLE[r][0] for r in (Role.DESK, Role.SPECIALIST, Role.LEADER))
    assert [a for t, a in trail if t == "DossierHandedOver"] == [desk, specialist, leader]
    assert ("DossierReceived", desk) in trail
    assert ("DossierResolved", desk) in trail
    assert ("DossierResultReturnedAtDesk", desk) in trail
    assert all(actor is not None for _, actor in trail)
    page = staff_desk.client.get(f"/staff/dossiers/{code}").text
    assert "Đã trả kết quả" in page
    assert specialist in page  # the trail names who acted


def test_a_refused_action_is_explained_and_changes_nothing(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk)
    before = staff_desk.dossier(code)
    response: Any = staff_desk.post(f"/staff/dossiers/{code}/return_at_desk")
    assert response.status_code == 303
    page = staff_desk.client.get(f"/staff/dossiers/{code}").text
    assert "Không thực hiện được" in page
    assert staff_desk.dossier(code) == before


def test_the_page_offers_only_what_the_role_and_the_state_allow(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk)
    page = staff_desk.client.get(f"/staff/dossiers/{code}").text
    assert 'id="action-hand_over"' in page
    assert 'id="action-return_at_desk"' not in page  # not resolved yet
    assert 'id="action-request_supplement"' not in page  # the specialist's
    staff_desk.post(f"/staff/dossiers/{code}/hand_over", {"to_unit": SPECIALIST_UNIT})
    staff_desk.login(Role.SPECIALIST)
    page = staff_desk.client.get(f"/staff/dossiers/{code}").text
    assert 'id="action-request_supplement"' in page
    assert 'id="receipt"' not in page  # printing is the desk's


def test_supplement_and_reschedule_go_through_the_pages(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk)
    staff_desk.post(f"/staff/dossiers/{code}/hand_over", {"to_unit": SPECIALIST_UNIT})
    staff_desk.login(Role.SPECIALIST)
    staff_desk.post(
        f"/staff/dossiers/{code}/request_supplement",
        {"items": "Bản sao hợp đồng\nTrích lục bản đồ", "reason": "Thiếu giấy tờ"},
    )
    dossier: Any = staff_desk.dossier(code)
    assert dossier.state is DossierState.AWAITING_SUPPLEMENT
    assert dossier.supplements[-1].items == ("Bản sao hợp đồng", "Trích lục bản đồ")
    staff_desk.login(Role.DESK)
    staff_desk.post(f"/staff/dossiers/{code}/receive_supplement")
    assert staff_desk.dossier(code).state is DossierState.IN_PROCESSING  # type: ignore[attr-defined]
    staff_desk.login(Role.LEADER)
    due = staff_desk.dossier(code).due_at  # type: ignore[attr-defined]
    staff_desk.post(
        f"/staff/dossiers/{code}/reschedule",
        {"new_date": _iso(due.date().toordinal() + 7), "new_time": "16:00", "reason": "Chờ ý kiến"},
    )
    dossier = staff_desk.dossier(code)
    assert len(dossier.reschedules) == 1
    staff_desk.post(
        f"/staff/dossiers/{code}/reschedule",
        {"new_date": _iso(due.date().toordinal() + 9), "reason": "Lần hai"},
    )
    assert len(staff_desk.dossier(code).reschedules) == 1  # type: ignore[attr-defined]
    assert "Không thực hiện được" in staff_desk.client.get(f"/staff/dossiers/{code}").text
    staff_desk.login(Role.DESK)
    page = staff_desk.client.get(f"/staff/dossiers/{code}").text
    assert "In Mẫu 02" in page
    assert "In Mẫu 04" in page
    link = page.split('class="button notice" href="')[2].split('"')[0]
    apology = staff_desk.client.get(link).text
    assert "Chờ ý kiến" in apology
    assert "xin lỗi" in apology


def _iso(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).isoformat()


def test_queues_show_the_units_dossiers(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk)
    page = staff_desk.client.get("/staff/queues").text
    assert code in page
    staff_desk.post(f"/staff/dossiers/{code}/hand_over", {"to_unit": SPECIALIST_UNIT})
    staff_desk.login(Role.SPECIALIST)
    page = staff_desk.client.get("/staff/queues").text
    mine = page.split('id="mine"')[1].split('id="today"')[0]
    assert code in mine


def test_every_dossier_event_has_a_vietnamese_name() -> None:
    import tthc_core.dossier as dossier_module
    from tthc_adapters.staff._labels import event_label
    from tthc_core.dossier import DossierEvent

    events = [
        cls
        for name in dossier_module.__all__
        if isinstance(cls := getattr(dossier_module, name), type)
        and issubclass(cls, DossierEvent)
        and cls is not DossierEvent
    ]
    assert len(events) > 20
    for cls in events:
        label = event_label(object.__new__(cls))
        assert label != cls.__name__, f"{cls.__name__} has no Vietnamese name"


def ask_for_supplement(staff_desk: StaffDesk, code: str, items: str) -> str:
    """The specialist asks for ``items`` (Mẫu 02); the dossier page as the desk sees it."""
    staff_desk.login(Role.SPECIALIST)
    staff_desk.post(
        f"/staff/dossiers/{code}/request_supplement", {"items": items, "reason": "Thiếu giấy tờ"}
    )
    staff_desk.login(Role.DESK)
    return str(staff_desk.client.get(f"/staff/dossiers/{code}").text)


def test_issued_forms_print_from_the_audit_trail(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk)
    staff_desk.post(f"/staff/dossiers/{code}/hand_over", {"to_unit": SPECIALIST_UNIT})
    page = ask_for_supplement(staff_desk, code, "Bản sao hợp đồng <có công chứng>")
    link = page.split('class="button notice" href="')[1].split('"')[0]
    assert "In Mẫu 02" in page
    notice = staff_desk.client.get(link)
    assert notice.status_code == 200
    assert "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ".upper() in notice.text.upper()
    assert "Bản sao hợp đồng &lt;có công chứng&gt;" in notice.text
    assert PEOPLE[Role.SPECIALIST][1] in notice.text  # the officer the trail names signs
    assert "Nguyễn Thị Hương" in notice.text
    assert staff_desk.client.get(f"/staff/dossiers/{code}/notices/1").status_code == 404
    staff_desk.login(Role.SPECIALIST)
    assert staff_desk.client.get(link).status_code == 403  # printing is the desk's


def _submit_online(staff_desk: StaffDesk, desk: Desk, sequence: int) -> str:
    from tthc_core.codes import DossierCode
    from tthc_core.dossier import Channel, submit

    with staff_desk.store.unit_of_work() as uow:
        procedure = uow.catalogue.get(LAND)
        assert procedure is not None
        code = DossierCode(desk.agency, staff_desk.clock.now.date(), 100 + sequence)
        dossier, events = submit(
            code=code,
            procedure=procedure,
            applicant=Applicant("Lê Văn Bình", phone="0987654321"),
            channel=Channel.ONLINE,
            at=staff_desk.clock.now,
        )
        uow.repository(DOSSIERS).save(dossier, events)
        uow.commit()
    return str(code)


def test_online_submissions_are_checked_by_the_desk(staff_desk: StaffDesk, desk: Desk) -> None:
    codes = [_submit_online(staff_desk, desk, n) for n in range(3)]
    staff_desk.login(Role.DESK)
    queue = staff_desk.client.get("/staff/queues").text.split('id="online"')[1]
    assert all(code in queue for code in codes)
    staff_desk.post(f"/staff/dossiers/{codes[0]}/receive_online")
    staff_desk.post(
        f"/staff/dossiers/{codes[1]}/ask_to_complete",
        {"items": "Bản sao sổ đỏ", "reason": "Ảnh chụp mờ"},
    )
    staff_desk.post(
        f"/staff/dossiers/{codes[2]}/refuse_at_intake", {"reason": "Không thuộc thẩm quyền"}
    )
    states = [staff_desk.dossier(code).state for code in codes]  # type: ignore[attr-defined]
    assert states == [
        DossierState.RECEIVED,
        DossierState.INCOMPLETE_AT_INTAKE,
        DossierState.REFUSED_AT_INTAKE,
    ]
    for code in codes[1:]:
        page = staff_desk.client.get(f"/staff/dossiers/{code}").text
        link = page.split('class="button notice" href="')[1].split('"')[0]
        notice = staff_desk.client.get(link).text
        assert PEOPLE[Role.DESK][1] in notice
    assert "Không thuộc thẩm quyền" in notice
    staff_desk.login(Role.SPECIALIST)
    assert staff_desk.post(f"/staff/dossiers/{codes[0]}/receive_online").status_code == 403  # type: ignore[attr-defined]


def test_refusals_are_explained_in_vietnamese(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk)
    staff_desk.post(f"/staff/dossiers/{code}/return_at_desk")
    page = staff_desk.client.get(f"/staff/dossiers/{code}").text
    assert "đang ở trạng thái «Được tiếp nhận», không nhận thao tác này" in page
    staff_desk.post(f"/staff/dossiers/{code}/hand_over", {"to_unit": "Lãnh đạo UBND xã Krông Năng"})
    page = staff_desk.client.get(f"/staff/dossiers/{code}").text
    assert "bước tiếp theo trong quy trình nội bộ" in page


def test_fees_are_asked_for_and_recorded_at_the_desk(staff_desk: StaffDesk) -> None:
    code = receive(staff_desk)
    staff_desk.post(f"/staff/dossiers/{code}/hand_over", {"to_unit": SPECIALIST_UNIT})
    staff_desk.post(
        f"/staff/dossiers/{code}/request_payment", {"amount_vnd": "mười", "reason": "x"}
    )
    assert "Số tiền phải là số đồng" in staff_desk.client.get(f"/staff/dossiers/{code}").text
    staff_desk.post(
        f"/staff/dossiers/{code}/request_payment",
        {"amount_vnd": "30.000", "reason": "Lệ phí đăng ký biến động"},
    )
    dossier: Any = staff_desk.dossier(code)
    assert dossier.state is DossierState.AWAITING_PAYMENT
    assert dossier.payments[-1].amount_vnd == 30_000
    staff_desk.post(f"/staff/dossiers/{code}/confirm_payment")
    dossier = staff_desk.dossier(code)
    assert dossier.state is DossierState.IN_PROCESSING
    assert dossier.payments[-1].paid_at is not None
