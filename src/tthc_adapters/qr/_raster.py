"""PDF pages as images, via pypdfium2 (PDFium, the PDF engine of Chromium).

Used to read a receipt QR from a PDF (``tthc receipt read receipt.pdf``) and to
give the receipt page as an image (``tthc receipt render --png``).
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PIL import Image

from tthc_adapters.qr._image import NotAnImage, TruncatedImage

__all__ = ["MAX_PDF_PAGES", "is_pdf", "pdf_to_images"]

#: At most this many pages of a PDF are rasterised (a receipt is one A5 page).
MAX_PDF_PAGES = 4
_MAX_SIDE_PX = 8000


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF file (``%PDF-`` within its first kilobyte)."""
    return b"%PDF-" in data[:1024]


def pdf_to_images(pdf: bytes, *, dpi: float = 200.0, first_only: bool = False) -> list[Image.Image]:
    """Rasterise the first pages of a PDF (white background, RGB).

    Args:
        pdf: The PDF file's bytes.
        dpi: Resolution; pages are capped at 8000 pixels a side.
        first_only: Only the first page.

    Raises:
        NotAnImage: If the bytes are not a PDF PDFium opens.
        TruncatedImage: If it has no page or a page fails to render.
    """
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise NotAnImage(f"the file is not a readable PDF: {exc}") from None
    try:
        count = min(len(document), 1 if first_only else MAX_PDF_PAGES)
        if count == 0:
            raise TruncatedImage("the PDF has no page")
        images = []
        for index in range(count):
            page = document[index]
            width, height = page.get_size()  # points (1/72 inch)
            scale = min(dpi / 72.0, _MAX_SIDE_PX / max(width, height, 1.0))
            try:
                images.append(page.render(scale=scale).to_pil().convert("RGB"))
            except pdfium.PdfiumError as exc:
                raise TruncatedImage(
                    f"page {index + 1} of the PDF does not render: {exc}"
                ) from None
        return images
    finally:
        document.close()
