"""``tthc receipt``: render a receipt (PDF, page PNG, QR PNG/SVG); read one from a photo or PDF.

Keys (see :mod:`tthc_adapters.keys` for the format): ``--keys FILE``, else
the ``TTHC_RECEIPT_KEYS`` environment variable, else ``--demo-key`` (a
published key, for demonstrations only). The lookup site is the desk's:
``--lookup-base``, else ``lookup_base`` of the ``--settings`` file (the TOML
``tthc serve`` reads), else ``TTHC_LOOKUP_BASE``, else the demo desk's
(``DEMO_SETTINGS.lookup_base``, as ``tthc demo`` and ``tthc serve`` use).

Exit codes of ``tthc receipt read``:

* 0 — a receipt of this office, tag verified (JSON on stdout);
* 1 — a receipt QR whose tag is forged/altered or signed with an unknown key
  (JSON on stdout, the reason on stderr);
* 2 — bad usage or input: unreadable file, not an image or PDF, no keys, bad settings;
* 3 — no receipt QR: none could be read, or only other QR codes (a VietQR, a link).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tthc_core.catalogue import CopyType, RequiredDocument
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant
from tthc_core.receipt import (
    LogBookEntry,
    PayloadForm,
    Receipt,
    ReceiptCodec,
    ReceiptPayload,
    ReceivingAgency,
    StaticKeyRing,
    Verdict,
)
from tthc_core.serialization import converter

if TYPE_CHECKING:
    from PIL import Image

#: Exit codes of ``tthc receipt read``.
EXIT_VALID, EXIT_NOT_AUTHENTIC, EXIT_BAD_INPUT, EXIT_NO_RECEIPT = 0, 1, 2, 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``receipt render``, ``receipt read`` and ``receipt sample``."""
    parser = subparsers.add_parser("receipt", help="render or read receipts (Mẫu 01) and their QR")
    actions = parser.add_subparsers(dest="action", required=True)

    render = actions.add_parser(
        "render", help="render a receipt as PDF or page image (--png), or its QR as PNG/SVG"
    )
    render.add_argument("output", type=Path, help="file to write (.pdf, .png or .svg)")
    render.add_argument(
        "--png", action="store_true", help="write the whole receipt page as a PNG image"
    )
    render.add_argument("--dpi", type=float, default=200.0, help="page image resolution")
    render.add_argument("--receipt", type=Path, help="receipt JSON (default: the sample receipt)")
    render.add_argument("--format", choices=("pdf", "png", "svg"), help="default: from OUTPUT")
    render.add_argument("--renderer", choices=("segno", "qrcode"), default="segno")
    render.add_argument("--form", choices=[f.value for f in PayloadForm], default="url")
    render.add_argument("--scale", type=int, default=8, help="PNG/SVG pixels per module")
    _key_options(render)
    render.set_defaults(handler=run_render)

    read = actions.add_parser(
        "read",
        help="read and verify the receipt QR in a photo or PDF",
        description="Exit 0: verified; 1: forged or unknown key; 2: bad input; 3: no receipt QR.",
    )
    read.add_argument("photo", type=Path, help="a PDF, JPEG, PNG or any image Pillow opens")
    _key_options(read)
    read.set_defaults(handler=run_read)

    sample = actions.add_parser("sample", help="print the sample receipt as JSON")
    sample.set_defaults(handler=run_sample)


def _key_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keys", type=Path, help="key file ([AGENCY/]KEY_ID=SECRET_HEX lines)")
    parser.add_argument(
        "--demo-key", action="store_true", help="use the published demo key if no key is set"
    )
    parser.add_argument("--settings", type=Path, help="the desk's settings (TOML, as for serve)")
    parser.add_argument(
        "--lookup-base",
        help="status site host/path (default: --settings, env TTHC_LOOKUP_BASE, the demo desk's)",
    )


def _codec(args: argparse.Namespace) -> ReceiptCodec:
    """The desk's codec: the lookup base from the flag, settings, environment or demo desk."""
    from tthc_adapters.bootstrap import DEMO_SETTINGS

    base = args.lookup_base
    if base is None and args.settings is not None:
        from tthc_adapters.cli._serve import load_settings

        base = load_settings(args.settings).lookup_base
    if base is None:
        base = os.environ.get("TTHC_LOOKUP_BASE") or DEMO_SETTINGS.lookup_base
    return ReceiptCodec(base)


def _keys(args: argparse.Namespace) -> StaticKeyRing:
    from tthc_adapters.keys import load_key_ring

    return load_key_ring(args.keys, demo=args.demo_key)


def sample_receipt() -> Receipt:
    """A demonstration receipt (birth registration at a Đắk Lắk commune).

    On-time birth registration is fee-exempt (Law on Civil Status 2014 Art. 11)
    and handled the same day, or the next working day when received after 15:00
    (vn-one-stop-rules.md §"After 15:00"), so the sample charges nothing and
    promises the close of the receipt day.
    """
    from tthc_adapters.calendar import default_deadlines
    from tthc_core.calendar import VN_TZ, Duration

    agency = ReceivingAgency(AgencyCode("000.24.31.H15"), "UBND xã Krông Năng", place="Krông Năng")
    received = dt.datetime(2026, 11, 27, 9, 15, tzinfo=VN_TZ)
    processing = Duration.same_day()
    return Receipt(
        agency=agency,
        dossier_code=DossierCode(agency.code, received.date(), 12),
        applicant=Applicant(
            "Nguyễn Thị Hồng", "Buôn Ea Blang, xã Krông Năng, tỉnh Đắk Lắk", "0912345678"
        ),
        procedure_code=ProcedureCode.parse("1.001193"),
        procedure_name="Đăng ký khai sinh",
        documents=(
            RequiredDocument("Tờ khai đăng ký khai sinh"),
            RequiredDocument("Giấy chứng sinh"),
            RequiredDocument("Căn cước của cha hoặc mẹ", CopyType.COPY),
        ),
        processing_time=processing,
        received_at=received,
        due_at=default_deadlines().due(received, processing),
        log_book=LogBookEntry("01/2026", 125),
        officer="Trần Văn Bình",
    )


def _load_receipt(path: Path | None) -> Receipt:
    if path is None:
        return sample_receipt()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path} is not JSON: {exc}") from None
    try:
        return converter.structure(data, Receipt)
    except Exception as exc:  # cattrs wraps field errors in an exception group
        raise InvalidInput(f"{path} is not a receipt: {exc}") from None


def run_render(args: argparse.Namespace) -> int:
    """Write the receipt PDF, or its QR as PNG or SVG."""
    from tthc_adapters.qr import QrcodeRenderer, SegnoRenderer, receipt_pdf

    receipt = _load_receipt(args.receipt)
    codec = _codec(args)
    payload = codec.sign(receipt.dossier_code, _keys(args))
    text = codec.encode(payload, PayloadForm(args.form))
    renderer = QrcodeRenderer() if args.renderer == "qrcode" else SegnoRenderer()
    kind = "page" if args.png else args.format or args.output.suffix.lstrip(".").lower()
    if kind == "page":
        data = _page_png(receipt_pdf(receipt, text, renderer), args.dpi)
    elif kind == "pdf":
        data = receipt_pdf(receipt, text, renderer)
    elif kind == "png":
        data = renderer.png(text, scale=args.scale)
    elif kind == "svg":
        data = renderer.svg(text, scale=args.scale)
    else:
        raise InvalidInput(f"cannot tell the format of {args.output}: use --format pdf|png|svg")
    args.output.write_bytes(data)
    print(
        f"{args.output}: {'PNG page' if kind == 'page' else kind.upper()} "
        f"of receipt {receipt.dossier_code}, QR {text}"
    )
    return 0


def _page_png(pdf: bytes, dpi: float) -> bytes:
    from tthc_adapters.qr import pdf_to_images

    out = io.BytesIO()
    pdf_to_images(pdf, dpi=dpi, first_only=True)[0].save(out, format="PNG")
    return out.getvalue()


def _images(data: bytes) -> list[bytes | Image.Image]:
    """The photo, or the pages of a PDF."""
    from tthc_adapters.qr import pdf_to_images
    from tthc_adapters.qr._raster import is_pdf

    return list(pdf_to_images(data)) if is_pdf(data) else [data]


def _report(codec: ReceiptCodec, payload: ReceiptPayload, verdict: Verdict, reason: str) -> None:
    print(
        json.dumps(
            {
                "verdict": verdict.value,
                "dossier_code": str(payload.code),
                "key_id": payload.key_id,
                "tag": payload.tag_text,
                "details_allowed": verdict is Verdict.VALID,
                "status_url": codec.status_url(payload.code),
                "reason": reason,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


def run_read(args: argparse.Namespace) -> int:
    """Print the verified payload as JSON; exit codes as in the module docstring."""
    from tthc_adapters.qr import ReceiptScanError, UnreadableImage, ZxingReader

    codec = _codec(args)
    reader = ZxingReader(codec, _keys(args))
    try:
        data = args.photo.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {args.photo}: {exc.strerror}") from None
    failure: ReceiptScanError | None = None
    for image in _images(data):
        try:
            verified = reader.read(image)
        except UnreadableImage:
            raise
        except ReceiptScanError as exc:
            failure = exc if failure is None or exc.kind in ("forged", "unknown_key") else failure
            continue
        _report(codec, verified.payload, Verdict.VALID, verified.verification.reason)
        return EXIT_VALID
    assert failure is not None  # noqa: S101 - at least one image was tried
    if failure.kind in ("forged", "unknown_key"):
        if failure.payload is not None:
            verdict = Verdict.UNKNOWN_KEY if failure.kind == "unknown_key" else Verdict.TAMPERED
            _report(codec, failure.payload, verdict, failure.reason)
        print(f"tthc: the receipt QR is not authentic: {failure.reason}", file=sys.stderr)
        return EXIT_NOT_AUTHENTIC
    print(f"tthc: {failure.reason}", file=sys.stderr)
    return EXIT_NO_RECEIPT


def run_sample(args: argparse.Namespace) -> int:
    """Print the sample receipt as JSON (a template for ``render --receipt``)."""
    print(json.dumps(converter.unstructure(sample_receipt()), ensure_ascii=False, indent=2))
    return 0
