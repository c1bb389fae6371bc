"""Vietnamese text helpers: NFC normalisation and diacritic folding.

Citizen-facing text is produced in NFC with full diacritics; input is accepted
with or without them. :func:`fold` maps both to a comparable key.
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["fold", "nfc"]


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normalisation form C."""
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=1024)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (``"Mã hồ sơ"`` -> ``"ma ho so"``).

    Kept for the last texts folded: one chat message is folded by several
    readers (intents, filing, ratings) in turn.

    Args:
        text: Any string, NFC or NFD, with or without diacritics.
    """
    # str.replace and the ASCII test run in C; str.translate with a dict is a
    # per-character lookup, several times slower on long non-ASCII text.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    if not decomposed.isascii():
        decomposed = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", decomposed).casefold()
