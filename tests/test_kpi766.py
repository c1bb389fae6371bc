"""Decision 766 indicators from the store, the chat figures, and both on the reports page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._desk import at, receive
from tests._staff import StaffDesk

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.storage._chat_log import inbound_chat
from tthc_core import complaint as cp
from tthc_core.accounts import Role
from tthc_core.catalogue import OnlineLevel
from tthc_core.desk import Desk
from tthc_core.kpi766 import NOT_COMPUTED, chat_figures, indicators
from tthc_core.storage import InboundEvent, Store

NOVEMBER = {"start": dt.date(2026, 11, 1), "end": dt.date(2026, 11, 30)}


def _by_code(found: Any) -> dict[str, Any]:
    return {k.code: k for k in found}


def test_indicators_count_what_the_records_show(store: Store, desk: Desk) -> None:
    first = receive(store, desk)  # due 08/12/2026
    online = attrs.evolve(receive(store, desk), submitted_as=first.code)  # filed online
    feedback, _ = cp.receive(
        case_id="GY-2026-0001", kind=cp.CaseKind.SERVICE_FEEDBACK, at=at(11, 24, 9),
        channel=cp.Channel.CHAT, agency=desk.complaints, deadlines=desk.deadlines,
        content="Cán bộ hẹn lại nhiều lần", dossier_code=first.code,
    )  # fmt: skip
    catalogue = [*DEMO_CATALOGUE, attrs.evolve(DEMO_CATALOGUE[0], online_level=OnlineLevel.NONE)]
    in_time = _by_code(indicators([first, online], [feedback], catalogue, **NOVEMBER,
                                  at=at(11, 25, 9)))  # fmt: skip
    assert (in_time["3.1"].numerator, in_time["3.1"].denominator) == (2, 3)
    assert in_time["3.1"].full_marks is False  # 67 % < 80 %
    assert (in_time["3.3"].numerator, in_time["3.3"].denominator) == (1, 2)
    assert in_time["3.3"].full_marks is True  # 50 %
    assert (in_time["5.4"].numerator, in_time["5.4"].denominator) == (1, 2)  # one complained of
    assert in_time["2.1"].value is None  # nothing finished
    assert (in_time["5.3"].numerator, in_time["5.3"].denominator) == (1, 1)
    late = _by_code(indicators([first, online], [feedback], catalogue, **NOVEMBER,
                               at=at(12, 20, 9)))  # fmt: skip
    assert late["5.4"].numerator == 0  # both overdue now
    assert late["5.3"].numerator == 0  # the feedback is past its 15 working days
    december = _by_code(indicators([first, online], [feedback], catalogue,
                                   start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31),
                                   at=at(12, 20, 9)))  # fmt: skip
    assert december["3.3"].denominator == 0
    assert december["3.3"].value is None


@given(st.lists(st.tuples(st.sampled_from(
    ["user_send_text", "user_send_image", "follow", "unfollow", "oa_send_text", ""]),
    st.booleans())))  # fmt: skip
def test_chat_figures_add_up(events: list[tuple[str, bool]]) -> None:
    figures = chat_figures(events)
    sent = [h for n, h in events if n.startswith("user_send_")]
    assert figures.received == len(sent)
    assert figures.answered == sum(sent) <= figures.received
    assert figures.net_followers == sum(n == "follow" for n, _ in events) - sum(
        n == "unfollow" for n, _ in events
    )


def _chat(store: Store, name: str, event_id: str, when: dt.datetime) -> None:
    body = {"event_name": name, "sender": {"id": "u1"}}
    store.inbox_queue.accept_all([InboundEvent("zalo", event_id, body, b"{}", when)])


def test_the_inbox_is_read_by_period_on_every_store(store: Store) -> None:
    _chat(store, "user_send_text", "e1", at(11, 23, 9))
    _chat(store, "follow", "e2", at(11, 23, 10))
    _chat(store, "user_send_text", "e3", at(11, 30, 23, 59))
    _chat(store, "user_send_text", "e4", at(12, 1, 0))  # the next period
    (claimed, *_) = store.inbox_queue.claim(
        owner="w", now=at(12, 2, 9), lease=dt.timedelta(minutes=1), limit=1
    )
    store.inbox_queue.handled(claimed.id, owner="w", now=at(12, 2, 9))
    found = inbound_chat(store, start=at(11, 1, 0), end=at(12, 1, 0))
    assert sorted(found) == [("follow", False), ("user_send_text", False), ("user_send_text", True)]
    figures = chat_figures(found)
    assert (figures.received, figures.answered, figures.follows) == (2, 1, 1)


def test_the_reports_page_and_csv_show_the_indicators_and_chat(staff_desk: StaffDesk) -> None:
    _chat(staff_desk.store, "user_send_text", "e1", staff_desk.clock.now)
    staff_desk.login(Role.LEADER)
    page = staff_desk.client.get("/staff/reports").text
    assert 'id="kpi-chart"' in page
    for code in ("2.1", "3.1", "3.3", "5.3", "5.4", *(n.code for n in NOT_COMPUTED)):
        assert f"<td>{code}</td>" in page, code
    assert "Tin nhắn nhận được" in page
    csv = staff_desk.client.get("/staff/reports?format=csv").text
    assert "Chỉ số 3.1 (QĐ 766),Thủ tục cung cấp dịch vụ công trực tuyến,2/2 (100.0%)" in csv
    assert "Kênh chat,Tin nhắn nhận được,1" in csv
    assert "không tính được" in csv


@pytest.mark.postgres
def test_the_inbox_is_read_by_period_on_postgresql(postgres_dsn: str, postgres_schema: str) -> None:
    from tthc_adapters.storage import PostgresStore

    store = PostgresStore(postgres_dsn, schema=postgres_schema, max_size=2)
    try:
        test_the_inbox_is_read_by_period_on_every_store(store)
    finally:
        store.close()
