"""Identifiers: agency codes, dossier codes and procedure codes.

Rules encoded here:

* Agency electronic identifier (mã định danh điện tử), QCVN 102:2016/BTTTT and
  Decision 20/2020/QĐ-TTg Art. 4: at most 35 characters from ``.``, ``0-9`` and
  ``A-Z``; dot-separated groups, one per level, read right to left; the
  level-1 group is ``MX1X2`` (a letter and two digits). Real systems break the
  two-digit width of inner groups (``000.00.101.H05``), so inner groups are
  validated leniently (1-4 digits).
* Dossier code (mã số hồ sơ), Circular 01/2018/TT-VPCP Art. 19 and Decree
  61/2018 Art. 26: ``<agency>-YYMMDD-XXXX``, the receiving agency's code, the
  receipt date and the 4-digit, zero-padded sequence of that day.
* National procedure code (mã TTHC in CSDLQG): ``d.dddddd``, optionally followed
  by a level-1 agency suffix (``1.011442.000.00.00.H38``) and an online-service
  suffix (``.02``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Literal, Protocol

import attrs

from tthc_core.errors import InvalidInput
from tthc_core.text import fold

__all__ = [
    "AgencyCode",
    "AgencyLevel",
    "DossierCode",
    "InvalidAgencyCode",
    "InvalidDossierCode",
    "InvalidProcedureCode",
    "ProcedureCode",
    "SequenceAllocator",
    "extract_dossier_codes",
    "locate_dossier_codes",
]

_MAX_AGENCY_LEN = 35
_INNER_GROUP = re.compile(r"[0-9]{1,4}")
_LEVEL1_GROUP = re.compile(r"[A-Z][0-9]{2}")

# Characters people and scanners produce for "-" and ".".
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d_"
_DOTS = "\u3002\uff0e\u2024\u00b7\u2027\u30fb,"
# One pass of a character class each (str.translate with a dict is far slower on long text).
_DASH_CHARS = re.compile(f"[{re.escape(_DASHES)}]")
_DOT_CHARS = re.compile(f"[{re.escape(_DOTS)}]")

DossierCodePart = Literal["format", "agency", "date", "sequence"]


class InvalidAgencyCode(InvalidInput):
    """An agency electronic identifier that breaks Decision 20/2020 Art. 4."""


class InvalidDossierCode(InvalidInput):
    """Text that is not a dossier code.

    Attributes:
        part: Which part is wrong: ``"format"`` (not three dash-separated
            parts), ``"agency"``, ``"date"`` or ``"sequence"``.
        text: The input as given.
    """

    def __init__(self, reason: str, *, part: DossierCodePart, text: str) -> None:
        super().__init__(reason, rule="Circular 01/2018/TT-VPCP Art. 19")
        self.part: DossierCodePart = part
        self.text = text


class InvalidProcedureCode(InvalidInput):
    """Text that is not a national procedure code (``d.dddddd[...]``)."""


class AgencyLevel(enum.IntEnum):
    """The administrative depth of an agency, from its deepest non-zero group.

    ``LEVEL_1`` is a ministry or province (``000.00.00.H30``); ``LEVEL_2`` a
    department or, before 1/7/2025, a district People's Committee
    (``000.00.15.H12``); ``LEVEL_3`` a commune (``000.CC.DD.Hxx``); ``LEVEL_4``
    a unit below that.
    """

    LEVEL_1 = 1
    LEVEL_2 = 2
    LEVEL_3 = 3
    LEVEL_4 = 4


def _check_agency(_: object, __: object, value: str) -> None:
    groups = value.split(".")
    if not value or len(value) > _MAX_AGENCY_LEN:
        raise InvalidAgencyCode(
            f"agency code {value!r} must be 1 to {_MAX_AGENCY_LEN} characters long",
            rule="Decision 20/2020/QĐ-TTg Art. 4",
        )
    if not _LEVEL1_GROUP.fullmatch(groups[-1]):
        raise InvalidAgencyCode(
            f"agency code {value!r} must end with a level-1 group of a capital letter "
            "and two digits, such as H30",
            rule="Decision 20/2020/QĐ-TTg Art. 4",
        )
    if len(groups) > 5 or not all(_INNER_GROUP.fullmatch(g) for g in groups[:-1]):
        raise InvalidAgencyCode(
            f"agency code {value!r} must have at most four digit groups before the "
            "level-1 group, separated by dots",
            rule="Decision 20/2020/QĐ-TTg Art. 4",
        )


@attrs.frozen(order=True)
class AgencyCode:
    """The electronic identifier of an agency (mã định danh điện tử).

    Args:
        value: The canonical form, for example ``"000.00.15.H12"``.

    Raises:
        InvalidAgencyCode: If ``value`` breaks Decision 20/2020 Art. 4.
    """

    value: str = attrs.field(validator=_check_agency)

    @classmethod
    def parse(cls, text: str) -> AgencyCode:
        """Parse an agency code typed by a person (case and spaces tolerated)."""
        cleaned = re.sub(r"\s+", "", _normalise(text))
        return cls(cleaned)

    @property
    def groups(self) -> tuple[str, ...]:
        """The dot-separated groups, left to right."""
        return tuple(self.value.split("."))

    @property
    def level1(self) -> str:
        """The level-1 group (``MX1X2``), such as ``"H12"``."""
        return self.groups[-1]

    @property
    def level(self) -> AgencyLevel:
        """The depth of the deepest non-zero group, read right to left."""
        inner = self.groups[-2::-1]  # level 2, level 3, ... (right to left)
        depth = 1
        for i, group in enumerate(inner, start=2):
            if int(group) != 0:
                depth = i
        return AgencyLevel(min(depth, AgencyLevel.LEVEL_4))

    def __str__(self) -> str:
        return self.value


_CODE_SHAPE = re.compile(r"(?P<agency>[0-9A-Z.]+)-(?P<date>[0-9]+)-(?P<seq>[0-9]+)")
_PREFIX = re.compile(
    r"^\s*(?:ma\s*(?:so\s*)?(?:ho\s*so|hs)|tra\s*cuu|tracuu|code)\s*[:#=]?\s*", re.IGNORECASE
)
_IN_TEXT = re.compile(
    r"(?<![0-9A-Z.])(?P<agency>(?:[0-9]{1,4}\s*\.\s*){0,4}[A-Z]\s*[0-9]\s*[0-9])\s*-\s*"
    r"(?P<date>[0-9]\s*[0-9]\s*[0-9]\s*[0-9]\s*[0-9]\s*[0-9])\s*-\s*(?P<seq>[0-9]\s*[0-9]\s*[0-9]\s*[0-9])(?![0-9])"
)


def _normalise(text: str) -> str:
    # NFKC turns full-width letters and digits (common in East Asian input methods) into ASCII.
    folded = fold(unicodedata.normalize("NFKC", text))
    return _DOT_CHARS.sub(".", _DASH_CHARS.sub("-", folded)).upper()


@attrs.frozen(order=True)
class DossierCode:
    """A dossier code, ``<agency>-YYMMDD-XXXX`` (Circular 01/2018 Art. 19).

    ``str(code)`` is canonical and ``DossierCode.parse(str(code)) == code``.

    Args:
        agency: The receiving agency's electronic identifier.
        received_on: The receipt date (the ``YYMMDD`` part; years 2000-2099).
        sequence: The dossier's sequence number within that day, 1-9999.
    """

    agency: AgencyCode
    received_on: dt.date = attrs.field()
    sequence: int = attrs.field()

    @received_on.validator
    def _check_date(self, _: object, value: dt.date) -> None:
        if not 2000 <= value.year <= 2099:
            raise InvalidDossierCode(
                f"receipt date {value.isoformat()} cannot be written as YYMMDD (2000-2099)",
                part="date",
                text=value.isoformat(),
            )

    @sequence.validator
    def _check_sequence(self, _: object, value: int) -> None:
        if not 1 <= value <= 9999:
            raise InvalidDossierCode(
                f"sequence {value} must be between 0001 and 9999",
                part="sequence",
                text=str(value),
            )

    def __str__(self) -> str:
        day = self.received_on  # YYMMDD by hand: strftime costs more than the rest together
        yymmdd = f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"
        return f"{self.agency.value}-{yymmdd}-{self.sequence:04d}"

    @classmethod
    def parse(cls, text: str) -> DossierCode:
        """Parse a dossier code as people type it or scanners produce it.

        Accepts lower case, spaces, Unicode dashes and dots, and a leading
        ``"mã hồ sơ:"``, ``"ma ho so"``, ``"tra cứu"`` or ``"tracuu"``.

        Args:
            text: The text to parse; it must hold exactly one code.

        Raises:
            InvalidDossierCode: With ``part`` naming what is wrong.
        """
        body = _PREFIX.sub("", _normalise(text).strip().lower()).upper()
        body = re.sub(r"\s+", "", body)
        match = _CODE_SHAPE.fullmatch(body)
        if match is None:
            raise InvalidDossierCode(
                f"{text!r} is not a dossier code: expected <agency>-YYMMDD-XXXX, "
                "for example 000.00.15.H12-240307-0005",
                part="format",
                text=text,
            )
        return cls._from_parts(match["agency"], match["date"], match["seq"], text)

    @classmethod
    def _from_parts(cls, agency: str, date: str, seq: str, text: str) -> DossierCode:
        try:
            agency_code = AgencyCode(agency)
        except InvalidAgencyCode as exc:
            raise InvalidDossierCode(exc.reason, part="agency", text=text) from exc
        if len(date) != 6:
            raise InvalidDossierCode(
                f"the date part {date!r} must be 6 digits, YYMMDD", part="date", text=text
            )
        try:
            received_on = dt.date(2000 + int(date[:2]), int(date[2:4]), int(date[4:]))
        except ValueError as exc:
            raise InvalidDossierCode(
                f"the date part {date!r} is not a calendar date (YYMMDD)", part="date", text=text
            ) from exc
        if len(seq) != 4:
            raise InvalidDossierCode(
                f"the sequence part {seq!r} must be 4 digits, zero-padded",
                part="sequence",
                text=text,
            )
        return cls(agency_code, received_on, int(seq))


def extract_dossier_codes(text: str) -> list[DossierCode]:
    """Find every well-formed dossier code in free text (a chat message), in order.

    Candidates that have the shape of a code but an impossible date or a zero
    sequence are skipped; duplicates are returned once. One pass of one
    regular expression without nested repetition: linear in ``len(text)``.

    Args:
        text: Any text, with or without diacritics.
    """
    found = {code: None for code, _, _ in _codes_in(_normalise(text), text)}
    return list(found)


def locate_dossier_codes(words: Sequence[str]) -> list[tuple[DossierCode, int, int]]:
    """Every well-formed dossier code in ``words`` (read as joined by spaces), with its words.

    Linear in the words' total length: the words are normalised once and
    scanned once (a code may be typed across words: ``000 . 00 . 15 . H12 -
    240307 - 0005``).

    Args:
        words: A text split into words (``text.split()``).

    Returns:
        ``(code, first, stop)`` for each code in order, duplicates included:
        the code is written in ``words[first:stop]``.
    """
    original = " ".join(words)
    parts = _normalise(original).split(" ")
    if len(parts) != len(words):  # normalising made or removed a space: word by word
        parts = [_normalise(word) for word in words]
    starts: list[int] = []
    offset = 0
    for part in parts:
        starts.append(offset)
        offset += len(part) + 1
    return [
        (code, bisect.bisect_right(starts, first) - 1, bisect.bisect_right(starts, last - 1))
        for code, first, last in _codes_in(" ".join(parts), original)
    ]


def _codes_in(normalised: str, text: str) -> Iterator[tuple[DossierCode, int, int]]:
    """The valid codes among the candidates in ``normalised``, with their spans there."""
    for m in _IN_TEXT.finditer(normalised):
        agency, date, seq = (re.sub(r"\s+", "", m[g]) for g in ("agency", "date", "seq"))
        try:
            yield DossierCode._from_parts(agency, date, seq, text), m.start(), m.end()
        except InvalidDossierCode:
            continue


_PROCEDURE = re.compile(
    r"(?P<national>[0-9]\.[0-9]{6})(?:\.(?P<agency>(?:[0-9]{1,4}\.){0,4}[A-Z][0-9]{2}))?(?:\.(?P<service>[0-9]{1,2}))?"
)


@attrs.frozen(order=True)
class ProcedureCode:
    """A procedure code of the national TTHC database (CSDLQG về TTHC).

    Args:
        national: The national code ``d.dddddd``, such as ``"1.001193"``.
        agency: The local suffix's agency (``000.00.00.H38``), if any.
        service: The online-service (DVC) suffix, such as ``"02"``, if any.
    """

    national: str = attrs.field()
    agency: AgencyCode | None = None
    service: str | None = None

    @national.validator
    def _check_national(self, _: object, value: str) -> None:
        if not re.fullmatch(r"[0-9]\.[0-9]{6}", value):
            raise InvalidProcedureCode(f"national procedure code {value!r} must look like 1.001193")

    @classmethod
    def parse(cls, text: str) -> ProcedureCode:
        """Parse ``1.001193``, ``1.011442.000.00.00.H38`` or ``2.000815.000.00.00.H55.02``.

        Raises:
            InvalidProcedureCode: If the text has another shape.
        """
        cleaned = re.sub(r"\s+", "", _normalise(text))
        match = _PROCEDURE.fullmatch(cleaned)
        if match is None:
            raise InvalidProcedureCode(
                f"{text!r} is not a procedure code: expected d.dddddd with optional "
                "agency and service suffixes, for example 1.011442.000.00.00.H38"
            )
        agency = AgencyCode(match["agency"]) if match["agency"] else None
        return cls(match["national"], agency, match["service"])

    def __str__(self) -> str:
        parts = [self.national]
        if self.agency is not None:
            parts.append(self.agency.value)
        if self.service is not None:
            parts.append(self.service)
        return ".".join(parts)


class SequenceAllocator(Protocol):
    """Port: allocates the daily 4-digit sequence of dossier codes.

    Adapters guarantee that no two calls for the same agency and day return
    the same number, across processes (Circular 01/2018 Art. 19: the sequence
    of the dossier received that day).
    """

    def next_sequence(self, agency: AgencyCode, day: dt.date) -> int:
        """Return the next unused sequence number (1-9999) for ``agency`` on ``day``."""
        ...
