"""Interoperability with the national public-service portal (Cổng DVCQG), behind one port.

Reference ``dvcqg-sync.md`` (§15 is the plan this package follows):

* value types: :class:`DossierSnapshot` (the §5.1 field set), :class:`ProgressRow`
  (§5.2, deterministic ids), fee lines, attachments by URL, result documents,
  supplement rounds; aware datetimes only;
* :func:`snapshot_of`, :func:`progress_rows`: the projection of a dossier and its events;
* ports: :class:`NationalPortal` (outbound), :class:`InboundDossierSource` (inbound),
  :class:`Jitter`, :class:`SyncLedger`;
* :func:`classify` over the versioned table :data:`CLASSIFIER`;
* :class:`PortalSync`: the engine (coalesced, FIFO, back-off with jitter, dead letters);
* :func:`record_change` / :func:`absorb`: the transactional hand-off from the desk.

Protocol codecs, transports and the fake portal live in ``tthc_adapters.portal``.
See ``docs/portal.md``.
"""

from __future__ import annotations

from tthc_core.portal._change import PORTAL_CHANNEL, absorb, record_change
from tthc_core.portal._classify import CLASSIFIER, CLASSIFIER_VERSION, Action, Rule, classify, fold
from tthc_core.portal._ledger import ItemState, SyncItem, SyncLedger
from tthc_core.portal._national import alternate_code, needs_alternate
from tthc_core.portal._port import InboundDossierSource, Jitter, NationalPortal, PortalUnreachable
from tthc_core.portal._project import (
    DEFAULT_HANDLER,
    HANDLER_MAX,
    SnapshotContext,
    progress_rows,
    snapshot_of,
)
from tthc_core.portal._sync import PROGRESS_CHUNK, Backoff, PortalSync, SyncReport
from tthc_core.portal._types import (
    TERMINAL_STATUSES,
    ApplicantKind,
    Attachment,
    DossierSnapshot,
    FeeLine,
    InboundDossier,
    PaidOnline,
    PortalReply,
    ProgressRow,
    RemoteView,
    ResultDocument,
    ReturnMethod,
    SupplementRound,
)

__all__ = [
    "CLASSIFIER",
    "CLASSIFIER_VERSION",
    "DEFAULT_HANDLER",
    "HANDLER_MAX",
    "PORTAL_CHANNEL",
    "PROGRESS_CHUNK",
    "TERMINAL_STATUSES",
    "Action",
    "ApplicantKind",
    "Attachment",
    "Backoff",
    "DossierSnapshot",
    "FeeLine",
    "InboundDossier",
    "InboundDossierSource",
    "ItemState",
    "Jitter",
    "NationalPortal",
    "PaidOnline",
    "PortalReply",
    "PortalSync",
    "PortalUnreachable",
    "ProgressRow",
    "RemoteView",
    "ResultDocument",
    "ReturnMethod",
    "Rule",
    "SnapshotContext",
    "SupplementRound",
    "SyncItem",
    "SyncLedger",
    "SyncReport",
    "absorb",
    "alternate_code",
    "classify",
    "fold",
    "needs_alternate",
    "progress_rows",
    "record_change",
    "snapshot_of",
]
