"""Helpers for the conversation tests: chat as one account, read what was queued."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import attrs
from tests._desk import at

from tthc_core.conversation import Conversation, conversation_key
from tthc_core.desk import Desk, answer_chat, take_photo
from tthc_core.storage import Store
from tthc_core.storage.kinds import CONVERSATIONS

__all__ = ["Citizen"]

_ids = itertools.count(1)


@attrs.define
class Citizen:
    """One chat account talking to the desk, one committed unit of work per message."""

    store: Store
    desk: Desk
    user_id: str = "u1"
    now: dt.datetime = attrs.field(factory=lambda: at(12, 2, 15))

    def say(
        self, text: str, *, event: str | None = None, later: dt.timedelta | None = None
    ) -> list[str]:
        """Send ``text``; the reply texts."""
        if later is not None:
            self.now += later
        with self.store.unit_of_work() as uow:
            out = answer_chat(
                uow,
                self.desk,
                user_id=self.user_id,
                event_id=event or f"e{next(_ids)}",
                text=text,
                at=self.now,
            )
            uow.commit()
        return out

    def photo(self, ref: str, *, event: str | None = None) -> list[Any] | None:
        """Send a photo (its reference); the replies, or None if no filing took it."""
        with self.store.unit_of_work() as uow:
            out = take_photo(
                uow,
                self.desk,
                user_id=self.user_id,
                event_id=event or f"p{next(_ids)}",
                ref=ref,
                at=self.now,
            )
            uow.commit()
        return out

    def conversation(self) -> Conversation | None:
        """The stored conversation."""
        with self.store.unit_of_work() as uow:
            return uow.repository(CONVERSATIONS).get(
                conversation_key(self.desk.chat_channel, self.user_id)
            )
