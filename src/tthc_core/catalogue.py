"""The procedure catalogue (danh mục thủ tục hành chính) types.

Data as published in the national TTHC database (CSDLQG về TTHC): code, name,
sector, legal processing time, required documents, fees, postal intake and
return (Decision 45/2016/QĐ-TTg Art. 1(2), 13, 18), the online service level
(Decree 42/2022/NĐ-CP: một phần / toàn trình), and the step template the
agency's internal process follows (its units and their allowances, which sum
to the legal processing time; Decree 61/2018 Art. 19).

The catalogue is also the contract of online filing (Decree 42/2022/NĐ-CP,
Decree 45/2020/NĐ-CP; vn-one-stop-rules.md §5): each procedure declares its
e-form (:mod:`tthc_core.eform`), which document may be a photo, a PDF or
reused from the citizen's earlier dossiers (Kho quản lý dữ liệu điện tử), the
fees with their exemptions, and the return channels it allows.
"""

from __future__ import annotations

import enum

import attrs

from tthc_core.calendar import Duration, TimeUnit
from tthc_core.codes import ProcedureCode
from tthc_core.eform import YES, FieldKind, FormField, check_form
from tthc_core.errors import InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.validators import non_blank as _non_blank
from tthc_core.validators import positive as _positive

__all__ = [
    "CopyType",
    "DocumentMedium",
    "Fee",
    "FeeExemption",
    "IdentityLevel",
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


class IdentityLevel(enum.Enum):
    """The identity an online filing needs (Decree 45/2020/NĐ-CP: authentication as required).

    ``PHONE``: the phone the citizen shares through the chat; ``VERIFIED``: an
    electronic identity verified by a provider (VNeID level 2).
    """

    PHONE = "phone"
    VERIFIED = "verified"


class DocumentMedium(enum.Enum):
    """How a document may be sent online (Decree 45/2020/NĐ-CP: electronic copies)."""

    PHOTO = "photo"  # ảnh chụp (JPEG/PNG)
    PDF = "pdf"  # tệp PDF (bản điện tử, bản chụp)
    REUSE = "reuse"  # dùng lại từ hồ sơ trước (Kho quản lý dữ liệu điện tử)


_ONLINE_MEDIA = (DocumentMedium.PHOTO, DocumentMedium.PDF)


@attrs.frozen
class RequiredDocument:
    """A document of the dossier (thành phần hồ sơ).

    Args:
        name: The document's name in Vietnamese.
        copy_type: Original, certified copy or copy.
        count: How many of it.
        media: How it may be sent online; a photo and a PDF unless the
            catalogue says otherwise.
        required: Whether an online dossier is incomplete without it.
    """

    name: str = attrs.field(validator=_non_blank)
    copy_type: CopyType = CopyType.ORIGINAL
    count: int = attrs.field(default=1, validator=_positive)
    media: tuple[DocumentMedium, ...] = attrs.field(default=_ONLINE_MEDIA)
    required: bool = True

    @media.validator
    def _check_media(self, _: object, value: tuple[DocumentMedium, ...]) -> None:
        if not value or len(set(value)) != len(value):
            raise InvalidInput(f"document {self.name!r}: media must be listed once each, not empty")

    @property
    def reusable(self) -> bool:
        """Whether it may be taken from the citizen's earlier dossiers."""
        return DocumentMedium.REUSE in self.media


@attrs.frozen
class FeeExemption:
    """Who does not pay (miễn phí, lệ phí): a yes/no field of the e-form answered "có".

    Args:
        field: The e-form's yes/no field that, answered "có", exempts.
        reason: Why, with the legal basis (shown to the citizen).
    """

    field: str = attrs.field(validator=_non_blank)
    reason: str = attrs.field(validator=_non_blank)


@attrs.frozen
class Fee:
    """A fee or charge (phí, lệ phí) in Vietnamese đồng.

    Args:
        name: What it is for.
        amount_vnd: Amount in VND (non-negative integer).
        exemptions: Who is exempt from it.
    """

    name: str = attrs.field(validator=_non_blank)
    amount_vnd: int = attrs.field()
    exemptions: tuple[FeeExemption, ...] = ()

    def due_vnd(self, answers: dict[str, str]) -> int:
        """The amount due given the e-form ``answers`` (0 when an exemption applies)."""
        exempt = any(answers.get(e.field) == YES for e in self.exemptions)
        return 0 if exempt else self.amount_vnd

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
        form: The e-form filled online, one field at a time.
        return_channels: How results may be returned; ``None`` (the default):
            the desk, the post when ``postal_return``, and electronically for
            toàn trình — see :attr:`returns`.
        identity: The identity an online filing needs.

    Raises:
        InvalidInput: If the steps' units differ from the processing time's, or
            their allowances do not sum to it; if the form repeats a field or a
            fee exemption names no yes/no field of it; if a return channel is
            not offered (post without ``postal_return``, electronic results
            short of toàn trình — Decree 42/2022/NĐ-CP).
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
    form: tuple[FormField, ...] = attrs.field(default=())
    return_channels: tuple[ReturnChannel, ...] | None = attrs.field(default=None)
    identity: IdentityLevel = IdentityLevel.PHONE

    @form.validator
    def _check_form(self, _: object, value: tuple[FormField, ...]) -> None:
        check_form(value, where=f"procedure {self.code}")
        yes_no = {f.name for f in value if f.kind is FieldKind.YES_NO}
        for fee in self.fees:
            for exemption in fee.exemptions:
                if exemption.field not in yes_no:
                    raise InvalidInput(
                        f"procedure {self.code}: the exemption from {fee.name!r} names "
                        f"{exemption.field!r}, which is no yes/no field of the e-form"
                    )

    @return_channels.validator
    def _check_returns(self, _: object, value: tuple[ReturnChannel, ...] | None) -> None:
        if value is None:
            return
        if not value or len(set(value)) != len(value):
            raise InvalidInput(f"procedure {self.code}: return channels must be listed once each")
        if ReturnChannel.POSTAL in value and not self.postal_return:
            raise InvalidInput(
                f"procedure {self.code}: postal return is listed but postal_return is false"
            )
        if ReturnChannel.ELECTRONIC in value and self.online_level is not OnlineLevel.FULL:
            raise InvalidInput(
                f"procedure {self.code}: an electronic result needs the toàn trình level",
                rule="Decree 42/2022/NĐ-CP",
            )

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

    def fee_due_vnd(self, answers: dict[str, str]) -> int:
        """The fees due for this e-form's ``answers``, exemptions applied (đồng)."""
        return sum(f.due_vnd(answers) for f in self.fees)

    @property
    def returns(self) -> tuple[ReturnChannel, ...]:
        """The return channels offered: :attr:`return_channels`, or the default they imply."""
        if self.return_channels is not None:
            return self.return_channels
        channels = [ReturnChannel.DESK]
        if self.postal_return:
            channels.append(ReturnChannel.POSTAL)
        if self.online_level is OnlineLevel.FULL:
            channels.append(ReturnChannel.ELECTRONIC)
        return tuple(channels)

    @property
    def files_online(self) -> bool:
        """Whether the dossier may be filed online (một phần or toàn trình)."""
        return self.online_level is not OnlineLevel.NONE
