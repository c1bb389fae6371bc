"""Ports to the national portal, both directions (reference ``dvcqg-sync.md`` §15).

Adapters (one per protocol profile) turn each call into the wire shape and
return the raw :class:`PortalReply`; they raise :class:`PortalUnreachable`
when no answer came. Deciding what a reply means is the core's
(:mod:`tthc_core.portal._classify`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from tthc_core.errors import TthcError
from tthc_core.portal._types import (
    DossierSnapshot,
    FeeLine,
    InboundDossier,
    PortalReply,
    ProgressRow,
    RemoteView,
)

__all__ = ["InboundDossierSource", "Jitter", "NationalPortal", "PortalUnreachable"]


class PortalUnreachable(TthcError):  # noqa: N818 - reads best at call sites
    """No answer came (timeout, connection refused or lost): the outcome is unknown."""


class NationalPortal(Protocol):
    """Port, outbound: province → national portal."""

    def upsert(self, snapshot: DossierSnapshot, *, update: bool) -> PortalReply:
        """Insert (``update=False``) or update a dossier snapshot."""
        ...

    def append_progress(self, code: str, rows: Sequence[ProgressRow]) -> PortalReply:
        """Append progress rows to the dossier ``code``."""
        ...

    def lookup(self, code: str) -> RemoteView | None:
        """The portal's view of ``code``, or ``None`` if it does not know it."""
        ...

    def report_payment(self, code: str, fees: Sequence[FeeLine]) -> PortalReply:
        """Report the fees paid for ``code``."""
        ...

    def relogin(self) -> None:
        """Drop the session or token so the next call authenticates again."""
        ...


class InboundDossierSource(Protocol):
    """Port, inbound: dossiers submitted on the portal (the 2025 flow is not public, §4.3)."""

    def fetch_new(self, since: str | None) -> tuple[list[InboundDossier], str | None]:
        """Dossiers submitted after the mark ``since``, and the new mark."""
        ...

    def acknowledge(self, national_code: str) -> PortalReply:
        """Tell the portal the province has taken ``national_code`` in."""
        ...


class Jitter(Protocol):
    """Port: a fraction in [0, 1) to spread retries (the core has no randomness)."""

    def __call__(self) -> float: ...
