"""The dossier aggregate (hồ sơ) and its public, privacy-safe status view.

A :class:`Dossier` is immutable. It changes only through
:func:`tthc_core.dossier.handle`, which returns a new dossier and the events
that explain the change; :func:`tthc_core.dossier.rebuild` folds the same
events back into an equal dossier. ``version`` is the storage's optimistic
concurrency counter: commands carry it through unchanged.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.calendar import Deadlines, Duration
from tthc_core.catalogue import StepTemplate
from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.dossier._sheet import ControlSheet
from tthc_core.dossier._states import Channel, DossierState
from tthc_core.dossier._timeliness import Timeliness, classify_finished, classify_open
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.regime import Form, Regime, SupplementClock

__all__ = ["Dossier", "PaymentRecord", "RescheduleRecord", "StatusView", "SupplementRecord"]


@attrs.frozen
class SupplementRecord:
    """A supplement request after appraisal (Mẫu 02; Decree 61/2018 Art. 19(4)).

    Args:
        requested_at: When it was issued.
        items: What was asked for.
        reason: Why.
        late_request: Issued more than 3 working days after the handling agency
            received the dossier.
        received_at: When the complete dossier came back, if it did.
        waited_minutes: Working minutes spent waiting, once it came back.
    """

    requested_at: dt.datetime
    items: tuple[str, ...]
    reason: str
    late_request: bool = False
    received_at: dt.datetime | None = None
    waited_minutes: int | None = None


@attrs.frozen
class PaymentRecord:
    """A request to pay fees or taxes (portal status 6).

    Args:
        requested_at: When it was made.
        amount_vnd: Amount in đồng.
        reason: What for.
        paid_at: When payment was confirmed.
    """

    requested_at: dt.datetime
    amount_vnd: int
    reason: str
    paid_at: dt.datetime | None = None


@attrs.frozen
class RescheduleRecord:
    """An apology and new appointment (Mẫu 04; Decree 61/2018 Art. 19(9)).

    Args:
        issued_at: When it was issued.
        original_due_at: The due time it replaced.
        new_due_at: The new appointment.
        reason: Why.
        late_notice: Issued later than the regime's lead time before ``original_due_at``.
    """

    issued_at: dt.datetime
    original_due_at: dt.datetime
    new_due_at: dt.datetime
    reason: str
    late_notice: bool = False


@attrs.frozen
class StatusView:
    """What anyone holding only the dossier code may see: no name, phone or address.

    Args:
        code: The dossier code.
        state: The state.
        national_code: The portal status code (1-10).
        national_label_vi: The portal status label.
        label_vi: The (possibly local) state's label.
        holder_unit: The unit holding the dossier.
        due_at: The promised return time (after any reschedule or shift).
        timeliness: Early / on time / late, or in time / overdue while open.
        due_provisional: The due time was computed over a year whose calendar
            is not announced yet: show it as "dự kiến" (Labour Code 2019
            Art. 112(3)).
    """

    code: DossierCode
    state: DossierState
    national_code: int
    national_label_vi: str
    label_vi: str
    holder_unit: str | None
    due_at: dt.datetime | None
    timeliness: Timeliness | None
    due_provisional: bool = False


@attrs.frozen
class Dossier:
    """A dossier (hồ sơ thủ tục hành chính) and where it stands.

    Build one with :func:`~tthc_core.dossier.receive` or
    :func:`~tthc_core.dossier.submit`; change it with
    :func:`~tthc_core.dossier.handle`.

    Args:
        code: Mã số hồ sơ (Circular 01/2018 Art. 19).
        applicant: Who filed it (never shown in :meth:`public_status`).
        procedure_code: The procedure.
        procedure_name: Its name (Mẫu 01 "Nội dung yêu cầu giải quyết").
        processing_time: The legal processing time.
        steps: The procedure's step template (may be empty).
        channel: How it was filed.
        return_channel: How the result is returned (Mẫu 01 item 6).
        postal_address: Where, for postal return.
        supplement_clock_override: The agency's override of the regime's
            supplement clock, or ``None`` for the regime's default.
        regime: The rules in force on the receipt date (before receipt: on the
            submission date); kept for life.
        state: The state.
        submitted_at: When it was registered.
        last_event_at: The instant of the last event; commands may not be older.
        received_at: The receipt time (for postal dossiers, the signed handover).
        due_at: The promised return time, after any reschedule or supplement.
        receiving_unit: The desk that received it.
        holder_unit: The unit holding it now.
        holder_officer: The officer holding it now.
        sheet: The process control sheet.
        completion_requests: Mẫu 02 notices at intake.
        supplements: Supplement requests after appraisal.
        payments: Payment requests.
        reschedules: Apologies and new appointments.
        shipment_reference: The last postal shipment of the result.
        finished_at: End of processing: resolved, or refused, or stopped.
        returned_at: When the result reached the applicant.
        closing_reason: The reason of a refusal or stop.
        submitted_as: The submission code of an online dossier received on a
            later day under a code dated on the receipt day (``code``).
        version: Storage's optimistic-concurrency version.
    """

    code: DossierCode
    applicant: Applicant
    procedure_code: ProcedureCode
    procedure_name: str
    processing_time: Duration
    steps: tuple[StepTemplate, ...]
    channel: Channel
    return_channel: ReturnChannel
    postal_address: PostalAddress | None
    supplement_clock_override: SupplementClock | None
    regime: Regime
    state: DossierState
    submitted_at: dt.datetime
    last_event_at: dt.datetime
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    receiving_unit: str | None = None
    holder_unit: str | None = None
    holder_officer: str | None = None
    sheet: ControlSheet = attrs.field(factory=ControlSheet)
    completion_requests: int = 0
    supplements: tuple[SupplementRecord, ...] = ()
    payments: tuple[PaymentRecord, ...] = ()
    reschedules: tuple[RescheduleRecord, ...] = ()
    shipment_reference: str | None = None
    finished_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    closing_reason: str | None = None
    submitted_as: DossierCode | None = None
    version: int = 0

    @property
    def supplement_clock(self) -> SupplementClock:
        """The clock policy after a supplement: the override, else the regime's default."""
        return self.supplement_clock_override or self.regime.supplement_clock

    @property
    def is_final(self) -> bool:
        """Whether the dossier's lifecycle is over."""
        return self.state.is_final

    @property
    def counts_as_late_for_supplements(self) -> bool:
        """Under PAUSE, more than one supplement request counts as late (Decision 766 KPI 2.1)."""
        return self.supplement_clock is SupplementClock.PAUSE and len(self.supplements) > 1

    def form_label(self, form: Form) -> str:
        """A form's label under the dossier's regime (``regime.form_label``)."""
        return self.regime.form_label(form)

    @property
    def supplement_pending_since(self) -> dt.datetime | None:
        """When the last supplement request went out, if the applicant never completed it.

        Still set after a withdrawal and stop that followed the request: the
        time since then was the applicant's, not the agency's.
        """
        if self.supplements and self.supplements[-1].received_at is None:
            return self.supplements[-1].requested_at
        return None

    def _as_of(self, at: dt.datetime) -> dt.datetime:
        # While the applicant completes the dossier the agency's clock is
        # stopped: measure at the request (Decision 766 KPI 2.1), also when the
        # applicant withdraws the dossier instead of completing it.
        pending = self.supplement_pending_since
        return at if pending is None else min(at, pending)

    def timeliness(self, at: dt.datetime) -> Timeliness | None:
        """Timeliness at ``at`` (Circular 01/2018 Art. 13 ind. 1; Decision 766/QĐ-TTg KPI 2.1).

        Finished dossiers (resolved, refused after appraisal, stopped) are EARLY,
        ON_TIME or LATE by their end of processing; open ones IN_TIME or
        OVERDUE. While a supplement request is unanswered (waiting, or
        withdrawn and stopped meanwhile) both are measured at the request.
        ``None`` before receipt: a dossier never received has no promised
        time. Under the PAUSE clock more than one supplement request makes it
        LATE (OVERDUE while open).

        Args:
            at: The instant of the report (not before ``last_event_at``).
        """
        if self.due_at is None:
            return None
        if self.counts_as_late_for_supplements:
            return Timeliness.LATE if self.finished_at is not None else Timeliness.OVERDUE
        if self.finished_at is not None:
            return classify_finished(self._as_of(self.finished_at), self.due_at)
        return classify_open(self._as_of(at), self.due_at)

    def step_timeliness(self, at: dt.datetime) -> tuple[Timeliness, ...]:
        """Each control-sheet step's result, or IN_TIME/OVERDUE for the open one (indicator 2)."""
        as_of = self._as_of(at)
        return tuple(entry.timeliness(as_of) for entry in self.sheet.entries)

    def public_status(self, at: dt.datetime, *, deadlines: Deadlines | None = None) -> StatusView:
        """The status a dossier code alone may reveal (no personal data).

        Args:
            at: The instant of the look-up, for timeliness.
            deadlines: The agency's calendar, to tell whether the due time
                crosses a provisional year ("dự kiến"); without it, it does not.
        """
        state = self.state
        start = self.received_at or self.submitted_at
        provisional = (
            deadlines is not None
            and self.due_at is not None
            and deadlines.is_provisional(start, self.due_at)
        )
        return StatusView(
            code=self.code,
            state=state,
            national_code=state.national_code,
            national_label_vi=state.national_label_vi,
            label_vi=state.label_vi,
            holder_unit=self.holder_unit,
            due_at=self.due_at,
            timeliness=self.timeliness(at),
            due_provisional=provisional,
        )
