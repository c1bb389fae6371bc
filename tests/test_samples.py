"""The demo and sample data follow the rules they illustrate (issue #10, item 11).

* On-time birth registration is fee-exempt (Law on Civil Status 2014 Art. 11(1)(b)): no
  sample charges it.
* The receipt's place-and-date line starts with the place name and the body starts with
  "Bộ phận tiếp nhận và trả kết quả: …" (Mẫu 01, 2018 layout; Decree 30/2020 Phụ lục I).
"""

from __future__ import annotations

import re

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.cli._receipt import sample_receipt
from tthc_core.calendar import TimeUnit
from tthc_core.receipt import receipt_sheet
from tthc_core.testing.dossiers import BIRTH_REGISTRATION
from tthc_core.text import fold


def _is_birth_registration(name: str) -> bool:
    return fold(name) == fold("Đăng ký khai sinh")


def test_no_sample_charges_on_time_birth_registration() -> None:
    samples = [BIRTH_REGISTRATION, *DEMO_CATALOGUE]
    births = [p for p in samples if _is_birth_registration(p.name)]
    assert births, "the samples should include a birth registration"
    assert all(not p.fees for p in births)
    receipt = sample_receipt()
    assert _is_birth_registration(receipt.procedure_name)
    assert receipt.fees == ()


def test_the_sample_birth_registration_is_a_same_day_procedure() -> None:
    assert sample_receipt().processing_time.unit is TimeUnit.SAME_DAY


def test_the_sample_receipt_dates_and_units_are_printed_as_the_form_wants() -> None:
    sheet = receipt_sheet(sample_receipt())
    assert re.fullmatch(r"Krông Năng, ngày \d{2} tháng \d{1,2} năm \d{4}", sheet.place_date)
    assert sheet.fields[0][0] == "Bộ phận tiếp nhận và trả kết quả"


def test_the_demo_copy_from_the_register_is_a_same_day_procedure() -> None:
    # Decree 23/2015/NĐ-CP Art. 7(1): the same day, or the next working day after 15:00.
    (copy,) = [p for p in DEMO_CATALOGUE if fold(p.name) == fold("Cấp bản sao từ sổ gốc")]
    assert copy.processing_time.unit is TimeUnit.SAME_DAY
    assert copy.processing_time.effective_cutoff.hour == 15
