"""Administrative units and postal-address validation.

Rules encoded here:

* Unit codes are the GSO codes of Decision 124/2004/QĐ-TTg (province 2 digits,
  district 3, commune 5); the 2025 codes follow Decision 19/2025/QĐ-TTg.
* From 01/7/2025 local government has two levels, province and commune
  (Resolution 202/2025/QH15; Law on Local Government 72/2025/QH15): a current
  address names a commune/ward and a province, no district.
* Pre-2025 addresses (three levels) stay valid for dossiers received before the
  reform. Codes were reused (NQ 1660/NQ-UBTVQH15: xã Krông Năng took code 24343
  of thị trấn Krông Năng), so a unit is identified by its code *and* the period
  it was valid: the port answers "which unit had this code on this day".
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Protocol

import attrs

from tthc_core.errors import InvalidInput
from tthc_core.party import PostalAddress

__all__ = [
    "TWO_LEVEL_REFORM",
    "AddressError",
    "AdministrativeUnit",
    "AdministrativeUnits",
    "ResolvedAddress",
    "UnitLevel",
    "resolve_address",
]

#: The day districts ceased to exist (Resolution 202/2025/QH15, NQ 1660 Art. 2).
TWO_LEVEL_REFORM = dt.date(2025, 7, 1)


class AddressError(InvalidInput):
    """A postal address whose units do not exist or do not fit together."""


class UnitLevel(enum.Enum):
    """The level of an administrative unit."""

    PROVINCE = "province"  # tỉnh, thành phố trực thuộc trung ương
    DISTRICT = "district"  # huyện, quận, thị xã, thành phố thuộc tỉnh (before 01/7/2025)
    COMMUNE = "commune"  # xã, phường, thị trấn, đặc khu


def _check_period(instance: AdministrativeUnit, _: object, value: dt.date | None) -> None:
    if value is not None and instance.valid_from is not None and value < instance.valid_from:
        raise InvalidInput(f"unit {instance.code}: valid_until {value} is before valid_from")


@attrs.frozen
class AdministrativeUnit:
    """One administrative unit over the period its code meant it.

    Args:
        code: The GSO code (2, 3 or 5 digits).
        name: The full Vietnamese name with its kind (``"Xã Krông Năng"``).
        level: Province, district or commune.
        province_code: The province it belongs to (itself for a province).
        district_code: The district it belonged to (pre-2025 communes only).
        central_city: True for a centrally-run city (thành phố trực thuộc trung ương).
        valid_from: First day of validity, None if older than the data.
        valid_until: Last day of validity (inclusive), None if current.
    """

    code: str
    name: str
    level: UnitLevel
    province_code: str
    district_code: str | None = None
    central_city: bool = False
    valid_from: dt.date | None = None
    valid_until: dt.date | None = attrs.field(default=None, validator=_check_period)

    def valid_on(self, day: dt.date) -> bool:
        """Return True if the code meant this unit on ``day``."""
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_until is None or day <= self.valid_until)


class AdministrativeUnits(Protocol):
    """Port: the administrative units in force on a given day."""

    def unit(self, level: UnitLevel, code: str, on: dt.date) -> AdministrativeUnit | None:
        """The unit of ``level`` that had ``code`` on ``on``, or None."""
        ...


@attrs.frozen
class ResolvedAddress:
    """A postal address whose units were found valid on a day.

    Args:
        address: The address as given.
        commune: The commune/ward unit.
        province: The province unit.
        district: The district unit (pre-2025 addresses only).
        on: The day the units were resolved for.
    """

    address: PostalAddress
    commune: AdministrativeUnit
    province: AdministrativeUnit
    district: AdministrativeUnit | None
    on: dt.date

    @property
    def label_vi(self) -> str:
        """The address as printed on the Phiếu gửi (Circular 17/2017 Art. 9)."""
        parts = [self.address.street, self.commune.name]
        if self.district is not None:
            parts.append(self.district.name)
        parts.append(self.province.name)
        return ", ".join(parts)


def _require(
    units: AdministrativeUnits, level: UnitLevel, code: str, on: dt.date, what: str
) -> AdministrativeUnit:
    found = units.unit(level, code, on)
    if found is None:
        raise AddressError(f"no {what} has code {code} on {on.isoformat()}")
    return found


def resolve_address(
    address: PostalAddress, units: AdministrativeUnits, *, on: dt.date
) -> ResolvedAddress:
    """Check that an address's units exist on ``on`` and belong together.

    A two-level address (no district) is resolved on ``on``. A three-level
    address is a pre-2025 address: it is accepted only for a dossier received
    before 01/7/2025 (pass that receipt date as ``on``).

    Args:
        address: The address to check.
        units: The administrative-units port.
        on: The day the address must be valid: today for a new choice, the
            dossier's receipt date for an old three-level address.

    Raises:
        AddressError: If a unit is unknown on ``on`` or a unit lies outside its parent.
    """
    if address.district_code is not None and on >= TWO_LEVEL_REFORM:
        raise AddressError(
            f"district {address.district_code} is given, but districts ceased on "
            f"{TWO_LEVEL_REFORM.isoformat()}: give the commune/ward and province only",
            rule="Resolution 202/2025/QH15; Law on Local Government 72/2025/QH15",
        )
    province = _require(units, UnitLevel.PROVINCE, address.province_code, on, "province")
    commune = _require(units, UnitLevel.COMMUNE, address.ward_code, on, "commune/ward")
    if commune.province_code != province.code:
        raise AddressError(
            f"{commune.name} ({commune.code}) is in province {commune.province_code}, "
            f"not {province.name} ({province.code})"
        )
    district = None
    if address.district_code is not None:
        district = _require(units, UnitLevel.DISTRICT, address.district_code, on, "district")
        if commune.district_code != district.code or district.province_code != province.code:
            raise AddressError(
                f"{commune.name} ({commune.code}) is not in {district.name} ({district.code})"
            )
    elif on < TWO_LEVEL_REFORM and commune.district_code is not None:
        raise AddressError(
            f"a pre-2025 address in {commune.name} ({commune.code}) needs its district "
            f"({commune.district_code})"
        )
    return ResolvedAddress(address, commune, province, district, on)
