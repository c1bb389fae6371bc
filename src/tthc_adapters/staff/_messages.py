"""Citizens' messages the system could not deliver: look, retry, or reply by hand.

A chat message the outbox worker gave up on is parked
(:meth:`tthc_core.storage.OutboxQueue.parked`). An officer retries it (once the
cause is fixed) or writes the citizen a reply, which goes out through the
outbox like every other message, carrying the officer's user name.
"""

from __future__ import annotations

import logging
import secrets

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._security import check_csrf
from tthc_core.accounts import Action
from tthc_core.desk import POSTAL_CHANNEL
from tthc_core.storage import OutboundMessage, ParkedMessage
from tthc_core.text import nfc

__all__ = ["messages_page", "reply", "retry"]

logger = logging.getLogger("tthc.staff")

#: The longest reply (a chat message, not a letter).
MAX_REPLY = 2000


async def messages_page(staff: Staff, request: Request) -> Response:
    """Parked messages, oldest first."""
    staff.require(request, Action.HANDLE_MESSAGES)
    parked = await run_in_threadpool(staff.store.outbox_queue.parked, limit=200)
    return staff.render(request, "messages.html", parked=parked, postal=POSTAL_CHANNEL)


def _find(staff: Staff, message_id: int) -> ParkedMessage:
    for parked in staff.store.outbox_queue.parked(limit=1000):
        if parked.id == message_id:
            return parked
    raise HTTPException(404, "Tin nhắn này không còn chờ xử lý.")


async def retry(staff: Staff, request: Request) -> Response:
    """Send a parked message again (after its cause was fixed)."""
    account = staff.require(request, Action.HANDLE_MESSAGES)
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    message_id = request.path_params["message_id"]
    done = await run_in_threadpool(
        staff.store.outbox_queue.retry_parked, message_id, now=staff.clock()
    )
    logger.info("staff %s retried parked message %s: %s", account.username, message_id, done)
    flash = "Đã đưa tin nhắn vào hàng gửi lại." if done else "Tin nhắn không còn chờ xử lý."
    return redirect(request, "/messages", flash=flash)


async def reply(staff: Staff, request: Request) -> Response:
    """Write the citizen a reply through the outbox, signed with the officer's user name."""
    account = staff.require(request, Action.HANDLE_MESSAGES)
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    text = nfc(str(form.get("text", ""))).strip()
    if not text or len(text) > MAX_REPLY:
        return redirect(
            request, "/messages", flash=f"Nội dung trả lời phải có từ 1 đến {MAX_REPLY} ký tự."
        )
    message_id = request.path_params["message_id"]

    def run() -> None:
        parked = _find(staff, message_id)
        if parked.message.channel == POSTAL_CHANNEL:
            raise HTTPException(400, "Không trả lời được một lệnh bưu chính; hãy gửi lại.")
        user_id = str(parked.message.payload.get("user_id", ""))
        message = OutboundMessage(
            key=f"staff-reply:{parked.id}:{secrets.token_hex(8)}",
            channel=parked.message.channel,
            payload={"user_id": user_id, "text": text, "officer": account.username},
        )
        with staff.unit_of_work(account) as uow:
            uow.outbox.put(message)
            uow.commit()
        logger.info("staff %s replied to %s:%s", account.username, message.channel, user_id)

    await run_in_threadpool(run)
    return redirect(request, "/messages", flash="Đã gửi trả lời qua hàng tin nhắn.")
