"""The Open311 GeoReport v2 services: one per case kind (and complaint level), as data.

Each :class:`GeoService` carries what ``GET services`` lists and what ``GET
services/{code}`` defines (open311.org GeoReport v2, "GET Service List" and
"GET Service Definition"): the attributes a report of that kind asks for, and
whether a client application may file it through ``POST requests``.

Which kinds may be filed by a third-party application, and why:

* service feedback (góp ý) and petitions on administrative regulations
  (phản ánh, kiến nghị — Decree 20/2008/NĐ-CP Art. 6: in writing, including
  electronically) — yes;
* complaints — no: a complaint is made by a letter the complainant signs or in
  person (Law on Complaints 02/2011/QH13 Art. 8(1)-(2));
* denunciations — no: a denunciation is made by a signed (or fingerprinted)
  letter or in person, and the agency must check who the denouncer is
  (Law on Denunciations 25/2018/QH14 Art. 22, 23(1), 24); the denouncer's
  identity must be kept confidential (Art. 47(2)), which a third-party
  application that relays it cannot guarantee. Refused, with the reason and
  where to file instead.
"""

from __future__ import annotations

import enum

import attrs

from tthc_core.complaint._kinds import CaseKind, ComplaintLevel

__all__ = [
    "ATTRIBUTE_ADDRESS",
    "ATTRIBUTE_DOSSIER",
    "ATTRIBUTE_PROPOSAL",
    "ATTRIBUTE_REGULATION",
    "GEO_SERVICES",
    "AttributeType",
    "GeoService",
    "ServiceAttribute",
    "geo_service",
]

#: Attribute codes the intake reads (service feedback; petitions).
ATTRIBUTE_DOSSIER = "ma_ho_so"
ATTRIBUTE_REGULATION = "quy_dinh"
ATTRIBUTE_PROPOSAL = "de_xuat"
ATTRIBUTE_ADDRESS = "dia_chi_lien_he"


class AttributeType(enum.Enum):
    """GeoReport v2 attribute ``datatype``."""

    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLEVALUELIST = "singlevaluelist"
    MULTIVALUELIST = "multivaluelist"


@attrs.frozen
class ServiceAttribute:
    """One attribute of a service definition.

    Args:
        code: Its identifier (``attribute[code]=value`` in a post).
        datatype: What the value is.
        required: Whether a post must give it.
        description: What to enter (Vietnamese).
        datatype_description: How to enter it.
        variable: ``False`` for an attribute that only informs the user.
        values: ``(key, name)`` options of a list attribute.
        max_length: The longest value accepted.
    """

    code: str
    datatype: AttributeType
    required: bool
    description: str
    datatype_description: str | None = None
    variable: bool = True
    values: tuple[tuple[str, str], ...] = ()
    max_length: int = 500


@attrs.frozen
class GeoService:
    """A GeoReport service: one case kind (and complaint level).

    Args:
        code: ``service_code``.
        kind: The case kind.
        level: The complaint level (complaints only).
        group: ``group``.
        basis: The legal basis, cited in ``description``.
        keywords: ``keywords``.
        attributes: What a report of this kind asks for, in order.
        refusal: Why a client application may not post it (``None``: it may).
    """

    code: str
    kind: CaseKind
    level: ComplaintLevel | None
    group: str
    basis: str
    keywords: str
    attributes: tuple[ServiceAttribute, ...]
    refusal: str | None = None

    @property
    def name(self) -> str:
        """``service_name``: the kind's (or level's) Vietnamese label."""
        return self.kind.label_vi if self.level is None else self.level.label_vi

    @property
    def description(self) -> str:
        """``description``: the name, the legal basis, and how to file it."""
        how = self.refusal or "Có thể gửi qua ứng dụng kết nối Open311."
        return f"{self.name} (căn cứ: {self.basis}). {how}"


_FEEDBACK_GROUP = "Góp ý, phản ánh, kiến nghị"
_COMPLAINT_GROUP = "Khiếu nại, tố cáo"
_IN_PERSON = (
    "Không nhận qua ứng dụng bên thứ ba: {what} phải gửi bằng đơn có chữ ký hoặc trình bày "
    "trực tiếp tại Bộ phận Một cửa ({rule})."
)


def _notice(text: str) -> ServiceAttribute:
    """An information-only attribute (``variable`` false)."""
    return ServiceAttribute(
        code="luu_y",
        datatype=AttributeType.STRING,
        required=False,
        description=text,
        variable=False,
    )


_COMPLAINT_REFUSAL = _IN_PERSON.format(
    what="khiếu nại", rule="Điều 8 Luật Khiếu nại số 02/2011/QH13"
)
_DENUNCIATION_REFUSAL = (
    _IN_PERSON.format(what="tố cáo", rule="Điều 22, 23, 47 Luật Tố cáo số 25/2018/QH14")
    + " Danh tính người tố cáo được giữ bí mật."
)

#: Every service, in ``GET services`` order.
GEO_SERVICES: tuple[GeoService, ...] = (
    GeoService(
        code="gop-y-phuc-vu",
        kind=CaseKind.SERVICE_FEEDBACK,
        level=None,
        group=_FEEDBACK_GROUP,
        basis="Nghị định số 20/2008/NĐ-CP; Quyết định số 766/QĐ-TTg",
        keywords="góp ý, chất lượng phục vụ, thái độ, một cửa",
        attributes=(
            ServiceAttribute(
                code=ATTRIBUTE_DOSSIER,
                datatype=AttributeType.STRING,
                required=False,
                description=(
                    "Mã hồ sơ trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, nếu góp ý về một "
                    "hồ sơ; bỏ trống nếu góp ý về Bộ phận Một cửa"
                ),
                datatype_description="Mã hồ sơ, ví dụ 000.00.30.H12-261124-0042",
                max_length=64,
            ),
        ),
    ),
    GeoService(
        code="phan-anh-kien-nghi",
        kind=CaseKind.PETITION,
        level=None,
        group=_FEEDBACK_GROUP,
        basis="Nghị định số 20/2008/NĐ-CP",
        keywords="phản ánh, kiến nghị, quy định hành chính, thủ tục",
        attributes=(
            ServiceAttribute(
                code=ATTRIBUTE_REGULATION,
                datatype=AttributeType.STRING,
                required=True,
                description="Quy định hành chính được phản ánh (tên, số, ký hiệu văn bản)",
            ),
            ServiceAttribute(
                code=ATTRIBUTE_PROPOSAL,
                datatype=AttributeType.TEXT,
                required=False,
                description="Kiến nghị: phương án xử lý hoặc sáng kiến ban hành mới",
                max_length=4000,
            ),
            ServiceAttribute(
                code=ATTRIBUTE_ADDRESS,
                datatype=AttributeType.STRING,
                required=True,
                description=(
                    "Địa chỉ liên hệ của người phản ánh (Điều 6 Nghị định số 20/2008/NĐ-CP); "
                    "được giữ kín, không công khai"
                ),
            ),
        ),
    ),
    GeoService(
        code="khieu-nai-lan-dau",
        kind=CaseKind.COMPLAINT,
        level=ComplaintLevel.FIRST,
        group=_COMPLAINT_GROUP,
        basis="Luật Khiếu nại số 02/2011/QH13; Nghị định số 124/2020/NĐ-CP",
        keywords="khiếu nại, quyết định hành chính, hành vi hành chính",
        attributes=(_notice(_COMPLAINT_REFUSAL),),
        refusal=_COMPLAINT_REFUSAL,
    ),
    GeoService(
        code="khieu-nai-lan-hai",
        kind=CaseKind.COMPLAINT,
        level=ComplaintLevel.SECOND,
        group=_COMPLAINT_GROUP,
        basis="Luật Khiếu nại số 02/2011/QH13; Nghị định số 124/2020/NĐ-CP",
        keywords="khiếu nại lần hai, quyết định giải quyết khiếu nại",
        attributes=(_notice(_COMPLAINT_REFUSAL),),
        refusal=_COMPLAINT_REFUSAL,
    ),
    GeoService(
        code="to-cao",
        kind=CaseKind.DENUNCIATION,
        level=None,
        group=_COMPLAINT_GROUP,
        basis="Luật Tố cáo số 25/2018/QH14",
        keywords="tố cáo, vi phạm pháp luật",
        attributes=(_notice(_DENUNCIATION_REFUSAL),),
        refusal=_DENUNCIATION_REFUSAL,
    ),
)

_BY_CODE = {s.code: s for s in GEO_SERVICES}
_BY_KIND = {(s.kind, s.level): s for s in GEO_SERVICES}


def geo_service(code: str) -> GeoService | None:
    """The service with this ``service_code``, or ``None``."""
    return _BY_CODE.get(code)


def service_of(kind: CaseKind, level: ComplaintLevel | None) -> GeoService:
    """The service of a case kind and level (every pair a case can have has one)."""
    return _BY_KIND[(kind, level)]
