"""The strict JSON reader every endpoint with a body uses (issue 9: "every input path total").

Each defect the issue lists is refused with a 400/413/415 naming what is wrong,
never a 500: lone surrogates (``UnicodeEncodeError`` in sqlite3), deep nesting
(``RecursionError``), numbers out of range (``OverflowError``), wrong field
types (``AttributeError``) and a missing or wrong ``Content-Type``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._app import CHAT_SECRET, NOW, POSTAL_SECRET, TestClient, client_for

from tthc_adapters.app._http import (
    MAX_BODY_BYTES,
    MAX_DEPTH,
    MAX_SAFE_INTEGER,
    BadBody,
    parse_json,
)
from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.postal._wire import TOKEN_HEADER
from tthc_adapters.storage import SqliteStore
from tthc_core.desk import Desk
from tthc_core.storage import Store

_JSON = {"content-type": "application/json"}
_POSTAL = {TOKEN_HEADER: POSTAL_SECRET, **_JSON}
_CHAT = {"authorization": f"Bearer {CHAT_SECRET}", **_JSON}
_STAMP = int(NOW.timestamp() * 1000)


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """One SQLite store for the module: the store whose driver failed on surrogates."""
    made = SqliteStore(str(tmp_path_factory.mktemp("body") / "tthc.sqlite3"), clock=lambda: NOW)
    with made.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return made


@pytest.fixture(scope="module")
def client(sqlite_store: Store, desk: Desk) -> TestClient:
    return client_for(sqlite_store, desk)


def _chat_body(**fields: Any) -> dict[str, Any]:
    return {"event_id": "e1", "user_id": "u1", "text": "xin chào", "timestamp": _STAMP, **fields}


def _postal_body(**fields: Any) -> dict[str, Any]:
    return {
        "saleOrderCode": "000.43.31.H15-261123-0042-BC1",
        "itemCode": "EB1VN",
        "status": "DELIVERED",
        "time": "2026-12-04T10:00:00+07:00",
        **fields,
    }


# -- the reader alone ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"a": "\\ud800"}', "lone surrogate"),
        (b'{"\\udfff": 1}', "lone surrogate"),
        (b'{"a": ["x", {"b": "\\udc00z"}]}', "lone surrogate"),
        (b'{"a": "\\u0000"}', "NUL"),
        (b'{"a": 1e400}', "out of range"),
        (b'{"a": -1e400}', "out of range"),
        (b'{"a": Infinity}', "not a JSON number"),
        (b'{"a": -Infinity}', "not a JSON number"),
        (b'{"a": NaN}', "not a JSON number"),
        (b'{"a": 9007199254740992}', "out of range"),
        (b'{"a": -9007199254740992}', "out of range"),
        (b'{"a": 1' + b"0" * 5000 + b"}", "out of range"),
        (b'{"a": 1, "a": 2}', "twice"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"text"', "must be a JSON object"),
        (b"{not json", "not UTF-8 JSON"),
        (b"\xff\xfe", "not UTF-8 JSON"),
        (b"", "not UTF-8 JSON"),
    ],
)
def test_the_reader_refuses_each_kind_of_bad_body_naming_it(raw: bytes, reason: str) -> None:
    with pytest.raises(BadBody, match=reason) as caught:
        parse_json(raw)
    assert caught.value.status == 400


def test_a_correctly_paired_surrogate_escape_is_one_character() -> None:
    assert parse_json(b'{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}


def test_the_largest_safe_integers_and_finite_floats_are_read() -> None:
    body = parse_json(f'{{"a": {MAX_SAFE_INTEGER}, "b": -{MAX_SAFE_INTEGER}, "c": 1e308}}'.encode())
    assert body == {"a": MAX_SAFE_INTEGER, "b": -MAX_SAFE_INTEGER, "c": 1e308}


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1, 20_000, 1_000_000])
def test_nesting_is_checked_before_parsing_without_recursion(depth: int) -> None:
    for opening, closing in ("[]", "{}"):
        inner = "1" if opening == "[" else ""
        if opening == "{":
            raw = '{"a":' * depth + "{}" + "}" * depth
            levels = depth + 1
        else:
            raw = opening * depth + inner + closing * depth
            levels = depth
        wrapped = raw if opening == "{" else '{"a":' + raw + "}"
        levels += 0 if opening == "{" else 1
        if levels <= MAX_DEPTH:
            assert parse_json(wrapped.encode())
        else:
            with pytest.raises(BadBody, match="nested deeper"):
                parse_json(wrapped.encode())


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    text = "[{" * 1000 + '\\"' + "]}" * 1000
    assert parse_json(json.dumps({"a": text}).encode()) == {"a": text}


_STORABLE = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
        | st.floats(allow_nan=False, allow_infinity=False)
        | _STORABLE,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(_STORABLE.filter(lambda k: len(k) < 6), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_every_storable_json_object_reads_back_as_itself(value: Any) -> None:
    body = {"v": value}
    assert parse_json(json.dumps(body).encode()) == body


@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_the_reader_answers_any_bytes_with_an_object_or_bad_body(raw: bytes) -> None:
    outcome: object
    try:
        outcome = parse_json(raw)
    except BadBody as exc:
        outcome = exc
    assert isinstance(outcome, dict) or (isinstance(outcome, BadBody) and outcome.status == 400)


# -- through the webhooks ------------------------------------------------------


@pytest.mark.parametrize("path", ["/webhooks/postal", "/webhooks/chat"])
@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_body_not_declared_json_is_415(
    client: TestClient, path: str, content_type: str | None
) -> None:
    headers = {TOKEN_HEADER: POSTAL_SECRET, "authorization": f"Bearer {CHAT_SECRET}"}
    if content_type is not None:
        headers["content-type"] = content_type
    response = client.post(path, content=json.dumps(_chat_body()), headers=headers)
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"
    assert "application/json" in response.json()["reason"]


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "Application/JSON; charset=UTF-8", "application/vnd.zalo+json"],
)
def test_json_media_types_are_read(client: TestClient, content_type: str) -> None:
    headers = {**_CHAT, "content-type": content_type}
    body = _chat_body(event_id=f"media-{content_type}")
    response = client.post("/webhooks/chat", content=json.dumps(body), headers=headers)
    assert response.status_code == 200


def test_json_in_another_charset_is_415(client: TestClient) -> None:
    headers = {**_CHAT, "content-type": "application/json; charset=latin-1"}
    response = client.post("/webhooks/chat", content=json.dumps(_chat_body()), headers=headers)
    assert response.status_code == 415
    assert "UTF-8" in response.json()["reason"]


def test_a_declared_length_above_the_limit_is_413_before_reading(client: TestClient) -> None:
    headers = {**_CHAT, "content-length": str(MAX_BODY_BYTES + 1)}
    body = b"{" + b" " * MAX_BODY_BYTES + b"}"
    response = client.post("/webhooks/chat", content=body, headers=headers)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


_BAD_VALUES = ['"\\ud800"', '"\\udfff x"', "1e400", "Infinity", "NaN", '{"a": 1}', "[1]", "true"]


@pytest.mark.parametrize("field", ["event_id", "user_id", "text", "timestamp"])
@pytest.mark.parametrize("value", _BAD_VALUES)
def test_a_chat_field_of_the_wrong_kind_is_400(
    client: TestClient, sqlite_store: Store, field: str, value: str
) -> None:
    pending = sqlite_store.outbox_queue.counts().pending
    body = json.dumps(_chat_body(**{field: "@"})).replace('"@"', value)
    response = client.post("/webhooks/chat", content=body, headers=_CHAT)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_input"
    assert sqlite_store.outbox_queue.counts().pending == pending


_POSTAL_TEXT = ("saleOrderCode", "itemCode", "note", "receiverSigned")
_POSTAL_OTHER = ("status", "time", "attempt", "codCollected", "totalFee")
_FAR_TIME = '"9999-12-31T23:59:59-12:00"'  # a string: wrong only where a string is not text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        *((f, v) for f in (*_POSTAL_TEXT, *_POSTAL_OTHER) for v in (*_BAD_VALUES, "-1", "1.5")),
        *((f, _FAR_TIME) for f in _POSTAL_OTHER),
    ],
)
def test_a_postal_field_of_the_wrong_kind_is_400(
    client: TestClient, field: str, value: str
) -> None:
    body = json.dumps(_postal_body(**{field: "@"})).replace('"@"', value)
    response = client.post("/webhooks/postal", content=body, headers=_POSTAL)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_input"


@pytest.mark.parametrize(
    ("field", "value"),
    [("receiverSigned", {"a": 1}), ("codCollected", "1e400"), ("codCollected", "Infinity")],
)
def test_the_postal_defects_of_issue_9_name_the_field(
    client: TestClient, field: str, value: Any
) -> None:
    raw = json.dumps(_postal_body(**{field: "@"})).replace('"@"', json.dumps(value).strip('"'))
    response = client.post("/webhooks/postal", content=raw, headers=_POSTAL)
    assert response.status_code == 400
    reason = response.json()["reason"]
    assert field in reason or "number" in reason


def test_deep_nesting_through_the_webhook_is_400(client: TestClient) -> None:
    raw = '{"text": ' + "[" * 20_000 + "]" * 20_000 + "}"
    response = client.post("/webhooks/chat", content=raw, headers=_CHAT)
    assert response.status_code == 400
    assert "nested deeper" in response.json()["reason"]


_JSON_TEXT = st.text(st.characters(codec="utf-16", exclude_categories=()), max_size=8)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | _JSON_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_JSON_TEXT, inner, max_size=3),
    max_leaves=12,
)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    return False


@given(
    st.dictionaries(_JSON_TEXT, _JSON_VALUES, max_size=4),
    st.booleans(),
    st.integers(1, 4),
)
def test_the_readers_shortcuts_refuse_exactly_what_the_full_checks_refuse(
    body: dict[str, Any], ascii_only: bool, max_depth: int
) -> None:
    """Bracket counting and the ``\\u`` test only skip work; they never change a verdict."""
    raw = json.dumps(body, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    if _depth(body) > max_depth:
        expected = "nested deeper"
    elif _unstorable(body):
        # Raw lone surrogates fail UTF-8 decoding; escaped ones (and NUL) the string check.
        expected = "surrogate or NUL|not UTF-8"
    else:
        assert parse_json(raw, max_depth=max_depth) == body
        return
    with pytest.raises(BadBody, match=expected):
        parse_json(raw, max_depth=max_depth)
