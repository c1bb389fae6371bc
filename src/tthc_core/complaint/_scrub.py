"""Scrubbing identities out of public text (the Open311 projection's summaries and notes).

No citizen's identity is ever public (tthc's privacy rule), and a denouncer's
name, address and other personal information are kept secret (Law on
Denunciations 25/2018/QH14 Art. 9(1)(b), Art. 47(2)). Officers write the public
summaries by hand, so the sender's identity is looked for in every spelling a
person types:

* case, diacritics and Unicode forms do not matter: text and secrets are
  compared after NFKC (full-width digits and letters become ASCII) and
  :func:`~tthc_core.text.fold`;
* words may be separated by any run of spaces and punctuation (an extra comma,
  a hyphenated name ``Trần-Thị-Mai``, a name written ``Mai-Anh`` or ``Mai Anh``);
* a name may shorten any word after the family name to its initial
  (``Nguyễn Ngọc B. Sương``, ``Nguyễn N. B. S.``) or drop the family name;
* an address is also looked for by its parts: a part with a number (a house
  number and street without the village, ``thôn 3``) and a house number
  followed by its street;
* a phone number may be written ``0973 459 800``, ``+84 973.459.800`` or
  ``(+84) 973-459-800``; an e-mail ``name@domain``, ``name at domain dot vn``,
  ``name (at) domain``, ``name a còng domain chấm vn``, or its name part alone.

Whatever the sender, anything shaped like a Vietnamese phone number, an
e-mail address, or a 9- or 12-digit identity number (CMND/CCCD) is masked too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from tthc_core.text import fold, nfc

__all__ = ["MASK", "scrub"]

#: What replaces an identity found inside public text.
MASK = "***"

# Between two words of a secret: any run of spaces and punctuation.
_SEP = r"[\W_]+"
# A secret's first and last word must not continue into a longer word.
_START, _END = r"(?<![^\W_])", r"(?![^\W_])"
# Separators inside a number: spaces, dots, hyphens, brackets.
_DIGIT_SEP = r"[\s.\-()]{0,3}"
_COUNTRY = r"(?:\(?\s*\+?\s*84\s*\)?)"
_AT = r"\s*(?:@|[(\[{<]\s*(?:at|a\s*cong)\s*[)\]}>])\s*"
_AT_SPOKEN = r"\s+(?:at|a\s*cong)\s+"
_DOT = r"\s*(?:\.|[(\[{<]\s*(?:dot|cham)\s*[)\]}>]|\s(?:dot|cham)\s)\s*"

#: Identities shaped alike whoever they belong to (matched on the folded text).
_GENERIC = (
    # Vietnamese phone numbers: 0 or +84 and 9-10 more digits, however separated.
    re.compile(rf"(?<![0-9a-z])(?:{_COUNTRY}|0)(?:{_DIGIT_SEP}\d){{9,10}}(?!\d)"),
    # E-mail addresses, also with a spelt or bracketed "at".
    re.compile(rf"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]+(?:{_AT})[a-z0-9\-]+(?:{_DOT}[a-z0-9\-]+)+"),
    # Identity numbers: 9 (CMND) or 12 (CCCD) digits, in one run or spaced groups.
    re.compile(r"(?<![0-9a-z.])(?:\d(?: ?\d){11}|\d(?: ?\d){8})(?![0-9]|\.\d)"),
)

# Words that make an address part specific: a house, a lane, a hamlet, a group.
_PLACE_WORDS = frozenset(
    [
        "so",
        "nha",
        "duong",
        "pho",
        "ngo",
        "ngach",
        "hem",
        "kiet",
        "thon",
        "xom",
        "ap",
        "ban",
        "buon",
        "to",
        "khu",
        "lo",
        "can",
    ]
)
_STREET_WORDS = ("duong", "pho", "d")


def _folded(text: str) -> str:
    return fold(unicodedata.normalize("NFKC", text))


def _haystack(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, and where each folded character came from."""
    if text.isascii():
        return text.casefold(), list(range(len(text)))
    folded: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        piece = ch.casefold() if ch.isascii() else _folded(ch)
        folded.append(piece)
        origin.extend([i] * len(piece))
    return "".join(folded), origin


def _words(secret: str) -> list[str]:
    return re.findall(r"[^\W_]+", _folded(secret))


def _phrase(words: list[str]) -> str:
    """The words in order, any separators between them, whole words only."""
    return _START + _SEP.join(map(re.escape, words)) + _END


def _name(words: list[str]) -> Iterator[str]:
    """A name with any word after the first shortened to its initial, or the first dropped."""
    if len(words) < 2:
        return
    # after an initial's dot, the next word may follow directly ("B.Sương")
    parts = [re.escape(words[0])] + [rf"(?:{re.escape(w)}|{re.escape(w[0])}\.?)" for w in words[1:]]
    yield _START + rf"(?:{_SEP}|(?<=\.))".join(parts) + _END
    if len(words) >= 3:
        yield _phrase(words[1:])


def _number(digits: str) -> Iterator[str]:
    """A phone or identity number with any separators; a phone also after +84."""
    national = digits[1:] if digits.startswith("0") else digits
    spaced = _DIGIT_SEP.join(national)
    yield rf"(?<![0-9a-z])(?:{_COUNTRY}{_DIGIT_SEP}|0{_DIGIT_SEP})?{spaced}(?!\d)"


def _email(secret: str) -> Iterator[str]:
    local, _, domain = _folded(secret).partition("@")
    labels = [re.escape(d) for d in domain.split(".") if d]
    if labels:
        at = rf"(?:{_AT}|{_AT_SPOKEN})"
        yield re.escape(local) + at + _DOT.join(labels)
    if len(local) >= 4:
        yield _phrase(_words(local))


def _address(secret: str) -> Iterator[str]:
    """An address's specific parts, and each house number followed by its street."""
    parts = [_words(p) for p in re.split(r"[,;\n]", secret)]
    numbers = [w for p in parts for w in p if w[0].isdigit()]
    for words in parts:
        if len(words) >= 2 and any(w[0].isdigit() or w in _PLACE_WORDS for w in words):
            yield _phrase(words)
        rest = [w for w in words if not w[0].isdigit() and w not in ("so", "nha")]
        if rest and rest[0] in _STREET_WORDS and len(rest) > 1:
            street = _SEP.join(map(re.escape, rest[1:]))
            for number in numbers:
                designator = rf"(?:{_SEP}(?:{'|'.join(_STREET_WORDS)}))?"
                yield rf"{_START}{re.escape(number)}{designator}\.?{_SEP}{street}{_END}"


def _patterns(secret: str) -> Iterator[str]:
    """Every spelling of ``secret`` looked for, as regular expressions on folded text."""
    words = _words(secret)
    if not words or len("".join(words)) < 2:
        return
    yield _phrase(words)
    digits = "".join(words)
    if digits.isdigit() and len(digits) >= 7:
        yield from _number(digits)
    elif "@" in secret:
        yield from _email(secret)
    elif any(any(c.isdigit() for c in w) for w in words) or re.search(r"[,;\n]", secret):
        yield from _address(secret)
    else:
        yield from _name(words)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with each secret in every spelling, and generic identities, masked (:data:`MASK`).

    Secrets are told apart by their shape (a number, an e-mail, an address
    with a number or a comma, otherwise a name); secrets shorter than two
    characters are skipped. The module docstring lists the spellings.

    Args:
        text: Public text (a summary, a note).
        secrets: The identity strings to hide (name, address, phone, e-mail, identity number).
    """
    result = nfc(text)
    haystack, origin = _haystack(result)
    patterns = [re.compile(p) for s in {nfc(s).strip() for s in secrets} for p in _patterns(s)]
    spans = sorted(
        (origin[m.start()], origin[m.end() - 1] + 1)
        for pattern in (*patterns, *_GENERIC)
        for m in pattern.finditer(haystack)
        if m.end() > m.start()
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[str] = []
    last = 0
    for start, end in merged:
        pieces.extend((result[last:start], MASK))
        last = end
    pieces.append(result[last:])
    return "".join(pieces)
