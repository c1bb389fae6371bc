"""The public Open311 GeoReport v2 projection: schema-valid and identity-free.

Schemas: open311/schema-validation ``schema/georeport-v2/request.json`` and
``requests.json``, kept in ``../shared/conformance/open311/`` next to the repository.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs
import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st
from referencing import Registry, Resource
from tests._shared import shared_file

from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ
from tthc_core.codes import AgencyCode
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant
from tthc_core.testing.strategies import case_walks, cases, identified_senders
from tthc_core.testing.strategies._complaint import weekday_deadlines

SCHEMAS = shared_file("conformance", "open311", "request.json").parent


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


REQUEST = _schema("request.json")
REGISTRY = Registry().with_resource("request.json", Resource.opaque(REQUEST))
REQUEST_VALIDATOR = jsonschema.Draft7Validator(REQUEST, format_checker=jsonschema.FormatChecker())
LIST_VALIDATOR = jsonschema.Draft7Validator(
    _schema("requests.json"), registry=REGISTRY, format_checker=jsonschema.FormatChecker()
)


def _assert_offset_datetime(value: str | None) -> None:
    """GeoReport v2: datetimes are ISO 8601 and must carry a zone offset."""
    if value is None:
        return
    parsed = dt.datetime.fromisoformat(value)
    assert parsed.utcoffset() == dt.timedelta(hours=7)
    assert value.endswith("+07:00")


@given(cases())
def test_every_case_projects_to_a_valid_georeport_request(case: cp.Case) -> None:
    request = cp.georeport_request(case)
    REQUEST_VALIDATOR.validate(request)
    assert (request["service_code"], request["service_name"]) == cp.SERVICES[
        (case.kind, case.level)
    ]
    assert request["status"] == ("closed" if case.state.value in _CLOSED else "open")
    for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
        _assert_offset_datetime(request[key])
    if request["status"] == "closed":
        assert request["expected_datetime"] is None


_CLOSED = {
    "not_accepted",
    "forwarded",
    "resolved",
    "published",
    "closed",
    "withdrawn",
    "terminated",
}


@given(st.lists(cases(), min_size=1, max_size=4))
def test_a_list_of_requests_validates_against_requests_json(batch: list[cp.Case]) -> None:
    LIST_VALIDATOR.validate(cp.georeport_requests(batch))


def test_invalid_output_would_be_caught_by_the_schema() -> None:
    with pytest.raises(jsonschema.ValidationError):
        REQUEST_VALIDATOR.validate({"service_request_id": "x", "status": "pending"})


def _identity(sender: Applicant) -> list[str]:
    return [
        v
        for v in (sender.name, sender.address, sender.phone, sender.email, sender.identity_number)
        if v
    ]


@given(case_walks(), identified_senders(), st.sampled_from(["{}", "Ông {} phản ánh", "{} - khẩn"]))
def test_the_public_projection_never_reveals_identity(
    walk: tuple[cp.Case, list[cp.CaseEvent]], sender: Applicant, template: str
) -> None:
    """Law on Denunciations 2018 Art. 47(2); no citizen identity in a public projection.

    The sender's identity is planted in every public text the staff may write.
    """
    case, _ = walk
    leaky = " ".join(_identity(sender))
    case = attrs.evolve(
        case,
        sender=sender,
        public_summary=template.format(leaky),
        result_summary=template.format(leaky),
        reason=template.format(leaky),
        forwarded_to=case.forwarded_to and template.format(sender.name),
    )
    text = json.dumps(cp.georeport_request(case), ensure_ascii=False).casefold()
    for secret in _identity(sender):
        assert secret.casefold() not in text


def test_description_is_cut_to_4000_characters() -> None:
    case, _ = cp.receive(
        case_id="PA-1",
        kind=cp.CaseKind.PETITION,
        at=dt.datetime(2026, 7, 6, 9, tzinfo=VN_TZ),
        channel=cp.Channel.OPEN311,
        agency=cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh"),
        deadlines=weekday_deadlines(),
        content="Nội dung",
        public_summary="Thủ tục rườm rà. " * 400,
    )
    request = cp.georeport_request(case)
    assert len(request["description"]) == 4000
    REQUEST_VALIDATOR.validate(request)


def test_every_kind_and_level_has_one_service_and_the_law_decides_who_may_post() -> None:
    pairs = {(s.kind, s.level) for s in cp.GEO_SERVICES}
    assert len(pairs) == len(cp.GEO_SERVICES) == len({s.code for s in cp.GEO_SERVICES})
    assert pairs == set(cp.SERVICES)
    for service in cp.GEO_SERVICES:
        # complaints and denunciations need a signed letter or the person: never a third-party app
        assert (service.refusal is not None) is service.kind.needs_identity
        assert cp.geo_service(service.code) is service
        definition = cp.georeport_definition(service)
        orders = [a["order"] for a in definition["attributes"]]
        assert orders == list(range(1, len(orders) + 1))
        codes = [a["code"] for a in definition["attributes"]]
        assert len(set(codes)) == len(codes)
    assert cp.geo_service("nope") is None


@pytest.mark.parametrize(
    ("lat", "long", "valid"),
    [
        (90.0, 180.0, True),
        (-90.0, -180.0, True),
        (90.000001, 0.0, False),
        (0.0, -180.000001, False),
        (float("nan"), 0.0, False),
        (0.0, float("inf"), False),
        (True, 0.0, False),
    ],
)
def test_a_point_is_wgs84_degrees(lat: float, long: float, valid: bool) -> None:
    if valid:
        assert cp.GeoPoint(lat, long).public() == cp.GeoPoint(lat, long)
    else:
        with pytest.raises(InvalidInput):
            cp.GeoPoint(lat, long)


@given(st.from_type(cp.GeoPoint), st.from_type(cp.Area))
def test_a_published_point_is_rounded_and_the_commune_always_given(
    point: cp.GeoPoint, area: cp.Area
) -> None:
    public = point.public()
    assert abs(public.lat - point.lat) <= 0.0005 + 1e-12
    assert abs(public.long - point.long) <= 0.0005 + 1e-12
    assert round(public.lat, cp.PUBLIC_DECIMALS) == public.lat
    case, _ = cp.receive(
        case_id="PA-1",
        kind=cp.CaseKind.PETITION,
        at=dt.datetime(2026, 7, 6, 9, tzinfo=VN_TZ),
        channel=cp.Channel.OPEN311,
        agency=cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh"),
        deadlines=weekday_deadlines(),
        content="Nội dung",
        location=point,
    )
    request = cp.georeport_request(case, area=area)
    assert (request["lat"], request["long"]) == (public.lat, public.long)
    assert (request["address"], request["address_id"]) == (area.name, area.code)
    REQUEST_VALIDATOR.validate(request)
