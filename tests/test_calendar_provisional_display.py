"""A due time over a year not announced yet is shown "dự kiến" (issue #10, item 2).

Labour Code 2019 Art. 112(3): the Prime Minister fixes each year's Tết days and swaps; until
then the year's working days are a forecast. Chat, the status page and its control sheet say so.
"""

from __future__ import annotations

import datetime as dt

from tthc_adapters.app._html import status_page
from tthc_adapters.app._lookup import Found, SheetRow, StatusDetails
from tthc_adapters.calendar import default_deadlines
from tthc_core.desk import messages as msg
from tthc_core.dossier import Dossier, HandOver, Timeliness
from tthc_core.receipt import Verdict
from tthc_core.testing.dossiers import STEP_UNITS, drive, local, received

DL = default_deadlines()


def _received(at: dt.datetime) -> Dossier:
    dossier, _ = received(at=at, deadlines=DL)
    return dossier


def test_a_due_time_in_an_announced_year_is_not_provisional() -> None:
    # Received Monday 14/12/2026 + 5 working days: due 21/12/2026, all in 2026 (announced).
    view = _received(local(2026, 12, 14, 9)).public_status(local(2026, 12, 14, 9), deadlines=DL)
    assert view.due_at is not None
    assert view.due_at.year == 2026
    assert not view.due_provisional
    assert "dự kiến" not in msg.status_reply(view)


def test_a_due_time_in_a_provisional_year_says_du_kien_in_chat_and_on_the_page() -> None:
    # Received Monday 28/12/2026 + 5 working days (1/1 off): due 5/1/2027, not announced.
    dossier = _received(local(2026, 12, 28, 9))
    view = dossier.public_status(local(2026, 12, 28, 9), deadlines=DL)
    assert view.due_at is not None
    assert view.due_at.year == 2027
    assert view.due_provisional
    reply = msg.status_reply(view)
    assert "Hẹn trả kết quả:" in reply
    assert "(dự kiến)." in reply
    assert "(dự kiến)" in status_page("UBND xã Krông Năng", Found(view))


def test_without_a_calendar_the_view_makes_no_claim() -> None:
    dossier = _received(local(2026, 12, 28, 9))
    assert not dossier.public_status(local(2026, 12, 28, 9)).due_provisional


def test_the_control_sheet_row_says_du_kien() -> None:
    dossier = _received(local(2026, 12, 30, 9))
    dossier, _ = drive(dossier, (HandOver(STEP_UNITS[0]), local(2026, 12, 30, 10)), deadlines=DL)
    entry = dossier.sheet.entries[0]
    assert DL.is_provisional(entry.handed_at, entry.due_at)
    row = SheetRow(
        1,
        entry.from_unit,
        entry.to_unit,
        entry.handed_at,
        entry.due_at,
        None,
        Timeliness.IN_TIME,
        due_provisional=True,
    )
    view = dossier.public_status(local(2026, 12, 30, 10), deadlines=DL)
    details = StatusDetails("Đăng ký khai sinh", "Nguyễn V. A.", "Mẫu 06", (row,))
    page = status_page("UBND xã Krông Năng", Found(view, Verdict.VALID, details))
    assert page.count("(dự kiến)") == 2  # the appointment and the step's due time
