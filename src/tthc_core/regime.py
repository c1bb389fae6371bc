"""Rule versions (regimes) of the one-stop mechanism, chosen by receipt date.

* ``REGIME_2018``: Decree 61/2018/NĐ-CP (in force 21/6/2018) and Circular
  01/2018/TT-VPCP (in force 06/01/2019); district People's Committees exist; six
  forms (Mẫu 01-06), the control sheet is Mẫu 05.
* ``REGIME_2025``: Decree 118/2025/NĐ-CP (in force 01/7/2025) and Circular
  03/2025/TT-VPCP; province and commune levels only; seven forms (Mẫu 01-07),
  Mẫu 05 is the stop notice (Thông báo dừng) and the control sheet is Mẫu 06.

A dossier keeps the regime in force on its receipt date for life.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from tthc_core.errors import InvalidInput

__all__ = ["Form", "Regime", "SupplementClock", "regime_for"]


class SupplementClock(enum.Enum):
    """How a supplement request after appraisal affects the processing clock.

    ``RESTART``: Decree 61/2018 Art. 19(4) original text, "thời hạn giải quyết
    được tính lại từ đầu sau khi nhận đủ hồ sơ". ``PAUSE``: Decision 766/QĐ-TTg
    KPI 2.1, the citizen's supplement time is not counted and more than one
    supplement request counts as late.
    """

    RESTART = "restart"
    PAUSE = "pause"


class Form(enum.Enum):
    """The one-stop forms (biểu mẫu), named by purpose; numbers depend on the regime."""

    RECEIPT = "receipt"  # Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    SUPPLEMENT_REQUEST = "supplement_request"  # Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    REFUSAL = "refusal"  # Phiếu từ chối tiếp nhận giải quyết hồ sơ
    APOLOGY = "apology"  # Phiếu xin lỗi và hẹn lại ngày trả kết quả / Văn bản xin lỗi ...
    STOP_NOTICE = "stop_notice"  # Thông báo dừng giải quyết hồ sơ (2025 only)
    CONTROL_SHEET = "control_sheet"  # Phiếu kiểm soát quá trình giải quyết hồ sơ
    LOG_BOOK = "log_book"  # Sổ theo dõi hồ sơ


@attrs.frozen(eq=False)  # singletons compared by identity; dict fields are unhashable
class Regime:
    """A version of the one-stop rules.

    Args:
        name: ``"2018"`` or ``"2025"``.
        effective_from: First receipt date the regime governs.
        legal_basis: The decree and circular.
        legal_basis_vi: The same, as a Vietnamese document cites them (what
            citizens read: "Nghị định số 61/2018/NĐ-CP; Thông tư số 01/2018/TT-VPCP").
        forms_basis_vi: The text that issues the forms, cited in Vietnamese on
            each printed form ("Thông tư số 01/2018/TT-VPCP").
        has_district_level: Whether district (cấp huyện) desks exist.
        forms: Form number by purpose (Circular 01/2018 Art. 9 / Circular 03/2025 Phụ lục I).
        form_titles: Vietnamese title of each form.
        supplement_clock: Default clock policy after a supplement request.
        apology_min_lead_working_days: How many working days before the due
            *day* an apology (Mẫu 04) must be issued at the latest (Decree
            61/2018 Art. 19(9): "chậm nhất 01 ngày trước ngày hết hạn").
        max_reschedules: How many times the appointment may be moved (Art. 19(9): once).
        max_supplement_requests: How many supplement requests (Mẫu 02, at intake
            and after appraisal together) a dossier may receive; ``None`` for no
            limit (a further request is recorded and counted late instead).
    """

    name: str
    effective_from: dt.date
    legal_basis: str
    legal_basis_vi: str
    forms_basis_vi: str
    has_district_level: bool
    forms: dict[Form, int]
    form_titles: dict[Form, str]
    supplement_clock: SupplementClock
    apology_min_lead_working_days: int = 1
    max_reschedules: int = 1
    max_supplement_requests: int | None = None

    def form_number(self, form: Form) -> int:
        """The form's number (Mẫu NN) under this regime.

        Raises:
            InvalidInput: If the regime has no such form (the stop notice in 2018).
        """
        try:
            return self.forms[form]
        except KeyError:
            raise InvalidInput(f"regime {self.name} has no {form.value} form") from None

    def form_label(self, form: Form) -> str:
        """``"Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả"`` and the like."""
        return f"Mẫu {self.form_number(form):02d} – {self.form_titles[form]}"


_TITLES = {
    Form.RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    Form.SUPPLEMENT_REQUEST: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    Form.REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    Form.CONTROL_SHEET: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    Form.LOG_BOOK: "Sổ theo dõi hồ sơ",
}

REGIME_2018 = Regime(
    name="2018",
    effective_from=dt.date(2018, 6, 21),
    legal_basis="Decree 61/2018/NĐ-CP; Circular 01/2018/TT-VPCP",
    legal_basis_vi="Nghị định số 61/2018/NĐ-CP; Thông tư số 01/2018/TT-VPCP",
    forms_basis_vi="Thông tư số 01/2018/TT-VPCP",
    has_district_level=True,
    forms={
        Form.RECEIPT: 1,
        Form.SUPPLEMENT_REQUEST: 2,
        Form.REFUSAL: 3,
        Form.APOLOGY: 4,
        Form.CONTROL_SHEET: 5,
        Form.LOG_BOOK: 6,
    },
    form_titles={**_TITLES, Form.APOLOGY: "Phiếu xin lỗi và hẹn lại ngày trả kết quả"},
    supplement_clock=SupplementClock.RESTART,
    # Decree 61/2018 Art. 11(2)(c): "chỉ được yêu cầu sửa đổi, bổ sung một lần".
    max_supplement_requests=1,
)

REGIME_2025 = Regime(
    name="2025",
    effective_from=dt.date(2025, 7, 1),
    legal_basis="Decree 118/2025/NĐ-CP; Circular 03/2025/TT-VPCP",
    legal_basis_vi="Nghị định số 118/2025/NĐ-CP; Thông tư số 03/2025/TT-VPCP",
    forms_basis_vi="Thông tư số 03/2025/TT-VPCP",
    has_district_level=False,
    forms={
        Form.RECEIPT: 1,
        Form.SUPPLEMENT_REQUEST: 2,
        Form.REFUSAL: 3,
        Form.APOLOGY: 4,
        Form.STOP_NOTICE: 5,
        Form.CONTROL_SHEET: 6,
        Form.LOG_BOOK: 7,
    },
    form_titles={
        **_TITLES,
        Form.APOLOGY: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        Form.STOP_NOTICE: "Thông báo dừng giải quyết hồ sơ",
    },
    supplement_clock=SupplementClock.PAUSE,
)

REGIMES = (REGIME_2018, REGIME_2025)


def regime_named(name: str) -> Regime:
    """The regime called ``name`` (``"2018"`` or ``"2025"``).

    Raises:
        InvalidInput: For an unknown name.
    """
    for regime in REGIMES:
        if regime.name == name:
            return regime
    raise InvalidInput(f"unknown regime {name!r}; expected one of 2018, 2025")


def regime_for(received_on: dt.date) -> Regime:
    """The regime in force on a dossier's receipt date.

    Raises:
        InvalidInput: For dates before Decree 61/2018 took effect (21/6/2018).
    """
    for regime in reversed(REGIMES):
        if received_on >= regime.effective_from:
            return regime
    raise InvalidInput(
        f"{received_on.isoformat()} predates Decree 61/2018 (in force 21/6/2018); "
        "tthc models no earlier one-stop rules"
    )


__all__ += ["REGIMES", "REGIME_2018", "REGIME_2025", "regime_named"]
