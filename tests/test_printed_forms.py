"""What citizens read on printed forms: Vietnamese citations and the place-and-date line.

* Every citation a case notice or a clock prints has a Vietnamese form, as data
  beside the English one, naming the same documents ("Law on Complaints
  02/2011/QH13 Art. 27" → "Điều 27 Luật Khiếu nại số 02/2011/QH13"); no
  citizen-facing render carries the English rule words.
* The place-and-date line reads "<địa danh>, ngày … tháng … năm …" (Decree
  30/2020/NĐ-CP Phụ lục I) with the Vietnam-time date of the event, and a
  printed form shows no "HH:MM" time: a time, where one is meant, is written
  "… giờ … phút", and the end of a day-counted period "hết ngày …".
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import re
from importlib import resources
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._staff import SPECIALIST_UNIT, StaffDesk
from tests.test_staff_case_actions import _do, _notice_links
from tests.test_staff_cases import _case
from tests.test_staff_flow import ask_for_supplement, receive

import tthc_core
from tthc_core import complaint as cp
from tthc_core.accounts import Role
from tthc_core.calendar import VN_TZ, Duration, to_local
from tthc_core.complaint import _events as case_events
from tthc_core.desk import Desk
from tthc_core.document_text import (
    format_date_vi,
    format_deadline_vi,
    format_due_short_vi,
    place_date_vi,
    place_name_of,
)
from tthc_core.regime import REGIMES
from tthc_core.storage.kinds import COMPLAINTS
from tthc_core.testing.strategies import cases
from tthc_core.text import nfc

#: The English rule words no citizen-facing text may carry.
ENGLISH = re.compile(r"Law on|Decree|Circular|Article|Art\.|Decision \d|Labour Code|Civil Code")
#: A legal document's number and symbol: 02/2011/QH13, 61/2018/NĐ-CP, 766/QĐ-TTg.
DOCUMENT = re.compile(r"\d+/(?:\d{4}/)?[A-ZĐ]+\d*(?:-[A-ZĐ]+)*")
PLACE_DATE = re.compile(
    r"(?P<place>[^,]+), ngày (?P<d>\d{2}) tháng (?P<m>\d{1,2}) năm (?P<y>\d{4})"
)
#: A document cited by kind and number: the Vietnamese form puts "số" before the number.
CITED = re.compile(r"(?:Nghị định|Thông tư|Quyết định|Luật)((?: [^\W\d]+)*) \d")
#: Modules whose Vietnamese strings go to citizens (chat, Open311, the control sheet, forms).
CITIZEN_TEXT = (
    "desk/replies.py",
    "desk/messages.py",
    "desk/_replies.py",
    "desk/_online.py",
    "desk/_chat.py",
    "desk/_filing.py",
    "desk/_filing_inputs.py",
    "complaint/_open311.py",
    "complaint/_open311_services.py",
    "conversation/_replies.py",
    "filing/_texts.py",
    "dossier/_sheet.py",
    "receipt/_text.py",
    "document_text.py",
)
CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
#: Wall-clock instants (Hypothesis draws naive ones; each test attaches its zone).
WALL_TIMES = st.datetimes(
    min_value=dt.datetime(2019, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2040, 12, 31),  # noqa: DTZ001
)


def _notice_events() -> list[type[cp.CaseEvent]]:
    return [
        cls
        for cls in vars(case_events).values()
        if isinstance(cls, type) and issubclass(cls, cp.CaseEvent) and cls is not cp.CaseEvent
    ]


def _every_notice() -> list[cp.CaseNotice]:
    found = []
    for cls in _notice_events():
        for kind in cp.CaseKind:
            notice = cp.notice_for(object.__new__(cls), kind)
            if notice is not None:
                found.append(notice)
    return found


def test_every_notice_and_law_row_has_a_vietnamese_citation_of_the_same_documents() -> None:
    pairs = [(n.rule, n.rule_vi) for n in _every_notice()]
    pairs += [(row.citation, row.citation_vi) for row in cp.LAW_TABLE]
    pairs += [(regime.legal_basis, regime.legal_basis_vi) for regime in REGIMES]
    assert len(pairs) > 30
    for regime in REGIMES:  # the forms' circular is one of the regime's texts
        assert regime.forms_basis_vi.startswith("Thông tư số ")
        assert regime.forms_basis_vi in regime.legal_basis_vi
    for english, vietnamese in pairs:
        assert not ENGLISH.search(vietnamese), vietnamese
        assert vietnamese == nfc(vietnamese)
        # The same documents, by number and symbol (the text is the translation, not a new cite).
        assert set(DOCUMENT.findall(english)) == set(DOCUMENT.findall(vietnamese)), vietnamese
        assert DOCUMENT.search(vietnamese), vietnamese
        # Vietnamese form: "Luật Khiếu nại số 02/2011/QH13", "Nghị định số 61/2018/NĐ-CP".
        for kind in ("Luật", "Nghị định", "Thông tư", "Quyết định"):
            for match in re.finditer(rf"{kind} (?!số)([^\s(;,]+)", vietnamese):
                assert not DOCUMENT.fullmatch(match.group(1)), f"{kind} without 'số': {vietnamese}"


@pytest.mark.parametrize(
    ("kind", "other_law"),
    [
        (cp.CaseKind.COMPLAINT, "Luật Tố cáo"),
        (cp.CaseKind.DENUNCIATION, "Luật Khiếu nại"),
    ],
)
def test_a_notice_cites_the_law_of_its_own_kind(kind: cp.CaseKind, other_law: str) -> None:
    """A complaint's papers cite the Law on Complaints; a denunciation's, the other law."""
    notices = [cp.notice_for(object.__new__(cls), kind) for cls in _notice_events()]
    cited = [n.rule_vi for n in notices if n is not None]
    assert len(cited) >= 6
    for rule_vi in cited:
        assert other_law not in rule_vi, rule_vi


def test_a_clock_prints_its_citation_in_vietnamese() -> None:
    for row in cp.LAW_TABLE:
        clock = cp.Clock(
            step=row.step,
            variant=row.variant,
            limit=row.limit,
            citation=row.citation,
            rule_on=row.effective_from,
            started_on=row.effective_from,
        )
        assert clock.citation_vi == row.citation_vi
    stale = cp.Clock(
        step=cp.Step.RESOLVE,
        variant=cp.Variant.ORDINARY,
        limit=Duration.calendar_days(30),
        citation="Law on Complaints 02/2011/QH13 Art. 99 (an older table)",
        rule_on=dt.date(2026, 1, 1),
        started_on=dt.date(2026, 1, 1),
    )
    assert stale.citation_vi == cp.UNKNOWN_CITATION_VI
    assert not ENGLISH.search(stale.citation_vi)


def _vietnamese_literals(source: str) -> list[str]:
    """The string literals of ``source`` with Vietnamese letters, docstrings left out."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and not node.value.isascii()
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("module", CITIZEN_TEXT)
def test_citizen_texts_cite_documents_in_the_vietnamese_form(module: str) -> None:
    """Chat replies, Open311 texts and forms cite "Điều 8 Luật Khiếu nại số 02/2011/QH13"."""
    source = (resources.files(tthc_core) / module).read_text("utf-8")
    for text in _vietnamese_literals(source):
        assert not ENGLISH.search(text), text
        for cited in CITED.finditer(text):
            assert cited.group(1).endswith(" số"), f"{cited.group(0)!r} without 'số': {text}"


def test_templates_render_only_the_vietnamese_citation() -> None:
    """No template prints an English rule attribute (``.rule``, ``.citation``, ``.legal_basis``)."""
    english_attribute = re.compile(r"\.(?:rule|citation|legal_basis)\b(?!_vi)")
    for package in ("tthc_adapters.staff", "tthc_adapters.app"):
        for template in (resources.files(package) / "templates").iterdir():
            if template.name.endswith(".html"):
                for expression in re.findall(r"{{(.*?)}}", template.read_text("utf-8"), re.S):
                    assert not english_attribute.search(expression), (template.name, expression)


@given(WALL_TIMES)
def test_the_place_date_line_is_the_vietnam_date_in_words(naive: dt.datetime) -> None:
    instant = naive.replace(tzinfo=dt.UTC)
    line = place_date_vi("Krông Năng", instant)
    match = PLACE_DATE.fullmatch(line)
    assert match is not None, line
    day = to_local(instant).date()
    assert match["place"] == "Krông Năng"
    assert (int(match["d"]), int(match["m"]), int(match["y"])) == (day.day, day.month, day.year)
    assert match["m"].startswith("0") == (day.month < 3)  # months 1-2 take a leading zero
    assert not CLOCK_TIME.search(line)


@given(WALL_TIMES)
def test_a_deadline_reads_its_last_day_at_midnight_and_its_time_otherwise(
    naive: dt.datetime,
) -> None:
    due = naive.replace(tzinfo=VN_TZ, second=0, microsecond=0)
    text = format_deadline_vi(due)
    assert not CLOCK_TIME.search(text)
    if due.time() == dt.time(0, 0):
        assert text == f"hết {format_date_vi(due.date() - dt.timedelta(days=1))}"
    else:
        assert text.startswith(f"{due:%H} giờ {due:%M} phút, ngày {due.day:02d} tháng ")


@given(WALL_TIMES)
def test_short_texts_write_a_time_in_words_and_a_period_end_as_its_last_day(
    naive: dt.datetime,
) -> None:
    """Chat, the status page and Open311: "16 giờ 30 phút, ngày 04/12/2026", never "16:30"."""
    due = naive.replace(tzinfo=VN_TZ, second=0, microsecond=0)
    text = format_due_short_vi(due)
    assert not CLOCK_TIME.search(text)
    if due.time() == dt.time(0, 0):
        assert text == f"hết ngày {due.date() - dt.timedelta(days=1):%d/%m/%Y}"
    else:
        assert text == f"{due.hour:02d} giờ {due.minute:02d} phút, ngày {due:%d/%m/%Y}"


@given(cases(), WALL_TIMES)
def test_the_open311_notice_writes_the_due_time_in_words(case: cp.Case, naive: dt.datetime) -> None:
    """Open311 ``service_notice``: the short form, whatever the due instant."""
    due = naive.replace(tzinfo=VN_TZ)
    if case.clock is not None:  # a period ending at any instant, not only at 24:00
        case = attrs.evolve(case, clock=attrs.evolve(case.clock, due_at=due))
    notice = cp.georeport_request(case)["service_notice"]
    if notice is not None:
        assert notice == f"Hạn xử lý: {format_due_short_vi(case.due_at)}"
        assert not CLOCK_TIME.search(notice)


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("UBND xã Krông Năng", "Krông Năng"),
        ("Ủy ban nhân dân phường Tân Lập, thành phố Buôn Ma Thuột", "Tân Lập"),
        ("Trung tâm Phục vụ hành chính công tỉnh Đắk Lắk", "Đắk Lắk"),
        ("Sở Tư pháp", "Sở Tư pháp"),
    ],
)
def test_the_place_is_the_agencys_administrative_unit(name: str, place: str) -> None:
    assert place_name_of(name) == place


def _text(page: str) -> str:
    """The visible text of a page (tags dropped, entities decoded)."""
    body = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _check_printed(page: str, place: str, on: dt.date) -> None:
    text = _text(page)
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert not CLOCK_TIME.search(text), CLOCK_TIME.search(text)
    line = re.search(r'<p class="place-date"><em>(.*?)</em>', page)
    assert line is not None
    assert html.unescape(line.group(1)) == f"{place}, {format_date_vi(on)}"


def _case_notices(staff_desk: StaffDesk, case_id: str, steps: list[tuple[str, Any]]) -> list[str]:
    page = ""
    for action, form in steps:
        page = _do(staff_desk, case_id, action, form)
        staff_desk.clock.now += dt.timedelta(days=1)
    return [staff_desk.client.get(link).text for link in _notice_links(page)]


def test_case_notices_print_vietnamese_citations_and_the_date_line(
    staff_desk: StaffDesk, desk: Desk
) -> None:
    place = place_name_of(desk.complaints.name)
    staff_desk.login(Role.CASE_HANDLER)
    flows: list[tuple[cp.CaseKind, list[tuple[str, Any]]]] = [
        (cp.CaseKind.COMPLAINT, [
            ("accept", {}),
            ("assign", {}),
            ("extend", {"variant": "complex", "reason": "Nhiều nội dung"}),
            ("suspend", {"reason": "Chờ kết quả giám định"}),
            ("resume", {}),
            ("withdraw", {"reason": "Đã được giải thích"}),
        ]),
        (cp.CaseKind.DENUNCIATION, [
            ("accept", {}),
            ("suspend", {"reason": "Chờ kết quả giám định"}),
            ("terminate", {"reason": "Người tố cáo đã chết"}),
        ]),
        (cp.CaseKind.PETITION, [("forward", {"to": "Sở Tư pháp", "reason": "Thẩm quyền"})]),
        (cp.CaseKind.PETITION, [("decline", {"reason": "Không có nội dung"})]),
        (cp.CaseKind.COMPLAINT, [("decline", {"reason": "Hết thời hiệu"})]),
    ]  # fmt: skip
    printed = 0
    for number, (kind, steps) in enumerate(flows):
        case_id = _case(staff_desk, desk, kind, f"PF-2026-{number:04d}")
        for page in _case_notices(staff_desk, case_id, steps):
            assert "Căn cứ: " in page
            # Each notice is dated the day of its event; the flows advance a day per step.
            issued = re.search(r"ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})", page)
            assert issued is not None
            _check_printed(page, place, dt.date(*map(int, reversed(issued.groups()))))
            printed += 1
    assert printed >= 9


def test_dossier_notices_print_the_date_line_and_times_in_words(
    staff_desk: StaffDesk, desk: Desk
) -> None:
    code = receive(staff_desk)
    staff_desk.post(f"/staff/dossiers/{code}/hand_over", {"to_unit": SPECIALIST_UNIT})
    staff_desk.login(Role.LEADER)
    due = staff_desk.dossier(code).due_at  # type: ignore[attr-defined]
    new_day = dt.date.fromordinal(due.date().toordinal() + 7)
    staff_desk.post(
        f"/staff/dossiers/{code}/reschedule",
        {"new_date": new_day.isoformat(), "new_time": "16:00", "reason": "Chờ ý kiến"},
    )
    page = ask_for_supplement(staff_desk, code, "Bản sao hợp đồng")
    links = re.findall(r'class="button notice" href="([^"]+)"', page)
    assert len(links) == 2
    today = to_local(staff_desk.clock.now).date()
    place = place_name_of(desk.agency_name)
    notices = [staff_desk.client.get(link).text for link in links]
    regime = staff_desk.dossier(code).regime  # type: ignore[attr-defined]
    for notice in notices:
        _check_printed(notice, place, today)
        assert f"(ban hành kèm theo {regime.forms_basis_vi})" in notice
    (apology,) = [n for n in notices if "xin lỗi" in n]
    assert f"16 giờ 00 phút, {format_date_vi(new_day)}" in apology
    assert format_deadline_vi(due) in apology


def test_staff_pages_show_a_period_ending_at_midnight_as_its_last_day(
    staff_desk: StaffDesk, desk: Desk
) -> None:
    case_id = _case(staff_desk, desk, cp.CaseKind.COMPLAINT, "PF-2026-0100")
    staff_desk.login(Role.CASE_HANDLER)
    page = _do(staff_desk, case_id, "accept")
    with staff_desk.store.unit_of_work() as uow:
        case = uow.repository(COMPLAINTS).get(case_id)
    assert case is not None
    assert case.due_at is not None
    assert to_local(case.due_at).time() == dt.time(0, 0)  # a day-counted period: 24:00
    last_day = to_local(case.due_at).date() - dt.timedelta(days=1)
    for shown in (page, staff_desk.client.get("/staff/cases").text):
        assert f"hết ngày {last_day:%d/%m/%Y}" in shown
        assert f"00:00 {to_local(case.due_at):%d/%m/%Y}" not in shown
