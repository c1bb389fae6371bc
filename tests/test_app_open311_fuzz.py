"""Open311 fuzzing: every parameter, path and POST body; never a 5xx, always a GeoReport body.

A few hundred examples per test under the CI profile; the ``nightly``
Hypothesis profile runs its larger count.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import urllib.parse
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests._app import NOW, TestClient, client_for
from tests._desk import DEMO_SETTINGS, KEY
from tests._open311 import file_case, from_xml

from tthc_adapters.app._open311 import issue_key
from tthc_adapters.app._throttle import Throttle
from tthc_adapters.bootstrap import build_desk
from tthc_adapters.storage import MemoryStore
from tthc_core.complaint import GEO_SERVICES, CaseKind, GeoPoint
from tthc_core.party import Applicant
from tthc_core.receipt import StaticKeyRing
from tthc_core.testing.strategies import identified_senders

FUZZ = settings(max_examples=max(250, settings.default.max_examples), deadline=None)
WORDS = st.characters(blacklist_characters="<>", blacklist_categories=("Cs", "Cc"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
PARAMETERS = (
    "status",
    "service_code",
    "service_request_id",
    "start_date",
    "end_date",
    "page",
    "page_size",
    "jurisdiction_id",
)
FIELDS = (
    "api_key",
    "service_code",
    "description",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "media_url",
    "jurisdiction_id",
    "attribute[ma_ho_so]",
    "attribute[quy_dinh]",
    "attribute[de_xuat]",
    "attribute[dia_chi_lien_he]",
    "attribute[quy_dinh][]",
)


@functools.cache
def _served() -> tuple[TestClient, str]:
    desk = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
    store = MemoryStore(clock=lambda: NOW)
    file_case(store, desk, "PA-1", NOW - dt.timedelta(days=2), location=GeoPoint(12.6, 108.0))
    file_case(store, desk, "GY-1", NOW - dt.timedelta(days=1), CaseKind.SERVICE_FEEDBACK)
    key = issue_key(store, "fuzzer", at=NOW)
    return client_for(
        store, desk, open311_throttle=Throttle("1000000/minute", scope="open311-posts")
    ), key


def _instants() -> st.SearchStrategy[str]:
    offsets = st.timedeltas(-dt.timedelta(hours=23, minutes=59), dt.timedelta(hours=23, minutes=59))
    aware = st.builds(
        lambda moment, offset: moment.replace(
            tzinfo=dt.timezone(dt.timedelta(minutes=offset // dt.timedelta(minutes=1)))
        ).isoformat(),
        st.datetimes(),
        offsets,
    )
    return aware | st.datetimes().map(dt.datetime.isoformat) | st.dates().map(str)


def _values() -> st.SearchStrategy[str]:
    codes = [s.code for s in GEO_SERVICES]
    pieces = st.sampled_from(["open", "closed", "PA-1", "GY-1", "", ",", " ", *codes])
    lists = st.lists(pieces, max_size=4).map(",".join)
    numbers = st.integers(-(10**12), 10**12).map(str) | st.floats().map(str)
    return st.one_of(lists, _instants(), numbers, st.text(max_size=40))


def _check(response: Any) -> None:
    """No server error; the body parses; an error is a GeoReport error with its status."""
    assert response.status_code < 500, response.text
    if response.headers["content-type"].startswith("text/xml"):
        root, body = from_xml(response.content)
    else:
        root, body = "errors", json.loads(response.content)
    if response.status_code >= 400:
        assert root == "errors"
        assert [str(e["code"]) for e in body] == [str(response.status_code)]


@FUZZ
@given(
    pairs=st.lists(
        st.tuples(st.sampled_from(PARAMETERS) | st.text(max_size=10), _values()), max_size=6
    ),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_any_query_of_requests_answers_without_a_server_error(
    pairs: list[tuple[str, str]], fmt: str
) -> None:
    client, _ = _served()
    response = client.get(f"/open311/v2/requests.{fmt}", params=pairs)
    assert response.status_code in (200, 400), response.text
    _check(response)


@FUZZ
@given(
    resource=st.sampled_from(["requests", "services", "tokens"]),
    name=st.text(min_size=1, max_size=40),
    fmt=st.sampled_from(["json", "xml", "yaml", ""]),
)
def test_any_resource_path_answers_without_a_server_error(
    resource: str, name: str, fmt: str
) -> None:
    client, _ = _served()
    path = f"/open311/v2/{resource}/{urllib.parse.quote(name, safe='')}.{fmt}"
    response = client.get(path)
    _check(response)


@FUZZ
@given(
    pairs=st.lists(
        st.tuples(st.sampled_from(FIELDS) | st.text(max_size=12), _values()), max_size=10
    ),
    code=st.sampled_from([s.code for s in GEO_SERVICES]) | st.text(max_size=10),
    keyed=st.booleans(),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_any_form_post_answers_without_a_server_error(
    pairs: list[tuple[str, str]], code: str, keyed: bool, fmt: str
) -> None:
    client, key = _served()
    body = [("service_code", code), *pairs]
    if keyed:
        body.insert(0, ("api_key", key))
    response = client.post(
        f"/open311/v2/requests.{fmt}",
        content=urllib.parse.urlencode(body),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code in (201, 400, 403, 404), response.text
    _check(response)


@FUZZ
@given(
    body=st.binary(max_size=300)
    | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), st.from_type(object)).map(
        lambda d: json.dumps(d, default=repr).encode()
    ),
    content_type=st.sampled_from(["application/x-www-form-urlencoded", "application/json", ""]),
)
def test_any_raw_post_body_answers_without_a_server_error(body: bytes, content_type: str) -> None:
    client, _ = _served()
    response = client.post(
        "/open311/v2/requests.json", content=body, headers={"content-type": content_type}
    )
    assert response.status_code in (201, 400, 403, 404, 413), response.text
    _check(response)


@settings(max_examples=max(60, settings.default.max_examples // 4), deadline=None)
@given(
    sender=identified_senders(),
    code=st.sampled_from(["gop-y-phuc-vu", "phan-anh-kien-nghi"]),
    words=st.text(
        st.characters(blacklist_characters="<>", blacklist_categories=("Cs", "Cc")),
        min_size=1,
        max_size=80,
    ),
    point=st.none() | st.from_type(GeoPoint),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_any_valid_post_files_a_case_and_publishes_nothing_of_the_sender(
    sender: Applicant, code: str, words: str, point: GeoPoint | None, fmt: str
) -> None:
    client, key = _served()
    family, _, given_name = sender.name.rpartition(" ")
    description = f"Nội dung phản ánh: {words}"
    fields = {
        "api_key": key,
        "service_code": code,
        "description": description,
        "first_name": given_name,
        "last_name": family,
        "phone": sender.phone or "",
    }
    if code == "phan-anh-kien-nghi":
        fields |= {"attribute[quy_dinh]": "Thông tư 01/2018/TT-VPCP"}
        fields |= {"attribute[dia_chi_lien_he]": sender.address}
    if point is not None:
        fields |= {"lat": repr(point.lat), "long": repr(point.long)}
    response = client.post(
        f"/open311/v2/requests.{fmt}",
        content=urllib.parse.urlencode(fields),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 201, response.text
    case_id = response.headers["location"].split("/")[-1].rsplit(".", 1)[0]
    published = client.get(f"/open311/v2/requests/{case_id}.{fmt}").text
    for secret in (sender.name, sender.phone, sender.address, description.strip()):
        assert secret
        assert secret not in published
    assert (
        client.get(f"/open311/v2/requests.json?service_request_id={case_id}").json()[0][
            "service_code"
        ]
        == code
    )
