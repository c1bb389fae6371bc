"""Citizen links: which chat accounts and phones follow which dossiers.

A dossier code alone never reveals a citizen's name, phone or address; a chat
account becomes a holder of a dossier only through a link made when it proved
it holds the receipt (a valid receipt QR tag) or at the desk. The link is what
lets the desk push status changes to that account.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.codes import DossierCode
from tthc_core.party import normalise_phone
from tthc_core.validators import aware as _aware
from tthc_core.validators import non_blank as _non_blank

__all__ = ["CitizenLink"]


def _optional_phone(value: str | None) -> str | None:
    return None if value is None else normalise_phone(value)


@attrs.frozen
class CitizenLink:
    """A chat account (and optionally a phone) following a dossier.

    Args:
        channel: The chat platform, such as ``"zalo"``.
        user_id: The account's id on that platform (a Zalo ``user_id``).
        dossier_code: The dossier it follows.
        linked_at: When the link was made.
        phone: The phone the citizen gave, normalised to ``0xxxxxxxxx``.
    """

    channel: str = attrs.field(validator=_non_blank)
    user_id: str = attrs.field(validator=_non_blank)
    dossier_code: DossierCode
    linked_at: dt.datetime = attrs.field(validator=_aware)
    phone: str | None = attrs.field(default=None, converter=_optional_phone)
