"""Vietnamese text helpers: NFC normalisation and diacritic folding.

Citizen-facing text is produced in NFC with full diacritics; input is accepted
with or without them. :func:`fold` maps both to a comparable key.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "nfc"]

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Return ``text`` in Unicode normalisation form C."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics (``"Mã hồ sơ"`` -> ``"ma ho so"``).

    Args:
        text: Any string, NFC or NFD, with or without diacritics.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()
