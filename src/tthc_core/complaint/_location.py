"""Where a case is about: a WGS84 point, only when the citizen gave one.

Open311 GeoReport v2 ``lat``/``long`` are WGS84 degrees. A case carries a
point only if the sender gave it (a map pin in a client application); the
projection publishes it rounded (:data:`PUBLIC_DECIMALS`), and never an
address of a person (see ``docs/open311.md``, "Privacy").
"""

from __future__ import annotations

import math
from collections.abc import Callable

import attrs

from tthc_core.errors import InvalidInput

__all__ = ["PUBLIC_DECIMALS", "GeoPoint"]

#: Decimal places of a published point: 3 decimals are about 110 m, a street, not a house.
PUBLIC_DECIMALS = 3


def _degrees(limit: float) -> Callable[[object, attrs.Attribute[float], float], None]:
    def check(_: object, attribute: attrs.Attribute[float], value: float) -> None:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise InvalidInput(f"{attribute.name} must be a number of degrees, got {value!r}")
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise InvalidInput(
                f"{attribute.name} must be between -{limit:g} and {limit:g} degrees (WGS84), "
                f"got {value!r}"
            )

    return check


@attrs.frozen
class GeoPoint:
    """A WGS84 point.

    Args:
        lat: Latitude, -90 to 90 degrees.
        long: Longitude, -180 to 180 degrees.

    Raises:
        InvalidInput: For a value out of range, infinite or not a number.
    """

    lat: float = attrs.field(validator=_degrees(90))
    long: float = attrs.field(validator=_degrees(180))

    def public(self) -> GeoPoint:
        """This point rounded to :data:`PUBLIC_DECIMALS` (what the public listing shows)."""
        return GeoPoint(round(self.lat, PUBLIC_DECIMALS), round(self.long, PUBLIC_DECIMALS))
