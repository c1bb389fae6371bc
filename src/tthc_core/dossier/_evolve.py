"""Folding events into the dossier: the only code that changes a dossier's fields.

:func:`handle` decides (guards, then an effect that computes the event) and
then applies the event here; :func:`rebuild` applies stored events the same
way, so a replayed dossier equals the one the commands produced.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from tthc_core.dossier import _events as ev
from tthc_core.dossier._model import Dossier, PaymentRecord, RescheduleRecord, SupplementRecord
from tthc_core.dossier._sheet import ControlSheet, ControlSheetEntry
from tthc_core.dossier._states import DossierState

__all__ = ["apply_event", "start"]

Changes = dict[str, Any]
T = TypeVar("T")


def _replaced(
    cls: type[T], get: Callable[[T], Any], index: dict[str, int], instance: T, changes: Changes
) -> T:
    values = list(get(instance))
    for name, value in changes.items():
        values[index[name]] = value
    return cls(*values)


def _replacer(cls: type[T]) -> Callable[[T, Changes], T]:
    """A fast ``attrs.evolve`` for a class without converters or validators.

    ``attrs.evolve`` inspects the class on every call; this reads every field
    with one ``attrgetter`` and calls the generated ``__init__`` positionally.
    """
    # pragma: no mutate block (runs at import; the work is in _replaced, run per call)
    names = tuple(a.name for a in attrs.fields(cls))  # type: ignore[arg-type]
    index = {name: i for i, name in enumerate(names)}
    get = operator.attrgetter(*names)

    def replace(instance: T, changes: Changes) -> T:
        return _replaced(cls, get, index, instance, changes)

    return replace


_replace_dossier = _replacer(Dossier)
_replace_entry = _replacer(ControlSheetEntry)


def start(event: ev.DossierSubmitted) -> Dossier:
    """The dossier a :class:`DossierSubmitted` event creates (version 0)."""
    at = event.occurred_at
    return Dossier(
        code=event.code,
        applicant=event.applicant,
        procedure_code=event.procedure_code,
        procedure_name=event.procedure_name,
        processing_time=event.processing_time,
        steps=event.steps,
        channel=event.channel,
        return_channel=event.return_channel,
        postal_address=event.postal_address,
        supplement_clock_override=event.supplement_clock,
        regime=event.regime,
        state=DossierState.SUBMITTED,
        submitted_at=at,
        last_event_at=at,
    )


def _close_step(sheet: ControlSheet, at: dt.datetime) -> ControlSheet:
    entries = sheet.entries
    if not entries or entries[-1].completed_at is not None:
        return sheet
    return ControlSheet((*entries[:-1], _replace_entry(entries[-1], {"completed_at": at})))


def _received(d: Dossier, e: ev.DossierReceived) -> Changes:
    renumbered = {} if e.dossier_code is None else {"code": e.dossier_code, "submitted_as": d.code}
    return {
        **renumbered,
        "received_at": e.occurred_at,
        "due_at": e.due_at,
        "regime": e.regime,
        "receiving_unit": e.unit,
        "holder_unit": e.unit,
        "holder_officer": e.officer,
    }


def _completion_requested(d: Dossier, e: ev.DossierCompletionRequested) -> Changes:
    return {"completion_requests": d.completion_requests + 1}


def _nothing(d: Dossier, e: ev.DossierEvent) -> Changes:
    return {}


def _refused_at_intake(d: Dossier, e: ev.DossierRefusedAtIntake) -> Changes:
    return {"finished_at": e.occurred_at, "closing_reason": e.reason}


def _handed_over(d: Dossier, e: ev.DossierHandedOver) -> Changes:
    sheet = _close_step(d.sheet, e.occurred_at)
    entry = ControlSheetEntry(
        sequence=len(sheet.entries) + 1,
        kind=e.kind,
        from_unit=e.from_unit,
        from_officer=e.from_officer,
        to_unit=e.to_unit,
        to_officer=e.to_officer,
        handed_at=e.occurred_at,
        allowance=e.allowance,
        due_at=e.due_at,
        step_index=e.step_index,
        note=e.note,
        late_transfer=e.late_transfer,
    )
    return {
        "sheet": ControlSheet((*sheet.entries, entry)),
        "holder_unit": e.to_unit,
        "holder_officer": e.to_officer,
    }


def _supplement_requested(d: Dossier, e: ev.DossierSupplementRequested) -> Changes:
    record = SupplementRecord(e.occurred_at, e.items, e.reason, e.late_request)
    return {"supplements": (*d.supplements, record)}


def _supplement_received(d: Dossier, e: ev.DossierSupplementReceived) -> Changes:
    last = attrs.evolve(
        d.supplements[-1],
        received_at=e.resumed_at or e.occurred_at,
        waited_minutes=e.waited_minutes,
    )
    changes: Changes = {"supplements": (*d.supplements[:-1], last), "due_at": e.due_at}
    open_entry = d.sheet.open_entry
    if open_entry is not None and e.step_due_at is not None:
        shifted = _replace_entry(open_entry, {"due_at": e.step_due_at})
        changes["sheet"] = ControlSheet((*d.sheet.entries[:-1], shifted))
    return changes


def _payment_requested(d: Dossier, e: ev.DossierPaymentRequested) -> Changes:
    return {"payments": (*d.payments, PaymentRecord(e.occurred_at, e.amount_vnd, e.reason))}


def _payment_confirmed(d: Dossier, e: ev.DossierPaymentConfirmed) -> Changes:
    paid = attrs.evolve(d.payments[-1], paid_at=e.occurred_at)
    return {"payments": (*d.payments[:-1], paid)}


def _ended(d: Dossier, e: ev.DossierStopped | ev.DossierRefusedAfterAppraisal) -> Changes:
    # A stop after a supplement request the applicant never answered ends the
    # open step at the request: the unit has not held the dossier since.
    return {
        "finished_at": e.occurred_at,
        "sheet": _close_step(d.sheet, d.supplement_pending_since or e.occurred_at),
        "closing_reason": e.reason,
    }


def _rescheduled(d: Dossier, e: ev.DossierRescheduled) -> Changes:
    record = RescheduleRecord(
        e.occurred_at, e.original_due_at, e.new_due_at, e.reason, e.late_notice
    )
    return {"due_at": e.new_due_at, "reschedules": (*d.reschedules, record)}


def _resolved(d: Dossier, e: ev.DossierResolved) -> Changes:
    return {
        "finished_at": e.occurred_at,
        "sheet": _close_step(d.sheet, e.occurred_at),
        "holder_unit": d.receiving_unit,
        "holder_officer": None,
    }


def _returned(d: Dossier, e: ev.DossierEvent) -> Changes:
    return {"returned_at": e.occurred_at}


def _return_chosen(d: Dossier, e: ev.DossierReturnChannelChosen) -> Changes:
    return {
        "return_channel": e.return_channel,
        "postal_address": e.postal_address or d.postal_address,
    }


def _dispatched(d: Dossier, e: ev.DossierResultDispatchedByPost) -> Changes:
    return {"shipment_reference": e.shipment_reference}


_APPLIERS: dict[type[ev.DossierEvent], Callable[[Dossier, Any], Changes]] = {
    ev.DossierReceived: _received,
    ev.DossierCompletionRequested: _completion_requested,
    ev.DossierResubmitted: _nothing,
    ev.DossierRefusedAtIntake: _refused_at_intake,
    ev.DossierHandedOver: _handed_over,
    ev.DossierSupplementRequested: _supplement_requested,
    ev.DossierSupplementReceived: _supplement_received,
    ev.DossierPaymentRequested: _payment_requested,
    ev.DossierPaymentConfirmed: _payment_confirmed,
    ev.DossierWithdrawalRequested: _nothing,
    ev.DossierStopped: _ended,
    ev.DossierRefusedAfterAppraisal: _ended,
    ev.DossierRescheduled: _rescheduled,
    ev.DossierResolved: _resolved,
    ev.DossierResultReturnedAtDesk: _returned,
    ev.DossierResultDispatchedByPost: _dispatched,
    ev.DossierPostalDeliveryConfirmed: _returned,
    ev.DossierParcelReturned: _nothing,
    ev.DossierResultDeliveredElectronically: _returned,
    ev.DossierReturnChannelChosen: _return_chosen,
}


def apply_event(dossier: Dossier, event: ev.DossierEvent, target: DossierState) -> Dossier:
    """The dossier after ``event``, in state ``target``.

    Args:
        dossier: The dossier before.
        event: An event of this dossier (not :class:`DossierSubmitted`).
        target: The state the transition table names for it.
    """
    changes = _APPLIERS[type(event)](dossier, event)
    changes["state"] = target
    changes["last_event_at"] = event.occurred_at
    return _replace_dossier(dossier, changes)
