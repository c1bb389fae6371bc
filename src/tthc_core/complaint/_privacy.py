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
Identities inside free text are masked by :func:`scrub` (:mod:`._scrub`).
"""

from __future__ import annotations

import enum
from typing import Any, TypeVar

import attrs

from tthc_core.complaint._kinds import CaseKind
from tthc_core.complaint._scrub import scrub

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

T = TypeVar("T")


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
