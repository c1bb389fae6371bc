"""Decoded aggregates of committed versions, kept for units of work to reuse.

Decoding a stored dossier (JSON, then cattrs into frozen attrs objects) costs
more than reading its row, and a status page is looked up again and again.
A committed ``(kind, key, version)`` always holds the same body — every change
saves a new version, and nothing is deleted — so its decoded, immutable
aggregate can be handed out again. What a unit of work reads is committed —
except the rows it saved itself, which may be versions a rollback takes back:
those are never cached nor served from the cache (``SqlUnitOfWork.saved``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

__all__ = ["DecodedCache"]


class DecodedCache:
    """A bounded, thread-safe map from ``(kind, key)`` to its last decoded committed version.

    Args:
        size: The most aggregates kept (least recently used go first).
    """

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[str, str], tuple[int, type, Any]] = OrderedDict()

    def get(self, kind: str, key: str, version: int, of: type) -> Any | None:
        """The decoded aggregate at exactly this version and type, if kept."""
        with self._lock:
            entry = self._entries.get((kind, key))
            if entry is None or entry[0] != version or entry[1] is not of:
                return None
            self._entries.move_to_end((kind, key))
            return entry[2]

    def put(self, kind: str, key: str, version: int, aggregate: Any) -> None:
        """Keep a decoded committed version."""
        with self._lock:
            self._entries[(kind, key)] = (version, type(aggregate), aggregate)
            self._entries.move_to_end((kind, key))
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
