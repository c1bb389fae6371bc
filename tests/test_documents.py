"""Citizens' files: sniffed; size, pixels, readability checked; refused in Vietnamese; hashed."""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from tthc_adapters.documents import FileCheck, FilesystemBlobStore
from tthc_core.filing import DocumentRejected


def _photo(size: tuple[int, int] = (400, 300), fmt: str = "JPEG", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 200).save(out, fmt)
    return out.getvalue()


def _pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Giay chung sinh")
    return bytes(pdf.output())


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("giay_chung_sinh.jpg", b"\0" * 20_000_000)
    return out.getvalue()


CHECK = FileCheck()


@pytest.mark.parametrize(
    ("data", "media_type"),
    [(_photo(), "image/jpeg"), (_photo(fmt="PNG"), "image/png"), (_pdf(), "application/pdf")],
)
def test_photos_and_pdfs_are_read_by_their_bytes(data: bytes, media_type: str) -> None:
    assert CHECK.media_type(data) == media_type


BAD = {
    "50-megapixel photo": (_photo((8000, 6250), "PNG", "1"), "triệu điểm ảnh"),
    "corrupt PDF": (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage", "PDF bị hỏng"),
    "executable renamed .jpg": (b"MZ\x90\x00\x03" + b"\0" * 200 + b"This program", "chương trình"),
    "ELF binary": (b"\x7fELF\x02\x01\x01" + b"\0" * 100, "chương trình"),
    "zip bomb": (_zip_bomb(), "tệp nén"),
    "truncated photo": (_photo()[:300], "Ảnh bị hỏng"),
    "text file": (b"hello, this is not a picture", "Chỉ nhận ảnh"),
    "empty file": (b"", "trống"),
    "too large": (b"%PDF-1.4" + b"\0" * (11 * 1024 * 1024), "lớn quá"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_files_get_a_vietnamese_reason_and_nothing_is_stored(case: str, tmp_path: Path) -> None:
    data, words = BAD[case]
    store = FilesystemBlobStore(tmp_path)
    with pytest.raises(DocumentRejected) as refused:
        store.put(data, CHECK.media_type(data))
    reason = refused.value.reason_vi
    assert words in reason
    assert reason == unicodedata.normalize("NFC", reason)
    assert not any(tmp_path.rglob("*"))


def test_the_pixel_limit_is_configurable() -> None:
    data = _photo((1000, 1000))
    assert FileCheck(max_pixels=1_000_000).media_type(data) == "image/jpeg"
    with pytest.raises(DocumentRejected, match="exceeds"):
        FileCheck(max_pixels=999_999).media_type(data)


def test_blobs_are_stored_once_under_their_sha256(tmp_path: Path) -> None:
    store = FilesystemBlobStore(tmp_path)
    data = _pdf()
    blob = store.put(data, "application/pdf")
    assert blob.sha256 == hashlib.sha256(data).hexdigest()
    assert store.put(data, "application/pdf") == blob
    assert store.get(blob.sha256) == data
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1
    assert store.get("0" * 64) is None
    assert store.get("../../etc/passwd") is None
