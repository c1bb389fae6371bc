"""The payment webhook and the e-result downloads answer any input without a 5xx."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._app import client_for

from tthc_adapters.documents import FilesystemBlobStore
from tthc_adapters.payments import sign
from tthc_core.desk import Desk
from tthc_core.storage import Store

SECRET = "payment-secret"  # noqa: S105 - a test value
_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=12,
)
_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "transaction_id": st.text(max_size=80),
        "amount": st.one_of(st.integers(), st.text(max_size=20), st.floats(allow_nan=True)),
        "content": st.text(max_size=600),
        "paid_at": st.one_of(st.text(max_size=40), st.just("2026-11-23T10:00:00+07:00")),
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(st.binary(max_size=300), _JSONISH.map(repr).map(str.encode)),
    signed=st.booleans(),
)
def test_payment_webhook_never_fails_on_any_body(
    store: Store, desk: Desk, tmp_path: Path, body: bytes, signed: bool
) -> None:
    client = client_for(store, desk, payment_secret=SECRET, results=FilesystemBlobStore(tmp_path))
    headers = {"content-type": "application/json"}
    if signed:
        headers["x-signature"] = sign(body, SECRET)
    got = client.post("/webhooks/payment", content=body, headers=headers)
    assert got.status_code < 500
    assert got.status_code != 200 or signed


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=_FIELDS)
def test_signed_payment_notices_of_any_shape_are_answered(
    store: Store, desk: Desk, tmp_path: Path, fields: dict[str, object]
) -> None:
    import json

    client = client_for(store, desk, payment_secret=SECRET)
    raw = json.dumps(fields).encode()
    got = client.post(
        "/webhooks/payment",
        content=raw,
        headers={"content-type": "application/json", "x-signature": sign(raw, SECRET)},
    )
    assert got.status_code < 500


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.text(min_size=1, max_size=40), token=st.text(min_size=1, max_size=60))
def test_result_links_of_any_shape_are_404(
    store: Store, desk: Desk, tmp_path: Path, code: str, token: str
) -> None:
    client = client_for(store, desk, results=FilesystemBlobStore(tmp_path))
    safe = "".join(c for c in code + "/" + token if c.isprintable() and c not in "?#%\\")
    got = client.get(f"/ket-qua/{safe}")
    assert 400 <= got.status_code < 500  # never a file, never a server error
