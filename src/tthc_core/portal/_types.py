"""Pure value types exchanged with the national portal (Cổng Dịch vụ công quốc gia, DVCQG).

Field set after the DVCQG dossier snapshot (``DongBoHoSoMC`` / the 2023+ add and
update URLs) and progress row (``CapNhatTienDoHoSoMC``), reference
``dvcqg-sync.md`` §5.1-§5.2. Datetimes are aware (§6 library rule: the adapter
formats them per target); naive ones are refused.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from tthc_core.dossier import Channel
from tthc_core.errors import InvalidInput

__all__ = [
    "TERMINAL_STATUSES",
    "ApplicantKind",
    "Attachment",
    "DossierSnapshot",
    "FeeLine",
    "InboundDossier",
    "PaidOnline",
    "PortalReply",
    "ProgressRow",
    "RemoteView",
    "ResultDocument",
    "ReturnMethod",
    "SupplementRound",
]

#: National statuses after which no progress may be appended (3 refused,
#: 8 stopped, 10 returned): the DVCLT terminal locks of §8.
TERMINAL_STATUSES = frozenset({3, 8, 10})


def aware(_: object, attribute: attrs.Attribute[Any], value: dt.datetime | None) -> None:
    """Refuse a naive datetime (reference §6: no zone-less instants)."""
    if value is not None and value.utcoffset() is None:
        raise InvalidInput(f"{attribute.name} must be timezone-aware, got naive {value!r}")


def _status(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if not 1 <= value <= 10:
        raise InvalidInput(f"{attribute.name} must be a national status 1-10, got {value}")


def _text(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise InvalidInput(f"{attribute.name} must not be blank")


class ApplicantKind(enum.IntEnum):
    """``LoaiDoiTuong`` (§5.1): 1 citizen, 2 enterprise, 3 state agency, 4 other."""

    CITIZEN = 1
    ENTERPRISE = 2
    STATE_AGENCY = 3
    OTHER = 4


class ReturnMethod(enum.IntEnum):
    """``HinhThuc`` (§5.1; OpenCPS 0 desk, 1 post). ``ELECTRONIC = 2`` is ours (configuration)."""

    DESK = 0
    POSTAL = 1
    ELECTRONIC = 2


class PaidOnline(enum.IntEnum):
    """``DuocThanhToanTrucTuyen`` (766 §3.6): 0 no, 1 on DVCQG, 2 via a local gateway."""

    NO = 0
    ON_PORTAL = 1
    LOCAL_GATEWAY = 2


@attrs.frozen
class FeeLine:
    """A fee or charge line (``DanhSachLePhi[]``); 766 §3.5 ignores ``amount_vnd == 0``."""

    name: str = attrs.field(validator=_text)
    amount_vnd: int = attrs.field(validator=attrs.validators.ge(0))
    code: str = ""
    kind: int = 1
    collection: int = 1


@attrs.frozen
class Attachment:
    """A submitted file (``TaiLieuNop[]``), given by URL for DVCQG to download.

    Args:
        reused: ``DuocTaiSuDung``: 0 no, 1 reused, 2 reused with a substitute result code.
    """

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    url: str = attrs.field(validator=_text)
    component_code: str = ""
    digitised: bool = False
    reused: int = attrs.field(default=0, validator=attrs.validators.in_((0, 1, 2)))
    from_data_store: bool = False


@attrs.frozen
class ResultDocument:
    """A result document (``DanhSachGiayToKetQua[]``); KPI 4.1 needs ``url``."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    url: str | None = None
    component_code: str = ""
    result_code: str = ""


@attrs.frozen
class SupplementRound:
    """A supplement round (``DanhSachHoSoBoSung[]``; names **H**, semantics **L**)."""

    id: str = attrs.field(validator=_text)
    content: str
    requested_at: dt.datetime = attrs.field(validator=aware)
    received_at: dt.datetime | None = attrs.field(default=None, validator=aware)
    requested_by: str = ""


@attrs.frozen
class DossierSnapshot:
    """The full dossier state the province pushes (last write wins, §8).

    Args:
        code: ``MaHoSo``: the code the portal knows (the local code, or the
            alternate national code when the local one lacks the province prefix, §7).
        local_code: The local dossier code (kept for look-ups; ``MaHoSoKhac`` in reverse).
        status: ``TrangThaiHoSo``, 1-10.
        channel: ``KenhThucHien``.
    """

    code: str = attrs.field(validator=_text)
    local_code: str = attrs.field(validator=_text)
    procedure_code: str
    procedure_name: str
    status: int = attrs.field(validator=_status)
    channel: Channel
    applicant_name: str
    applicant_kind: ApplicantKind
    submitted_at: dt.datetime = attrs.field(validator=aware)
    received_at: dt.datetime | None = attrs.field(default=None, validator=aware)
    due_at: dt.datetime | None = attrs.field(default=None, validator=aware)
    finished_at: dt.datetime | None = attrs.field(default=None, validator=aware)
    returned_at: dt.datetime | None = attrs.field(default=None, validator=aware)
    refused_at: dt.datetime | None = attrs.field(default=None, validator=aware)
    return_method: ReturnMethod = ReturnMethod.DESK
    handling_agency: str = ""
    identity_number: str | None = None
    account_id: str | None = None
    summary: str = ""
    domain_code: str = ""
    domain_name: str = ""
    paid_online: PaidOnline = PaidOnline.NO
    vneid_verified: bool = False
    databases: tuple[str, ...] = ()
    fees: tuple[FeeLine, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    results: tuple[ResultDocument, ...] = ()
    supplements: tuple[SupplementRound, ...] = ()


@attrs.frozen
class ProgressRow:
    """One handling step (``CapNhatTienDoHoSoMC`` row, §5.2).

    Args:
        row_id: Deterministic: dossier code, event sequence and status, so a
            row acknowledged once is never re-sent (§15).
        at: ``ThoiDiemXuLy``.
        status: ``TrangThai``, 1-10.
    """

    row_id: str = attrs.field(validator=_text)
    code: str = attrs.field(validator=_text)
    handler: str
    at: dt.datetime = attrs.field(validator=aware)
    status: int = attrs.field(validator=_status)
    content: str
    department: str = ""
    title: str = ""
    due_at: dt.datetime | None = attrs.field(default=None, validator=aware)

    @property
    def remote_key(self) -> tuple[dt.datetime, int, str]:
        """What identifies the row on the portal, which carries no row id (§5.2)."""
        return (self.at, self.status, self.content)


@attrs.frozen
class PortalReply:
    """What one portal call answered, before classification.

    Args:
        http_status: The HTTP status, or ``None`` when no answer came (timeout,
            connection lost).
        error_code: The envelope's ``error_code`` read as an integer (§9:
            ``"0"``, ``"00"`` and ``0`` are all 0), or ``None`` if absent.
        message: The envelope's message.
    """

    http_status: int | None
    error_code: int | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        """Success: HTTP 2xx and ``error_code == 0``."""
        return (
            self.http_status is not None
            and 200 <= self.http_status < 300
            and (self.error_code == 0)
        )


@attrs.frozen
class RemoteView:
    """What ``TraCuuHoSo`` shows of a dossier: its status and the progress rows it holds."""

    code: str
    status: int
    progress: tuple[tuple[dt.datetime, int, str], ...] = ()


@attrs.frozen
class InboundDossier:
    """A dossier submitted on the portal, for the province to take in (§4.3; protocol unknown).

    Args:
        national_code: ``MaHoSo`` as the portal knows it; kept beside the local code.
        applicant_phone: ``SoDienThoai``; identity_number: ``SoGiayToChuHoSo`` (§5.1).
    """

    national_code: str = attrs.field(validator=_text)
    procedure_code: str
    applicant_name: str
    submitted_at: dt.datetime = attrs.field(validator=aware)
    mark: str = ""
    applicant_phone: str | None = None
    identity_number: str | None = None
