"""``tthc catalog import`` (CSV, JSON, the sample) and ``tthc user add``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tthc_adapters.catalogue_io import load_catalogue, parse_catalogue, sample_catalogue
from tthc_adapters.cli import main
from tthc_adapters.staff import PasswordHasher
from tthc_adapters.storage import accounts_for, open_store, tokens_for
from tthc_core.accounts import Role
from tthc_core.calendar import Duration
from tthc_core.catalogue import CopyType, OnlineLevel
from tthc_core.errors import InvalidInput

ROW = {
    "code": "1.001193",
    "name": "Đăng ký khai sinh",
    "sector": "Hộ tịch",
    "processing": "8h",
    "steps": "Công chức Tư pháp - Hộ tịch=6h|Lãnh đạo UBND xã=2h",
    "documents": "Tờ khai:original:1|Giấy chứng sinh:certified_copy:2",
    "fees": "Lệ phí=0",
    "fee_exemption": "Miễn khi đúng hạn",
    "postal_intake": "true",
    "postal_return": "false",
    "online_level": "full",
    "source": "Luật Hộ tịch 2014 Điều 16",
}


def test_a_row_becomes_a_procedure() -> None:
    (procedure,) = parse_catalogue([ROW], origin="t")
    assert str(procedure.code) == "1.001193"
    assert procedure.processing_time == Duration.working_hours(8)
    assert [s.allowance for s in procedure.steps] == [
        Duration.working_hours(6),
        Duration.working_hours(2),
    ]
    assert procedure.documents[1].copy_type is CopyType.CERTIFIED_COPY
    assert procedure.documents[1].count == 2
    assert procedure.fees[0].name == "Lệ phí (Miễn khi đúng hạn)"
    assert (procedure.postal_intake, procedure.postal_return) == (True, False)
    assert procedure.online_level is OnlineLevel.FULL


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"source": " "}, "public source"),
        ({"processing": "3w"}, "3d"),
        ({"processing": "d"}, "3d"),
        ({"steps": "A=1h"}, "sum to 1"),
        ({"documents": "Tờ khai:photo:1"}, "name:copy_type:count"),
        ({"fees": "Lệ phí=mười"}, "name=amount"),
        ({"postal_return": "có"}, "true or false"),
        ({"online_level": "4"}, "row 1"),
        ({"code": "1.1"}, "row 1"),
    ],
)
def test_a_bad_row_names_its_fault(change: dict[str, str], reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        parse_catalogue([ROW | change], origin="t")


def test_a_missing_column_is_named() -> None:
    row = dict(ROW)
    del row["sector"]
    with pytest.raises(InvalidInput, match="'sector' is missing"):
        parse_catalogue([row], origin="t")


def test_csv_and_json_files(tmp_path: Path) -> None:
    as_json = tmp_path / "c.json"
    as_json.write_text(json.dumps([ROW]), encoding="utf-8")
    as_csv = tmp_path / "c.csv"
    buffer = io.StringIO()
    import csv

    writer = csv.DictWriter(buffer, fieldnames=list(ROW))
    writer.writeheader()
    writer.writerow(ROW)
    as_csv.write_text(buffer.getvalue(), encoding="utf-8")
    assert load_catalogue(as_json) == load_catalogue(as_csv)
    for name, text, reason in [
        ("x.txt", "", ".csv or .json"),
        ("x.json", "{", "not valid JSON"),
        ("x.json", '{"a": 1}', "list of objects"),
    ]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(InvalidInput, match=reason):
            load_catalogue(tmp_path / name)
    with pytest.raises(InvalidInput, match="cannot read"):
        load_catalogue(tmp_path / "absent.csv")


def test_the_sample_is_real_commune_procedures_with_sources() -> None:
    procedures = sample_catalogue()
    assert len(procedures) >= 6
    codes = {p.code.national for p in procedures}
    assert {"1.001193", "2.000635", "2.000908"} <= codes  # codes of the reference notes
    for procedure in procedures:
        assert procedure.documents, procedure.code
        assert procedure.steps, procedure.code  # officers can hand it along
        assert procedure.fees, procedure.code


def test_catalog_import_then_user_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = f"sqlite:///{tmp_path / 't.sqlite3'}"
    assert main(["catalog", "import", "--sample", "--db", db]) == 0
    assert f"imported {len(sample_catalogue())} procedures" in capsys.readouterr().out
    assert main(["catalog", "import", "--db", db]) == 2  # neither file nor --sample

    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-du-dai-2026\n"))
    args = ["user", "add", "motcua", "--name", "Trần Văn Nam", "--role", "desk"]
    assert main([*args, "--unit", "Bộ phận Một cửa", "--db", db, "--password-stdin"]) == 0
    store = open_store(db)
    try:
        account = accounts_for(store).get("motcua")
        with store.unit_of_work() as uow:
            assert len(uow.catalogue.all()) == len(sample_catalogue())
    finally:
        store.close()
    assert account is not None
    assert account.role is Role.DESK
    assert account.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(account.password_hash, "mat-khau-du-dai-2026")

    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-du-dai-2026\n"))
    assert main([*args, "--unit", "X", "--db", db, "--password-stdin"]) == 2
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    assert main(["user", "add", "khac", "--name", "A", "--role", "desk", "--unit", "X",
                 "--db", db, "--password-stdin"]) == 2  # fmt: skip
    assert "at least 12" in capsys.readouterr().err

    assert main(["user", "token", "motcua", "--label", "Cổng tỉnh", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("tthc_")
    store = open_store(db)
    try:
        (issued,) = tokens_for(store).for_user("motcua")
    finally:
        store.close()
    assert token.split(".", 1)[1] not in issued.secret_digest
    assert main(["user", "token", "khong-co", "--label", "x", "--db", db]) == 2

    token_id = token.removeprefix("tthc_").split(".")[0]
    assert main(["user", "revoke", token, "--db", db]) == 0
    assert main(["user", "revoke", "khong-co", "--db", db]) == 2
    assert main(["user", "disable", "motcua", "--db", db]) == 0
    assert main(["user", "disable", "khong-co", "--db", db]) == 2
    store = open_store(db)
    try:
        disabled = accounts_for(store).get("motcua")
        revoked = tokens_for(store).get(token_id)
    finally:
        store.close()
    assert disabled is not None
    assert not disabled.active
    assert revoked is not None
    assert revoked.revoked
