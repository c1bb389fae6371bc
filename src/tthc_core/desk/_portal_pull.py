"""Fetch the dossiers submitted on the national portal: store them, then acknowledge them.

Reference ``dvcqg-sync.md`` §4.3 (the DVC liên thông pattern: pull the list,
create the local dossier keeping the national code, mark it received; an
existing dossier is only re-acknowledged) and §14 (since 1/7/2025 the province
is mostly a receiver). How the portal hands ordinary dossiers over is not
public (§16), so this follows the nearest public analogue:

1. fetch the dossiers after the stored mark;
2. record every one in the inbox in **one** durable transaction (``source``
   ``portal:<target>``, event id = the national code), so a dossier is stored
   before the portal hears it was received, and a redelivered one is
   recognised (``accept_all`` answers "not new");
3. acknowledge each, new or not (a lost acknowledgement is repaired by the
   next delivery);
4. advance the mark only when every dossier of the batch was acknowledged,
   so a dossier whose acknowledgement was lost is fetched again rather than
   skipped.

The inbox worker then takes each one into the intake queue
(:func:`~tthc_core.desk.intake_handler`): an unknown procedure parks the
event with its reason, for an administrator — it is never dropped.
"""

from __future__ import annotations

import datetime as dt
import json

import attrs

from tthc_core.desk._inbound import IntakeRequest
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant
from tthc_core.portal import (
    Action,
    InboundDossier,
    InboundDossierSource,
    PortalUnreachable,
    SyncLedger,
    classify,
)
from tthc_core.serialization import converter
from tthc_core.storage import InboundEvent, InboxQueue

__all__ = ["PullReport", "intake_source", "pull_portal"]


def intake_source(target: str) -> str:
    """The inbox source of dossiers fetched from portal ``target``."""
    return f"portal:{target}"


@attrs.frozen
class PullReport:
    """What one :func:`pull_portal` did.

    Args:
        fetched: Dossiers the portal listed (a duplicate delivery counts twice).
        new: Dossiers stored for the first time.
        acknowledged: Acknowledgements the portal confirmed.
        unacknowledged: Acknowledgements lost or refused (fetched again next time).
        refused: Listed dossiers that could not be read (named in ``errors``; not acknowledged).
        errors: Why.
    """

    fetched: int = 0
    new: int = 0
    acknowledged: int = 0
    unacknowledged: int = 0
    refused: int = 0
    errors: tuple[str, ...] = ()


def _event(target: str, item: InboundDossier, now: dt.datetime) -> InboundEvent:
    request = IntakeRequest(
        source=intake_source(target),
        reference=item.national_code,
        procedure_code=item.procedure_code,
        applicant=Applicant(
            item.applicant_name, phone=item.applicant_phone, identity_number=item.identity_number
        ),
        submitted_at=item.submitted_at,
    )
    payload = converter.unstructure(request)
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return InboundEvent(intake_source(target), item.national_code, payload, raw, now)


def pull_portal(
    source: InboundDossierSource,
    inbox: InboxQueue,
    ledger: SyncLedger,
    *,
    target: str,
    now: dt.datetime,
) -> PullReport:
    """Fetch once, store durably, acknowledge, advance the mark (see the module docstring).

    Raises:
        PortalUnreachable: If the list could not be fetched (nothing changed).
    """
    items, mark = source.fetch_new(ledger.inbound_mark(target))
    events: dict[str, InboundEvent] = {}
    errors: list[str] = []
    for item in items:
        try:
            events.setdefault(item.national_code, _event(target, item, now))
        except InvalidInput as exc:
            errors.append(f"{item.national_code}: {exc.reason}")
    fresh = inbox.accept_all(list(events.values()), durable=True) if events else []
    acked = lost = 0
    for code in events:
        try:
            reply = source.acknowledge(code)
        except PortalUnreachable:
            lost += 1
            continue
        if classify(reply)[0] is Action.DONE:
            acked += 1
        else:
            lost += 1
    if mark is not None and not lost and not errors:
        ledger.set_inbound_mark(target, mark)
    return PullReport(
        fetched=len(items),
        new=sum(fresh),
        acknowledged=acked,
        unacknowledged=lost,
        refused=len(errors),
        errors=tuple(errors),
    )
