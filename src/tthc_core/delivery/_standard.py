"""The public-postal service standard: transit time J+n (Circular 17/2017/TT-BTTTT Art. 6-8).

Transit time counts working days from J, the date of the Phiếu gửi (the day the
parcel is handed to the postal worker):

==========================================  =====  ==========================
Route                                       Plain  With appointment-slip return
==========================================  =====  ==========================
same district / town / city                 J+1    J+2
between districts of one province           J+2    J+4
between special / type-I cities             J+3    J+6
other inter-provincial                      J+4    J+8
==========================================  =====  ==========================

Since 01/7/2025 there are no districts; this module reads "same district" as
"same commune/ward" and "between districts" as "same province". "Special /
type-I cities" is read as the centrally-run cities (thành phố trực thuộc trung
ương), which the units port flags. Remote areas (vùng sâu, vùng xa) get the
times VNPost publishes: pass them as ``extra_days``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from types import MappingProxyType

from tthc_core.calendar import Deadlines, Duration, to_local
from tthc_core.delivery._units import ResolvedAddress
from tthc_core.errors import InvalidInput

__all__ = ["SERVICE_STANDARD", "Route", "classify_route", "expected_delivery"]


class Route(enum.Enum):
    """The route classes of Circular 17/2017 Art. 6-8."""

    SAME_DISTRICT = "same_district"  # nội huyện (since 2025: the same commune/ward)
    WITHIN_PROVINCE = "within_province"  # liên huyện trong tỉnh
    BETWEEN_MAJOR_CITIES = "between_major_cities"  # giữa các thành phố loại đặc biệt, loại I
    INTER_PROVINCIAL = "inter_provincial"  # liên tỉnh khác


#: Working days J+n by route: (plain, with appointment-slip return), Circular 17/2017 Art. 6-8.
SERVICE_STANDARD: Mapping[Route, tuple[int, int]] = MappingProxyType(
    {
        Route.SAME_DISTRICT: (1, 2),
        Route.WITHIN_PROVINCE: (2, 4),
        Route.BETWEEN_MAJOR_CITIES: (3, 6),
        Route.INTER_PROVINCIAL: (4, 8),
    }
)
if set(SERVICE_STANDARD) != set(Route):  # pragma: no cover - checked at import
    raise InvalidInput("the service standard must give a transit time for every route")


def classify_route(origin: ResolvedAddress, destination: ResolvedAddress) -> Route:
    """The route class between the agency's address and the recipient's.

    Args:
        origin: The agency's (sender's) resolved address.
        destination: The recipient's resolved address.
    """
    if origin.province.code != destination.province.code:
        if origin.province.central_city and destination.province.central_city:
            return Route.BETWEEN_MAJOR_CITIES
        return Route.INTER_PROVINCIAL
    same_district = (
        origin.district is not None
        and destination.district is not None
        and origin.district.code == destination.district.code
    )
    if same_district or origin.commune.code == destination.commune.code:
        return Route.SAME_DISTRICT
    return Route.WITHIN_PROVINCE


def expected_delivery(
    handed_over: dt.datetime,
    route: Route,
    deadlines: Deadlines,
    *,
    with_appointment_slip: bool = False,
    extra_days: int = 0,
) -> dt.datetime:
    """The instant a parcel becomes late under the J+n standard (exclusive).

    J is the handover day; the parcel is on time if delivered before 24:00 of
    the n-th working day after J (the result of
    :meth:`~tthc_core.calendar.Deadlines.due_by_days`, 00:00 of the next day).

    Args:
        handed_over: When the Phiếu gửi was signed (J).
        route: The route class.
        deadlines: The working-day calendar.
        with_appointment_slip: Use the appointment-slip column of the table.
        extra_days: Extra working days VNPost publishes for a remote area.

    Raises:
        InvalidInput: If ``extra_days`` is negative.
    """
    if extra_days < 0:
        raise InvalidInput(f"extra_days must not be negative, got {extra_days}")
    plain, slip = SERVICE_STANDARD[route]
    days = (slip if with_appointment_slip else plain) + extra_days
    return deadlines.due_by_days(to_local(handed_over).date(), Duration.working_days(days))
