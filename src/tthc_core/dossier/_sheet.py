"""The process control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ).

Mẫu 05 of Circular 01/2018/TT-VPCP (Mẫu 06 of Circular 03/2025/TT-VPCP): one
row per handover — "Giao: [unit] … giờ … phút, ngày …", "Nhận: [unit]", and
the step's result "Trước hạn / Đúng hạn / Quá hạn". Consulted agencies record
their part on it too (Decree 61/2018 Art. 19(5)(b)). Each
:class:`ControlSheetEntry` is the step of the unit that *received* the dossier:
its allowance, its due time, and when it handed the dossier on.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator

import attrs

from tthc_core.calendar import Duration
from tthc_core.document_text import format_instant_vi
from tthc_core.dossier._timeliness import Timeliness, classify_finished, classify_open
from tthc_core.regime import Form, Regime

__all__ = ["ControlSheet", "ControlSheetEntry", "HandoverKind"]


class HandoverKind(enum.Enum):
    """What a handover is."""

    INTERNAL = "internal"  # between units or officers of the handling agency
    TO_AGENCY = "to_agency"  # to another agency (liên thông)
    FROM_AGENCY = "from_agency"  # back from that agency


@attrs.frozen
class ControlSheetEntry:
    """One row of the control sheet: a handover and the receiving unit's step.

    Args:
        sequence: The row number, from 1.
        kind: Internal, to another agency, or back from it.
        from_unit: The unit handing over (Giao).
        from_officer: Its officer, if known.
        to_unit: The unit receiving (Nhận).
        to_officer: Its officer, if assigned.
        handed_at: When the dossier changed hands.
        allowance: The receiving unit's time allowance (working time).
        due_at: When its step is due; shifted while the dossier waited for
            the applicant's supplement.
        step_index: The step of the procedure's template it follows (from 0),
            or ``None`` for an ad-hoc handover.
        note: Ghi chú.
        completed_at: When the receiving unit handed the dossier on, or
            processing ended; ``None`` while it holds the dossier.
        late_transfer: The desk transferred this paper dossier later than
            Decree 61/2018 Art. 18 allows (first row only).
    """

    sequence: int
    kind: HandoverKind
    from_unit: str
    from_officer: str | None
    to_unit: str
    to_officer: str | None
    handed_at: dt.datetime
    allowance: Duration
    due_at: dt.datetime
    step_index: int | None = None
    note: str = ""
    completed_at: dt.datetime | None = None
    late_transfer: bool = False

    @property
    def result(self) -> Timeliness | None:
        """EARLY / ON_TIME / LATE once completed (Circular 01/2018 Art. 13, indicator 2)."""
        if self.completed_at is None:
            return None
        return classify_finished(self.completed_at, self.due_at)

    def timeliness(self, as_of: dt.datetime) -> Timeliness:
        """The result if completed, else IN_TIME or OVERDUE at ``as_of``."""
        if self.completed_at is not None:
            return classify_finished(self.completed_at, self.due_at)
        return classify_open(as_of, self.due_at)


_LATE_TRANSFER = "Chuyển hồ sơ chậm so với quy định (Điều 18 Nghị định số 61/2018/NĐ-CP)"


@attrs.frozen
class ControlSheet:
    """The control sheet of a dossier, in handover order.

    Args:
        entries: The rows, oldest first.
    """

    entries: tuple[ControlSheetEntry, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[ControlSheetEntry]:
        return iter(self.entries)

    @property
    def open_entry(self) -> ControlSheetEntry | None:
        """The step now running (the last row, if not completed)."""
        if self.entries and self.entries[-1].completed_at is None:
            return self.entries[-1]
        return None

    def title(self, regime: Regime) -> str:
        """The form's number and title under ``regime`` (Mẫu 05 in 2018, Mẫu 06 in 2025)."""
        return regime.form_label(Form.CONTROL_SHEET)

    def to_markdown(self, regime: Regime, *, as_of: dt.datetime | None = None) -> str:
        """The sheet as a Markdown table in the form's wording (Vietnamese).

        Args:
            regime: The dossier's regime, for the form number.
            as_of: For the open step's IN_TIME/OVERDUE; without it the open
                step's result is left blank.
        """
        lines = [
            f"**{self.title(regime)}**",
            "",
            "| STT | TÊN CƠ QUAN | THỜI GIAN GIAO, NHẬN HỒ SƠ | KẾT QUẢ GIẢI QUYẾT HỒ SƠ "
            "(Trước hạn/đúng hạn/quá hạn) | GHI CHÚ |",
            "|---|---|---|---|---|",
        ]
        for e in self.entries:
            result = e.result or (e.timeliness(as_of) if as_of is not None else None)
            note = "; ".join(filter(None, (e.note, _LATE_TRANSFER if e.late_transfer else "")))
            label = result.label_vi if result else ""
            lines.append(
                f"| {e.sequence} | Giao: {e.from_unit}<br>Nhận: {e.to_unit} "
                f"| {format_instant_vi(e.handed_at)} | {label} | {note} |"
            )
        return "\n".join(lines)
