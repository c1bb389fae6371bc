"""Questions about procedures, answered from the catalogue.

"làm khai sinh cần giấy tờ gì", "thu tuc cap giay phep xay dung": the
message and each procedure's name are folded (no diacritics, lower case) and
compared by word pairs — "khai sinh", "giay phep", "phep xay", "xay dung" —
so a question matches however it is typed. Pairs every name shares
("đăng ký", "thủ tục", "giấy tờ", …) count for nothing. The best-scoring
procedure is answered; a tie is a short list to choose from. A procedure
can also be asked for by its code ("thủ tục 1.001193"), which is what the
list's buttons send.

Reading is linear in the message's length and in the catalogue's size.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

import attrs

from tthc_core.catalogue import Procedure
from tthc_core.text import fold

__all__ = [
    "MAX_CHOICES",
    "CatalogueMatch",
    "asks_about_procedures",
    "match_procedures",
]

#: Procedures listed when a question matches several equally.
MAX_CHOICES = 5
_WORD = re.compile(r"[a-z0-9]+")
_CODE = re.compile(r"(?<![\d.])(\d\.\d{6})(?!\d)")
#: Pairs too common in procedure names (and questions) to tell procedures apart.
_COMMON = frozenset(
    {"dang ky", "thu tuc", "giay to", "cap giay", "co quan", "tham quyen", "ho so", "cap ban"}
)
#: Words that make a message a question about procedures (folded).
_CUES = (
    "thu tuc",
    "giay to",
    "can gi",
    "can nhung gi",
    "ho so gom",
    "le phi",
    "mat bao lau",
    "bao lau",
    "nop o dau",
    "lam o dau",
    "huong dan",
)


@attrs.frozen
class CatalogueMatch:
    """The procedures a question matched, best first (one: the answer; more: choose)."""

    procedures: tuple[Procedure, ...]

    @property
    def unique(self) -> Procedure | None:
        """The one procedure matched, if exactly one."""
        return self.procedures[0] if len(self.procedures) == 1 else None


def _pairs(words: Sequence[str]) -> set[str]:
    return {f"{a} {b}" for a, b in itertools.pairwise(words)} - _COMMON


def asks_about_procedures(text: str) -> bool:
    """Whether ``text`` reads as a question about procedures (documents, fees, time, where)."""
    folded = " ".join(_WORD.findall(fold(text)))
    return any(f" {cue} " in f" {folded} " for cue in _CUES)


def match_procedures(text: str, procedures: Iterable[Procedure]) -> CatalogueMatch:
    """The procedures ``text`` asks about (empty if none matched).

    A procedure code in the text selects that procedure; otherwise each
    procedure scores the word pairs its name shares with the text, and the
    top scorers (at least one shared pair) are returned, at most
    :data:`MAX_CHOICES`, in catalogue order.
    """
    folded = fold(text)
    catalogue = list(procedures)
    codes = {m.group(1) for m in _CODE.finditer(folded)}
    if codes:
        named = tuple(p for p in catalogue if p.code.national in codes)
        if named:
            return CatalogueMatch(named[:MAX_CHOICES])
    asked = _pairs(_WORD.findall(folded))
    if not asked:
        return CatalogueMatch(())
    scored = [(len(asked & _pairs(_WORD.findall(fold(p.name)))), p) for p in catalogue]
    best = max((score for score, _ in scored), default=0)
    if best == 0:
        return CatalogueMatch(())
    return CatalogueMatch(tuple(p for score, p in scored if score == best)[:MAX_CHOICES])
