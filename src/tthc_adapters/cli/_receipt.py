"""``tthc receipt``: render a receipt (PDF, PNG or SVG) and read one from a photo.

Keys (see :mod:`tthc_adapters.keys` for the format): ``--keys FILE``, else
the ``TTHC_RECEIPT_KEYS`` environment variable, else ``--demo-key`` (a
published key, for demonstrations only). The lookup site is ``--lookup-base``,
else ``TTHC_LOOKUP_BASE``, else ``tracuu.example.gov.vn/hs``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from tthc_core.catalogue import CopyType, RequiredDocument
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant
from tthc_core.receipt import (
    LogBookEntry,
    PayloadForm,
    Receipt,
    ReceiptCodec,
    ReceivingAgency,
    StaticKeyRing,
    Verdict,
)
from tthc_core.serialization import converter

_DEFAULT_BASE = "tracuu.example.gov.vn/hs"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``receipt render``, ``receipt read`` and ``receipt sample``."""
    parser = subparsers.add_parser("receipt", help="render or read receipts (Mẫu 01) and their QR")
    actions = parser.add_subparsers(dest="action", required=True)

    render = actions.add_parser("render", help="render a receipt as PDF, or its QR as PNG/SVG")
    render.add_argument("output", type=Path, help="file to write (.pdf, .png or .svg)")
    render.add_argument("--receipt", type=Path, help="receipt JSON (default: the sample receipt)")
    render.add_argument("--format", choices=("pdf", "png", "svg"), help="default: from OUTPUT")
    render.add_argument("--renderer", choices=("segno", "qrcode"), default="segno")
    render.add_argument("--form", choices=[f.value for f in PayloadForm], default="url")
    render.add_argument("--scale", type=int, default=8, help="PNG/SVG pixels per module")
    _key_options(render)
    render.set_defaults(handler=run_render)

    read = actions.add_parser("read", help="read and verify the receipt QR in a photo")
    read.add_argument("photo", type=Path, help="JPEG, PNG or any image Pillow opens")
    _key_options(read)
    read.set_defaults(handler=run_read)

    sample = actions.add_parser("sample", help="print the sample receipt as JSON")
    sample.set_defaults(handler=run_sample)


def _key_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keys", type=Path, help="key file ([AGENCY/]KEY_ID=SECRET_HEX lines)")
    parser.add_argument(
        "--demo-key", action="store_true", help="use the published demo key if no key is set"
    )
    parser.add_argument(
        "--lookup-base",
        default=os.environ.get("TTHC_LOOKUP_BASE", _DEFAULT_BASE),
        help="status site host/path (env TTHC_LOOKUP_BASE)",
    )


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
    codec = ReceiptCodec(args.lookup_base)
    payload = codec.sign(receipt.dossier_code, _keys(args))
    text = codec.encode(payload, PayloadForm(args.form))
    renderer = QrcodeRenderer() if args.renderer == "qrcode" else SegnoRenderer()
    kind = args.format or args.output.suffix.lstrip(".").lower()
    if kind == "pdf":
        data = receipt_pdf(receipt, text, renderer)
    elif kind == "png":
        data = renderer.png(text, scale=args.scale)
    elif kind == "svg":
        data = renderer.svg(text, scale=args.scale)
    else:
        raise InvalidInput(f"cannot tell the format of {args.output}: use --format pdf|png|svg")
    args.output.write_bytes(data)
    print(f"{args.output}: {kind.upper()} of receipt {receipt.dossier_code}, QR {text}")
    return 0


def run_read(args: argparse.Namespace) -> int:
    """Print the verified payload as JSON; exit 1 unless it is valid."""
    from tthc_adapters.qr import ZxingReader

    codec = ReceiptCodec(args.lookup_base)
    keys = _keys(args)
    try:
        data = args.photo.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {args.photo}: {exc.strerror}") from None
    payload = ZxingReader(codec).read(data)
    result = codec.verify(payload, keys)
    print(
        json.dumps(
            {
                "verdict": result.verdict.value,
                "dossier_code": str(payload.code),
                "key_id": payload.key_id,
                "tag": payload.tag_text,
                "details_allowed": result.grants_details,
                "status_url": codec.status_url(payload.code),
                "reason": result.reason,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    if result.verdict is not Verdict.VALID:
        print(f"tthc: the receipt QR is not authentic: {result.reason}", file=sys.stderr)
        return 1
    return 0


def run_sample(args: argparse.Namespace) -> int:
    """Print the sample receipt as JSON (a template for ``render --receipt``)."""
    print(json.dumps(converter.unstructure(sample_receipt()), ensure_ascii=False, indent=2))
    return 0
