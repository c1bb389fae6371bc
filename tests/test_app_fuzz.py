"""A fuzz test per endpoint: whatever arrives, the answer is never a 5xx (issue 9).

Hypothesis generates methods, paths, query strings, headers and bodies —
lone surrogates, NUL, deep nesting, huge and non-finite numbers, wrong types,
wrong media types, the right secrets and wrong ones — against the app on a
SQLite store (whose driver failed on surrogates), through Starlette's test
client. The default profile runs a few hundred cases per endpoint; the
``nightly`` profile (``HYPOTHESIS_PROFILE=nightly``) runs thousands.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._app import CHAT_SECRET, NOW, POSTAL_SECRET, UNTHROTTLED, TestClient, client_for
from tests._desk import receive

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.postal._wire import TOKEN_HEADER
from tthc_adapters.storage import SqliteStore
from tthc_core.desk import Desk

_NIGHTLY = os.environ.get("HYPOTHESIS_PROFILE") == "nightly"
FUZZ = settings(
    max_examples=3000 if _NIGHTLY else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, desk: Desk) -> Iterator[TestClient]:
    store = SqliteStore(str(tmp_path_factory.mktemp("fuzz") / "tthc.sqlite3"), clock=lambda: NOW)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    receive(store, desk)
    yield client_for(store, desk, throttle=UNTHROTTLED)
    store.close()


# -- pieces of hostile requests --------------------------------------------------

_HOSTILE_TEXT = st.sampled_from(
    [
        "\ud800",
        "a\udfffb",
        "\x00",
        "\u202e",
        "\ufeff",
        "'; DROP TABLE dossiers; --",
        "../../etc/passwd",
        "%00",
        "%ED%A0%80",
        "000.43.31.H15-261123-0001",
        "000.43.31.h15-261123-0001/1.K1.AAAAAAAAAAAAAAAA",
        "9" * 400,
        "Ａ１２",
    ]
)
_TEXT = st.text(max_size=40) | _HOSTILE_TEXT
_NUMBERS = st.sampled_from(
    ["1e400", "-1e400", "Infinity", "NaN", "-0", "9" * 30, "1" + "0" * 5000, "1.5", "0", "-1"]
)


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def _bodies(draw: st.DrawFn, fields: dict[str, Any]) -> bytes:
    """A body shaped like the endpoint's, with fields changed, or anything at all."""
    kind = draw(st.sampled_from(["shaped", "raw_value", "bytes", "deep", "big"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "deep":
        return ('{"text": ' + _deep(draw(st.integers(1, 30_000))) + "}").encode()
    if kind == "big":
        return b'{"text": "' + b"a" * draw(st.integers(60_000, 70_000)) + b'"}'
    body = dict(fields)
    for name in draw(st.lists(st.sampled_from([*fields, "extra"]), max_size=4)):
        body[name] = draw(_JSON_VALUES)
    text = json.dumps(body, ensure_ascii=draw(st.booleans()))
    if kind == "raw_value" and fields:
        name = draw(st.sampled_from(sorted(fields)))
        raw = draw(_NUMBERS | _HOSTILE_TEXT.map(json.dumps) | st.just(_deep(5000)))
        text = text.replace(json.dumps(body[name]), raw, 1) if name in body else text
    try:
        return text.encode("utf-8", "surrogatepass")
    except UnicodeEncodeError:  # pragma: no cover - surrogatepass encodes everything
        return text.encode("utf-8", "replace")


_METHODS = st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"])


def _headers(secrets: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    safe = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
    return st.fixed_dictionaries(
        {},
        optional={
            "accept": st.sampled_from(["application/json", "text/html", "*/*", "a/b;q=x", ""]),
            "content-type": st.sampled_from(
                ["application/json", "text/plain", "application/json; charset=latin-1", ""]
            )
            | safe,
            **{name: st.just(value) | safe for name, value in secrets.items()},
            "x-forwarded-for": safe,
        },
    )


def _query(names: list[str]) -> st.SearchStrategy[dict[str, str]]:
    values = st.text(max_size=30).filter(lambda v: "\x00" not in v) | _HOSTILE_TEXT.filter(
        lambda v: not any(0xD800 <= ord(c) <= 0xDFFF for c in v)
    )
    return st.dictionaries(st.sampled_from(names) | st.text(max_size=8), values, max_size=4)


def _send(client: TestClient, method: str, path: str, **kw: Any) -> Any:
    return client.request(method, path, **kw)


def _check(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:500])


# -- one test per endpoint -----------------------------------------------------

_URL_TEXT = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=60
)


@FUZZ
@given(
    method=_METHODS,
    suffix=_URL_TEXT | _HOSTILE_TEXT.filter(lambda v: v.isascii() and "\x00" not in v),
    query=_query(["ma"]),
    headers=_headers({}),
)
def test_status_pages_and_json_status_never_answer_5xx(
    client: TestClient, method: str, suffix: str, query: dict[str, str], headers: dict[str, str]
) -> None:
    _check(_send(client, method, f"/{quote(suffix, safe='/%.-')}", params=query, headers=headers))


@FUZZ
@given(query=_query(["ma"]), headers=_headers({}))
def test_the_look_up_form_never_answers_5xx(
    client: TestClient, query: dict[str, str], headers: dict[str, str]
) -> None:
    _check(_send(client, "GET", "/", params=query, headers=headers, follow_redirects=False))


_CHAT = {
    "event_id": "e",
    "user_id": "u",
    "text": "tra cứu",
    "timestamp": int(NOW.timestamp() * 1000),
}
_POSTAL = {
    "saleOrderCode": "000.43.31.H15-261123-0001-BC1",
    "itemCode": "EB1VN",
    "status": "DELIVERED",
    "time": "2026-12-04T10:00:00+07:00",
    "receiverSigned": "Nguyễn Thị Hương",
    "codCollected": 0,
}


@FUZZ
@given(
    method=_METHODS | st.just("POST"),
    body=_bodies(_CHAT),
    headers=_headers(
        {"authorization": f"Bearer {CHAT_SECRET}", "content-type": "application/json"}
    ),
)
def test_the_chat_webhook_never_answers_5xx(
    client: TestClient, method: str, body: bytes, headers: dict[str, str]
) -> None:
    _check(_send(client, method, "/webhooks/chat", content=body, headers=headers))


@FUZZ
@given(
    method=_METHODS | st.just("POST"),
    body=_bodies(_POSTAL),
    headers=_headers({TOKEN_HEADER: POSTAL_SECRET, "content-type": "application/json"}),
)
def test_the_postal_webhook_never_answers_5xx(
    client: TestClient, method: str, body: bytes, headers: dict[str, str]
) -> None:
    _check(_send(client, method, "/webhooks/postal", content=body, headers=headers))


_OPEN311_PATHS = st.sampled_from(
    ["services.json", "requests.json", "requests/PA-1.json", "requests/.json", "x.json"]
) | _URL_TEXT.map(lambda t: f"requests/{t}.json")


@FUZZ
@given(
    method=_METHODS,
    path=_OPEN311_PATHS,
    query=_query(["status", "service_code", "service_request_id"]),
    headers=_headers({}),
)
def test_open311_reads_never_answer_5xx(
    client: TestClient, method: str, path: str, query: dict[str, str], headers: dict[str, str]
) -> None:
    path = quote(path, safe="/%.-")
    _check(_send(client, method, f"/open311/v2/{path}", params=query, headers=headers))


@FUZZ
@given(
    query=st.fixed_dictionaries(
        {},
        optional={
            "start_date": st.sampled_from(["9999-12-01", "0001-01-01", "2026-11-01"]) | _TEXT,
            "end_date": st.sampled_from(["0001-01-01", "9999-12-31", "2026-11-30"]) | _TEXT,
        },
    ).map(lambda q: {k: v for k, v in q.items() if not any(0xD800 <= ord(c) <= 0xDFFF for c in v)})
)
def test_open311_date_windows_never_answer_5xx(client: TestClient, query: dict[str, str]) -> None:
    _check(_send(client, "GET", "/open311/v2/requests.json", params=query))


@FUZZ
@given(method=_METHODS, query=_query(["x"]), headers=_headers({}))
def test_health_never_answers_5xx_on_a_working_store(
    client: TestClient, method: str, query: dict[str, str], headers: dict[str, str]
) -> None:
    response = _send(client, method, "/healthz", params=query, headers=headers)
    _check(response)


# -- on PostgreSQL, whose text type refuses NUL --------------------------------

_NUL_PATHS = st.sampled_from(
    [
        "/open311/v2/requests/%00.json",
        "/open311/v2/requests.json?service_request_id=a%00b",
        "/open311/v2/requests.json?status=%00",
        "/000.43.31.H15-261123-0001%00",
        "/?ma=%00",
        "/healthz?x=%00",
    ]
)


@pytest.mark.postgres
@settings(FUZZ, max_examples=30)
@given(path=_NUL_PATHS | _URL_TEXT.map(lambda t: f"/open311/v2/requests/{quote(t)}.json"))
def test_on_postgresql_no_url_answers_5xx(postgres_client: TestClient, path: str) -> None:
    _check(postgres_client.get(path, follow_redirects=False))


@pytest.fixture(scope="module")
def postgres_client(desk: Desk, postgres_dsn: str) -> Iterator[TestClient]:
    import uuid

    import psycopg
    from psycopg import sql

    from tthc_adapters.storage import PostgresStore

    schema = f"test_{uuid.uuid4().hex[:16]}"
    store = PostgresStore(postgres_dsn, schema=schema, clock=lambda: NOW, max_size=2)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    yield client_for(store, desk, throttle=UNTHROTTLED)
    store.close()
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
