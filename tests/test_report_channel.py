"""Channel figures in reports (issue #12): followers, posts, article views from the Zalo ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._staff import StaffDesk

from tthc_adapters.cli import main
from tthc_adapters.staff._reports import NO_FIGURES, make_report, report_rows
from tthc_adapters.storage import MemoryStore, PostgresStore, SqliteStore
from tthc_adapters.zalo import Article, Ledger, LedgerChannelFigures, SqlSide, sql_side_for
from tthc_adapters.zalo._ledger import Feedback
from tthc_core.accounts import Role
from tthc_core.calendar import VN_TZ
from tthc_core.report import ChannelFigures
from tthc_core.testing.contracts import (
    ChannelFiguresContract,
    ChannelRecorder,
    MemoryChannelFigures,
)

Channel = tuple[ChannelFigures, ChannelRecorder]


class _LedgerRecorder:
    """Records through the ledger as ``tthc zalo broadcast`` / ``tthc zalo stats`` do."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def count_followers(self, total: int, at: dt.datetime) -> None:
        self._ledger.followers(total, at)

    def publish(self, article_id: str, at: dt.datetime, views: int) -> None:
        created = at - dt.timedelta(hours=1)
        self._ledger.article(Article(article_id, "Thông báo", created, views=views, views_at=at))
        self._ledger.broadcast(article_id, at)

    def rate(self, event_id: str, stars: int, at: dt.datetime) -> None:
        self._ledger.feedback(Feedback(event_id, "u-1", stars, "", "msg-1", at))


def _on(side: SqlSide) -> Channel:
    return LedgerChannelFigures(side), _LedgerRecorder(Ledger(side))


class TestMemoryChannelFigures(ChannelFiguresContract):
    @pytest.fixture
    def channel(self) -> Channel:
        fake = MemoryChannelFigures()
        return fake, fake


class TestSqliteChannelFigures(ChannelFiguresContract):
    @pytest.fixture
    def channel(self, tmp_path: Path) -> Iterator[Channel]:
        store = SqliteStore(tmp_path / "c.sqlite3")
        side = sql_side_for(store)
        assert side is not None
        yield _on(side)
        store.close()


class TestPostgresChannelFigures(ChannelFiguresContract):
    @pytest.fixture
    def channel(self, postgres_dsn: str, postgres_schema: str) -> Iterator[Channel]:
        store = PostgresStore(postgres_dsn, schema=postgres_schema)
        side = sql_side_for(store)
        assert side is not None
        yield _on(side)
        store.close()


def _rows(figures: list[list[str]]) -> dict[str, str]:
    return {item: value for section, item, value in figures if section == "Kênh Zalo OA"}


def test_a_report_without_zalo_figures_says_so_rather_than_zero() -> None:
    figures = make_report(
        MemoryStore(), start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30),
        at=dt.datetime(2026, 11, 30, 9, tzinfo=VN_TZ),
    )  # fmt: skip
    assert set(_rows(report_rows(figures)).values()) == {NO_FIGURES}


def test_the_report_rows_show_the_channel_figures() -> None:
    fake = MemoryChannelFigures()
    fake.count_followers(200, dt.datetime(2026, 10, 31, 20, tzinfo=VN_TZ))
    fake.count_followers(185, dt.datetime(2026, 11, 29, 8, tzinfo=VN_TZ))
    fake.publish("a", dt.datetime(2026, 11, 3, 8, tzinfo=VN_TZ), 120)
    fake.publish("b", dt.datetime(2026, 11, 20, 8, tzinfo=VN_TZ), 30)
    figures = make_report(
        MemoryStore(), start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30),
        at=dt.datetime(2026, 11, 30, 9, tzinfo=VN_TZ), channel=fake,
    )  # fmt: skip
    assert _rows(report_rows(figures)) == {
        "Người quan tâm cuối kỳ": "185",
        "Người quan tâm tăng/giảm trong kỳ": "-15",
        "Bài viết đã đăng": "2",
        "Lượt xem bài viết đã đăng trong kỳ": "150",
    }


def _record(store: SqliteStore) -> None:
    side = sql_side_for(store)
    assert side is not None
    recorder = _LedgerRecorder(Ledger(side))
    recorder.count_followers(40, dt.datetime(2026, 11, 2, 9, tzinfo=VN_TZ))
    recorder.count_followers(52, dt.datetime(2026, 11, 28, 9, tzinfo=VN_TZ))
    recorder.publish("a", dt.datetime(2026, 11, 5, 9, tzinfo=VN_TZ), 77)


def test_tthc_report_reads_the_ledger_of_its_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.sqlite3"
    store = SqliteStore(path)
    _record(store)
    store.close()
    db = f"sqlite:///{path}"
    assert main(["report", "--from", "2026-11-01", "--to", "2026-11-30", "--db", db, "--csv"]) == 0
    out = capsys.readouterr().out
    assert "Kênh Zalo OA,Người quan tâm cuối kỳ,52" in out
    assert f"Kênh Zalo OA,Người quan tâm tăng/giảm trong kỳ,{NO_FIGURES}" in out  # no count before
    assert "Kênh Zalo OA,Bài viết đã đăng,1" in out
    assert "Kênh Zalo OA,Lượt xem bài viết đã đăng trong kỳ,77" in out
    assert main(["report", "--from", "2026-12-01", "--to", "2026-12-31", "--db", db, "--csv"]) == 0
    december = capsys.readouterr().out  # figures exist: nothing new is 0, not "no figures"
    assert "Kênh Zalo OA,Người quan tâm cuối kỳ,52" in december
    assert "Kênh Zalo OA,Người quan tâm tăng/giảm trong kỳ,+0" in december
    assert "Kênh Zalo OA,Bài viết đã đăng,0" in december
    assert main(["report", "--from", "2026-12-01", "--to", "2026-12-31", "--db", db]) == 0
    assert "Người quan tâm cuối kỳ" in capsys.readouterr().out


def test_the_reports_page_and_csv_show_them(staff_desk: StaffDesk) -> None:
    staff_desk.login(Role.LEADER)
    params = {"from": "2026-11-01", "to": "2026-11-30"}
    page = staff_desk.client.get("/staff/reports", params=params)
    assert page.status_code == 200
    assert f"Người quan tâm cuối kỳ</td><td>{NO_FIGURES}" in page.text
    as_csv = staff_desk.client.get("/staff/reports", params={**params, "format": "csv"})
    assert f"Kênh Zalo OA,Lượt xem bài viết đã đăng trong kỳ,{NO_FIGURES}" in as_csv.text
