"""Safe image loading: size limits and typed errors for bombs, truncation and non-images."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from tthc_adapters.qr._errors import ReceiptScanError, ScanFailure

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "ImageTooLarge",
    "NotAnImage",
    "TruncatedImage",
    "UnreadableImage",
    "load_image",
]

#: Largest file accepted (a 50-megapixel JPEG is about 20 MB).
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
#: Largest decoded image accepted, in pixels (width × height).
DEFAULT_MAX_PIXELS = 60_000_000


class UnreadableImage(ReceiptScanError):  # noqa: N818 - reads best at call sites
    """An image the reader cannot or will not decode (``kind`` ``"unreadable"``)."""

    kind: ScanFailure = "unreadable"


class NotAnImage(UnreadableImage):
    """Bytes that no image format recognises."""


class TruncatedImage(UnreadableImage):
    """An image file that ends early or is corrupt."""


class ImageTooLarge(UnreadableImage):
    """A file or image larger than the reader's limits (a decompression bomb, or simply huge)."""


def load_image(
    data: bytes | Image.Image,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> Image.Image:
    """Decode image bytes (JPEG, PNG, or anything Pillow opens) after checking their size.

    The pixel count is read from the header before any pixel is decoded, so a
    small file that claims a huge canvas is refused without allocating it.

    Args:
        data: The file's bytes, or an already opened image.
        max_bytes: Largest accepted file.
        max_pixels: Largest accepted width × height.

    Raises:
        NotAnImage: If no format recognises the bytes.
        TruncatedImage: If decoding fails part-way.
        ImageTooLarge: If a limit is exceeded.
    """
    if isinstance(data, Image.Image):
        _check_pixels(data, max_pixels)
        return data
    if not isinstance(data, bytes | bytearray | memoryview):
        raise NotAnImage(f"expected image bytes, got {type(data).__name__}")
    if len(data) > max_bytes:
        raise ImageTooLarge(f"the file is {len(data)} bytes; at most {max_bytes} are accepted")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(bytes(data)))
            _check_pixels(image, max_pixels)
            image.load()
    except UnreadableImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(f"the image is too large to decode safely: {exc}") from exc
    except UnidentifiedImageError as exc:
        raise NotAnImage("the file is not an image Pillow recognises (JPEG, PNG, ...)") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise TruncatedImage(f"the image is truncated or corrupt: {exc}") from exc
    return image


def _check_pixels(image: Image.Image, max_pixels: int) -> None:
    width, height = image.size
    if width * height > max_pixels:
        raise ImageTooLarge(
            f"the image is {width}×{height} pixels; at most {max_pixels} pixels are accepted"
        )
    if width < 1 or height < 1:
        raise TruncatedImage(f"the image has no pixels ({width}×{height})")
