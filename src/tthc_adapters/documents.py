"""The citizen's files: checked from their bytes, then kept on disk by content hash.

:class:`FileCheck` implements :class:`tthc_core.filing.DocumentCheck`: the type
is sniffed from the magic bytes (an executable renamed ``.jpg`` is still an
executable), never taken from the name or the platform's label; then

* size: at most ``max_bytes`` (10 MB by default);
* photos (JPEG, PNG): at most ``max_pixels`` (40 megapixels by default), read
  from the header before anything is decoded, then decoded in full to prove
  the file is a readable image (a truncated photo is refused);
* PDFs: opened with PDFium; encrypted, unreadable or page-less files are
  refused, and so are PDFs of more than ``max_pages`` pages;
* archives (ZIP, RAR, 7z, gzip — the carriers of zip bombs) and executables
  (PE, ELF, Mach-O, scripts) are refused by their magic bytes, unopened.

Each refusal is a :class:`~tthc_core.filing.DocumentRejected` with a Vietnamese
reason; nothing refused is stored.

:class:`FilesystemBlobStore` implements :class:`tthc_core.filing.BlobStore`:
``<root>/<aa>/<sha256>``, written to a temporary file and renamed (atomic), so
a crash never leaves half a file under a valid address; the same bytes are
stored once.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from pathlib import Path

import attrs
import pypdfium2
from PIL import Image

from tthc_core.filing import Blob, DocumentRejected

__all__ = ["FileCheck", "FilesystemBlobStore", "too_large"]

_MB = 1024 * 1024
_ARCHIVES = (b"PK\x03\x04", b"PK\x05\x06", b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh")
_EXECUTABLES = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)
_JPEG, _PNG, _PDF = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-"
_SEND_AGAIN = "Xin chụp lại hoặc gửi tệp PDF khác."


def _rejected(reason: str, reason_vi: str) -> DocumentRejected:
    return DocumentRejected(reason, reason_vi)


def too_large(size: int, limit: int) -> DocumentRejected:
    """The refusal of a file of ``size`` bytes over ``limit`` (checked, or while downloading)."""
    return _rejected(
        f"file of {size} bytes exceeds {limit}",
        f"Tệp lớn quá {limit // _MB} MB. Xin chụp lại với độ phân giải thấp hơn hoặc chia "
        "tệp PDF thành nhiều tệp.",
    )


@attrs.frozen
class FileCheck:
    """Checks a citizen's file (see the module docstring).

    Args:
        max_bytes: The largest file accepted.
        max_pixels: The largest photo accepted, in pixels (width × height).
        max_pages: The longest PDF accepted.
    """

    max_bytes: int = 10 * _MB
    max_pixels: int = 40_000_000
    max_pages: int = 100

    def media_type(self, data: bytes) -> str:
        """The sniffed type of ``data``; raises :class:`DocumentRejected` otherwise."""
        if not data:
            raise _rejected("empty file", "Tệp trống, không có nội dung. " + _SEND_AGAIN)
        if len(data) > self.max_bytes:
            raise too_large(len(data), self.max_bytes)
        if data.startswith(_ARCHIVES):
            raise _rejected(
                "archive refused",
                "Không nhận tệp nén (zip, rar…). Xin gửi từng giấy tờ dưới dạng ảnh hoặc PDF.",
            )
        if data.startswith(_EXECUTABLES):
            raise _rejected(
                "executable refused",
                "Tệp này không phải ảnh hay tệp PDF (có thể là chương trình máy tính) nên "
                "không được nhận. Xin gửi ảnh chụp hoặc tệp PDF của giấy tờ.",
            )
        if data.startswith((_JPEG, _PNG)):
            return self._photo(data)
        if data[:1024].lstrip().startswith(_PDF):
            return self._pdf(data)
        raise _rejected(
            "unknown file type",
            "Chỉ nhận ảnh chụp (JPG, PNG) hoặc tệp PDF. Tệp ông/bà gửi không thuộc các "
            "loại này. " + _SEND_AGAIN,
        )

    def _photo(self, data: bytes) -> str:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    width, height = image.size
                    if width * height > self.max_pixels:
                        raise _rejected(
                            f"photo of {width}x{height} pixels exceeds {self.max_pixels}",
                            f"Ảnh quá lớn ({width * height / 1e6:.0f} triệu điểm ảnh; tối đa "
                            f"{self.max_pixels / 1e6:.0f} triệu). Xin chụp lại ở độ phân giải "
                            "thấp hơn.",
                        )
                    kind = "image/jpeg" if image.format == "JPEG" else "image/png"
                    image.load()
        except DocumentRejected:
            raise
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError,
                Image.DecompressionBombWarning) as error:  # fmt: skip
            raise _rejected(
                f"unreadable photo: {error}", "Ảnh bị hỏng, không đọc được. " + _SEND_AGAIN
            ) from None
        return kind

    def _pdf(self, data: bytes) -> str:
        try:
            document = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as error:
            message = str(error).lower()
            why = (
                "Tệp PDF có mật khẩu. Xin gửi bản không đặt mật khẩu."
                if "password" in message
                else "Tệp PDF bị hỏng, không đọc được. " + _SEND_AGAIN
            )
            raise _rejected(f"unreadable PDF: {error}", why) from None
        try:
            pages = len(document)
            if pages == 0:
                raise _rejected("PDF without pages", "Tệp PDF không có trang nào. " + _SEND_AGAIN)
            if pages > self.max_pages:
                raise _rejected(
                    f"PDF of {pages} pages exceeds {self.max_pages}",
                    f"Tệp PDF dài quá {self.max_pages} trang. Xin chỉ gửi các trang cần thiết.",
                )
            document[0].close()  # the first page must parse
        except pypdfium2.PdfiumError as error:
            raise _rejected(
                f"unreadable PDF page: {error}", "Tệp PDF bị hỏng, không đọc được. " + _SEND_AGAIN
            ) from None
        finally:
            document.close()
        return "application/pdf"


_SHA = re.compile(r"[0-9a-f]{64}")


@attrs.frozen
class FilesystemBlobStore:
    """Files under ``root``, addressed by SHA-256 (see the module docstring)."""

    root: Path

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes, media_type: str) -> Blob:
        """Store ``data`` once; its :class:`Blob`."""
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                Path(temp).replace(path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        return Blob(digest, media_type, len(data))

    def get(self, sha256: str) -> bytes | None:
        """The bytes under ``sha256``; ``None`` for an unknown or malformed address."""
        if not _SHA.fullmatch(sha256):
            return None
        try:
            return self._path(sha256).read_bytes()
        except FileNotFoundError:
            return None
