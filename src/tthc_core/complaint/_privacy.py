"""Who may read what: confidential field metadata, redaction and scrubbing.

* A denouncer's name, address, handwriting and other personal information are
  kept secret (Law on Denunciations 25/2018/QH14 Art. 9(1)(b), Art. 47(2)); the
  handler removes them from what is passed on for verification (Art. 56(1)-(2)).
* No citizen's identity is ever public (tthc's privacy rule; Open311 requests
  are public).

The model marks each field that carries the sender's identity or words with
``metadata={CONFIDENTIAL: <redacted value>}`` (see :func:`confidential`); the
policy is :func:`may_read`; adapters call :func:`redact` with the viewer's role
before showing a case, and enforce it (the core cannot know who is asking).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from typing import Any, TypeVar

import attrs

from tthc_core.complaint._kinds import CaseKind
from tthc_core.text import fold, nfc

__all__ = [
    "CONFIDENTIAL",
    "Viewer",
    "confidential",
    "may_read",
    "readable_fields",
    "redact",
    "scrub",
]

#: attrs metadata key marking a confidential field; its value is what redaction puts there.
CONFIDENTIAL = "tthc.confidential"

#: What replaces an identity found inside public text.
MASK = "***"

T = TypeVar("T")

_PHONE_LIKE = re.compile(r"(?:\+84|\b84|\b0)(?:[\s.\-]?\d){9}\b")


class Viewer(enum.Enum):
    """The role of whoever reads a case (the adapter establishes it)."""

    PUBLIC = "public"  # anyone: Open311, public lists
    STAFF = "staff"  # agency staff who are not the assigned handler
    HANDLER = "handler"  # the assigned handler (người giải quyết / người được giao xác minh)
    SENDER = "sender"  # the citizen who sent the case, verified by the adapter


def confidential(redacted: object, **kwargs: Any) -> Any:
    """An ``attrs.field`` marked confidential, replaced by ``redacted`` when hidden.

    Args:
        redacted: The value a viewer without access sees (None, ``""``, ``()``).
        **kwargs: Passed on to :func:`attrs.field`.
    """
    metadata = {**kwargs.pop("metadata", {}), CONFIDENTIAL: redacted}
    return attrs.field(metadata=metadata, **kwargs)


def may_read(kind: CaseKind, viewer: Viewer) -> bool:
    """Whether ``viewer`` may read the confidential fields of a case of ``kind``.

    The sender and the assigned handler always may; other staff may, except for
    denunciations (Law on Denunciations 2018 Art. 47(2), 56(1)); the public never.

    Args:
        kind: The case kind.
        viewer: The reader's role.
    """
    if viewer in (Viewer.HANDLER, Viewer.SENDER):
        return True
    return viewer is Viewer.STAFF and kind is not CaseKind.DENUNCIATION


def confidential_fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """The fields of attrs class ``cls`` marked :data:`CONFIDENTIAL`."""
    return tuple(f for f in attrs.fields(cls) if CONFIDENTIAL in f.metadata)


def readable_fields(cls: type, kind: CaseKind, viewer: Viewer) -> frozenset[str]:
    """Names of the fields of ``cls`` that ``viewer`` may read on a case of ``kind``."""
    hidden = set() if may_read(kind, viewer) else {f.name for f in confidential_fields(cls)}
    return frozenset(f.name for f in attrs.fields(cls) if f.name not in hidden)


def redact(case: T, viewer: Viewer) -> T:
    """``case`` as ``viewer`` may see it: confidential fields replaced when hidden.

    Args:
        case: An attrs instance with a ``kind`` attribute (a case or a case event).
        viewer: The reader's role.
    """
    kind: CaseKind = case.kind  # type: ignore[attr-defined]
    if may_read(kind, viewer):
        return case
    changes = {f.name: f.metadata[CONFIDENTIAL] for f in confidential_fields(type(case))}
    return attrs.evolve(case, **changes)  # type: ignore[misc]


def _secret_pattern(secret: str) -> str:
    """A regex for ``secret`` folded: any whitespace between words, and an optional
    separator (space, dot, hyphen) between any two digits however the secret spaced them."""
    folded = re.sub(r"(?<=\d)[\s.\-]+(?=\d)", "", fold(secret))
    parts: list[str] = []
    for i, ch in enumerate(folded):
        if ch.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
            continue
        parts.append(re.escape(ch))
        if ch.isdigit() and i + 1 < len(folded) and folded[i + 1].isdigit():
            parts.append(r"[\s.\-]?")
    return "".join(parts)


def _spans(text: str, secrets: Iterable[str]) -> list[tuple[int, int]]:
    """Spans of ``text`` where a secret occurs, matched on the folded text."""
    folded: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for f in fold(ch):
            folded.append(f)
            origin.append(i)
    haystack = "".join(folded)
    spans = []
    for secret in secrets:
        for match in re.finditer(_secret_pattern(secret), haystack):
            if match.end() > match.start():
                spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    return spans


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret replaced by :data:`MASK`.

    Matching ignores case and diacritics (:func:`tthc_core.text.fold`), any
    whitespace between words and separators between digits; secrets shorter
    than two characters are skipped. Anything shaped like a Vietnamese phone
    number is masked too, however it is spaced.

    Args:
        text: Public text (a summary, a note).
        secrets: The identity strings to hide (name, address, phone...).
    """
    result = nfc(text)
    wanted = {nfc(s).strip() for s in secrets}
    spans = sorted(_spans(result, (s for s in wanted if len(s) >= 2)))
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        result = result[:start] + MASK + result[end:]
    return _PHONE_LIKE.sub(MASK, result)
