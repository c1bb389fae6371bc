"""Quiet hours: 22:00 to 06:00, Vietnam time (Asia/Ho_Chi_Minh, UTC+7 all year).

Zalo blocks promotion-type sends and broadcasts at night (``-234``, ZNS
``-133``) and silences the push of transaction messages outside
06:00–21:59 (reference zalo-oa.md §3, [V2] SPEC §15.3; the time zone is not
stated — we assume Vietnam's). So broadcasts are never sent between 22:00
and 06:00, and transactional notices wait for 06:00 unless marked urgent;
replies to a citizen who just wrote go at once (cs messages are 24/24).
Time comes from the clock port, never the wall clock.
"""

from __future__ import annotations

import datetime as dt

from tthc_core.calendar import to_local

__all__ = ["QUIET_ENDS", "QUIET_STARTS", "quiet_until"]

QUIET_STARTS = dt.time(22, 0)
QUIET_ENDS = dt.time(6, 0)


def quiet_until(now: dt.datetime) -> dt.datetime | None:
    """06:00 Vietnam time ending the quiet hours ``now`` falls in, or ``None`` in the day."""
    local = to_local(now)
    if QUIET_ENDS <= local.time() < QUIET_STARTS:
        return None
    day = local.date() if local.time() < QUIET_ENDS else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, QUIET_ENDS, tzinfo=local.tzinfo)
