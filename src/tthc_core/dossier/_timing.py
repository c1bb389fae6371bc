"""Guards and effects that move the due time: supplements (Mẫu 02) and apologies (Mẫu 04).

Split from :mod:`tthc_core.dossier._decide` (same contract: a guard raises a
typed :class:`~tthc_core.errors.DomainRuleViolation` naming the rule, an
effect computes the transition's single event).
"""

from __future__ import annotations

import datetime as dt

from tthc_core.calendar import Deadlines, Duration, to_local
from tthc_core.dossier import _commands as cmd
from tthc_core.dossier import _events as ev
from tthc_core.dossier._decide import due_of, require_deadlines
from tthc_core.dossier._errors import RescheduleRefused, SupplementRefused
from tthc_core.dossier._model import Dossier
from tthc_core.errors import InvalidInput
from tthc_core.regime import Form, SupplementClock

__all__ = [
    "SUPPLEMENT_REQUEST_WORKING_DAYS",
    "apology_deadline_day",
    "receive_supplement",
    "request_supplement",
    "reschedule",
    "reschedule_allowed",
    "supplement_allowed",
]

#: Decree 61/2018 Art. 19(4): a supplement request after appraisal goes out
#: within 3 working days of the handling agency's receipt.
SUPPLEMENT_REQUEST_WORKING_DAYS = 3


_ONCE_RULE = "Decree 61/2018/NĐ-CP Art. 11(2)(c); Art. 15(3), 17(2)(a)"


def supplement_allowed(d: Dossier, c: cmd.Command, at: dt.datetime, dl: Deadlines | None) -> None:
    """Guard: no more supplement requests than ``regime.max_supplement_requests``.

    Decree 61/2018 Art. 11(2)(c): "chỉ được yêu cầu sửa đổi, bổ sung một lần".
    The count joins the requests at intake (Mẫu 02 under Art. 17(1a), (2a))
    and after appraisal (Art. 19(4)): the text limits what the applicant may
    be asked, whichever unit asks. tthc refuses (rather than flags) because
    the 2018 text is a prohibition on the official, and the dossier then
    takes one of the lawful ways forward: received as it is, processed, or
    refused with Mẫu 03. Under the 2025 regime (no such limit read) a further
    request is recorded and counted late (Decision 766 KPI 2.1).
    """
    limit = d.regime.max_supplement_requests
    asked = d.completion_requests + len(d.supplements)
    if limit is not None and asked >= limit:
        raise SupplementRefused(
            f"dossier {d.code} was already asked to complete or supplement {asked} time(s); "
            f"under the {d.regime.name} regime a dossier may be asked only once "
            f"({'once' if limit == 1 else f'{limit} times'}): receive, process or refuse it",
            rule=_ONCE_RULE,
        )


def request_supplement(
    d: Dossier, c: cmd.RequestSupplement, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """Mẫu 02 after appraisal; flagged if later than 3 working days after the agency's receipt."""
    deadlines = require_deadlines(dl, c)
    entries = d.sheet.entries
    since = entries[0].handed_at if entries else d.received_at or at
    limit = deadlines.minutes_of(Duration.working_days(SUPPLEMENT_REQUEST_WORKING_DAYS))
    return ev.DossierSupplementRequested(
        occurred_at=at,
        code=d.code,
        items=c.items,
        reason=c.reason,
        form=d.regime.form_label(Form.SUPPLEMENT_REQUEST),
        late_request=deadlines.working_minutes_between(since, at) > limit,
    )


def receive_supplement(
    d: Dossier, c: cmd.ReceiveSupplement, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """RESTART: due = due(resumed, processing time); PAUSE: due shifts by the working time waited.

    The clock resumes at ``c.handed_over_at`` for a supplement sent by post
    (Decision 45/2016/QĐ-TTg Art. 7(4): filed at the signed handover, so the
    time in transit is the applicant's), else at ``at``. The open step's due
    time shifts by the working time waited under both clocks: its unit could
    not work on the dossier meanwhile.

    Raises:
        InvalidInput: If the handover is before the request or after ``at``.
    """
    deadlines = require_deadlines(dl, c)
    requested = d.supplements[-1].requested_at
    resumed = at if c.handed_over_at is None else to_local(c.handed_over_at)
    if not requested <= resumed <= at:
        raise InvalidInput(
            f"the postal handover {resumed.isoformat()} must lie between the request "
            f"{requested.isoformat()} and its recording {at.isoformat()}",
            rule="Decision 45/2016/QĐ-TTg Art. 7(4)",
        )
    waited = max(0, deadlines.working_minutes_between(requested, resumed))
    clock = d.supplement_clock
    if clock is SupplementClock.RESTART:
        due = deadlines.due(resumed, d.processing_time)
    else:
        due = deadlines.add_working_minutes(due_of(d), waited)
    step = d.sheet.open_entry
    return ev.DossierSupplementReceived(
        occurred_at=at,
        code=d.code,
        clock=clock,
        waited_minutes=waited,
        due_at=due,
        step_due_at=None if step is None else deadlines.add_working_minutes(step.due_at, waited),
        resumed_at=None if c.handed_over_at is None else resumed,
    )


# --- late dossiers (Decree 61/2018 Art. 19(9)) -----------------------------------------------

_APOLOGY_RULE = "Decree 61/2018/NĐ-CP Art. 19(9)"


def reschedule_allowed(
    d: Dossier, c: cmd.Reschedule, at: dt.datetime, dl: Deadlines | None
) -> None:
    """Guard: at most ``regime.max_reschedules`` apologies, each to a later time."""
    limit = d.regime.max_reschedules
    if len(d.reschedules) >= limit:
        raise RescheduleRefused(
            f"the appointment of dossier {d.code} was already moved {len(d.reschedules)} "
            f"time(s); the rules allow {limit}",
            rule=_APOLOGY_RULE,
        )
    if c.new_due_at <= due_of(d):
        raise RescheduleRefused(
            f"the new appointment {c.new_due_at.isoformat()} must be after the current due "
            f"time {due_of(d).isoformat()}",
            rule=_APOLOGY_RULE,
        )


def reschedule(
    d: Dossier, c: cmd.Reschedule, at: dt.datetime, dl: Deadlines | None
) -> ev.DossierEvent:
    """Mẫu 04; flagged (not refused) when issued after :func:`apology_deadline_day`."""
    deadlines = require_deadlines(dl, c)
    due = due_of(d)
    last_day = apology_deadline_day(due, d.regime.apology_min_lead_working_days, deadlines)
    return ev.DossierRescheduled(
        occurred_at=at,
        code=d.code,
        original_due_at=due,
        new_due_at=c.new_due_at,
        reason=c.reason,
        form=d.regime.form_label(Form.APOLOGY),
        late_notice=to_local(at).date() > last_day,
    )


def apology_deadline_day(due_at: dt.datetime, lead_days: int, deadlines: Deadlines) -> dt.date:
    """The last day an apology (Mẫu 04) is on time: ``lead_days`` working days before the due day.

    Decree 61/2018/NĐ-CP Art. 19(9): "chậm nhất 01 ngày trước ngày hết hạn" —
    a day before the *day* of expiry, not 24 working hours before the due
    minute. Policy: the day is a working day (the notice goes to the desk,
    which updates the system and tells the applicant), so for a Monday due
    time the apology is on time through Friday, at any hour; issued on the
    weekend between, it is late. A holiday eve is the same: due the first day
    after Tết, the apology is due by the last working day before it.

    Args:
        due_at: The due time being moved.
        lead_days: The regime's lead (1 under both regimes).
        deadlines: The agency's calendar.
    """
    return deadlines.index.nth_working_day(to_local(due_at).date(), -lead_days)
