"""Strategies for the procedure catalogue and the rule regimes."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from hypothesis import strategies as st

from tthc_core.calendar import Duration, TimeUnit
from tthc_core.catalogue import (
    CopyType,
    DocumentMedium,
    Fee,
    FeeExemption,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    StepTemplate,
)
from tthc_core.eform import FieldKind, FormField
from tthc_core.regime import REGIMES, Regime
from tthc_core.testing.strategies._codes import procedure_codes
from tthc_core.testing.strategies._receipt import vietnamese_text

__all__ = [
    "fees",
    "form_fields",
    "forms",
    "procedures",
    "processing_times",
    "regimes",
    "required_documents",
    "step_templates",
]

_PROCEDURE_NAMES = (
    "Đăng ký khai sinh",
    "Đăng ký kết hôn",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở",
    "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Đăng ký thành lập hộ kinh doanh",
)
_SECTORS = ("Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Thành lập và hoạt động doanh nghiệp")
_DOCUMENTS = (
    "Tờ khai đăng ký khai sinh theo mẫu",
    "Giấy chứng sinh",
    "Thẻ Căn cước công dân",
    "Giấy xác nhận tình trạng hôn nhân",
    "Bản vẽ thiết kế xây dựng",
)
_UNITS = ("Bộ phận Một cửa", "Công chức Tư pháp - Hộ tịch", "Lãnh đạo UBND xã ký duyệt")
_WORKING_UNITS = (TimeUnit.WORKING_DAYS, TimeUnit.WORKING_HOURS)


def _names(known: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Real catalogue wording most of the time, arbitrary Vietnamese words otherwise."""
    return st.one_of(st.sampled_from(known), vietnamese_text(1, 8))


def regimes() -> st.SearchStrategy[Regime]:
    """The 2018 and 2025 regimes."""
    return st.sampled_from(REGIMES)


def required_documents() -> st.SearchStrategy[RequiredDocument]:
    """Dossier documents: original, certified copy or copy, one to three; photo/PDF/reuse."""
    media = st.lists(st.sampled_from(DocumentMedium), min_size=1, max_size=3, unique=True)
    return st.builds(
        RequiredDocument,
        _names(_DOCUMENTS),
        st.sampled_from(CopyType),
        st.integers(1, 3),
        media=media.map(tuple),
        required=st.booleans(),
    )


_LABELS = ("Họ, chữ đệm và tên", "Ngày sinh", "Nơi sinh", "Giới tính", "Số định danh cá nhân")


@st.composite
def form_fields(draw: st.DrawFn, name: str | None = None) -> FormField:
    """E-form fields of every kind; choice fields get two to four distinct options."""
    kind = draw(st.sampled_from(FieldKind))
    choices: tuple[str, ...] = ()
    if kind is FieldKind.CHOICE:
        choices = tuple(
            draw(st.lists(st.sampled_from(_LABELS), min_size=2, max_size=4, unique=True))
        )
    return FormField(
        name=name or draw(st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)),
        label_vi=draw(_names(_LABELS)),
        kind=kind,
        required=draw(st.booleans()),
        help_vi=draw(st.one_of(st.just(""), vietnamese_text(1, 6))),
        choices=choices,
    )


def forms(max_size: int = 5) -> st.SearchStrategy[tuple[FormField, ...]]:
    """E-forms: up to ``max_size`` fields with distinct names."""
    names = st.lists(
        st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True), max_size=max_size, unique=True
    )
    return names.flatmap(lambda ns: st.tuples(*(form_fields(n) for n in ns)))


def fees() -> st.SearchStrategy[Fee]:
    """Fees and charges from free to 5,000,000 VND, in steps of 1,000."""
    return st.builds(
        Fee, _names(("Lệ phí", "Phí thẩm định")), st.integers(0, 5_000).map(lambda k: k * 1_000)
    )


def processing_times(max_amount: int = 30) -> st.SearchStrategy[Duration]:
    """Legal processing times: working days or working hours (never calendar days)."""
    return st.builds(Duration, st.integers(0, max_amount), st.sampled_from(_WORKING_UNITS))


def step_templates(allowance: Duration | None = None) -> st.SearchStrategy[StepTemplate]:
    """One internal step; its allowance is ``allowance`` if given."""
    allowances = st.just(allowance) if allowance is not None else processing_times()
    return st.builds(StepTemplate, _names(_UNITS), allowances)


@st.composite
def _steps_summing_to(draw: st.DrawFn, total: Duration) -> tuple[StepTemplate, ...]:
    """A step template whose allowances add up to ``total`` (Decree 61/2018 Art. 19)."""
    cuts = sorted(draw(st.lists(st.integers(0, total.amount), min_size=0, max_size=3)))
    return tuple(
        draw(step_templates(Duration(b - a, total.unit)))
        for a, b in pairwise([0, *cuts, total.amount])
    )


@st.composite
def procedures(draw: st.DrawFn) -> Procedure:
    """Catalogue procedures with documents, fees and (often) a consistent step template."""
    time = draw(processing_times())
    steps = draw(st.one_of(st.just(()), _steps_summing_to(time)))
    form = draw(forms())
    yes_no = [f.name for f in form if f.kind is FieldKind.YES_NO]
    exemptions = tuple(FeeExemption(n, "Miễn theo quy định") for n in yes_no[:1])
    drawn_fees = tuple(
        Fee(f.name, f.amount_vnd, exemptions) for f in draw(st.lists(fees(), max_size=2))
    )
    return Procedure(
        code=draw(procedure_codes()),
        name=draw(_names(_PROCEDURE_NAMES)),
        sector=draw(_names(_SECTORS)),
        processing_time=time,
        documents=tuple(draw(st.lists(required_documents(), max_size=4))),
        fees=drawn_fees,
        postal_intake=draw(st.booleans()),
        postal_return=draw(st.booleans()),
        online_level=draw(st.sampled_from(OnlineLevel)),
        steps=steps,
        form=form,
    )


REGISTRY: dict[type, Any] = {
    Regime: regimes(),
    RequiredDocument: required_documents(),
    Fee: fees(),
    StepTemplate: step_templates(),
    Procedure: procedures(),
    FormField: form_fields(),
    FeeExemption: st.builds(
        FeeExemption,
        st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True),
        _names(("Người thuộc hộ nghèo", "Người có công với cách mạng")),
    ),
}
