"""The README's main job, ``tthc demo``, runs end to end on the embedded SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc_adapters.cli import main


def test_demo_walks_a_dossier_to_its_returned_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.sqlite3"
    assert main(["demo", "--db", str(db), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    code = "000.43.31.H15-261123-0001"
    assert f"Mã hồ sơ: {code}" in out
    assert "Hẹn trả kết quả: 09 giờ 15 phút, ngày 08/12/2026" in out  # 10 working days
    assert "Nguyễn Thị Hương" not in out.split("2. On Zalo")[1].split("3. Officers")[0]
    assert out.count("Đã xác thực Giấy tiếp nhận") == 1  # the redelivered event is answered once
    assert "Cước phí: 12.000 đồng" in out  # the operator's postage, shown before confirming
    assert "Đã đăng ký gửi kết quả hồ sơ" in out  # confirmed after the postage was shown
    # Outside the 7-day window the result-ready notice goes by ZNS to the shared phone.
    assert "→ [ZNS 8491…] demo-thong-bao-ho-so" in out
    assert "Zalo: 13 messages received on the citizen's phone, 0 not yet" in out
    assert "đã được giao đến người nhận" in out
    assert "Mời ông/bà đánh giá chất lượng giải quyết hồ sơ" in out  # asked once returned
    assert "Trạng thái: Đã trả kết quả (mã 10)" in out
    assert "(agrees with the stored dossier's)" in out
    assert "0 pending, 0 parked" in out
    assert db.exists()
    assert (tmp_path / f"{code}.pdf").read_bytes().startswith(b"%PDF")
    assert f"tthc serve --db {db} --demo-key" in out
    assert "http://127.0.0.1:8000/staff/" in out
    assert "demo.motcua" in out


def test_demo_refuses_to_overwrite_a_database(tmp_path: Path) -> None:
    db = tmp_path / "existing.sqlite3"
    db.write_bytes(b"")
    assert main(["demo", "--db", str(db)]) == 2
