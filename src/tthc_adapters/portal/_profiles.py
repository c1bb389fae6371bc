"""The two protocol profiles seen in public code (reference ``dvcqg-sync.md`` §3, §4.1, §4.2).

* :class:`RpcProfile` (``dvcqg-rpc-2020``, OpenCPS): one adapter endpoint,
  the operation named in the body (``service``), ``isUpdating`` as
  ``"True"``/``"False"``, numbers as strings; the login session and ``madonvi``
  go into the body and the routing code into the ``dstcode`` header
  (:class:`~tthc_adapters.portal.SessionLogin` adds them).
* :class:`UrlProfile` (``dvcqg-url-2024``, Thanh Hóa): one URL per operation,
  bare JSON arrays, the 2023+ fields.

Paths and operation names not in public code (inbound list and acknowledge,
payment report, the URL-style look-up) are configuration with our defaults.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import attrs

from tthc_adapters.portal._dates import parse_stamp
from tthc_adapters.portal._fields import row_fields, snapshot_fields
from tthc_core.portal import DossierSnapshot, FeeLine, InboundDossier, ProgressRow, RemoteView

__all__ = ["Profile", "Request", "RpcProfile", "UrlProfile", "read_inbound", "read_view"]


@attrs.frozen
class Request:
    """One POST: the path under the base URL and the JSON body."""

    path: str
    body: Any


class Profile(Protocol):
    """How one protocol profile spells each operation."""

    @property
    def name(self) -> str:
        """The profile's name (``dvcqg-rpc-2020``...)."""
        ...

    def upsert(self, snapshot: DossierSnapshot, *, update: bool) -> Request: ...
    def progress(self, code: str, rows: Sequence[ProgressRow]) -> Request: ...
    def lookup(self, code: str) -> Request: ...
    def payment(self, code: str, fees: Sequence[FeeLine]) -> Request: ...
    def inbound(self, since: str | None) -> Request: ...
    def acknowledge(self, national_code: str) -> Request: ...


def _fees(code: str, fees: Sequence[FeeLine], *, numbers: bool) -> dict[str, Any]:
    """The paid lines (§12 bill content), all of them each time: a re-sent report converges."""

    def number(value: int) -> int | str:
        return str(value) if numbers else value

    return {
        "MaHoSo": code,
        "PhiLePhi": [
            {
                "LoaiPhiLePhi": number(f.kind),
                "MaPhiLePhi": f.code,
                "TenPhiLePhi": f.name,
                "SoTien": number(f.amount_vnd),
            }
            for f in fees
        ],
    }


@attrs.frozen
class RpcProfile:
    """``dvcqg-rpc-2020``: ``POST <data_path>`` with ``{"service": ..., ...}``."""

    data_path: str = "/mapi/g"
    name: str = "dvcqg-rpc-2020"

    def _call(self, service: str, **fields: Any) -> Request:
        return Request(self.data_path, {"service": service, **fields})

    def upsert(self, snapshot: DossierSnapshot, *, update: bool) -> Request:
        data = [snapshot_fields(snapshot, modern=False, numbers=True)]
        return self._call("DongBoHoSoMC", isUpdating=str(update), data=data)

    def progress(self, code: str, rows: Sequence[ProgressRow]) -> Request:
        return self._call("CapNhatTienDoHoSoMC", data=[row_fields(r, numbers=True) for r in rows])

    def lookup(self, code: str) -> Request:
        return self._call("TraCuuHoSo", mahoso=code)

    def payment(self, code: str, fees: Sequence[FeeLine]) -> Request:
        return self._call("DongBoThanhToanHoSo", data=_fees(code, fees, numbers=True))

    def inbound(self, since: str | None) -> Request:
        return self._call("DanhSachHoSo", since=since or "")

    def acknowledge(self, national_code: str) -> Request:
        return self._call("XacNhanDaNhanHoSo", mahoso=national_code, daNhan=True)


@attrs.frozen
class UrlProfile:
    """``dvcqg-url-2024``: one path per operation (``URLThemMoi``, ``URLCapNhat``...)."""

    add_path: str = "/ThemMoi"
    update_path: str = "/CapNhat"
    progress_path: str = "/DongBoTienTrinh"
    lookup_path: str = "/TraCuuHoSo"
    payment_path: str = "/DongBoThanhToan"
    inbound_path: str = "/LayDanhSachHoSo"
    ack_path: str = "/XacNhanDaNhan"
    name: str = "dvcqg-url-2024"

    def upsert(self, snapshot: DossierSnapshot, *, update: bool) -> Request:
        path = self.update_path if update else self.add_path
        return Request(path, [snapshot_fields(snapshot, modern=True, numbers=False)])

    def progress(self, code: str, rows: Sequence[ProgressRow]) -> Request:
        return Request(self.progress_path, [row_fields(r, numbers=False) for r in rows])

    def lookup(self, code: str) -> Request:
        return Request(self.lookup_path, {"MaHoSo": code})

    def payment(self, code: str, fees: Sequence[FeeLine]) -> Request:
        return Request(self.payment_path, _fees(code, fees, numbers=False))

    def inbound(self, since: str | None) -> Request:
        return Request(self.inbound_path, {"since": since or ""})

    def acknowledge(self, national_code: str) -> Request:
        return Request(self.ack_path, {"MaHoSo": national_code, "daNhan": True})


def read_view(body: dict[str, Any]) -> RemoteView | None:
    """A ``TraCuuHoSo`` answer: non-empty ``result`` means the dossier exists (§4.1).

    The progress list (``TienDo``) in the result is our assumption: the real
    answer's content is not public (§16).
    """
    result = body.get("result") or []
    if not result:
        return None
    first = result[0]
    progress = tuple(
        (parse_stamp(str(r["ThoiDiemXuLy"])), int(r["TrangThai"]), str(r["NoiDungXuLy"]))
        for r in first.get("TienDo", [])
    )
    return RemoteView(
        code=str(first["MaHoSo"]),
        status=int(first["TrangThaiHoSo"]),
        progress=tuple((at, status, text) for at, status, text in progress if at is not None),
    )


def _optional(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def read_inbound(body: dict[str, Any]) -> tuple[list[InboundDossier], str | None]:
    """An inbound list answer: dossiers and the new mark."""
    items = []
    for raw in body.get("result") or []:
        submitted = parse_stamp(str(raw["NgayNopHoSo"]))
        if submitted is None:
            continue
        items.append(
            InboundDossier(
                national_code=str(raw["MaHoSo"]),
                procedure_code=str(raw["MaTTHC"]),
                applicant_name=str(raw["ChuHoSo"]),
                submitted_at=submitted,
                mark=str(raw.get("mark", "")),
                applicant_phone=_optional(raw.get("SoDienThoai")),
                identity_number=_optional(raw.get("SoGiayToChuHoSo")),
            )
        )
    mark = body.get("mark")
    return items, (str(mark) if mark else None)
