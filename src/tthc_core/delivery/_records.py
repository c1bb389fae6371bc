"""Value types of a shipment's record: failed attempts, conflicts, the attempt rules.

Decision 45/2016/QĐ-TTg Art. 10 and Circular 17/2017/TT-BTTTT Art. 5(2)(h):
the worker invites the citizen at least twice, 02 working days apart; then the
result goes back to the agency.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.errors import DomainRuleViolation

__all__ = [
    "ATTEMPT_GAP_WORKING_DAYS",
    "MAX_ATTEMPTS",
    "RETURN_RULE",
    "FailedAttempt",
    "ResultGoingBack",
    "TrackingConflict",
]

#: Delivery attempts before the result goes back (Circular 17/2017 Art. 5(2)(h)).
MAX_ATTEMPTS = 2
#: Minimum working days between the two attempts (Circular 17/2017 Art. 5(2)(h)).
ATTEMPT_GAP_WORKING_DAYS = 2

#: The citation of the return after the second failed attempt.
RETURN_RULE = "Circular 17/2017/TT-BTTTT Art. 5(2)(h); Decision 45/2016/QĐ-TTg Art. 10"


class ResultGoingBack(DomainRuleViolation):
    """The second delivery attempt failed: the result goes back to the agency.

    After the second failed attempt the citizen chooses again at the agency
    (Circular 17/2017/TT-BTTTT Art. 5(2)(h)); the parcel is not delivered on the way.
    """


@attrs.frozen
class FailedAttempt:
    """One failed delivery attempt.

    Args:
        number: 1 or 2.
        at: When it failed.
        reason: The operator's reason.
    """

    number: int
    at: dt.datetime
    reason: str


@attrs.frozen
class TrackingConflict:
    """An operator report that contradicts the shipment's record, kept for an officer.

    Args:
        status: The status the operator reported.
        reported_at: When the operator says it happened.
        reason: Why it was not applied.
        received_by: Who the report says signed for it, if anyone.
    """

    status: str
    reported_at: dt.datetime
    reason: str
    received_by: str | None = None
