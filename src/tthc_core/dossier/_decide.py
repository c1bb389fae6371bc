"""Guards and effects of the dossier transitions.

A *guard* raises a typed :class:`~tthc_core.errors.DomainRuleViolation` naming
the rule when a command the state accepts is still forbidden (a second
reschedule, a postal dispatch without postal return). An *effect* computes the
single event of the transition — due times, flags and form labels — without
changing anything; :mod:`tthc_core.dossier._evolve` applies it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tthc_core.calendar import Deadlines, Duration
from tthc_core.codes import DossierCode
from tthc_core.dossier import _commands as cmd
from tthc_core.dossier import _events as ev
from tthc_core.dossier._errors import (
    CodeNotDatedOnReceipt,
    ReturnChannelMismatch,
    StepTemplateMismatch,
)
from tthc_core.dossier._model import Dossier
from tthc_core.dossier._sheet import HandoverKind
from tthc_core.dossier._states import Channel
from tthc_core.dossier._transfer import transfer_due
from tthc_core.errors import InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.regime import Form, regime_for
from tthc_core.text import fold

__all__ = ["Effect", "Guard", "due_of", "require_deadlines"]

#: ``guard(dossier, command, at, deadlines)`` raises or returns None. The
#: command is typed ``Any`` because each guard takes its own command class.
Guard = Callable[[Dossier, Any, dt.datetime, Deadlines | None], None]
#: ``effect(dossier, command, at, deadlines)`` returns the transition's event.
Effect = Callable[[Dossier, Any, dt.datetime, Deadlines | None], ev.DossierEvent]


# The factories below run at import; each effect's work is in a module-level function, which
# runs per call (so a mutation tool that switches mutants at call time sees it). Their names and
# docs, set at import, are pinned by the generated table in docs/dossier.md.


def _happened(event: type[ev.DossierEvent], d: Dossier, at: dt.datetime) -> ev.DossierEvent:
    return event(occurred_at=at, code=d.code)


def _plain(event: type[ev.DossierEvent], name: str, doc: str) -> Effect:
    """An effect whose event says only that it happened (its instant and the dossier)."""

    # pragma: no mutate block (runs at import; the work is in _happened)
    def effect(d: Dossier, c: Any, at: dt.datetime, dl: Deadlines | None) -> ev.DossierEvent:
        return _happened(event, d, at)

    effect.__name__ = effect.__qualname__ = name
    effect.__doc__ = doc
    return effect


_TEMPLATE_RULE = "Decree 61/2018/NĐ-CP Art. 19 (the procedure's internal process)"


def require_deadlines(deadlines: Deadlines | None, command: cmd.Command) -> Deadlines:
    if deadlines is None:
        raise InvalidInput(
            f"{type(command).__name__} computes due times: pass deadlines= "
            "(tthc_core.calendar.Deadlines of the handling agency)"
        )
    return deadlines


def _holder(d: Dossier) -> str:
    if d.holder_unit is None:  # pragma: no cover - every state that hands over has a holder
        raise InvalidInput(f"dossier {d.code} has no holding unit")
    return d.holder_unit


def due_of(d: Dossier) -> dt.datetime:
    if d.due_at is None:  # pragma: no cover - received dossiers always have a due time
        raise InvalidInput(f"dossier {d.code} has no due time")
    return d.due_at


# --- intake (Decree 61/2018 Art. 17) ----------------------------------------------------------


def receive(
    d: Dossier, c: cmd.ReceiveDossier, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """Mẫu 01: due = ``Deadlines.due(received_at, processing_time)``; the receipt date's regime."""
    deadlines = require_deadlines(dl, c)
    regime = regime_for(at.date())
    renumbered = _receipt_code(d, c, at)
    return ev.DossierReceived(
        occurred_at=at,
        code=d.code,
        unit=c.unit,
        officer=c.officer,
        due_at=deadlines.due(at, d.processing_time),
        regime=regime,
        form=regime.form_label(Form.RECEIPT),
        dossier_code=renumbered,
    )


_CODE_RULE = "Circular 01/2018/TT-VPCP Art. 19; Decree 61/2018/NĐ-CP Art. 17(3)"


def _receipt_code(d: Dossier, c: cmd.ReceiveDossier, at: dt.datetime) -> DossierCode | None:
    """The code the dossier takes at receipt, if not its submission code.

    Raises:
        CodeNotDatedOnReceipt: If the code given (or, without one, the
            submission code) is not dated on the receipt day, or belongs to
            another agency.
    """
    day = at.date()
    if c.code is None:
        if d.code.received_on != day:
            raise CodeNotDatedOnReceipt(
                f"dossier {d.code} was submitted on {d.code.received_on:%d/%m/%Y} and is "
                f"received on {day:%d/%m/%Y}: give ReceiveDossier a code dated on the receipt "
                "day, allocated from that day's sequence",
                rule=_CODE_RULE,
            )
        return None
    if c.code.received_on != day or c.code.agency != d.code.agency:
        raise CodeNotDatedOnReceipt(
            f"code {c.code} must be dated {day:%d/%m/%Y}, the receipt day, under agency "
            f"{d.code.agency}",
            rule=_CODE_RULE,
        )
    return None if c.code == d.code else c.code


def ask_to_complete(
    d: Dossier, c: cmd.AskToComplete, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """Mẫu 02 at intake."""
    return ev.DossierCompletionRequested(
        occurred_at=at,
        code=d.code,
        items=c.items,
        reason=c.reason,
        officer=c.officer,
        form=d.regime.form_label(Form.SUPPLEMENT_REQUEST),
    )


resubmit = _plain(ev.DossierResubmitted, "resubmit", "The completed dossier is filed again.")


def refuse_at_intake(
    d: Dossier, c: cmd.RefuseAtIntake, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """Mẫu 03 at intake."""
    return ev.DossierRefusedAtIntake(
        occurred_at=at,
        code=d.code,
        reason=c.reason,
        officer=c.officer,
        form=d.regime.form_label(Form.REFUSAL),
    )


# --- handovers: the control sheet ------------------------------------------------------------


def _next_template_step(d: Dossier) -> int:
    for entry in reversed(d.sheet.entries):
        if entry.step_index is not None:
            return entry.step_index + 1
    return 0


def _step_of(d: Dossier, c: cmd.HandOver) -> tuple[Duration, int | None]:
    if c.allowance is not None:
        return c.allowance, None
    index = _next_template_step(d)
    if index >= len(d.steps):
        raise StepTemplateMismatch(
            f"the step template of {d.procedure_code} has {len(d.steps)} step(s), all "
            f"handed over; give the handover to {c.to_unit!r} an explicit allowance",
            rule=_TEMPLATE_RULE,
        )
    step = d.steps[index]
    if step.unit != c.to_unit and fold(step.unit) != fold(c.to_unit):
        raise StepTemplateMismatch(
            f"step {index + 1} of the template goes to {step.unit!r}, not {c.to_unit!r}; "
            "hand over to that unit or give an explicit allowance for an ad-hoc step",
            rule=_TEMPLATE_RULE,
        )
    return step.allowance, index


def template_step(d: Dossier, c: cmd.HandOver, at: dt.datetime, dl: Deadlines | None) -> None:
    """Guard: without an allowance, the handover follows the step template."""
    _step_of(d, c)


def _late_transfer(d: Dossier, at: dt.datetime, deadlines: Deadlines) -> bool:
    """Whether this first handover of a paper dossier breaks Decree 61/2018 Art. 18."""
    if d.sheet.entries or d.channel is Channel.ONLINE or d.received_at is None:
        return False
    return at > transfer_due(d.received_at, deadlines)


def _handed_over(
    kind: HandoverKind, d: Dossier, c: cmd.HandOver, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    deadlines = require_deadlines(dl, c)
    allowance, index = _step_of(d, c)
    # A template step is matched with or without diacritics; the control
    # sheet names the unit as the template (the catalogue) spells it.
    to_unit = c.to_unit if index is None else d.steps[index].unit
    return ev.DossierHandedOver(
        occurred_at=at,
        code=d.code,
        kind=kind,
        from_unit=_holder(d),
        from_officer=d.holder_officer,
        to_unit=to_unit,
        to_officer=c.to_officer,
        allowance=allowance,
        due_at=deadlines.due(at, allowance),
        step_index=index,
        note=c.note,
        late_transfer=_late_transfer(d, at, deadlines),
    )


def _handover(kind: HandoverKind) -> Effect:
    # pragma: no mutate block (runs at import; the work is in _handed_over)
    def effect(
        d: Dossier, c: cmd.HandOver, at: dt.datetime, dl: Deadlines | None
    ) -> ev.DossierEvent:
        return _handed_over(kind, d, c, at, dl)

    effect.__name__ = effect.__qualname__ = f"hand_over_{kind.value}"
    effect.__doc__ = f"A control-sheet row ({kind.value}); the step is due ``due(at, allowance)``."
    return effect


hand_over = _handover(HandoverKind.INTERNAL)
send_to_agency = _handover(HandoverKind.TO_AGENCY)
return_from_agency = _handover(HandoverKind.FROM_AGENCY)


# --- supplement, payment, withdrawal ---------------------------------------------------------


def request_payment(
    d: Dossier, c: cmd.RequestPayment, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """Portal status 6."""
    return ev.DossierPaymentRequested(
        occurred_at=at, code=d.code, amount_vnd=c.amount_vnd, reason=c.reason
    )


confirm_payment = _plain(ev.DossierPaymentConfirmed, "confirm_payment", "Back to processing.")


def request_withdrawal(
    d: Dossier, c: cmd.RequestWithdrawal, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """Portal status 7."""
    return ev.DossierWithdrawalRequested(occurred_at=at, code=d.code, reason=c.reason)


def stop(
    d: Dossier, c: cmd.StopProcessing, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """Portal status 8; the 2025 regime issues Mẫu 05 (Thông báo dừng giải quyết hồ sơ)."""
    form = d.regime.form_label(Form.STOP_NOTICE) if Form.STOP_NOTICE in d.regime.forms else None
    return ev.DossierStopped(occurred_at=at, code=d.code, reason=c.reason, form=form)


def refuse_after_appraisal(
    d: Dossier, c: cmd.RefuseAfterAppraisal, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """Mẫu 03 after appraisal; flagged when issued after due (Art. 19(8) wants it within)."""
    return ev.DossierRefusedAfterAppraisal(
        occurred_at=at,
        code=d.code,
        reason=c.reason,
        form=d.regime.form_label(Form.REFUSAL),
        after_due=at > due_of(d),
    )


# --- results (Decree 61/2018 Art. 20; Decision 45/2016/QĐ-TTg) -------------------------------


def resolve(d: Dossier, c: cmd.Resolve, at: dt.datetime, dl: Deadlines | None) -> ev.DossierEvent:
    """Portal status 9: the end of processing (Decision 766 KPI 2.1)."""
    return ev.DossierResolved(occurred_at=at, code=d.code, note=c.note)


return_at_desk = _plain(
    ev.DossierResultReturnedAtDesk, "return_at_desk", "Portal status 10 at the desk."
)


def _check_return_channel(channel: ReturnChannel, d: Dossier, c: cmd.Command) -> None:
    if d.return_channel is not channel:
        raise ReturnChannelMismatch(
            f"dossier {d.code} registered return {d.return_channel.value!r} "
            f"({d.return_channel.label_vi}); {type(c).__name__} needs {channel.value!r}",
            rule="Circular 01/2018/TT-VPCP Mẫu 01 item 6; Decision 45/2016/QĐ-TTg",
        )


def _channel_guard(channel: ReturnChannel) -> Guard:
    # pragma: no mutate block (runs at import; the work is in _check_return_channel)
    def guard(d: Dossier, c: cmd.Command, at: dt.datetime, dl: Deadlines | None) -> None:
        _check_return_channel(channel, d, c)

    guard.__name__ = guard.__qualname__ = f"return_channel_is_{channel.value}"
    guard.__doc__ = f"Guard: the applicant registered return by {channel.value}."
    return guard


postal_return = _channel_guard(ReturnChannel.POSTAL)
electronic_return = _channel_guard(ReturnChannel.ELECTRONIC)


def choose_return_channel(
    d: Dossier, c: cmd.ChooseReturnChannel, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """The applicant's (new) choice of return channel."""
    return ev.DossierReturnChannelChosen(
        occurred_at=at,
        code=d.code,
        return_channel=c.return_channel,
        postal_address=c.postal_address,
    )


def dispatch_by_post(
    d: Dossier, c: cmd.DispatchByPost, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """The result leaves with the post."""
    return ev.DossierResultDispatchedByPost(
        occurred_at=at, code=d.code, shipment_reference=c.shipment_reference
    )


confirm_postal_delivery = _plain(
    ev.DossierPostalDeliveryConfirmed, "confirm_postal_delivery", "Portal status 10 by post."
)


parcel_returned = _plain(
    ev.DossierParcelReturned, "parcel_returned", "Back to the desk, result ready."
)


deliver_electronically = _plain(
    ev.DossierResultDeliveredElectronically,
    "deliver_electronically",
    "Portal status 10 through the portal.",
)
