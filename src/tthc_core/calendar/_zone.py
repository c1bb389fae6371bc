"""Vietnam's time zone and the conversion every core time goes through."""

from __future__ import annotations

import datetime as dt

from tthc_core.errors import InvalidInput

__all__ = ["VN_TZ", "to_local"]

#: Vietnam has kept UTC+07:00 without daylight saving since 1975 (giờ Đông Dương, ICT).
VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


def to_local(instant: dt.datetime) -> dt.datetime:
    """Return ``instant`` in Vietnam time (UTC+07:00), the same instant.

    Any aware datetime is accepted (UTC, ``+09:00``, a ``zoneinfo`` zone...).

    Args:
        instant: An aware datetime.

    Raises:
        InvalidInput: If ``instant`` is naive: the core never guesses a zone.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidInput(
            f"datetime {instant.isoformat()} has no time zone; pass an aware datetime"
        )
    return instant.astimezone(VN_TZ)
