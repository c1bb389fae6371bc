"""Receipt QR: symbol build vs raw segno, and photo reading vs raw zxing-cpp, in one run.

* ``build_ratio``: ``SegnoRenderer.build`` (make_qr plus the version/level
  check) over raw ``segno.make_qr`` with the same arguments; goal ≤ 1.1.
* ``read``: per degradation class and severity, the share of synthetic phone
  photos of rendered receipts (half of them also carrying a VietQR) from which
  ``ZxingReader.read`` returns the receipt payload, and the share where raw
  ``zxingcpp.read_barcodes`` finds its text. Goal: ours ≥ raw on every class,
  ≥ 99 % on moderate photos.
* ``read_ratio``: median over photos that raw zxing-cpp reads of
  (our read time / raw time), each from JPEG bytes; goal ≤ 1.5.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import time
from collections.abc import Callable
from functools import partial

import segno
import zxingcpp
from PIL import Image

from tthc_adapters.qr import SegnoRenderer, ZxingReader
from tthc_adapters.qr.testing import DEGRADATIONS, MODERATE, SEVERE, photograph, receipt_page
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.errors import TthcError
from tthc_core.receipt import (
    ReceiptCodec,
    ReceiptKey,
    StaticKeyRing,
    VietQrPayment,
    build_vietqr,
)

NAME = "receipt"
PER_CLASS = 20  # photos per class and severity

_CODEC = ReceiptCodec("tracuu.daklak.gov.vn/hs")
_RING = StaticKeyRing([ReceiptKey("K1", bytes(range(32)))])


def _best(fn: Callable[[], object], repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _payloads(n: int) -> list[str]:
    agencies = ("000.24.31.H15", "000.00.15.H12", "000.302.36.H05", "1234.00.101.H30")
    return [
        _CODEC.url(
            _CODEC.sign(
                DossierCode(
                    AgencyCode(agencies[i % 4]), dt.date(2026, 1 + i % 12, 1 + i % 28), i + 1
                ),
                _RING,
            )
        )
        for i in range(n)
    ]


def _build_ratio() -> dict[str, float]:
    renderer = SegnoRenderer()
    payloads = _payloads(60)
    ours, raw = [], []
    for _ in range(5):  # interleaved rounds; best round of each
        raw.append(_best(lambda: [segno.make_qr(p, error="m", boost_error=True) for p in payloads]))
        ours.append(_best(lambda: [renderer.build(p) for p in payloads]))
    return {
        "ours_ms_per_symbol": round(min(ours) / len(payloads) * 1e3, 3),
        "raw_segno_ms_per_symbol": round(min(raw) / len(payloads) * 1e3, 3),
        "ratio": round(min(ours) / min(raw), 3),
    }


def _vietqr_png() -> bytes:
    text = build_vietqr(
        VietQrPayment(bank_bin="970403", account="0011012345678", amount_vnd=8000, bill_number="HS")
    )
    out = io.BytesIO()
    segno.make_qr(text).save(out, kind="png", scale=1)
    return out.getvalue()


def _raw_read(photo: bytes) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(Image.open(io.BytesIO(photo)))]


def _read_suite() -> tuple[dict[str, dict[str, dict[str, float]]], list[float]]:
    reader = ZxingReader(_CODEC)
    renderer = SegnoRenderer()
    vietqr = _vietqr_png()
    payload_texts = _payloads(PER_CLASS)
    results: dict[str, dict[str, dict[str, float]]] = {}
    ratios: list[float] = []
    for kind in DEGRADATIONS:
        results[kind] = {}
        for label, severity in (("moderate", MODERATE), ("severe", SEVERE)):
            ours = raw = 0
            for i, text in enumerate(payload_texts):
                page = receipt_page(
                    renderer.png(text, scale=1), vietqr_png=vietqr if i % 2 else None
                )
                photo = photograph(page, kind, severity, seed=1000 * i + len(kind))
                expected = _CODEC.decode(text)
                raw_ok = text in _raw_read(photo)
                try:
                    ours_ok = reader.read(photo) == expected
                except TthcError:  # a failed read counts as a miss
                    ours_ok = False
                raw += raw_ok
                ours += ours_ok
                if raw_ok and ours_ok:
                    raw_time = _best(partial(_raw_read, photo))
                    ours_time = _best(partial(reader.read, photo))
                    ratios.append(ours_time / raw_time)
            results[kind][label] = {
                "photos": len(payload_texts),
                "ours_rate": round(ours / len(payload_texts), 3),
                "raw_rate": round(raw / len(payload_texts), 3),
            }
    return results, ratios


def run() -> dict[str, object]:
    """Measure; ratios are ours over the peer in this same run."""
    build = _build_ratio()
    read, ratios = _read_suite()
    return {
        "build_vs_raw_segno": build,
        "read_rate_by_class": read,
        "read_time_ratio_vs_raw_zxing": {
            "photos_timed": len(ratios),
            "median": round(statistics.median(ratios), 3),
            "p90": round(statistics.quantiles(ratios, n=10)[-1], 3),
        },
        "goals": {
            "build_ratio_max": 1.1,
            "read_median_ratio_max": 1.5,
            "moderate_rate_min": 0.99,
        },
    }
