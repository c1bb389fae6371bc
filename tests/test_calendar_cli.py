"""``tthc calendar``: years, provisional years and local overrides (issue #10, item 2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tthc_adapters.calendar_file import parse_calendar_file
from tthc_adapters.cli import main
from tthc_adapters.cli._calendar import calendar_report
from tthc_adapters.cli._service import calendar_from

LOCAL = """
[[days]]
date = 2026-12-31
state = "off"
name = "Nghỉ theo quyết định của UBND tỉnh (ví dụ)"
source = "Quyết định .../QĐ-UBND (ví dụ)"
"""


def test_the_report_lists_years_sources_provisional_years_and_overrides() -> None:
    local = parse_calendar_file(LOCAL, origin="dak-lak.toml")
    text = calendar_report(local, today=dt.date(2026, 11, 28), year=2026)
    assert "2026  đã công bố  Thông báo 9441/TB-BNV" in text
    assert "2028  dự kiến" in text
    assert "Năm dự kiến: 2027, 2028" in text
    assert "Ngày riêng của địa phương (dak-lak.toml):" in text
    assert "31/12/2026 Thứ Năm   nghỉ      Nghỉ theo quyết định" in text
    assert "22/08/2026 Thứ Bảy   làm việc  Làm bù cho thứ Hai 31/8/2026" in text


def test_a_provisional_year_lists_its_forecast_days_as_such() -> None:
    text = calendar_report(None, today=dt.date(2026, 11, 28), year=2027)
    assert "Năm 2027 (dự kiến)" in text
    assert "[holidays, dự kiến]" in text
    assert "Ngày riêng của địa phương (không có tệp):" in text


def test_the_command_reads_the_province_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "calendar.toml"
    path.write_text(LOCAL, encoding="utf-8")
    assert main(["calendar", "--file", str(path), "--until", "2027"]) == 0
    out = capsys.readouterr().out
    assert "31/12/2026" in out
    assert "2027  dự kiến" in out


def test_an_invalid_province_file_stops_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "calendar.toml"
    path.write_text('[[days]]\ndate = 2026-12-26\nstate = "off"\nsource = "x"\n', encoding="utf-8")
    assert main(["calendar", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert "days[0]" in err
    assert "weekend day" in err


def test_serve_loads_the_calendar_file_named_by_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "calendar.toml"
    path.write_text(LOCAL, encoding="utf-8")
    assert calendar_from(None, {}) is None
    loaded = calendar_from(None, {"TTHC_CALENDAR_FILE": str(path)})
    assert loaded is not None
    assert loaded.days[0].day == dt.date(2026, 12, 31)
    assert calendar_from(path, {"TTHC_CALENDAR_FILE": "/nonexistent"}) == loaded
