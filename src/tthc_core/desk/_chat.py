"""Answering citizens' chat messages (a Zalo Official Account, or any chat).

:func:`answer_chat` reads one inbound message, deduplicated by its event id
in the inbox, and writes its replies to the outbox in the same transaction —
a webhook delivered twice is answered once, and a reply exists if and only if
the message was handled. Replies are Vietnamese and never carry an error's
English text.

What a sender may learn:

* anyone who types a dossier code learns its status only (no name, phone or
  address);
* a sender whose receipt QR verifies becomes a follower of the dossier (a
  :class:`~tthc_core.links.CitizenLink`) and is notified of its progress; only
  followers may choose how to get the result.
"""

from __future__ import annotations

import datetime as dt

from tthc_core.calendar import to_local
from tthc_core.codes import DossierCode
from tthc_core.complaint import CaseKind
from tthc_core.complaint import Channel as CaseChannel
from tthc_core.complaint import receive as receive_case
from tthc_core.conversation import as_text
from tthc_core.desk import messages as msg
from tthc_core.desk._budget import LookupBudget
from tthc_core.desk._config import Desk
from tthc_core.desk._conversation import converse
from tthc_core.desk._filing import route_to_filing
from tthc_core.desk._intents import (
    BadCode,
    GiveFeedback,
    LookUp,
    ScanReceipt,
    read_intent_once,
)
from tthc_core.desk._numbering import find_dossier
from tthc_core.desk._replies import text_replies
from tthc_core.desk._staff import queue_replies
from tthc_core.links import CitizenLink
from tthc_core.storage import UnitOfWork
from tthc_core.storage.kinds import COMPLAINTS

__all__ = ["MAX_CODES_PER_MESSAGE", "answer_chat"]

#: A message naming more codes is answered for the first ones only.
MAX_CODES_PER_MESSAGE = 5


def answer_chat(
    uow: UnitOfWork,
    desk: Desk,
    *,
    user_id: str,
    event_id: str,
    text: str,
    at: dt.datetime,
    budget: LookupBudget | None = None,
) -> list[str]:
    """Handle one inbound chat message and queue the replies.

    The message goes through the sender's conversation
    (:func:`~tthc_core.desk.converse`: dialogues, return choice, catalogue
    questions, staff hand-over); look-ups, scans and feedback naming a code
    are answered here. Each dossier code looked up (and a feedback naming a
    code) spends one unit of the sender's ``budget``; when it is spent the
    reply says so in Vietnamese and nothing is looked up
    (:mod:`tthc_core.desk._budget`).

    Args:
        uow: The open unit of work (the caller commits).
        desk: The desk.
        user_id: The sender's chat account id.
        event_id: The platform's id of the inbound event (deduplication key).
        text: The message text.
        at: When it was received.
        budget: The senders' look-up budget; ``None`` counts nothing.

    Returns:
        The reply texts (empty if the event was already handled); the outbox
        messages carry the channel-neutral replies too (``payload["reply"]``).
    """
    if not uow.inbox.record_once(desk.chat_channel, event_id):
        return []
    local = to_local(at)
    # An online filing (started by this message, or open for this sender) takes it first.
    filed = route_to_filing(uow, desk, user_id=user_id, text=text, at=local)
    out = (
        text_replies(filed)
        if filed is not None
        else converse(
            uow,
            desk,
            user_id=user_id,
            text=text,
            at=local,
            fallback=lambda said: _replies(uow, desk, user_id, said, local, budget=budget),
        )
    )
    queue_replies(uow, desk.chat_channel, user_id, f"reply:{desk.chat_channel}:{event_id}", out)
    return [as_text(reply) for reply in out]


def _replies(  # noqa: PLR0911 - one return per intent
    uow: UnitOfWork,
    desk: Desk,
    user_id: str,
    text: str,
    at: dt.datetime,
    *,
    budget: LookupBudget | None,
) -> list[str]:
    intent = read_intent_once(text, desk.codec)
    spend = len(intent.codes[:MAX_CODES_PER_MESSAGE]) if isinstance(intent, LookUp) else 0
    spend = 1 if isinstance(intent, GiveFeedback) else spend
    if spend and budget is not None and not budget.allow(user_id, spend, at):
        return [msg.lookups_spent()]
    match intent:
        case LookUp(codes):
            return [_status(uow, desk, code, at) for code in codes[:MAX_CODES_PER_MESSAGE]]
        case ScanReceipt(payload):
            verification = desk.codec.verify(payload, desk.keys)
            dossier = find_dossier(uow, payload.code)
            if not verification.grants_details or dossier is None:
                return [msg.scan_rejected()]
            uow.links.link(
                CitizenLink(desk.chat_channel, user_id, payload.code, at, dossier.applicant.phone)
            )
            return [
                msg.linked(payload.code),
                msg.status_reply(dossier.public_status(at, deadlines=desk.deadlines)),
            ]
        case GiveFeedback(code, content):
            return [_feedback(uow, desk, code, content, at)]
        case BadCode(error):
            return [msg.invalid_code(error)]
    return [msg.help_text()]  # Help, ChooseReturn: the conversation answers those


def _status(uow: UnitOfWork, desk: Desk, code: DossierCode, at: dt.datetime) -> str:
    dossier = find_dossier(uow, code)
    if dossier is None:
        return msg.dossier_not_found(code)
    return msg.status_reply(
        dossier.public_status(max(at, dossier.last_event_at), deadlines=desk.deadlines)
    )


def _feedback(uow: UnitOfWork, desk: Desk, code: DossierCode, content: str, at: dt.datetime) -> str:
    if find_dossier(uow, code) is None:
        # Not a dossier of this desk (mistyped, or another agency's): no case to open.
        return msg.dossier_not_found(code)
    cases = uow.repository(COMPLAINTS)
    case_id = f"GY-{code}-{len(cases.for_dossier(code)) + 1}"
    case, events = receive_case(
        case_id=case_id,
        kind=CaseKind.SERVICE_FEEDBACK,
        at=at,
        channel=CaseChannel.CHAT,
        agency=desk.complaints,
        deadlines=desk.deadlines,
        content=content,
        dossier_code=code,
    )
    saved = cases.save(case, events)
    step = None if saved.clock is None else saved.clock.step
    return msg.feedback_received(saved.case_id, saved.due_at, step=step)
