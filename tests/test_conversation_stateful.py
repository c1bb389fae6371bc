"""A citizen's conversation under any order of messages, repeats, silence and restarts.

The machine talks to the desk through :func:`tthc_core.desk.answer_chat` and
:func:`tthc_core.desk.take_photo` on a SQLite file it closes and reopens
(restarts), redelivers events (the platform's retries), lets days pass
(timeouts), and cancels. Invariants:

* never two cases from one confirmation: the cases stored are exactly the
  conversation's filed ids, one each;
* never a lost attachment: every photo the desk acknowledged is in the
  draft, or in the case filed from it, or the citizen was told the draft was
  dropped (cancelled or expired);
* every reply is NFC, non-blank and at most 2,000 characters; a redelivered
  event is answered with nothing and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from tests._desk import KEY, at

from tthc_adapters.bootstrap import DEMO_CATALOGUE, DEMO_SETTINGS, build_desk
from tthc_adapters.storage import SqliteStore
from tthc_core.conversation import Conversation, conversation_key
from tthc_core.desk import answer_chat, take_photo
from tthc_core.receipt import StaticKeyRing
from tthc_core.storage.kinds import COMPLAINTS, CONVERSATIONS

DESK = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
WORDS = (
    "gửi đơn",
    "Gui don",
    "khiếu nại",
    "tố cáo",
    "phản ánh",
    "1",
    "2",
    "3",
    "4",
    "hủy",
    "HUY",
    "Xác nhận",
    "xac nhan",
    "đồng ý",
    "Trần Văn Bình",
    "Thôn 3, xã Krông Năng",
    "Cán bộ làm chậm hồ sơ của tôi ba tuần",
    "xin chào",
    "thủ tục đăng ký biến động đất đai cần giấy tờ gì",
    "Bưu điện",
)


class Conversations(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = at(12, 1, 8)
        self.folder = TemporaryDirectory()
        self.path = Path(self.folder.name) / "tthc.sqlite3"
        self.store = SqliteStore(self.path, clock=lambda: self.now)
        with self.store.unit_of_work() as uow:
            for procedure in DEMO_CATALOGUE:
                uow.catalogue.put(procedure)
            uow.commit()
        self.events = 0
        self.last: tuple[str, str] | None = None
        self.pending: list[str] = []  # photos acknowledged into the current draft
        self.photos = 0

    def _conversation(self) -> Conversation | None:
        with self.store.unit_of_work() as uow:
            return uow.repository(CONVERSATIONS).get(conversation_key("zalo", "u1"))

    def _check_replies(self, replies: list[str]) -> None:
        for reply in replies:
            assert reply.strip()
            assert len(reply) <= 2000
            assert unicodedata.is_normalized("NFC", reply)
        told = " ".join(replies)
        if "Đã hủy" in told or "hết hạn" in told:
            self.pending = []  # the citizen was told the draft was dropped
        if "Đã tiếp nhận" in told and "Số tiếp nhận" in told:
            conversation = self._conversation()
            assert conversation is not None
            with self.store.unit_of_work() as uow:
                case = uow.repository(COMPLAINTS).get(conversation.filed[-1])
            assert case is not None
            assert [a.ref for a in case.attachments] == self.pending
            self.pending = []

    def _say(self, text: str, event: str) -> list[str]:
        with self.store.unit_of_work() as uow:
            replies = answer_chat(uow, DESK, user_id="u1", event_id=event, text=text, at=self.now)
            uow.commit()
        return replies

    @rule(text=st.sampled_from(WORDS) | st.text(min_size=0, max_size=30))
    def say(self, text: str) -> None:
        self.events += 1
        event = f"e{self.events}"
        self.now += dt.timedelta(minutes=1)
        replies = self._say(text, event)
        assert replies  # a new event is always answered
        self._check_replies(replies)
        self.last = (text, event)

    @rule(kind=st.sampled_from("1234"), confirm=st.sampled_from(("Xác nhận", "xac nhan", "OK")))
    def answer_the_step(self, kind: str, confirm: str) -> None:
        """What a citizen following the dialogue would send next (so filings complete)."""
        conversation = self._conversation()
        step = "idle" if conversation is None else conversation.step.value
        fitting = {
            "idle": "gửi đơn",
            "filing_kind": kind,
            "filing_content": "Cán bộ làm chậm hồ sơ của tôi ba tuần",
            "filing_name": "Trần Văn Bình",
            "filing_address": "Thôn 3, xã Krông Năng",
            "filing_confirm": confirm,
        }
        self.say(fitting.get(step, "hủy"))

    @rule()
    def photo(self) -> None:
        self.events += 1
        self.photos += 1
        self.now += dt.timedelta(minutes=1)
        ref = f"https://photo.zalo.test/{self.photos}.jpg"
        with self.store.unit_of_work() as uow:
            out = take_photo(
                uow, DESK, user_id="u1", event_id=f"p{self.events}", ref=ref, at=self.now
            )
            uow.commit()
        if out is None:
            return  # no filing in progress: the QR reader's turn (not an attachment)
        texts = [getattr(r, "text", "") for r in out]
        if any(t.startswith("Đã nhận ảnh") for t in texts):
            self.pending.append(ref)
        self._check_replies(texts)

    @rule()
    def redeliver(self) -> None:
        if self.last is None:
            return
        before = self._conversation()
        assert self._say(*self.last) == []
        assert self._conversation() == before

    @rule(days=st.sampled_from((1, 3, 6, 7, 8)))
    def wait(self, days: int) -> None:
        self.now += dt.timedelta(days=days)

    @rule()
    def restart(self) -> None:
        self.store.close()
        self.store = SqliteStore(self.path, clock=lambda: self.now)

    @invariant()
    def one_case_per_confirmation_and_no_lost_photo(self) -> None:
        conversation = self._conversation()
        with self.store.unit_of_work() as uow:
            cases = uow.repository(COMPLAINTS).page(limit=1000)
        filed = () if conversation is None else conversation.filed
        assert sorted(c.case_id for c in cases) == sorted(filed)
        assert len(set(filed)) == len(filed)
        draft = None if conversation is None else conversation.filing
        if draft is not None and not conversation.expired(self.now):  # type: ignore[union-attr]
            assert list(draft.photos) == self.pending
        elif draft is None:
            assert self.pending == []

    def teardown(self) -> None:
        self.store.close()
        self.folder.cleanup()


Conversations.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
TestConversations = Conversations.TestCase
