"""Chat conversations the desk could not answer: read them, and reply as an officer.

The queue is :func:`tthc_core.desk.awaiting_staff` (oldest wait first), each
shown with its transcript. A reply goes through
:func:`tthc_core.desk.reply_as_staff`: into the outbox like every other
message, recorded in the conversation with the officer's user name and in
the audit trail with the officer as the actor (the staff unit of work).
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._explain import explain
from tthc_adapters.staff._security import check_csrf
from tthc_core.accounts import Action
from tthc_core.conversation import Conversation
from tthc_core.desk import ConversationNotFound, awaiting_staff, reply_as_staff
from tthc_core.errors import TthcError

__all__ = ["conversations_page", "reply_to_conversation"]

logger = logging.getLogger("tthc.staff")


async def conversations_page(staff: Staff, request: Request) -> Response:
    """Conversations waiting for staff, oldest first, with their transcripts."""
    staff.require(request, Action.HANDLE_MESSAGES)
    now = staff.clock()

    def load() -> list[Conversation]:
        with staff.store.unit_of_work() as uow:
            return awaiting_staff(uow, now, limit=200)

    waiting = await run_in_threadpool(load)
    return staff.render(request, "conversations.html", conversations=waiting, now=now)


async def reply_to_conversation(staff: Staff, request: Request) -> Response:
    """Answer one conversation as this officer."""
    account = staff.require(request, Action.HANDLE_MESSAGES)
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    key, text = str(form.get("key", "")), str(form.get("text", ""))

    def run() -> str:
        with staff.unit_of_work(account) as uow:
            try:
                reply_as_staff(
                    uow, staff.desk, key, officer=account.username, text=text, at=staff.clock()
                )
            except ConversationNotFound:
                return "Không tìm thấy cuộc trò chuyện này."
            except TthcError as exc:
                return f"Không gửi được trả lời: {explain(exc)}"
            uow.commit()
        logger.info("staff %s answered conversation %s", account.username, key)
        return "Đã gửi trả lời qua hàng tin nhắn."

    flash = await run_in_threadpool(run)
    return redirect(request, "/conversations", flash=flash)
