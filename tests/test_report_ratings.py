"""Citizens' ratings in reports: the Art. 13 indicators and Zalo's star ratings on their own line.

Circular 01/2018/TT-VPCP Art. 13-15: indicators 1, 3, 4 and 7 are the
citizen's, each the mean over the dossiers rated, to one decimal. Zalo's
``user_feedback`` stars rate the Official Account (no dossier attached): the
page, the CSV and ``tthc report`` show their count and mean as their own line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._staff import StaffDesk

from tthc_adapters.cli import main
from tthc_adapters.staff._reports import (
    ART13,
    NO_FIGURES,
    ZALO_STARS,
    make_report,
    report_rows,
)
from tthc_adapters.storage import MemoryStore, PostgresStore, SqliteStore
from tthc_adapters.zalo import Ledger, LedgerChannelFigures, sql_side_for
from tthc_adapters.zalo._ledger import Feedback
from tthc_core.accounts import Role
from tthc_core.calendar import VN_TZ
from tthc_core.desk import RATINGS
from tthc_core.rating import Question, Rating, RatingTopic
from tthc_core.report import ChannelFigures
from tthc_core.storage import Store
from tthc_core.testing.contracts import MemoryChannelFigures

NOV = {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 30)}
AT = dt.datetime(2026, 11, 30, 9, tzinfo=VN_TZ)


def _vn(day: int, hour: int = 9, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VN_TZ)


def _rating(subject: str, scores: dict[Question, int], at: dt.datetime) -> Rating:
    return Rating(
        key=f"zalo:u:{subject}", topic=RatingTopic.DOSSIER, subject=subject, asked_at=at,
        scores=tuple(scores.items()), answered_at=at,
    )  # fmt: skip


def _record_ratings(store: Store) -> None:
    full = {Question.LIKE: 1, Question.TIME: 2, Question.CONTACTS: 1, Question.AGENCIES: 1,
            Question.ATTITUDE: 2}  # fmt: skip
    with store.unit_of_work() as uow:
        repo = uow.repository(RATINGS)
        repo.save(_rating("A", full, _vn(3)))
        repo.save(_rating("B", {**full, Question.TIME: 1, Question.ATTITUDE: 1}, _vn(20)))
        repo.save(_rating("C", {Question.LIKE: 0}, _vn(21)))  # liked only: no indicator
        repo.save(_rating("D", {**full, Question.TIME: 0}, _vn(2, month=12)))  # next month
        uow.commit()


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store_and_figures(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Store, ChannelFigures]]:
    if request.param == "memory":
        fake = MemoryChannelFigures()
        for n, (stars, at) in enumerate([(5, _vn(4)), (4, _vn(28)), (1, _vn(1, month=12))]):
            fake.rate(f"f{n}", stars, at)
        yield MemoryStore(), fake
        return
    if request.param == "sqlite":
        store: SqliteStore | PostgresStore = SqliteStore(tmp_path / "r.sqlite3")
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        store = PostgresStore(dsn, schema=request.getfixturevalue("postgres_schema"), max_size=2)
    side = sql_side_for(store)
    assert side is not None
    ledger = Ledger(side)
    for n, (stars, at) in enumerate([(5, _vn(4)), (4, _vn(28)), (1, _vn(1, month=12))]):
        ledger.feedback(Feedback(f"f{n}", "u-1", stars, "", f"m{n}", at))
    ledger.feedback(Feedback("f1", "u-1", 4, "", "m1", _vn(28)))  # redelivered: counted once
    yield store, LedgerChannelFigures(side)
    store.close()


def _section(rows: list[list[str]], section: str) -> dict[str, str]:
    return {item: value for s, item, value in rows if s == section}


def test_the_report_shows_art13_means_and_zalo_stars_on_every_store(
    store_and_figures: tuple[Store, ChannelFigures],
) -> None:
    store, figures = store_and_figures
    _record_ratings(store)
    rows = report_rows(make_report(store, **NOV, at=AT, channel=figures))
    art13 = _section(rows, ART13)
    assert art13["Hồ sơ được đánh giá qua chat"] == "2"
    assert art13["Chỉ số 1: Thời gian giải quyết so với giấy hẹn?"] == "1.5/2 điểm"
    assert art13["Chỉ số 3: Ông/bà phải bổ sung hồ sơ mấy lần?"] == "1.0/2 điểm"
    assert art13["Chỉ số 7: Thái độ của cán bộ?"] == "1.5/2 điểm"
    assert _section(rows, ZALO_STARS) == {
        "Số lượt đánh giá": "2",
        "Số sao trung bình (1-5)": "4.50/5",
    }
    december = report_rows(make_report(
        store, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31), at=AT, channel=figures
    ))  # fmt: skip
    assert _section(december, ZALO_STARS)["Số lượt đánh giá"] == "1"
    assert _section(december, ART13)["Chỉ số 1: Thời gian giải quyết so với giấy hẹn?"] == (
        "0.0/2 điểm"
    )
    october = report_rows(make_report(
        store, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31), at=AT, channel=figures
    ))  # fmt: skip
    assert _section(october, ZALO_STARS) == {
        "Số lượt đánh giá": "0",
        "Số sao trung bình (1-5)": "—",
    }
    assert _section(october, ART13)["Chỉ số 7: Thái độ của cán bộ?"] == "—"


def test_without_a_channel_the_stars_say_no_figures() -> None:
    rows = report_rows(make_report(MemoryStore(), **NOV, at=AT))
    assert set(_section(rows, ZALO_STARS).values()) == {NO_FIGURES}


def test_tthc_report_and_the_page_show_the_zalo_stars(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], staff_desk: StaffDesk
) -> None:
    path = tmp_path / "r.sqlite3"
    store = SqliteStore(path)
    _record_ratings(store)
    side = sql_side_for(store)
    assert side is not None
    Ledger(side).feedback(Feedback("f9", "u-1", 3, "Được", "m9", _vn(10)))
    store.close()
    db = f"sqlite:///{path}"
    assert main(["report", "--from", "2026-11-01", "--to", "2026-11-30", "--db", db, "--csv"]) == 0
    out = capsys.readouterr().out
    assert f"{ZALO_STARS},Số lượt đánh giá,1" in out
    assert f"{ZALO_STARS},Số sao trung bình (1-5),3.00/5" in out
    assert f"{ART13},Chỉ số 4: Ông/bà phải liên hệ những nơi nào?,1.0/2 điểm" in out
    staff_desk.login(Role.LEADER)
    page = staff_desk.client.get("/staff/reports", params={"from": "2026-11-01"})
    assert page.status_code == 200
    assert 'id="ratings"' in page.text
    assert ZALO_STARS in page.text
