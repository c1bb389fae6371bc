"""Reports: the period's edges, timeliness classes, the page, its CSV and ``tthc report``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from tests._desk import at, receive
from tests._staff import StaffDesk
from tests.test_staff_flow import receive as receive_on_page

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.cli import main
from tthc_adapters.storage import MemoryStore
from tthc_core.accounts import Role
from tthc_core.desk import Desk
from tthc_core.dossier import Dossier, DossierState, Timeliness
from tthc_core.errors import InvalidInput
from tthc_core.report import dossier_report


def _received(desk: Desk) -> Dossier:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return receive(store, desk)  # 23/11/2026 09:15, due 08/12/2026


def test_the_period_includes_both_ends_in_vietnam_days(desk: Desk) -> None:
    dossier = _received(desk)
    day = dt.date(2026, 11, 23)
    for start, end, counted in [
        (day, day, 1),
        (day - dt.timedelta(days=1), day - dt.timedelta(days=1), 0),
        (day + dt.timedelta(days=1), day + dt.timedelta(days=5), 0),
        (day - dt.timedelta(days=7), day, 1),
    ]:
        report = dossier_report([dossier], start=start, end=end, at=at(11, 24, 9))
        assert report.received == counted, (start, end)
    late_evening = attrs.evolve(
        dossier, received_at=dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC)
    )
    report = dossier_report([late_evening], start=day, end=day, at=at(11, 24, 9))
    assert report.received == 0  # 00:30 on the 24th in Vietnam


def test_timeliness_and_the_on_time_rate(desk: Desk) -> None:
    dossier = _received(desk)
    report = dossier_report(
        [dossier], start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), at=at(11, 24, 9)
    )
    assert dict(report.by_timeliness)[Timeliness.IN_TIME] == 1
    assert report.on_time_rate is None  # nothing finished yet
    late = dossier_report(
        [dossier], start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), at=at(12, 9, 9)
    )
    assert dict(late.by_timeliness)[Timeliness.OVERDUE] == 1
    assert dict(late.by_state)[DossierState.RECEIVED] == 1
    assert len(late.by_state) == len(DossierState)


def test_a_period_ending_before_it_starts_is_refused(desk: Desk) -> None:
    with pytest.raises(InvalidInput, match="before it starts"):
        dossier_report([], start=dt.date(2026, 2, 2), end=dt.date(2026, 2, 1), at=at(11, 24, 9))


def test_the_reports_page_and_its_csv(staff_desk: StaffDesk) -> None:
    code = receive_on_page(staff_desk)
    assert code
    staff_desk.login(Role.LEADER)
    page = staff_desk.client.get(
        "/staff/reports", params={"from": "2026-11-01", "to": "2026-11-30"}
    )
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "Đang giải quyết trong hạn</td><td>1" in page.text
    as_csv = staff_desk.client.get(
        "/staff/reports", params={"from": "2026-11-01", "to": "2026-11-30", "format": "csv"}
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "Hồ sơ tiếp nhận,1" in as_csv.text
    bad = staff_desk.client.get("/staff/reports", params={"from": "hôm qua"})
    assert bad.status_code == 400
    staff_desk.login(Role.SPECIALIST)
    assert staff_desk.client.get("/staff/reports").status_code == 403


def test_tthc_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    assert main(["report", "--from", "2026-11-01", "--to", "2026-11-30", "--db", db]) == 0
    assert "Hồ sơ tiếp nhận" in capsys.readouterr().out
    assert main(["report", "--from", "2026-11-01", "--to", "2026-11-30", "--db", db, "--csv"]) == 0
    assert capsys.readouterr().out.startswith("Mục,Nội dung,Số lượng")
    assert main(["report", "--from", "2026-12-01", "--to", "2026-11-30", "--db", db]) == 2


def test_case_figures_by_kind(staff_desk: StaffDesk, desk: Desk) -> None:
    from tests.test_staff_cases import _case

    from tthc_adapters.staff._reports import make_report, report_rows
    from tthc_core import complaint as cp

    _case(staff_desk, desk, cp.CaseKind.PETITION, "PA-2026-0001")
    _case(staff_desk, desk, cp.CaseKind.DENUNCIATION, "TC-2026-0001")
    day = staff_desk.clock.now.date()
    figures = make_report(staff_desk.store, start=day, end=day, at=staff_desk.clock.now)
    assert figures.cases[cp.CaseKind.PETITION].received == 1
    assert figures.cases[cp.CaseKind.DENUNCIATION].pending == 1
    rows = report_rows(figures)
    assert [cp.CaseKind.PETITION.label_vi, "tiếp nhận", "1"] in rows
    assert [cp.CaseKind.COMPLAINT.label_vi, "tiếp nhận", "0"] in rows
    before = make_report(
        staff_desk.store,
        start=day - dt.timedelta(days=2),
        end=day - dt.timedelta(days=1),
        at=staff_desk.clock.now,
    )
    assert before.cases.get(cp.CaseKind.PETITION, cp.CaseCounts()).received == 0
