"""The administrative-units adapter: ``vietnam-provinces`` plus a historical table.

* Current units (from 01/7/2025, two levels: province and commune/ward) come
  from the ``vietnam-provinces`` package (2025.x, GSO codes per Decision
  19/2025/QĐ-TTg).
* Pre-2025 units (three levels) are not in that package (its 0.6 line has them
  but shares the import name), so a small table ships here, keyed by code *and*
  validity period because codes were reused: since 01/7/2025 code 24343 is
  xã Krông Năng (thị trấn Krông Năng + Phú Lộc + Ea Hồ, NQ 1660/NQ-UBTVQH15
  Art. 1), before it was thị trấn Krông Năng alone.

The table holds Đắk Lắk (66) and huyện Krông Năng (650) with its 12 communes
(GSO codes 24343-24370, Decision 124/2004/QĐ-TTg); pass more rows for other
areas' old dossiers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward, WardCode

from tthc_core.delivery import TWO_LEVEL_REFORM, AdministrativeUnit, UnitLevel

__all__ = ["HISTORICAL_UNITS", "VietnamProvincesUnits"]

_LAST_OLD_DAY = TWO_LEVEL_REFORM - dt.timedelta(days=1)
_KRONG_NANG = "650"
_DAK_LAK = "66"


def _old_commune(code: str, name: str) -> AdministrativeUnit:
    return AdministrativeUnit(
        code,
        name,
        UnitLevel.COMMUNE,
        _DAK_LAK,
        district_code=_KRONG_NANG,
        valid_until=_LAST_OLD_DAY,
    )


#: Pre-2025 units, valid until 30/6/2025 (NQ 1660/NQ-UBTVQH15 Art. 2).
HISTORICAL_UNITS: tuple[AdministrativeUnit, ...] = (
    AdministrativeUnit(
        _DAK_LAK, "Tỉnh Đắk Lắk", UnitLevel.PROVINCE, _DAK_LAK, valid_until=_LAST_OLD_DAY
    ),
    AdministrativeUnit(
        _KRONG_NANG, "Huyện Krông Năng", UnitLevel.DISTRICT, _DAK_LAK, valid_until=_LAST_OLD_DAY
    ),
    _old_commune("24343", "Thị trấn Krông Năng"),
    _old_commune("24346", "Xã ĐLiê Ya"),
    _old_commune("24349", "Xã Ea Tóh"),
    _old_commune("24352", "Xã Ea Tam"),
    _old_commune("24355", "Xã Phú Lộc"),
    _old_commune("24358", "Xã Tam Giang"),
    _old_commune("24359", "Xã Ea Puk"),
    _old_commune("24360", "Xã Ea Dăh"),
    _old_commune("24361", "Xã Ea Hồ"),
    _old_commune("24364", "Xã Phú Xuân"),
    _old_commune("24367", "Xã Cư Klông"),
    _old_commune("24370", "Xã Ea Tân"),
)

_CODE_WIDTH = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}


class VietnamProvincesUnits:
    """:class:`tthc_core.delivery.AdministrativeUnits` over ``vietnam-provinces``.

    Args:
        historical: Pre-2025 units (default: :data:`HISTORICAL_UNITS`).
    """

    def __init__(self, historical: Iterable[AdministrativeUnit] = HISTORICAL_UNITS) -> None:
        self._historical: dict[tuple[UnitLevel, str], list[AdministrativeUnit]] = {}
        for unit in historical:
            self._historical.setdefault((unit.level, unit.code), []).append(unit)

    def unit(self, level: UnitLevel, code: str, on: dt.date) -> AdministrativeUnit | None:
        """The unit of ``level`` that had ``code`` on ``on``, or None."""
        if not code.isdigit() or len(code) != _CODE_WIDTH[level]:
            return None
        if on >= TWO_LEVEL_REFORM and level is not UnitLevel.DISTRICT:
            current = _current(level, int(code))
            if current is not None:
                return current
        for unit in self._historical.get((level, code), ()):
            if unit.valid_on(on):
                return unit
        return None


def _current(level: UnitLevel, number: int) -> AdministrativeUnit | None:
    try:
        if level is UnitLevel.PROVINCE:
            province = Province.from_code(ProvinceCode(number))
        else:
            ward = Ward.from_code(WardCode(number))
    except ValueError:
        return None
    if level is UnitLevel.PROVINCE:
        return AdministrativeUnit(
            f"{int(province.code):02d}",
            province.name,
            UnitLevel.PROVINCE,
            f"{int(province.code):02d}",
            central_city=province.division_type is VietNamDivisionType.THANH_PHO_TRUNG_UONG,
            valid_from=TWO_LEVEL_REFORM,
        )
    return AdministrativeUnit(
        f"{int(ward.code):05d}",
        ward.name,
        UnitLevel.COMMUNE,
        f"{int(ward.province_code):02d}",
        valid_from=TWO_LEVEL_REFORM,
    )
