"""Ports: where the citizen's files are kept, and what checks them first.

A file reaches the filing only as a :class:`~tthc_core.filing.Blob` — after a
:class:`DocumentCheck` read its type from its bytes (never its name), its size,
its pixel count and its readability, and a :class:`BlobStore` stored it under
its content hash. A file the check refuses is never stored; the citizen reads
:attr:`DocumentRejected.reason_vi`.
"""

from __future__ import annotations

from typing import Protocol

from tthc_core.errors import InvalidInput
from tthc_core.filing._model import Blob
from tthc_core.text import nfc

__all__ = ["BlobStore", "DocumentCheck", "DocumentRejected"]


class DocumentRejected(InvalidInput):
    """A file refused by the document check; ``reason_vi`` is shown to the citizen.

    Attributes:
        reason_vi: Why, and what to send instead (Vietnamese, NFC).
    """

    def __init__(self, reason: str, reason_vi: str) -> None:
        super().__init__(reason)
        self.reason_vi = nfc(reason_vi)


class DocumentCheck(Protocol):
    """Port: checks a file's bytes before anything is stored."""

    def media_type(self, data: bytes) -> str:
        """The file's type read from its bytes (``image/jpeg``, ``image/png``, ``application/pdf``).

        Raises:
            DocumentRejected: If it is none of those, too large, too many
                pixels, unreadable, an archive or an executable.
        """
        ...


class BlobStore(Protocol):
    """Port: content-addressed file storage (the same bytes are stored once)."""

    def put(self, data: bytes, media_type: str) -> Blob:
        """Store ``data`` (already checked); its address is its SHA-256."""
        ...

    def get(self, sha256: str) -> bytes | None:
        """The bytes stored under ``sha256``, or ``None``."""
        ...
