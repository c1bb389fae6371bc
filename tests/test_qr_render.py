"""QR rendering (segno, qrcode): version ≤ 5 at level M+; render → rasterise → read → verify."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from tthc_adapters.qr import (
    MAX_VERSION,
    QrcodeRenderer,
    QrRenderer,
    QrTooLarge,
    SegnoRenderer,
    ZxingReader,
)
from tthc_core.errors import InvalidInput
from tthc_core.receipt import (
    PayloadForm,
    Receipt,
    ReceiptCodec,
    ReceiptPayload,
    StaticKeyRing,
    Verdict,
)
from tthc_core.testing.strategies import key_rings, receipt_codecs, receipt_payloads, receipts

RENDERERS: tuple[QrRenderer, ...] = (SegnoRenderer(), QrcodeRenderer())
renderers = st.sampled_from(RENDERERS)
forms = st.sampled_from(PayloadForm)


def rasterise_svg(svg: bytes, pixels: int) -> Image.Image:
    """Rasterise an SVG with resvg (``dpi`` makes millimetre sizes resolve)."""
    resvg = pytest.importorskip("resvg_py", reason="resvg-py (dev extra) rasterises SVG")
    png = resvg.svg_to_bytes(svg_string=svg.decode("utf-8"), background="#ffffff", dpi=96.0)
    image = Image.open(io.BytesIO(bytes(png))).convert("L")
    return image.resize((pixels, round(pixels * image.height / image.width)))


@given(receipt_codecs(), receipt_payloads(), forms, renderers)
def test_symbols_are_regular_qr_version_5_or_less_at_m_or_better(
    codec: ReceiptCodec, payload: ReceiptPayload, form: PayloadForm, renderer: QrRenderer
) -> None:
    symbol = renderer.symbol(codec.encode(payload, form))
    assert symbol.version <= MAX_VERSION
    assert symbol.error in ("M", "Q", "H")
    assert symbol.size == 17 + 4 * symbol.version  # a regular QR, never Micro QR (11-17 modules)


@pytest.mark.parametrize("renderer", RENDERERS, ids=lambda r: r.name)
def test_oversized_payloads_are_refused(renderer: QrRenderer) -> None:
    with pytest.raises(QrTooLarge):
        renderer.symbol("X" * 200)


@settings(max_examples=12)
@given(receipts(), key_rings(), receipt_codecs(), forms)
def test_render_rasterise_read_verify_round_trips(
    receipt: Receipt, ring: StaticKeyRing, codec: ReceiptCodec, form: PayloadForm
) -> None:
    payload = codec.sign(receipt.dossier_code, ring)
    text = codec.encode(payload, form)
    reader = ZxingReader(codec, ring)
    for renderer in RENDERERS:
        png = renderer.png(text, scale=4)
        assert png.startswith(b"\x89PNG")
        svg = renderer.svg(text, scale=4)
        assert b"<svg" in svg
        for image in (png, rasterise_svg(svg, 320)):
            read = reader.read(image)
            assert read.payload == payload
            assert read.text == text
            assert codec.verify(read.payload, ring).verdict is Verdict.VALID


def test_segno_and_qrcode_encode_the_same_text() -> None:
    text = "TTHC:000.00.15.H12-240307-0005/1.K1.AAAAAAAAAAAAAAAA"
    reader = ZxingReader(ReceiptCodec("tracuu.example.gov.vn"), StaticKeyRing([]))
    assert {reader.texts(r.png(text)) for r in RENDERERS} == {(text,)}


@pytest.mark.parametrize("error", ["m", "q", "h"])
def test_segno_renders_at_least_the_asked_level(error: str) -> None:
    text = "TTHC:000.00.15.H12-240307-0005/1.K1.AAAAAAAAAAAAAAAA"
    symbol = SegnoRenderer(error=error).symbol(text)
    assert "MQH".index(symbol.error) >= "MQH".index(error.upper())


@pytest.mark.parametrize("error", ["l", "x", ""])
def test_segno_refuses_levels_below_m(error: str) -> None:
    with pytest.raises(InvalidInput):
        SegnoRenderer(error=error)
