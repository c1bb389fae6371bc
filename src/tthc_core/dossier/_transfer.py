"""When a paper dossier must leave the desk for the handling unit.

Decree 61/2018/NĐ-CP Art. 18: a paper dossier received at the desk is
transferred to the competent unit the same working day, or at the start of the
next working day if it was received after 15:00. tthc reads "at the start of
the next working day" as within its first office hour
(:data:`NEXT_DAY_GRACE_MINUTES`), and applies the rule under both regimes
(whether Decree 118/2025 keeps the 15:00 cut-off is unverified). Online
dossiers move electronically and are not measured here.
"""

from __future__ import annotations

import datetime as dt

from tthc_core.calendar import VN_TZ, Deadlines, to_local

__all__ = ["NEXT_DAY_GRACE_MINUTES", "TRANSFER_CUTOFF", "transfer_due"]

#: Received after this local time: transferred the next working day (Art. 18).
TRANSFER_CUTOFF = dt.time(15, 0)
#: Office minutes after opening that count as "the start of the next working day".
NEXT_DAY_GRACE_MINUTES = 60


def transfer_due(received_at: dt.datetime, deadlines: Deadlines) -> dt.datetime:
    """The latest instant the desk may hand a paper dossier to the handling unit.

    Args:
        received_at: When the desk received it.
        deadlines: The agency's calendar and office hours.
    """
    local = to_local(received_at)
    day = local.date()
    if deadlines.index.is_working_day(day) and local.time() < TRANSFER_CUTOFF:
        return dt.datetime.combine(day, deadlines.hours.closes, tzinfo=VN_TZ)
    next_day = deadlines.index.nth_working_day(day, 1)
    opening = dt.datetime.combine(next_day, deadlines.hours.opens, tzinfo=VN_TZ)
    return deadlines.add_working_minutes(opening, NEXT_DAY_GRACE_MINUTES)
