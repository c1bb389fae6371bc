"""Failures never show a stack trace: the health check, and the catch-all 500 handler.

Errors are for people to act on (tthc_core.errors): citizens get a Vietnamese
page, webhook callers a JSON reason, and the traceback goes to the log only.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, NoReturn

import pytest
from tests._app import client_for

from tthc_core.codes import DossierCode
from tthc_core.desk import Desk
from tthc_core.storage import ConcurrencyConflict, Store

_INTERNALS = "connection refused by db-7.internal:5432"


class _BrokenStore:
    """A store whose database is gone: opening a unit of work raises ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.outbox_queue: Any = None

    def unit_of_work(self) -> NoReturn:
        raise self.error

    def close(self) -> None:
        """Nothing to close."""


class _ConflictingStore:
    """A store where every unit of work loses an optimistic-concurrency race on commit."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.outbox_queue = store.outbox_queue

    def unit_of_work(self) -> Any:
        inner = self.store.unit_of_work()

        class _Uow:
            def __getattr__(self, name: str) -> Any:
                return getattr(inner, name)

            def __enter__(self) -> Any:
                inner.__enter__()
                return self

            def __exit__(
                self,
                t: type[BaseException] | None,
                e: BaseException | None,
                tb: TracebackType | None,
            ) -> None:
                inner.__exit__(t, e, tb)

            def commit(self) -> None:
                raise ConcurrencyConflict("dossier", "x", expected=1, actual=2)

        return _Uow()

    def close(self) -> None:
        self.store.close()


def test_health_is_ok_with_a_working_store(store: Store, desk: Desk) -> None:
    response = client_for(store, desk).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "storage": "ok"}


def test_health_is_503_when_the_store_fails(desk: Desk, caplog: pytest.LogCaptureFixture) -> None:
    client = client_for(_BrokenStore(OSError(_INTERNALS)), desk)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="tthc.app"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "storage": "unreachable"}
    assert _INTERNALS not in response.text
    assert _INTERNALS in caplog.text


@pytest.mark.parametrize("signed", [False, True])
def test_a_crash_renders_a_vietnamese_500_without_a_traceback(
    desk: Desk, caplog: pytest.LogCaptureFixture, signed: bool
) -> None:
    code = DossierCode.parse("000.43.31.H15-261123-0001")
    path = f"/{code}"
    if signed:  # a tag that verifies: the store is read (a spoilt one is not)
        path = desk.codec.url(desk.codec.sign(code, desk.keys)).removeprefix("HTTPS://")
        path = path[path.index("/") :]
    client = client_for(_BrokenStore(RuntimeError(_INTERNALS)), desk)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="tthc.app"):
        response = client.get(path)
    assert response.status_code == 500
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert '<html lang="vi">' in page
    assert "Đã có lỗi xảy ra" in page
    for leak in ("Traceback", "RuntimeError", _INTERNALS, 'File "'):
        assert leak not in page
    # the log keeps what staff need
    assert "Traceback" in caplog.text
    assert _INTERNALS in caplog.text


def test_a_crash_answers_json_callers_in_json(desk: Desk) -> None:
    client = client_for(_BrokenStore(RuntimeError(_INTERNALS)), desk)  # type: ignore[arg-type]
    status = client.get("/000.43.31.H15-261123-0001", headers={"accept": "application/json"})
    assert status.status_code == 500
    assert status.json()["error"] == "internal"
    open311 = client.get("/open311/v2/requests.json")
    assert open311.status_code == 500
    assert open311.json() == [{"code": 500, "description": "internal error; try again later"}]
    for response in (status, open311):
        assert _INTERNALS not in response.text


def test_a_concurrency_conflict_asks_the_webhook_caller_to_retry(store: Store, desk: Desk) -> None:
    client = client_for(_ConflictingStore(store), desk)  # type: ignore[arg-type]
    response = client.post(
        "/webhooks/chat",
        json={"event_id": "e1", "user_id": "u1", "text": "xin chào", "timestamp": 1764900000000},
        headers={"authorization": "Bearer chat-webhook-secret"},
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert store.outbox_queue.counts().pending == 0
