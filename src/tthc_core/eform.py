"""Electronic forms (tờ khai điện tử) as data: typed fields, Vietnamese labels, validation.

Decree 42/2022/NĐ-CP asks every online service for an e-form; Decree
45/2020/NĐ-CP Art. 9 lets the citizen file it instead of the paper declaration
(vn-one-stop-rules.md §5). A procedure's form is a tuple of :class:`FormField`
in the catalogue (:class:`tthc_core.catalogue.Procedure.form`); the chat asks
one field at a time and :meth:`FormField.read` turns the citizen's answer
into its stored, normalised text or raises :class:`InvalidAnswer` with a
Vietnamese sentence to show them. Input is read with or without diacritics.
"""

from __future__ import annotations

import datetime as dt
import enum
import re

import attrs

from tthc_core.errors import InvalidInput
from tthc_core.party import normalise_phone
from tthc_core.text import fold, nfc
from tthc_core.validators import non_blank as _non_blank
from tthc_core.validators import positive as _positive

__all__ = ["NO", "YES", "FieldKind", "FormField", "InvalidAnswer", "check_form"]

#: The stored answers of a yes/no field.
YES, NO = "có", "không"


class InvalidAnswer(InvalidInput):
    """An answer the field does not accept; ``reason_vi`` is shown to the citizen.

    Attributes:
        reason_vi: What is wrong and how to answer, in Vietnamese (NFC).
    """

    def __init__(self, field: str, reason_vi: str) -> None:
        super().__init__(f"answer to {field!r} refused: {reason_vi}")
        self.reason_vi = nfc(reason_vi)


class FieldKind(enum.Enum):
    """What a field holds, and so how an answer is read."""

    TEXT = "text"  # free text
    DATE = "date"  # ngày/tháng/năm, stored ISO 8601
    NUMBER = "number"  # a non-negative whole number
    PHONE = "phone"  # a Vietnamese phone number, stored 0xxxxxxxxx
    ID_NUMBER = "id_number"  # số định danh cá nhân / CCCD, 12 digits (Law on Identification 2023)
    CHOICE = "choice"  # one of ``choices``, by number or by name
    YES_NO = "yes_no"  # có / không


_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_DATE = re.compile(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})")
_YES = frozenset({"co", "c", "yes", "y", "dung", "1", "ok"})
_NO = frozenset({"khong", "k", "ko", "no", "n", "sai", "0"})


def _choices(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(nfc(c) for c in value)


def _name(_: object, __: object, value: str) -> None:
    if not _NAME.fullmatch(value):
        raise InvalidInput(
            f"form field name {value!r} must be a lower-case ASCII identifier of at most 40 "
            "characters, such as 'ho_ten'"
        )


@attrs.frozen
class FormField:
    """One field of an e-form.

    Args:
        name: Its key (lower-case ASCII identifier, unique in the form).
        label_vi: The question shown to the citizen (Vietnamese).
        kind: How answers are read.
        required: Whether it must be answered (an optional field is skipped with ``bỏ qua``).
        help_vi: Guidance shown with the question.
        choices: The options of a :attr:`FieldKind.CHOICE` field.
        max_length: The longest text answer accepted.
    """

    name: str = attrs.field(validator=_name)
    label_vi: str = attrs.field(converter=nfc, validator=_non_blank)
    kind: FieldKind = FieldKind.TEXT
    required: bool = True
    help_vi: str = attrs.field(default="", converter=nfc)
    choices: tuple[str, ...] = attrs.field(default=(), converter=_choices)
    max_length: int = attrs.field(default=200, validator=_positive)

    @choices.validator
    def _check_choices(self, _: object, value: tuple[str, ...]) -> None:
        if (self.kind is FieldKind.CHOICE) != bool(value):
            raise InvalidInput(f"form field {self.name!r}: choices belong to (only) a choice field")
        if len({fold(c) for c in value}) != len(value):
            raise InvalidInput(f"form field {self.name!r}: two choices read the same")

    def read(self, answer: str) -> str:
        """The stored form of ``answer``.

        Raises:
            InvalidAnswer: With the Vietnamese reason to show the citizen.
        """
        text = " ".join(nfc(answer).split())
        if not text:
            raise InvalidAnswer(self.name, "Câu trả lời đang để trống.")
        if len(text) > self.max_length:
            raise InvalidAnswer(
                self.name, f"Câu trả lời dài quá {self.max_length} ký tự, xin viết ngắn lại."
            )
        return _READERS[self.kind](self, text)

    def show(self, stored: str) -> str:
        """A stored answer as a person reads it (a date as ngày/tháng/năm, e.g. 05/11/2026)."""
        if self.kind is FieldKind.DATE:
            try:
                return f"{dt.date.fromisoformat(stored):%d/%m/%Y}"
            except ValueError:
                return stored  # stored before this reading; shown as it is
        return stored


def _text(_: FormField, text: str) -> str:
    return text


def _date(field: FormField, text: str) -> str:
    found = _DATE.fullmatch(text)
    try:
        if found is None:
            return dt.date.fromisoformat(text).isoformat()
        day, month, year = (int(g) for g in found.groups())
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise InvalidAnswer(
            field.name, "Ngày chưa đúng. Xin ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2026."
        ) from None


def _number(field: FormField, text: str) -> str:
    digits = text.replace(".", "").replace(",", "").replace(" ", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
        raise InvalidAnswer(field.name, "Xin ghi một số nguyên, ví dụ 2.")
    return str(int(digits))


def _phone(field: FormField, text: str) -> str:
    try:
        return normalise_phone(text)
    except InvalidInput:
        raise InvalidAnswer(
            field.name, "Số điện thoại chưa đúng. Xin ghi 10 chữ số, ví dụ 0912345678."
        ) from None


def _id_number(field: FormField, text: str) -> str:
    digits = text.replace(" ", "").replace(".", "")
    if not (digits.isascii() and digits.isdigit() and len(digits) == 12):
        raise InvalidAnswer(
            field.name, "Số định danh cá nhân (căn cước) gồm đúng 12 chữ số, xin ghi lại."
        )
    return digits


def _choice(field: FormField, text: str) -> str:
    key = fold(text).strip(" .")
    for number, choice in enumerate(field.choices, 1):
        if key in (str(number), fold(choice)):
            return choice
    listed = "; ".join(f"{n}. {c}" for n, c in enumerate(field.choices, 1))
    raise InvalidAnswer(field.name, f"Xin chọn một trong: {listed}.")


def _yes_no(field: FormField, text: str) -> str:
    key = fold(text).strip(" .!")
    if key in _YES:
        return YES
    if key in _NO:
        return NO
    raise InvalidAnswer(field.name, "Xin trả lời “có” hoặc “không”.")


_READERS = {
    FieldKind.TEXT: _text,
    FieldKind.DATE: _date,
    FieldKind.NUMBER: _number,
    FieldKind.PHONE: _phone,
    FieldKind.ID_NUMBER: _id_number,
    FieldKind.CHOICE: _choice,
    FieldKind.YES_NO: _yes_no,
}


def check_form(fields: tuple[FormField, ...], *, where: str) -> None:
    """A form's field names must be unique.

    Raises:
        InvalidInput: Naming the repeated field.
    """
    seen: set[str] = set()
    for f in fields:
        if f.name in seen:
            raise InvalidInput(f"{where}: form field {f.name!r} appears twice")
        seen.add(f.name)
