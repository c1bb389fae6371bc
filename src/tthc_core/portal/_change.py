"""Hand-off from the desk: an outbox row written in the same unit of work as the change.

The desk (or any use case that saves a dossier) calls :func:`record_change`
inside its unit of work; the row exists if and only if the change committed
(the transactional outbox, reference ``dvcqg-sync.md`` §15). A worker then
:func:`absorb`\\ s outbox rows into the coalescing :class:`SyncLedger`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tthc_core.dossier import Dossier
from tthc_core.errors import InvalidInput
from tthc_core.portal._ledger import SyncLedger
from tthc_core.storage import OutboundMessage, UnitOfWork

__all__ = ["PORTAL_CHANNEL", "absorb", "record_change"]

#: The outbox channel of portal-sync hand-offs.
PORTAL_CHANNEL = "portal"


def record_change(uow: UnitOfWork, dossier: Dossier, targets: Iterable[str]) -> int:
    """Write one outbox row per target announcing that ``dossier`` changed (its stored version)."""
    written = 0
    for target in targets:
        key = f"portal:{target}:{dossier.code}#v{dossier.version}"
        payload = {"target": target, "dossier": str(dossier.code)}
        written += uow.outbox.put(OutboundMessage(key=key, channel=PORTAL_CHANNEL, payload=payload))
    return written


def absorb(ledger: SyncLedger, message: OutboundMessage, at: dt.datetime) -> bool:
    """Move one hand-off into the ledger (coalesced); ``True`` if it made a new item."""
    if message.channel != PORTAL_CHANNEL:
        raise InvalidInput(f"not a portal hand-off: channel {message.channel!r}")
    return ledger.enqueue(str(message.payload["dossier"]), str(message.payload["target"]), at)
