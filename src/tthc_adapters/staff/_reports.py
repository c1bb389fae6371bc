"""The reports page, its CSV export and the rows ``tthc report`` prints."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator, Mapping

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff
from tthc_adapters.staff._queues import all_dossiers
from tthc_adapters.storage._chat_log import inbound_chat
from tthc_core.accounts import Action
from tthc_core.calendar import VN_TZ, to_local
from tthc_core.complaint import Case, CaseCounts, CaseKind, statistics
from tthc_core.desk import RATINGS
from tthc_core.dossier import Timeliness
from tthc_core.errors import InvalidInput
from tthc_core.kpi766 import NOT_COMPUTED, ChatFigures, Indicator, chat_figures, indicators
from tthc_core.rating import QUESTIONS, Question, Rating
from tthc_core.report import (
    ChannelFigures,
    ChannelReport,
    DossierReport,
    StarRatings,
    art13_scores,
    channel_report,
    dossier_report,
)
from tthc_core.storage import Store, UnitOfWork
from tthc_core.storage.kinds import COMPLAINTS

__all__ = [
    "NO_FIGURES",
    "Figures",
    "channel_rows",
    "make_report",
    "rating_rows",
    "report_csv",
    "report_page",
    "report_rows",
]


@attrs.frozen
class Figures:
    """A period's figures: dossiers, cases by kind, the Decision 766 indicators, chat, channel."""

    dossiers: DossierReport
    cases: Mapping[CaseKind, CaseCounts]
    indicators: tuple[Indicator, ...] = ()
    chat: ChatFigures = attrs.field(factory=ChatFigures)
    channel: ChannelReport | None = None
    ratings: tuple[Rating, ...] = ()


def make_report(
    store: Store,
    *,
    start: dt.date,
    end: dt.date,
    at: dt.datetime,
    channel: ChannelFigures | None = None,
) -> Figures:
    """The figures of ``store`` for the Vietnam days ``start`` to ``end`` (both included).

    ``channel``: followers, posts and article views (default: the Zalo ledger on
    ``store``'s database; none for a memory store).
    """
    lo = dt.datetime.combine(start, dt.time(), tzinfo=VN_TZ)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ)
    with store.unit_of_work() as uow:
        every = list(all_dossiers(uow))
        dossiers = dossier_report(every, start=start, end=end, at=at)
        cases = list(_all_cases(uow))
        counts = statistics(cases, lo, hi)
        kpis = indicators(every, cases, uow.catalogue.all(), start=start, end=end, at=at)
        rated = tuple(_ratings(uow, lo, hi))
    chat = chat_figures(inbound_chat(store, start=lo, end=hi))
    source = channel if channel is not None else _ledger_figures(store)
    followers = (
        ChannelReport(start, end)
        if source is None
        else channel_report(source, start=start, end=end)
    )
    by_kind: dict[CaseKind, Counter[str]] = {}
    for (kind, _), tally in counts.items():
        by_kind.setdefault(kind, Counter()).update(attrs.asdict(tally))
    by_kind_counts = {k: CaseCounts(**dict(c)) for k, c in by_kind.items()}
    return Figures(dossiers, by_kind_counts, kpis, chat, followers, rated)


def _ledger_figures(store: Store) -> ChannelFigures | None:
    try:
        from tthc_adapters.zalo._figures import channel_figures_for
    except ImportError:  # the zalo extra is not installed: no channel figures
        return None
    return channel_figures_for(store)


def _ratings(uow: UnitOfWork, lo: dt.datetime, hi: dt.datetime) -> Iterator[Rating]:
    """The ratings last answered in ``[lo, hi)``."""
    after: str | None = None
    while page := uow.repository(RATINGS).page(after=after, limit=500):
        yield from (r for r in page if r.answered_at is not None and lo <= r.answered_at < hi)
        after = page[-1].key


def _all_cases(uow: UnitOfWork) -> Iterator[Case]:
    after: str | None = None
    while page := uow.repository(COMPLAINTS).page(after=after, limit=500):
        yield from page
        after = page[-1].case_id


_TIMELINESS = {
    Timeliness.EARLY: "Đã giải quyết trước hạn",
    Timeliness.ON_TIME: "Đã giải quyết đúng hạn",
    Timeliness.LATE: "Đã giải quyết quá hạn",
    Timeliness.IN_TIME: "Đang giải quyết trong hạn",
    Timeliness.OVERDUE: "Đang giải quyết quá hạn",
}


_CASE_FIGURES = (
    ("received", "tiếp nhận"),
    ("handled", "đã giải quyết"),
    ("handled_in_time", "giải quyết đúng hạn"),
    ("handled_late", "giải quyết quá hạn"),
    ("pending", "đang giải quyết"),
    ("overdue", "quá hạn chưa giải quyết"),
)


def report_rows(figures: Figures) -> list[list[str]]:
    """The figures as rows (section, item, count), for CSV and the command line."""
    rows = _dossier_rows(figures.dossiers)
    for kind in CaseKind:
        counts = figures.cases.get(kind, CaseCounts())
        rows += [[kind.label_vi, what, str(getattr(counts, name))] for name, what in _CASE_FIGURES]
    rows += _kpi_rows(figures) + rating_rows(figures)
    return rows + _chat_rows(figures.chat) + channel_rows(figures.channel)


def _share(indicator: Indicator) -> str:
    value = indicator.value
    shown = "—" if value is None else f"{value:.1%}"
    return f"{indicator.numerator}/{indicator.denominator} ({shown})"


def _kpi_rows(figures: Figures) -> list[list[str]]:
    rows = [[f"Chỉ số {k.code} (QĐ 766)", k.name_vi, _share(k)] for k in figures.indicators]
    rows += [[f"Chỉ số {n.code} (QĐ 766)", n.name_vi, "không tính được: " + n.why]
             for n in NOT_COMPUTED]  # fmt: skip
    return rows


def _chat_rows(chat: ChatFigures) -> list[list[str]]:
    return [
        ["Kênh chat", "Tin nhắn nhận được", str(chat.received)],
        ["Kênh chat", "Tin nhắn đã trả lời", str(chat.answered)],
        ["Kênh chat", "Người quan tâm mới", str(chat.follows)],
        ["Kênh chat", "Bỏ quan tâm", str(chat.unfollows)],
    ]


NO_FIGURES = "chưa có số liệu"


def _figure(value: int | None, *, signed: bool = False) -> str:
    if value is None:
        return NO_FIGURES
    return f"{value:+d}" if signed else str(value)


def channel_rows(channel: ChannelReport | None) -> list[list[str]]:
    """Followers at the end of the period and their change, posts, article views."""
    found = channel or ChannelReport(dt.date.min, dt.date.min)
    return [
        ["Kênh Zalo OA", "Người quan tâm cuối kỳ", _figure(found.followers)],
        ["Kênh Zalo OA", "Người quan tâm tăng/giảm trong kỳ",
         _figure(found.followers_change, signed=True)],
        ["Kênh Zalo OA", "Bài viết đã đăng", _figure(found.posts)],
        ["Kênh Zalo OA", "Lượt xem bài viết đã đăng trong kỳ", _figure(found.article_views)],
    ]  # fmt: skip


ART13 = "Đánh giá của người dân (Điều 13 TT 01/2018)"
ZALO_STARS = "Đánh giá sao trên Zalo OA (không gắn hồ sơ)"
_INDICATORS = (Question.TIME, Question.CONTACTS, Question.AGENCIES, Question.ATTITUDE)


def rating_rows(figures: Figures) -> list[list[str]]:
    """The Art. 13 indicators citizens rated (0-2 points each), then Zalo's own star ratings.

    Circular 01/2018/TT-VPCP Art. 13-15: indicators 1, 3, 4 and 7 are the
    citizen's, each the mean over the dossiers rated, to one decimal. Zalo's
    ``user_feedback`` stars rate the Official Account, not a dossier: their own
    line, never mixed into the indicators.
    """
    scores = art13_scores(figures.ratings)
    rated = sum(1 for r in figures.ratings if r.score(Question.TIME) is not None)
    rows = [[ART13, "Hồ sơ được đánh giá qua chat", str(rated)]]
    rows += [
        [ART13, f"Chỉ số {q.value}: {QUESTIONS[q][0]}",
         "—" if scores[q] is None else f"{scores[q]:.1f}/2 điểm"]
        for q in _INDICATORS
    ]  # fmt: skip
    stars = None if figures.channel is None else figures.channel.stars
    return [*rows, *_star_rows(stars)]


def _star_rows(stars: StarRatings | None) -> list[list[str]]:
    if stars is None:
        return [[ZALO_STARS, "Số lượt đánh giá", NO_FIGURES],
                [ZALO_STARS, "Số sao trung bình (1-5)", NO_FIGURES]]  # fmt: skip
    average = "—" if stars.average is None else f"{stars.average:.2f}/5"
    return [[ZALO_STARS, "Số lượt đánh giá", str(stars.count)],
            [ZALO_STARS, "Số sao trung bình (1-5)", average]]  # fmt: skip


def _dossier_rows(report: DossierReport) -> list[list[str]]:
    rows = [["Kỳ báo cáo", f"{report.start:%d/%m/%Y} - {report.end:%d/%m/%Y}", ""]]
    rows.append(["Tổng số", "Hồ sơ tiếp nhận", str(report.received)])
    rows += [["Trạng thái", s.label_vi, str(n)] for s, n in report.by_state if n]
    rows += [["Tiến độ", _TIMELINESS[t], str(n)] for t, n in report.by_timeliness]
    rate = report.on_time_rate
    rows.append(["Tỷ lệ đúng hạn", "Đã giải quyết đúng hoặc trước hạn",
                 "—" if rate is None else f"{rate:.1%}"])  # fmt: skip
    return rows


def report_csv(figures: Figures) -> str:
    """The figures as CSV (UTF-8, with a byte-order mark so spreadsheets read Vietnamese)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Mục", "Nội dung", "Số lượng"], *report_rows(figures)])
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
        figures = await run_in_threadpool(make_report, staff.store, start=start, end=end, at=now)
    except InvalidInput as exc:
        return staff.render(request, "error.html", 400, title="Báo cáo", message=str(exc))
    if request.query_params.get("format") == "csv":
        name = f"bao-cao-{start}-{end}.csv"
        return Response(
            report_csv(figures),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
    late = (Timeliness.LATE, Timeliness.OVERDUE)
    report = figures.dossiers
    bars = [(_TIMELINESS[t], n, t in late) for t, n in report.by_timeliness]
    top = max([n for _, n, _ in bars] + [1])
    return staff.render(
        request,
        "reports.html",
        report=report,
        rows=report_rows(figures),
        bars=bars,
        top=top,
        indicators=figures.indicators,
        not_computed=NOT_COMPUTED,
        chat=figures.chat,
        channel=channel_rows(figures.channel),
        ratings=rating_rows(figures),
        cases=figures.cases,
    )
