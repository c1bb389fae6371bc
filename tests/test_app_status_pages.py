"""Rendered status pages kept per dossier version (app/_status_pages.py) and the hot routes.

A kept page is sent again only while the dossier's committed version is the one
it shows and before its next due time (timeliness turns then: Circular
01/2018/TT-VPCP Art. 13); for ``fresh`` after it was last found current it is
sent without reading the store (the documented trade-off).
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests._app import NOW, TestClient, client_for, qr_path
from tests._desk import at, receive

from tthc_adapters.app import _html
from tthc_adapters.app._lookup import Found, LookupPath, NotFound, Unverified, split_path
from tthc_adapters.app._status_pages import MAX_AGE, StatusPages, valid_until
from tthc_core.desk import Desk, act
from tthc_core.dossier import Dossier, HandOver
from tthc_core.storage import Store

_SECURITY = (
    "content-security-policy",
    "referrer-policy",
    "x-content-type-options",
    "cache-control",
)


class _Counting:
    """The page renderer, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, found: Found) -> str:
        self.calls += 1
        return _html.status_page("UBND xã", found)


def _path(dossier: Dossier) -> LookupPath:
    path = split_path(f"/{dossier.code}", "")
    assert path is not None
    return path


@pytest.fixture
def dossier(store: Store, desk: Desk) -> Dossier:
    return receive(store, desk)


def _hand_over(store: Store, desk: Desk, dossier: Dossier) -> Dossier:
    with store.unit_of_work() as uow:
        handed = act(uow, desk, dossier.code, HandOver(dossier.steps[0].unit), at=at(11, 23, 10))
        uow.commit()
    return handed


def test_a_kept_page_is_sent_again_for_the_same_version(
    store: Store, desk: Desk, dossier: Dossier
) -> None:
    render = _Counting()
    pages = StatusPages(store, desk, render, fresh=dt.timedelta(0))
    first = pages.page(_path(dossier), NOW)
    again = pages.page(_path(dossier), NOW + dt.timedelta(seconds=5))
    assert isinstance(first, bytes)
    assert again == first
    assert render.calls == 1


def test_a_new_version_renders_the_page_again(store: Store, desk: Desk, dossier: Dossier) -> None:
    render = _Counting()
    pages = StatusPages(store, desk, render, fresh=dt.timedelta(0))
    before = pages.page(_path(dossier), NOW)
    handed = _hand_over(store, desk, dossier)
    after = pages.page(_path(dossier), NOW)
    assert render.calls == 2
    assert isinstance(before, bytes)
    assert isinstance(after, bytes)
    assert handed.holder_unit.encode() in after
    assert before != after


def test_a_kept_page_is_rendered_again_at_the_due_time(
    store: Store, desk: Desk, dossier: Dossier
) -> None:
    """Trong hạn turns Quá hạn at the due time, whatever the version."""
    assert dossier.due_at is not None
    render = _Counting()
    pages = StatusPages(store, desk, render, fresh=dt.timedelta(hours=1))
    early = dossier.due_at - dt.timedelta(seconds=30)
    in_time = pages.page(_path(dossier), early)
    assert isinstance(in_time, bytes)
    assert "Trong hạn".encode() in in_time
    late = dossier.due_at + dt.timedelta(seconds=1)
    assert pages.fresh_page(_path(dossier), late) is None
    overdue = pages.page(_path(dossier), late)
    assert isinstance(overdue, bytes)
    assert "Quá hạn".encode() in overdue
    assert render.calls == 2


def test_a_page_is_sent_without_the_store_only_within_fresh(
    store: Store, desk: Desk, dossier: Dossier
) -> None:
    render = _Counting()
    pages = StatusPages(store, desk, render, fresh=dt.timedelta(seconds=1))
    assert pages.fresh_page(_path(dossier), NOW) is None  # nothing kept yet
    body = pages.page(_path(dossier), NOW)
    assert pages.fresh_page(_path(dossier), NOW + dt.timedelta(milliseconds=900)) == body
    assert pages.fresh_page(_path(dossier), NOW + dt.timedelta(seconds=1)) is None
    # Found current again by a read: fresh from then on.
    assert pages.page(_path(dossier), NOW + dt.timedelta(seconds=2)) == body
    assert pages.fresh_page(_path(dossier), NOW + dt.timedelta(milliseconds=2500)) == body
    assert render.calls == 1


def test_no_fresh_window_reads_the_store_every_time(
    store: Store, desk: Desk, dossier: Dossier
) -> None:
    pages = StatusPages(store, desk, _Counting(), fresh=dt.timedelta(0))
    pages.page(_path(dossier), NOW)
    assert pages.fresh_page(_path(dossier), NOW) is None


def test_a_tag_that_does_not_verify_is_never_served_a_kept_page(
    store: Store, desk: Desk, dossier: Dossier
) -> None:
    pages = StatusPages(store, desk, _Counting())
    genuine = split_path(qr_path(desk, dossier), "")
    assert genuine is not None
    assert genuine.suffix is not None
    qr_page = pages.page(genuine, NOW)
    assert isinstance(qr_page, bytes)
    assert b'class="card verified"' in qr_page
    spoilt = LookupPath(
        genuine.code, genuine.suffix[:-1] + ("A" if genuine.suffix[-1] != "A" else "B")
    )
    assert pages.fresh_page(spoilt, NOW) is None
    assert isinstance(pages.page(spoilt, NOW), Unverified)
    # The code alone is its own page (no details), never the QR's.
    alone = pages.page(_path(dossier), NOW)
    assert isinstance(alone, bytes)
    assert b'class="card verified"' not in alone


def test_an_unknown_code_is_not_found_and_nothing_is_kept(store: Store, desk: Desk) -> None:
    pages = StatusPages(store, desk, _Counting())
    path = LookupPath("000.43.31.H15-261123-0999")
    assert isinstance(pages.page(path, NOW), NotFound)
    assert len(pages) == 0


def test_kept_pages_are_bounded(store: Store, desk: Desk) -> None:
    first, second = receive(store, desk), receive(store, desk)
    pages = StatusPages(store, desk, _Counting(), size=1)
    pages.page(_path(first), NOW)
    pages.page(_path(second), NOW)
    assert len(pages) == 1
    assert pages.fresh_page(_path(first), NOW) is None


def test_valid_until_is_the_first_due_time_after_the_render(dossier: Dossier) -> None:
    assert dossier.due_at is not None
    just_before = dossier.due_at - dt.timedelta(seconds=10)
    assert valid_until(dossier, just_before, details=False) == dossier.due_at
    long_before = dossier.due_at - dt.timedelta(days=3)
    assert valid_until(dossier, long_before, details=False) == long_before + MAX_AGE
    after = dossier.due_at + dt.timedelta(days=1)
    assert valid_until(dossier, after, details=False) == after + MAX_AGE


def test_valid_until_counts_the_control_sheet_steps_on_a_qr_page(
    store: Store, desk: Desk, dossier: Dossier
) -> None:
    handed = _hand_over(store, desk, dossier)
    step_due = handed.sheet.entries[0].due_at
    rendered = step_due - dt.timedelta(seconds=5)
    assert valid_until(handed, rendered, details=True) == step_due


def test_the_hot_routes_answer_as_the_routes_do(store: Store, desk: Desk, dossier: Dossier) -> None:
    """The status page and chat webhook skip Starlette's routing, not its guards or answers."""
    client: TestClient = client_for(store, desk)
    page = client.get(f"/{dossier.code}")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["vary"] == "Accept"
    assert all(name in page.headers for name in _SECURITY)
    kept = client.get(f"/{dossier.code}")  # now from the kept page
    assert kept.content == page.content
    assert kept.headers == page.headers
    refused = client.post("/webhooks/chat", json={})
    assert refused.status_code == 401
    assert all(name in refused.headers for name in _SECURITY)
    unknown = client.get("/000.43.31.H15-261123-0999")
    assert unknown.status_code == 404
    assert all(name in unknown.headers for name in _SECURITY)


def test_a_failing_store_behind_a_hot_route_is_the_vietnamese_500_page(
    store: Store, desk: Desk, dossier: Dossier
) -> None:
    class Broken:
        def __getattr__(self, name: str) -> object:
            return getattr(store, name)

        def read_only(self) -> object:
            raise OSError("disk gone")

    client = client_for(Broken(), desk)  # type: ignore[arg-type]
    answer = client.get(f"/{dossier.code}")
    assert answer.status_code == 500
    assert "Hệ thống tra cứu đang gặp sự cố" in answer.text
    assert "disk gone" not in answer.text
    assert all(name in answer.headers for name in _SECURITY)
