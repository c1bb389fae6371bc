"""Reading receipt QRs from photos: verified reads, one exception family, bad files typed."""

from __future__ import annotations

import datetime as dt
import io
import struct
import time
import zlib

import attrs
import pytest
import segno
from PIL import Image

from tthc_adapters.qr import (
    ForgedReceipt,
    ImageTooLarge,
    NoReceiptQr,
    NotAnImage,
    NotOurReceipt,
    ReceiptScanError,
    SegnoRenderer,
    TruncatedImage,
    UnknownReceiptKey,
    UnreadableImage,
    ZxingReader,
)
from tthc_adapters.qr._budget import Clock
from tthc_adapters.qr.testing import receipt_page
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.receipt import (
    ReceiptCodec,
    ReceiptKey,
    ReceiptPayload,
    StaticKeyRing,
    VietQrPayment,
    build_vietqr,
)

CODEC = ReceiptCodec("tracuu.example.gov.vn/hs")
RING = StaticKeyRing([ReceiptKey("K1", bytes(range(32)))])
READER = ZxingReader(CODEC, RING)
VIETQR = build_vietqr(
    VietQrPayment(bank_bin="970403", account="0011012345678", amount_vnd=8000, bill_number="HS1")
)


def qr_png(text: str, scale: int = 1) -> bytes:
    """Any QR (the VietQR needs more than version 5), at ``scale`` pixels per module."""
    out = io.BytesIO()
    segno.make_qr(text).save(out, kind="png", scale=scale)
    return out.getvalue()


def signed(sequence: int = 1) -> tuple[str, ReceiptPayload]:
    code = DossierCode(AgencyCode("000.24.31.H15"), dt.date(2026, 11, 27), sequence)
    payload = CODEC.sign(code, RING)
    return CODEC.url(payload), payload


def encode(image: Image.Image, kind: str = "PNG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=kind, **options)
    return out.getvalue()


def test_reads_ours_next_to_a_vietqr() -> None:
    text, payload = signed()
    page = receipt_page(SegnoRenderer().png(text, scale=1), vietqr_png=qr_png(VIETQR))
    verified = READER.read(encode(page))
    assert verified.payload == payload
    assert verified.code == payload.code
    assert verified.text == text
    assert set(READER.texts(encode(page))) == {text, VIETQR}


def test_a_photo_with_only_other_codes_names_them() -> None:
    with pytest.raises(NotOurReceipt) as info:
        READER.read(qr_png(VIETQR, scale=6))
    assert info.value.others == (VIETQR,)
    assert info.value.kind == "not_ours"


def test_a_photo_without_any_code_is_reported() -> None:
    blank = encode(Image.new("L", (400, 300), 240))
    with pytest.raises(NoReceiptQr) as info:
        READER.read(blank)
    assert info.value.others == ()
    assert info.value.kind == "no_qr"


def test_a_malformed_code_with_our_prefix_is_forged() -> None:
    with pytest.raises(ForgedReceipt) as info:
        READER.read(qr_png("TTHC:NOT-A-CODE/1.K1.AAAAAAAAAAAAAAAA", scale=6))
    assert info.value.kind == "forged"


def test_a_forged_tag_raises_forged_with_the_payload() -> None:
    text, payload = signed(3)
    forged = text[:-4] + ("AAAA" if not text.endswith("AAAA") else "BBBB")
    with pytest.raises(ForgedReceipt) as info:
        READER.read(qr_png(forged, scale=6))
    assert info.value.payload is not None
    assert info.value.payload.code == payload.code
    # The unverified read decodes it all the same: it proves nothing.
    assert READER.read_unverified(qr_png(forged, scale=6)).code == payload.code


def test_a_tag_copied_onto_another_code_is_forged() -> None:
    _, first = signed(1)
    _, second = signed(2)
    moved = CODEC.url(attrs.evolve(second, tag=first.tag))
    with pytest.raises(ForgedReceipt):
        READER.read(qr_png(moved, scale=6))


def test_an_unknown_key_raises_unknown_key() -> None:
    other = StaticKeyRing([ReceiptKey("K9", bytes(range(1, 33)))])
    code = DossierCode(AgencyCode("000.24.31.H15"), dt.date(2026, 11, 27), 5)
    text = CODEC.url(CODEC.sign(code, other))
    with pytest.raises(UnknownReceiptKey) as info:
        READER.read(qr_png(text, scale=6))
    assert info.value.kind == "unknown_key"
    assert ZxingReader(CODEC, other).read(qr_png(text, scale=6)).code == code


def test_every_failure_is_one_family() -> None:
    for error in (ForgedReceipt, NoReceiptQr, NotOurReceipt, UnknownReceiptKey, UnreadableImage):
        assert issubclass(error, ReceiptScanError)
    with pytest.raises(ReceiptScanError) as info:
        READER.read(b"not an image")
    assert info.value.kind == "unreadable"


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("JPEG", {"quality": 90}),
        ("PNG", {}),
        ("BMP", {}),
        ("GIF", {}),
        ("WEBP", {"lossless": True}),
    ],
)
def test_reads_what_pillow_opens(kind: str, options: dict[str, object]) -> None:
    text, payload = signed(7)
    image = Image.open(io.BytesIO(SegnoRenderer().png(text, scale=6))).convert("RGB")
    assert READER.read(encode(image, kind, **options)).payload == payload
    assert READER.read(image).payload == payload


def _png_claiming(width: int, height: int) -> bytes:
    """A 1×1 PNG whose header claims ``width`` × ``height`` (a decompression bomb's shape)."""
    data = bytearray(encode(Image.new("L", (1, 1))))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_image_bombs_are_refused_before_decoding() -> None:
    with pytest.raises(ImageTooLarge):
        READER.read(_png_claiming(50_000, 50_000))
    with pytest.raises(ImageTooLarge):
        READER.read(_png_claiming(9_000, 9_000))  # 81 Mpx: under Pillow's limit, over ours


def test_oversized_files_are_refused() -> None:
    reader = ZxingReader(CODEC, RING, max_bytes=100)
    with pytest.raises(ImageTooLarge):
        reader.read(qr_png(VIETQR, scale=20))


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_truncated_files_are_typed(kind: str) -> None:
    text, _ = signed()
    whole = encode(Image.open(io.BytesIO(SegnoRenderer().png(text, scale=8))).convert("RGB"), kind)
    with pytest.raises(TruncatedImage):
        READER.read(whole[: len(whole) // 2])


@pytest.mark.parametrize("data", [b"", b"hello", b"%PDF-1.7\n", bytes(range(256))])
def test_non_images_are_typed(data: bytes) -> None:
    with pytest.raises(NotAnImage):
        READER.read(data)


def test_the_budget_counts_the_reading_threads_cpu_time_not_the_wall_clock() -> None:
    """Time the thread spends waiting (a loaded machine) does not spend the budget; the
    wall-clock ceiling still does."""
    waiting = Clock(budget_s=0.05, ceiling_s=5.0)
    time.sleep(0.1)
    assert waiting.fits("whole")
    waiting.cost["whole"] = 0.06
    assert not waiting.fits("whole")  # a pass costing more CPU than is left does not start
    ceiling = Clock(budget_s=5.0, ceiling_s=0.05)
    time.sleep(0.1)
    assert not ceiling.fits("whole")


def test_a_pass_is_expected_to_cost_its_last_wall_time_and_in_proportion_to_its_size() -> None:
    """A pass that waited (a busy machine) is expected to wait again: its wall time, not only
    its CPU time, is weighed against the ceiling; an upscaled pass (4x the pixels) is expected
    to cost four passes."""
    clock = Clock(budget_s=5.0, ceiling_s=0.45)
    clock.start()
    time.sleep(0.2)  # little CPU, much wall time
    clock.timed("whole")
    assert clock.cost["whole"] < 0.05
    assert not clock.fits("whole")  # 0.2 s spent + 1.5 x 0.2 s expected > 0.45 s
    sized = Clock(budget_s=0.5, ceiling_s=5.0)
    sized.cost["whole"] = 0.1
    assert sized.fits("whole")
    assert not sized.fits("whole", scale=6.0)
    sized.start()
    sized.timed("whole", scale=4.0)
    assert sized.cost["whole"] < 0.01  # recorded per unit of size
