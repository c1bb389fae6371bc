"""Event time: an inbound event counts from when this server received it.

A chat platform stamps each event with its own time; that stamp is kept as
information (``sent_at`` in the inbox payload) but never becomes the time a
case is received or a deadline runs from: the sender controls it. The time
that counts is the server's receipt time, read from the clock port.

A stamp far from the receipt time is refused (``400``), not silently replaced:

* more than :data:`MAX_AGE` in the past — Zalo re-sends an unanswered webhook
  for up to about 12 hours (reference zalo-oa.md §2.5: 30 s, 5 min, 15 min,
  30 min, 1 h; older accounts: 12 h), so a genuine redelivery is younger than
  that; twice that is allowed;
* more than :data:`MAX_AHEAD` in the future — clock skew between the
  platform's servers and ours is seconds, not minutes.

A message stamped 2000-01-01 or 2099-12-31 is therefore refused, and no case
can be filed as received then.
"""

from __future__ import annotations

import datetime as dt

from tthc_core.errors import InvalidInput

__all__ = ["MAX_AGE", "MAX_AHEAD", "EventTimeRefused", "check_event_time"]

#: The oldest accepted platform timestamp, before the receipt time.
MAX_AGE = dt.timedelta(hours=24)
#: The furthest accepted platform timestamp after the receipt time (clock skew).
MAX_AHEAD = dt.timedelta(minutes=5)


class EventTimeRefused(InvalidInput):
    """The sender's timestamp is too far from the server's receipt time."""


def check_event_time(sent_at: dt.datetime, received_at: dt.datetime) -> None:
    """Refuse a platform timestamp outside ``[received_at - MAX_AGE, received_at + MAX_AHEAD]``.

    Args:
        sent_at: The time the platform claims (aware).
        received_at: When this server received the event (aware, from the clock port).

    Raises:
        EventTimeRefused: Naming the bound that was crossed.
    """
    if sent_at < received_at - MAX_AGE:
        raise EventTimeRefused(
            f"field 'timestamp' ({sent_at.isoformat()}) is more than {MAX_AGE} before the "
            f"server received the event ({received_at.isoformat()}); events that old are refused"
        )
    if sent_at > received_at + MAX_AHEAD:
        raise EventTimeRefused(
            f"field 'timestamp' ({sent_at.isoformat()}) is more than {MAX_AHEAD} after the "
            f"server received the event ({received_at.isoformat()}); check the sender's clock"
        )
