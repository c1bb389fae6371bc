"""The reports page, its CSV export and the rows ``tthc report`` prints."""

from __future__ import annotations

import csv
import datetime as dt
import io

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff
from tthc_adapters.staff._queues import all_dossiers
from tthc_core.accounts import Action
from tthc_core.calendar import to_local
from tthc_core.dossier import Timeliness
from tthc_core.errors import InvalidInput
from tthc_core.report import DossierReport, dossier_report
from tthc_core.storage import Store

__all__ = ["make_report", "report_csv", "report_page", "report_rows"]


def make_report(store: Store, *, start: dt.date, end: dt.date, at: dt.datetime) -> DossierReport:
    """The report of ``store``'s dossiers received from ``start`` to ``end``."""
    with store.unit_of_work() as uow:
        return dossier_report(all_dossiers(uow), start=start, end=end, at=at)


_TIMELINESS = {
    Timeliness.EARLY: "Đã giải quyết trước hạn",
    Timeliness.ON_TIME: "Đã giải quyết đúng hạn",
    Timeliness.LATE: "Đã giải quyết quá hạn",
    Timeliness.IN_TIME: "Đang giải quyết trong hạn",
    Timeliness.OVERDUE: "Đang giải quyết quá hạn",
}


def report_rows(report: DossierReport) -> list[list[str]]:
    """The report as rows (section, item, count), for CSV and the command line."""
    rows = [["Kỳ báo cáo", f"{report.start:%d/%m/%Y} - {report.end:%d/%m/%Y}", ""]]
    rows.append(["Tổng số", "Hồ sơ tiếp nhận", str(report.received)])
    rows += [["Trạng thái", s.label_vi, str(n)] for s, n in report.by_state if n]
    rows += [["Tiến độ", _TIMELINESS[t], str(n)] for t, n in report.by_timeliness]
    rate = report.on_time_rate
    rows.append(["Tỷ lệ đúng hạn", "Đã giải quyết đúng hoặc trước hạn",
                 "—" if rate is None else f"{rate:.1%}"])  # fmt: skip
    return rows


def report_csv(report: DossierReport) -> str:
    """The report as CSV (UTF-8, with a byte-order mark so spreadsheets read Vietnamese)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Mục", "Nội dung", "Số lượng"], *report_rows(report)])
    return "\ufeff" + buffer.getvalue()


def _period(request: Request, today: dt.date) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(request.query_params.get("from") or f"{today:%Y-%m}-01")
        end = dt.date.fromisoformat(request.query_params.get("to") or today.isoformat())
    except ValueError:
        raise InvalidInput("Ngày báo cáo không hợp lệ (dạng yyyy-mm-dd)") from None
    return start, end


async def report_page(staff: Staff, request: Request) -> Response:
    """Figures of a period (default: this month so far); ``?format=csv`` downloads them."""
    staff.require(request, Action.VIEW_REPORTS)
    now = staff.clock()
    try:
        start, end = _period(request, to_local(now).date())
        report = await run_in_threadpool(make_report, staff.store, start=start, end=end, at=now)
    except InvalidInput as exc:
        return staff.render(request, "error.html", 400, title="Báo cáo", message=str(exc))
    if request.query_params.get("format") == "csv":
        name = f"bao-cao-{start}-{end}.csv"
        return Response(
            report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
    late = (Timeliness.LATE, Timeliness.OVERDUE)
    bars = [(_TIMELINESS[t], n, t in late) for t, n in report.by_timeliness]
    top = max([n for _, n, _ in bars] + [1])
    return staff.render(
        request, "reports.html", report=report, rows=report_rows(report), bars=bars, top=top
    )
