"""`tthc receipt` (render PDF/PNG/SVG, read a photo), the A5 PDF, and receipt key loading."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tthc_adapters.bootstrap import DEMO_SETTINGS
from tthc_adapters.cli import main
from tthc_adapters.cli._receipt import sample_receipt
from tthc_adapters.qr import (
    DEMO_KEYS,
    ENV_VAR,
    SegnoRenderer,
    ZxingReader,
    load_key_ring,
    parse_keys,
    receipt_pdf,
)
from tthc_adapters.qr.testing import photograph
from tthc_core.codes import AgencyCode
from tthc_core.errors import InvalidInput
from tthc_core.receipt import Receipt, ReceiptCodec, Verdict
from tthc_core.serialization import converter

SECRET = "11" * 32
CODEC = ReceiptCodec(DEMO_SETTINGS.lookup_base)  # the CLI's default, as the demo's


@pytest.fixture(autouse=True)
def _no_ambient_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.delenv("TTHC_LOOKUP_BASE", raising=False)


def _pdf_pages(pdf: Path, out: Path, dpi: int = 200) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is needed to rasterise the PDF")
    subprocess.run(  # noqa: S603 - fixed tool, paths from tmp_path
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out / "page")],  # noqa: S607
        check=True,
    )
    return sorted(out.glob("page*.png"))


def test_render_pdf_then_read_a_photo_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "receipt.pdf"
    assert main(["receipt", "render", str(pdf), "--demo-key"]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = _pdf_pages(pdf, tmp_path)
    assert len(pages) == 1  # Mẫu 01 fits one A5 sheet
    scan = Image.open(pages[0])
    assert abs(scan.width / scan.height - 148 / 210) < 0.01
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(photograph(scan.convert("L"), "perspective", 0.35, seed=3))
    capsys.readouterr()
    assert main(["receipt", "read", str(photo), "--demo-key"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["verdict"] == "valid"
    assert result["dossier_code"] == str(sample_receipt().dossier_code)
    assert result["details_allowed"] is True


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_render_the_qr_alone(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"qr.{suffix}"
    assert main(["receipt", "render", str(out), "--demo-key", "--renderer", "qrcode"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in data


def test_read_with_another_key_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    qr = tmp_path / "qr.png"
    assert main(["receipt", "render", str(qr), "--demo-key"]) == 0
    monkeypatch.setenv(ENV_VAR, f"DEMO={SECRET}")
    capsys.readouterr()
    assert main(["receipt", "read", str(qr)]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["verdict"] == Verdict.TAMPERED.value
    assert "not authentic" in captured.err


def test_read_failures_are_clear_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not a photo")
    assert main(["receipt", "read", str(junk), "--demo-key"]) == 2
    assert "not an image" in capsys.readouterr().err
    assert main(["receipt", "read", str(junk)]) == 2
    assert "no receipt keys" in capsys.readouterr().err
    assert main(["receipt", "read", str(tmp_path / "missing.png"), "--demo-key"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_sample_json_renders_through_render_receipt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["receipt", "sample"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert converter.structure(data, Receipt) == sample_receipt()
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# receipt keys\nK1={SECRET}\n", encoding="utf-8")
    out = tmp_path / "r.pdf"
    assert main(["receipt", "render", str(out), "--receipt", str(path), "--keys", str(keys)]) == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"agency": 1}', encoding="utf-8")
    assert main(["receipt", "render", str(out), "--receipt", str(bad), "--demo-key"]) == 2


def test_pdf_embeds_the_unicode_font_and_is_a5(tmp_path: Path) -> None:
    receipt = sample_receipt()
    text = CODEC.url(CODEC.sign(receipt.dossier_code, parse_keys(DEMO_KEYS)))
    pdf = receipt_pdf(receipt, text)
    assert b"DejaVuSerifCondensed" in pdf
    assert b"/MediaBox [0 0 419.53 595.28]" in pdf or b"/MediaBox [0 0 419.5" in pdf
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    page = Image.open(_pdf_pages(path, tmp_path, dpi=150)[0])
    assert ZxingReader(CODEC, parse_keys(DEMO_KEYS)).read(page).code == receipt.dossier_code


def test_key_file_format() -> None:
    ring = parse_keys(
        f"""
        # installation keys, oldest first
        K1={SECRET}
        K2={"22" * 16}, 000.00.15.H12/A1={"33" * 32}  # one agency's own key
        """
    )
    assert [k.key_id for k in ring.keys] == ["K1", "K2", "A1"]
    assert ring.signing_key(AgencyCode("000.00.15.H12")).key_id == "A1"
    assert ring.signing_key(AgencyCode("000.00.16.H12")).key_id == "K2"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment",
        "K1",
        "K1=zz" + SECRET,
        "K1=" + "11" * 8,
        "BAD.ID=" + SECRET,
        "X/K1=" + SECRET,
    ],
)
def test_bad_key_text_is_refused_without_echoing_secrets(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_keys(text)
    assert SECRET not in str(info.value)


def test_key_sources_in_order(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(f"F1={SECRET}", encoding="utf-8")
    env = {ENV_VAR: f"E1={SECRET}"}
    assert load_key_ring(path, environ=env).keys[0].key_id == "F1"
    assert load_key_ring(environ=env).keys[0].key_id == "E1"
    assert load_key_ring(environ={}, demo=True).keys[0].key_id == "DEMO"
    with pytest.raises(InvalidInput, match=ENV_VAR):
        load_key_ring(environ={})
    with pytest.raises(InvalidInput, match="cannot read"):
        load_key_ring(tmp_path / "absent", environ={})


def test_demo_key_photo_of_the_qr_png(tmp_path: Path) -> None:
    """Sanity: a PNG written by the CLI is read back by the reader."""
    qr = tmp_path / "qr.png"
    assert main(["receipt", "render", str(qr), "--demo-key", "--form", "compact"]) == 0
    verified = ZxingReader(CODEC, parse_keys(DEMO_KEYS)).read(qr.read_bytes())
    assert verified.verification.verdict is Verdict.VALID
    assert Image.open(io.BytesIO(qr.read_bytes())).format == "PNG"


def test_read_a_pdf_directly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "receipt.pdf"
    assert main(["receipt", "render", str(pdf), "--demo-key"]) == 0
    capsys.readouterr()
    assert main(["receipt", "read", str(pdf), "--demo-key"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "valid"


def test_the_demo_receipt_reads_with_the_default_lookup_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tthc demo` writes its PDF with the demo desk's base; `receipt read` must accept it."""
    receipt = sample_receipt()
    ring = parse_keys(DEMO_KEYS)
    demo = ReceiptCodec(DEMO_SETTINGS.lookup_base)
    pdf = tmp_path / "demo.pdf"
    pdf.write_bytes(receipt_pdf(receipt, demo.url(demo.sign(receipt.dossier_code, ring))))
    capsys.readouterr()
    assert main(["receipt", "read", str(pdf), "--demo-key"]) == 0
    # Another desk's base (flag, or a settings file) does not accept it: no receipt of ours.
    assert main(["receipt", "read", str(pdf), "--demo-key", "--lookup-base", "a.example.vn"]) == 3
    assert "none of them a receipt" in capsys.readouterr().err


def test_settings_file_gives_the_lookup_base(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "desk.toml"
    settings.write_text(
        'agency_code = "000.24.31.H15"\nagency_name = "UBND"\nunit = "TTPVHCC"\n'
        'lookup_base = "tracuu.daklak.gov.vn/hs"\n[address]\nrecipient = "TTPVHCC"\n'
        'phone = "0262 3670 000"\nstreet = "Số 1"\nward_code = "24343"\nprovince_code = "66"\n',
        encoding="utf-8",
    )
    qr = tmp_path / "qr.png"
    assert main(["receipt", "render", str(qr), "--demo-key", "--settings", str(settings)]) == 0
    assert "TRACUU.DAKLAK.GOV.VN/HS/" in capsys.readouterr().out
    assert main(["receipt", "read", str(qr), "--demo-key", "--settings", str(settings)]) == 0
    assert main(["receipt", "read", str(qr), "--demo-key"]) == 3


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "blank.png"
    Image.new("L", (300, 200), 240).save(blank)
    assert main(["receipt", "read", str(blank), "--demo-key"]) == 3  # no QR
    assert "no QR code" in capsys.readouterr().err
    forged = tmp_path / "forged.png"
    text = CODEC.url(CODEC.sign(sample_receipt().dossier_code, parse_keys(DEMO_KEYS)))
    SegnoRenderer().build(text[:-4] + "AAAA").save(str(forged), scale=6)
    assert main(["receipt", "read", str(forged), "--demo-key"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["verdict"] == "tampered"
    assert main(["receipt", "read", str(forged), "--keys", str(tmp_path / "absent")]) == 2


def test_render_the_page_as_png(tmp_path: Path) -> None:
    out = tmp_path / "page.png"
    assert main(["receipt", "render", str(out), "--demo-key", "--png", "--dpi", "100"]) == 0
    page = Image.open(out)
    assert page.format == "PNG"
    assert abs(page.width / page.height - 148 / 210) < 0.01
    assert page.width == pytest.approx(148 / 25.4 * 100, abs=2)
    reader = ZxingReader(CODEC, parse_keys(DEMO_KEYS))
    assert reader.read(out.read_bytes()).code == sample_receipt().dossier_code
