"""Fuzz the officials' desk: whatever a browser or API client sends, the answer is never a 5xx.

Hypothesis sends random paths under ``/staff/`` (real dossier codes and case ids, garbage, ``%00``,
very long and non-ASCII segments), query strings, form bodies to every form endpoint (login, intake,
dossier and case actions, messages, admin) with missing, huge or surrogate-bearing fields and valid
or invalid CSRF tokens, and JSON bodies to ``/staff/api/v1`` (deep nesting, wrong types, huge
numbers) — unauthenticated and logged in as each role. Every answer must be below 500, and an
unauthenticated request never gets a 2xx on a protected page. Examples per test come from the
Hypothesis profile (tests/conftest.py); ``HYPOTHESIS_PROFILE=nightly`` runs many more.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient
from tests._desk import LAND
from tests._staff import PEOPLE, StaffDesk, build_app
from tests.test_staff_cases import _case

from tthc_adapters.staff import issue_token
from tthc_adapters.staff._case_actions import CASE_ACTIONS
from tthc_adapters.staff._dossier_pages import ACTIONS_BY_NAME
from tthc_adapters.storage import MemoryApiTokens
from tthc_core import complaint as cp
from tthc_core.accounts import Role
from tthc_core.desk import Desk

CASE_ID = "PA-2026-0001"
#: Pages a visitor without a session must not see (the login page is public).
PUBLIC = ("/staff/login", "/staff/api/v1/openapi.json")
#: At least 100 examples per test; the nightly profile's larger count wins.
FUZZ = settings(
    max_examples=max(100, settings().max_examples),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Any text, lone surrogates included (they reach the server as invalid UTF-8 bytes).
_ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)
_HUGE = st.integers(1_000, 20_000).map(lambda n: "đ" * n)
_FIELD_NAMES = (
    st.sampled_from(
        [
            "csrf",
            "username",
            "password",
            "reason",
            "note",
            "return_channel",
            "unit",
            "to_unit",
            "to_officer",
            "to",
            "from",
            "text",
            "summary",
            "role",
            "q",
            "postal_ward",
            "postal_street",
            "postal_province",
            "phone",
            "new_time",
            "new_date",
            "name",
            "items",
            "identity_number",
            "handler",
            "email",
            "display_name",
            "amount_vnd",
            "address",
            "doc_0",
            "doc_999999999999",
            "doc_-1",
            "doc_x",
            "procedure_code",
        ]
    )
    | _ANY_TEXT
)
_SMALL_VALUES = st.one_of(
    _ANY_TEXT,
    st.sampled_from(
        ["", "on", "desk", "postal", "0", "-1", "9" * 40, "2026-02-30", "25:61", "\x00"]
    ),
    st.integers().map(str),
    st.dates().map(str),
    st.times().map(lambda t: t.strftime("%H:%M")),
)

_FIELD_VALUES = _SMALL_VALUES | _HUGE
#: Query values stay under the client's 64 KiB URL limit (the body carries the huge ones).
_QUERY_VALUES = _SMALL_VALUES | st.just("đ" * 1_900)


def _enc(text: str, safe: str = "") -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe=safe)


def _segment(codes: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from([*codes, CASE_ID, "%00", "..", ".", "receipt.pdf", "notices", "0", "-1"]),
        st.sampled_from(sorted(ACTIONS_BY_NAME) + [a.name for a in CASE_ACTIONS]),
        _ANY_TEXT.filter(bool).map(_enc),
        st.integers(500, 5_000).map(lambda n: "A" * n),
        st.integers().map(str),
    )


@pytest.fixture
def fuzz_desk(staff_desk: StaffDesk, desk: Desk) -> tuple[StaffDesk, dict[Role, str], list[str]]:
    """A desk whose client never raises server errors (the test reads the status), with API tokens
    for every role, one received dossier and one petition case."""
    tokens = MemoryApiTokens()
    app = build_app(staff_desk.store, desk, staff_desk.accounts, staff_desk.clock, tokens=tokens)
    client = TestClient(app, base_url="http://testserver", raise_server_exceptions=False)
    fuzz = StaffDesk(staff_desk.store, staff_desk.accounts, staff_desk.clock, client)
    issued = {}
    for role, (username, _, _) in PEOPLE.items():
        account = fuzz.accounts.get(username)
        assert account is not None
        _, issued[role] = issue_token(tokens, account, label="fuzz", at=fuzz.clock())
    made = client.post(
        "/staff/api/v1/dossiers",
        json={"procedure_code": LAND, "name": "Nguyễn Thị Hương", "documents_received": [0, 1, 2]},
        headers={"authorization": f"Bearer {issued[Role.DESK]}"},
    )
    assert made.status_code == 201, made.text
    _case(fuzz, desk, cp.CaseKind.PETITION, CASE_ID)
    return fuzz, issued, [made.json()["code"]]


def _as(fuzz: StaffDesk, role: Role | None) -> None:
    if role is None:
        fuzz.client.cookies.clear()
    else:
        fuzz.login(role)


def _check(response: httpx.Response, role: Role | None, path: str) -> None:
    event(f"status {response.status_code}")
    assert response.status_code < 500, (response.status_code, path, response.text[:2000])
    sent = response.request.url.path  # after the client resolved any ``..`` segments
    protected = sent.startswith("/staff/") and not sent.startswith((*PUBLIC, "/staff/api/"))
    if role is None and protected:
        assert not 200 <= response.status_code < 300, (response.status_code, path)


ROLES = st.sampled_from([None, *Role])


@FUZZ
@given(data=st.data())
def test_random_get_paths_and_queries_never_fail(fuzz_desk: Any, data: st.DataObject) -> None:
    fuzz, _, codes = fuzz_desk
    role = data.draw(ROLES, label="role")
    _as(fuzz, role)
    prefix = data.draw(
        st.sampled_from(
            [
                "",
                "login",
                "admin",
                "queues",
                "reports",
                "cases",
                "messages",
                "intake",
                "dossiers",
                "cases/" + CASE_ID,
                "cases/" + CASE_ID + "/notices",
                "api/v1/cases",
                "intake/" + LAND,
                "dossiers/" + codes[0],
                "dossiers/" + codes[0] + "/notices",
                "api/v1",
                "api/v1/dossiers",
            ]
        ),
        label="prefix",
    )
    tail = data.draw(st.lists(_segment(codes), max_size=3), label="tail")
    path = "/staff/" + "/".join([p for p in [prefix, *tail] if p])
    query = data.draw(st.lists(st.tuples(_FIELD_NAMES, _QUERY_VALUES), max_size=4), label="query")
    url = path + ("?" + "&".join(f"{_enc(k)}={_enc(v)}" for k, v in query) if query else "")
    _check(fuzz.client.get(url, follow_redirects=False), role, path)


def _form_paths(codes: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["/staff/login", "/staff/logout", "/staff/admin/accounts"]),
        st.sampled_from([*codes, "%00", "X" * 300]).map(lambda c: f"/staff/intake/{c}")
        | st.just(f"/staff/intake/{LAND}"),
        st.tuples(
            st.sampled_from([*codes, "HS-x", "%00"]), st.sampled_from(sorted(ACTIONS_BY_NAME))
        ).map(lambda t: f"/staff/dossiers/{t[0]}/{t[1]}"),
        st.sampled_from([a.name for a in CASE_ACTIONS]).map(
            lambda a: f"/staff/cases/{CASE_ID}/{a}"
        ),
        st.sampled_from(["1", "0", "99999999999999999999"]).flatmap(
            lambda m: st.sampled_from([f"/staff/messages/{m}/retry", f"/staff/messages/{m}/reply"])
        ),
        # Never a real account: disabling one would lock the next examples out.
        st.sampled_from(["ghost", "%00", "đ" * 300]).map(
            lambda u: f"/staff/admin/accounts/{_enc(u)}/disable"
        ),
    )


@FUZZ
@given(data=st.data())
def test_random_form_posts_never_fail(fuzz_desk: Any, data: st.DataObject) -> None:
    fuzz, _, codes = fuzz_desk
    role = data.draw(ROLES, label="role")
    _as(fuzz, role)
    path = data.draw(_form_paths(codes), label="path")
    fields = data.draw(st.lists(st.tuples(_FIELD_NAMES, _FIELD_VALUES), max_size=8), label="fields")
    csrf = data.draw(st.sampled_from(["valid", "missing", "wrong", "repeated"]), label="csrf")
    pairs = [(k, v) for k, v in fields if k != "csrf"]
    if csrf != "missing":
        token = fuzz.csrf() if csrf in ("valid", "repeated") else data.draw(_ANY_TEXT)
        pairs.append(("csrf", token))
        if csrf == "repeated":
            pairs.append(("csrf", "x"))
    body = "&".join(f"{_enc(k)}={_enc(v)}" for k, v in pairs).encode("ascii")
    content_type = data.draw(
        st.sampled_from(
            ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain", ""]
        ),
        label="content_type",
    )
    headers = {"content-type": content_type} if content_type else {}
    response = fuzz.client.post(path, content=body, headers=headers, follow_redirects=False)
    _check(response, role, path)


_JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(10**30, 10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    _ANY_TEXT,
)
_JSON = st.recursive(
    _JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_FIELD_NAMES, inner, max_size=5),
    max_leaves=20,
)
_DEEP = st.integers(100, 1_500).map(lambda n: "[" * n + "]" * n)


def _api_body(codes: list[str]) -> st.SearchStrategy[bytes]:
    objects = st.dictionaries(
        _FIELD_NAMES | st.sampled_from(["documents_received", "procedure_code", "return_channel"]),
        _JSON | st.sampled_from([LAND, codes[0], [0, 1], [-1], [10**20]]),
        max_size=8,
    )
    texts = st.one_of(
        (_JSON | objects).map(lambda v: json.dumps(v, ensure_ascii=True)),
        _DEEP,
        st.just('{"a": 1e999999}'),
        st.just('{"documents_received": [1e400]}'),
        st.just("9" * 5_000),
        _ANY_TEXT,
    )
    return texts.map(lambda t: t.encode("utf-8", "surrogatepass")) | st.binary(max_size=64)


@FUZZ
@given(data=st.data())
def test_random_api_requests_never_fail(fuzz_desk: Any, data: st.DataObject) -> None:
    fuzz, tokens, codes = fuzz_desk
    fuzz.client.cookies.clear()
    role = data.draw(ROLES, label="role")
    auth = {"authorization": f"Bearer {tokens[role]}"} if role else {}
    code = data.draw(_segment(codes), label="code")
    method, path = data.draw(
        st.sampled_from(
            [
                ("GET", "/staff/api/v1/procedures"),
                ("POST", "/staff/api/v1/dossiers"),
                ("GET", f"/staff/api/v1/dossiers/{code}"),
                ("GET", f"/staff/api/v1/dossiers/{codes[0]}"),
            ]
            + [
                ("POST", f"/staff/api/v1/dossiers/{c}/actions/{a}")
                for c in (code, codes[0])
                for a in ACTIONS_BY_NAME
            ]
            + [("GET", "/staff/api/v1/cases"), ("GET", f"/staff/api/v1/cases/{code}")]
            + [
                ("POST", f"/staff/api/v1/cases/{c}/actions/{a.name}")
                for c in (code, CASE_ID)
                for a in CASE_ACTIONS
            ]
        ),
        label="endpoint",
    )
    body = data.draw(_api_body(codes), label="body") if method == "POST" else b""
    query = data.draw(_ANY_TEXT, label="q")
    response = fuzz.client.request(
        method,
        path,
        params={"q": query.encode("utf-8", "surrogatepass").decode("utf-8", "replace")},
        content=body,
        headers={**auth, "content-type": "application/json"},
    )
    _check(response, role, path)
    if role is None and not path.endswith("openapi.json"):
        assert 400 <= response.status_code < 500, (response.status_code, path)
