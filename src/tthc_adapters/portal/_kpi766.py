"""Decision 766 indicators computed from what the fake portal received (reference §13).

Computed, per the implementation spec quoted in §13 (**H** there, not checked
against the decision's text):

* 1.4 synced dossiers: those with ``NgayTiepNhan`` in the period (the share
  needs the national reporting system's total, given as ``reported_total``);
* 2.1 on time: finished dossiers with ``NgayKetThucXuLy`` ≤ ``NgayHenTra``;
  more than one supplement request (status 5 rows) counts as late;
* 3.3 online channel: ``KenhThucHien == 2`` (missing counts as direct);
* 3.6 paid online: dossiers with a non-zero fee line and ``DuocThanhToanTrucTuyen`` 1 or 2;
* 4.1 e-results: finished dossiers with a result link;
* 4.2 digitisation: dossiers with at least one attachment marked ``DuocSoHoa``.

Not computed: 3.5 (needs the procedure's fee schedule), 4.3/4.4 (reuse needs
the data store's side), 4.5 (``MaCSDL`` code table unknown), 5.x (PAKN).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from tthc_adapters.portal._dates import parse_stamp
from tthc_adapters.portal._fake import FakeNationalPortal

__all__ = ["Indicator", "evaluate_766"]


@attrs.frozen
class Indicator:
    """One indicator: its number, what it counts, and numerator/denominator."""

    number: str
    name: str
    numerator: int
    denominator: int

    @property
    def percent(self) -> float | None:
        """The share in percent, or ``None`` when nothing qualifies."""
        return None if self.denominator == 0 else round(100 * self.numerator / self.denominator, 1)


def _finished(d: dict[str, Any]) -> bool:
    return bool(d.get("NgayKetThucXuLy"))


def _in(d: dict[str, Any], start: dt.datetime, end: dt.datetime) -> bool:
    at = parse_stamp(str(d.get("NgayTiepNhan") or ""))
    return at is not None and start <= at < end


def evaluate_766(
    fake: FakeNationalPortal, *, start: dt.datetime, end: dt.datetime, reported_total: int
) -> list[Indicator]:
    """The indicators over dossiers received in ``[start, end)``."""
    ds = [d for d in fake.dossiers.values() if _in(d, start, end)]
    done = [d for d in ds if _finished(d)]

    def on_time(d: dict[str, Any]) -> bool:
        rows = fake.progress.get(str(d["MaHoSo"]), [])
        if sum(1 for r in rows if int(r["TrangThai"]) == 5) > 1:
            return False
        due = parse_stamp(str(d.get("NgayHenTra") or ""))
        end_at = parse_stamp(str(d["NgayKetThucXuLy"]))
        return due is not None and end_at is not None and end_at <= due

    charged = [d for d in ds if any(int(f.get("Gia", 0)) > 0 for f in d.get("DanhSachLePhi", []))]
    return [
        Indicator("1.4", "dossiers synchronised", len(ds), reported_total),
        Indicator("2.1", "finished on time", sum(on_time(d) for d in done), len(done)),
        Indicator(
            "3.3", "filed online", sum(int(d.get("KenhThucHien") or 1) == 2 for d in ds), len(ds)
        ),
        Indicator(
            "3.6",
            "fees paid online",
            sum(int(d.get("DuocThanhToanTrucTuyen") or 0) in (1, 2) for d in charged),
            len(charged),
        ),
        Indicator(
            "4.1",
            "electronic results",
            sum(
                any(r.get("DuongDanTepTinKetQua") for r in d.get("DanhSachGiayToKetQua", []))
                for d in done
            ),
            len(done),
        ),
        Indicator(
            "4.2",
            "digitised components",
            sum(any(a.get("DuocSoHoa") == 1 for a in d.get("TaiLieuNop", [])) for d in ds),
            len(ds),
        ),
    ]
