"""The procedure catalogue (danh mục thủ tục hành chính) types.

Data as published in the national TTHC database (CSDLQG về TTHC): code, name,
sector, legal processing time, required documents, fees, postal intake and
return (Decision 45/2016/QĐ-TTg Art. 1(2), 13, 18), the online service level
(Decree 42/2022/NĐ-CP: một phần / toàn trình), and the step template the
agency's internal process follows (its units and their allowances, which sum
to the legal processing time; Decree 61/2018 Art. 19).
"""

from __future__ import annotations

import enum

import attrs

from tthc_core.calendar import Duration, TimeUnit
from tthc_core.codes import ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.validators import non_blank as _non_blank
from tthc_core.validators import positive as _positive

__all__ = [
    "CopyType",
    "Fee",
    "OnlineLevel",
    "Procedure",
    "RequiredDocument",
    "StepTemplate",
]


class CopyType(enum.Enum):
    """The form a document is submitted in (Mẫu 01 item 1, local variants)."""

    ORIGINAL = "original"  # bản chính
    CERTIFIED_COPY = "certified_copy"  # bản sao có chứng thực
    COPY = "copy"  # bản sao / bản photo

    @property
    def label_vi(self) -> str:
        """The Vietnamese label printed on forms."""
        return _COPY_LABELS[self]


_COPY_LABELS = {
    CopyType.ORIGINAL: "Bản chính",
    CopyType.CERTIFIED_COPY: "Bản sao có chứng thực",
    CopyType.COPY: "Bản sao",
}


class OnlineLevel(enum.Enum):
    """The online public-service level (Decree 42/2022/NĐ-CP).

    ``NONE`` is information only (old levels 1-2); ``PARTIAL`` is "một phần"
    (old level 3); ``FULL`` is "toàn trình" (old level 4).
    """

    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"


@attrs.frozen
class RequiredDocument:
    """A document of the dossier (thành phần hồ sơ).

    Args:
        name: The document's name in Vietnamese.
        copy_type: Original, certified copy or copy.
        count: How many of it.
    """

    name: str = attrs.field(validator=_non_blank)
    copy_type: CopyType = CopyType.ORIGINAL
    count: int = attrs.field(default=1, validator=_positive)


@attrs.frozen
class Fee:
    """A fee or charge (phí, lệ phí) in Vietnamese đồng.

    Args:
        name: What it is for.
        amount_vnd: Amount in VND (non-negative integer).
    """

    name: str = attrs.field(validator=_non_blank)
    amount_vnd: int = attrs.field()

    @amount_vnd.validator
    def _check_amount(self, _: object, value: int) -> None:
        if value < 0:
            raise InvalidInput(f"fee {self.name!r} cannot be negative ({value} VND)")


@attrs.frozen
class StepTemplate:
    """One step of the internal process: the unit that holds the dossier and its allowance.

    Args:
        unit: The unit's name (a department, the leader for signature, the desk).
        allowance: The step's time allowance, in the procedure's unit.
    """

    unit: str = attrs.field(validator=_non_blank)
    allowance: Duration


@attrs.frozen
class Procedure:
    """An administrative procedure as the catalogue publishes it.

    Args:
        code: The procedure code.
        name: Its Vietnamese name.
        sector: The sector (lĩnh vực), such as ``"Hộ tịch"``.
        processing_time: The legal processing time (working days or hours).
        documents: Required documents.
        fees: Fees and charges.
        postal_intake: Whether the dossier may be filed by public post.
        postal_return: Whether the result may be returned by public post.
        online_level: The online service level.
        steps: The step template; its allowances must sum to ``processing_time``.

    Raises:
        InvalidInput: If the steps' units differ from the processing time's, or
            their allowances do not sum to it.
    """

    code: ProcedureCode
    name: str = attrs.field(validator=_non_blank)
    sector: str
    processing_time: Duration = attrs.field()
    documents: tuple[RequiredDocument, ...] = ()
    fees: tuple[Fee, ...] = ()
    postal_intake: bool = True
    postal_return: bool = True
    online_level: OnlineLevel = OnlineLevel.PARTIAL
    steps: tuple[StepTemplate, ...] = attrs.field(default=())

    @processing_time.validator
    def _check_time(self, _: object, value: Duration) -> None:
        if value.unit is TimeUnit.CALENDAR_DAYS:
            raise InvalidInput(
                f"procedure {self.code}: processing time must be in working days or hours"
            )

    @steps.validator
    def _check_steps(self, _: object, value: tuple[StepTemplate, ...]) -> None:
        if not value:
            return
        units = {s.allowance.unit for s in value}
        if units != {self.processing_time.unit}:
            raise InvalidInput(
                f"procedure {self.code}: every step allowance must be in "
                f"{self.processing_time.unit.value}"
            )
        total = sum(s.allowance.amount for s in value)
        if total != self.processing_time.amount:
            raise InvalidInput(
                f"procedure {self.code}: step allowances sum to {total}, but the legal "
                f"processing time is {self.processing_time.amount}"
            )

    @property
    def total_fee_vnd(self) -> int:
        """The sum of all fees."""
        return sum(f.amount_vnd for f in self.fees)
