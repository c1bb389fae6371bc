"""Fetching a citizen's photo from the URL in a ``user_send_image`` event, and reading its QR.

The URL comes from the event body, so it is checked before anything is
fetched: only ``allowed_schemes`` and ``allowed_hosts`` (Zalo's photo CDN in
production, configurable because the reference does not list its hosts), no
redirects followed (a redirect could lead anywhere), a content type that is
an image, and at most ``max_bytes`` read — the body is streamed and dropped
at the limit. The pixel count is checked before decoding by the QR reader
(:func:`tthc_adapters.qr.load_image`).
"""

from __future__ import annotations

import attrs

from tthc_adapters.fetching import LinkFetcher, read_limited
from tthc_adapters.qr import (
    ForgedReceipt,
    ImageTooLarge,
    NotAnImage,
    UnknownReceiptKey,
    ZxingReader,
)
from tthc_core.desk import Desk
from tthc_core.errors import InvalidInput

__all__ = ["PhotoFetcher", "PhotoRefused", "PhotoSettings", "receipt_text"]

_IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


class PhotoRefused(InvalidInput):
    """The photo's URL is not one we fetch (scheme or host not allowed)."""


@attrs.frozen
class PhotoSettings:
    """Limits on fetching photos.

    Args:
        allowed_hosts: Host names photos may come from (exact match).
        allowed_schemes: ``("https",)`` in production.
        max_bytes: Largest photo read.
        max_pixels: Largest photo decoded (width × height).
        timeout: Seconds per download.
    """

    allowed_hosts: frozenset[str]
    allowed_schemes: tuple[str, ...] = ("https",)
    max_bytes: int = 5 * 1024 * 1024
    max_pixels: int = 40_000_000
    timeout: float = 10.0


class PhotoFetcher(LinkFetcher[PhotoSettings]):
    """Downloads photos within :class:`PhotoSettings` (a link fetcher)."""

    what = "photo"
    refused = PhotoRefused

    def fetch(self, url: str, *, document: bool = False) -> bytes:
        """The photo's bytes (``document``: a file of any content type, for online filing).

        A document's type is not taken from the answer's label: the filing's
        :class:`~tthc_core.filing.DocumentCheck` sniffs the bytes.

        Raises:
            PhotoRefused: The URL is not allowed.
            NotAnImage: The answer is not an image (status or content type).
            ImageTooLarge: It is larger than ``max_bytes``.
            httpx.HTTPError: The network failed (the inbox worker retries).
        """
        self.check(url)
        limit = self.settings.max_bytes
        with self._http.stream("GET", url, follow_redirects=False) as response:
            if response.status_code != 200:
                raise NotAnImage(f"the photo URL answered HTTP {response.status_code}")
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind not in _IMAGE_TYPES and not document:
                raise NotAnImage(f"the photo URL serves {kind!r}, not an image")
            return read_limited(
                response,
                limit,
                lambda size: ImageTooLarge(f"the photo is {size} bytes; at most {limit}"),
            )


def receipt_text(desk: Desk, photo: bytes, *, max_pixels: int) -> str:
    """The receipt QR's text read from ``photo`` by the verified reader.

    The one place the photo is read (:meth:`ZxingReader.read`, which verifies). A
    receipt of ours whose tag does not verify (forged, or signed with a key this
    desk does not hold) is returned as its text too, so the desk's scanned-receipt
    path answers with its verdict and links nothing.

    Raises:
        ReceiptScanError: The photo is unreadable, holds no QR, or none of ours.
    """
    reader = ZxingReader(desk.codec, desk.keys, max_bytes=len(photo) + 1, max_pixels=max_pixels)
    try:
        return reader.read(photo).text
    except (ForgedReceipt, UnknownReceiptKey) as exc:
        if exc.payload is None:
            raise
        return desk.codec.encode(exc.payload)
