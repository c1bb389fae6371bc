"""Field mapping shared by the protocol profiles (reference §5.1, §5.2).

``modern=True`` adds the 2023+ fields (Thanh Hóa 2024, TH-DTO): ``KenhThucHien``,
``NgayNopHoSo``, ``NgayTuChoi``, ``DinhDanhCHS``, ``HoSoCoThanhPhanSoHoa``,
``TaiKhoanDuocXacThucVoiVNeID``, ``DuocThanhToanTrucTuyen``, ``DSKetNoiCSDL``,
``DuocSoHoa``/``DuocTaiSuDung``/``DuocLayTuKhoDMQG`` on files and
``MaGiayToKetQua`` on results. ``numbers`` turns numbers into strings, as the
2020 RPC profile sends them.
"""

from __future__ import annotations

from typing import Any

from tthc_adapters.portal._dates import format_stamp
from tthc_core.errors import InvalidInput
from tthc_core.portal import DossierSnapshot, ProgressRow

__all__ = ["read_error_code", "row_fields", "snapshot_fields"]

#: ``TrichYeuHoSo`` limit (Thanh Hóa, **M**): longer summaries are cut with a marker (§17).
SUMMARY_MAX = 1000
_CUT = " […]"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(_CUT)] + _CUT


def _n(value: int, numbers: bool) -> Any:
    return str(value) if numbers else value


def snapshot_fields(s: DossierSnapshot, *, modern: bool, numbers: bool) -> dict[str, Any]:
    """The snapshot as the portal's dossier object."""
    out: dict[str, Any] = {
        "MaHoSo": s.code,
        "MaTTHC": s.procedure_code,
        "TenTTHC": s.procedure_name,
        "MaLinhVuc": s.domain_code,
        "TenLinhVuc": s.domain_name,
        "ChuHoSo": s.applicant_name,
        "LoaiDoiTuong": _n(int(s.applicant_kind), numbers),
        "MaDoiTuong": s.account_id or "",
        "SoGiayToChuHoSo": s.identity_number or "",
        "TrichYeuHoSo": _cut(s.summary, SUMMARY_MAX),
        "NgayTiepNhan": format_stamp(s.received_at),
        "NgayHenTra": format_stamp(s.due_at),
        "NgayTra": format_stamp(s.returned_at),
        "NgayKetThucXuLy": format_stamp(s.finished_at),
        "TrangThaiHoSo": _n(s.status, numbers),
        "HinhThuc": _n(int(s.return_method), numbers),
        "ThongTinTra": "",
        "DonViXuLy": s.handling_agency,
        "TaiLieuNop": [
            {
                "TepDinhKemId": a.id,
                "TenTepDinhKem": a.name,
                "IsDeleted": False,
                "MaThanhPhanHoSo": a.component_code,
                "DuongDanTaiTepTin": a.url,
                **(
                    {
                        "DuocSoHoa": int(a.digitised),
                        "DuocTaiSuDung": a.reused,
                        "DuocLayTuKhoDMQG": int(a.from_data_store),
                    }
                    if modern
                    else {}
                ),
            }
            for a in s.attachments
        ],
        "DanhSachLePhi": [
            {
                "TenPhiLePhi": f.name,
                "MaPhiLePhi": f.code,
                "HinhThucThu": _n(f.collection, numbers),
                "Gia": _n(f.amount_vnd, numbers),
                "LoaiPhiLePhi": _n(f.kind, numbers),
            }
            for f in s.fees
        ],
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": [
            {
                "HoSoBoSungId": r.id,
                "NguoiYeuCauBoSung": r.requested_by,
                "NoiDungBoSung": r.content,
                "NgayBoSung": format_stamp(r.requested_at),
                "NgayTiepNhanBoSung": format_stamp(r.received_at),
                "TrangThaiBoSung": _n(1 if r.received_at else 0, numbers),
            }
            for r in s.supplements
        ],
        "DanhSachGiayToKetQua": [
            {
                "TenGiayTo": r.name,
                "MaThanhPhanHoSo": r.component_code,
                "GiayToId": r.id,
                "DuongDanTepTinKetQua": r.url or "",
                **({"MaGiayToKetQua": r.result_code} if modern else {}),
            }
            for r in s.results
        ],
    }
    if modern:
        out |= {
            "KenhThucHien": s.channel.value,
            "NgayNopHoSo": format_stamp(s.submitted_at),
            "NgayTuChoi": format_stamp(s.refused_at),
            "DinhDanhCHS": (
                [
                    {
                        "LoaiDinhDanh": 1 if len(s.identity_number) == 12 else 2,
                        "SoDinhDanh": s.identity_number,
                    }
                ]
                if s.identity_number
                else []
            ),
            "HoSoCoThanhPhanSoHoa": int(any(a.digitised for a in s.attachments)),
            "TaiKhoanDuocXacThucVoiVNeID": int(s.vneid_verified),
            "DuocThanhToanTrucTuyen": int(s.paid_online),
            "DSKetNoiCSDL": [{"MaCSDL": code} for code in s.databases],
        }
    return out


def row_fields(row: ProgressRow, *, numbers: bool) -> dict[str, Any]:
    """A progress row as the portal's object (§5.2)."""
    return {
        "MaHoSo": row.code,
        "NguoiXuLy": row.handler,
        "ChucDanh": row.title,
        "ThoiDiemXuLy": format_stamp(row.at),
        "PhongBanXuLy": row.department,
        "NoiDungXuLy": row.content,
        "TrangThai": _n(row.status, numbers),
        "NgayBatDau": "",
        "NgayKetThucTheoQuyDinh": format_stamp(row.due_at),
    }


def read_error_code(value: object) -> int | None:
    """``error_code`` as an integer whatever its spelling: ``0``, ``"0"``, ``"00"`` → 0 (OC-00, §9).

    Raises:
        InvalidInput: If it is neither an integer nor a string of one.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"error_code must be an integer, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise InvalidInput(f"error_code must be an integer or its digits, got {value!r}")
