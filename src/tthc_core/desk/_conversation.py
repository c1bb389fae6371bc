"""The desk's side of a conversation: one citizen message in, replies out.

:func:`converse` loads the sender's :class:`~tthc_core.conversation.Conversation`
(stored, so a dialogue resumes after days or a restart), ends a step that
timed out, and then:

* inside a dialogue, reads the text as the answer to the step (``hủy``
  cancels anywhere) — filing ends in a case in the complaint aggregate
  (:func:`tthc_core.complaint.receive`, with its statutory deadline) and the
  receipt; the postal return ends in the return-channel core;
* when idle: a return choice, a dossier look-up or scan (the ``fallback``), a
  request to file, a greeting, a catalogue question — and anything else is
  queued for staff with the conversation (:mod:`._staff`).

Everything happens in the caller's unit of work: the conversation, the case,
the outbox messages and the inbox record commit together, so a redelivered
event or a repeated "Xác nhận" never files a second case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tthc_core.codes import DossierCode
from tthc_core.complaint import Attachment, CaseKind
from tthc_core.complaint import Channel as CaseChannel
from tthc_core.complaint import receive as receive_case
from tthc_core.conversation import (
    AddPhoto,
    Author,
    Cancel,
    CaseContact,
    ChangeAddress,
    ChooseKind,
    Command,
    Confirm,
    Conversation,
    ConversationEvent,
    FilingConfirmed,
    GiveStreet,
    GiveText,
    NotNow,
    Reply,
    ReturnConfirmed,
    Say,
    StartFiling,
    StartReturn,
    Step,
    Text,
    TooManyPhotos,
    apply_event,
    as_text,
    asks_about_procedures,
    conversation_key,
    expire,
    filing_start,
    handle,
    is_greeting,
    read_answer,
)
from tthc_core.desk import messages as msg
from tthc_core.desk import replies
from tthc_core.desk._catalogue import answer_catalogue
from tthc_core.desk._config import Desk
from tthc_core.desk._intents import ChooseReturn, Help, LookUp, ScanReceipt, read_intent_once
from tthc_core.desk._numbering import find_dossier
from tthc_core.desk._returns import (
    apply_choice,
    area_label,
    booked,
    plan_postal,
    postal_address_for,
    waiting_choice,
)
from tthc_core.desk._staff import ask_staff
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant, ReturnChannel
from tthc_core.storage import UnitOfWork
from tthc_core.storage.kinds import CASE_CONTACTS, COMPLAINTS, CONVERSATIONS

__all__ = ["Session", "converse", "take_photo"]

#: The look-up path for texts that are not conversation: returns plain texts.
Fallback = Callable[[str], list[str]]


class Session:
    """A conversation being changed in one unit of work: its state and new events."""

    def __init__(self, conversation: Conversation, at: dt.datetime) -> None:
        self.conversation = conversation
        self.at = at
        self.events: list[ConversationEvent] = []

    @classmethod
    def load(cls, uow: UnitOfWork, desk: Desk, user_id: str, at: dt.datetime) -> Session:
        """The sender's stored conversation (a new one if none)."""
        key = conversation_key(desk.chat_channel, user_id)
        stored = uow.repository(CONVERSATIONS).get(key)
        return cls(stored or Conversation(desk.chat_channel, user_id), at)

    def run(self, command: Command) -> list[ConversationEvent]:
        """Decide and apply ``command``; its events."""
        self.conversation, events = handle(self.conversation, command, at=self.at)
        self.events += events
        return events

    def expire(self) -> bool:
        """End the current step if it timed out; whether it did."""
        events = expire(self.conversation, self.at)
        for event in events:
            self.conversation = apply_event(self.conversation, event)
        self.events += events
        return bool(events)

    def save(self, uow: UnitOfWork) -> Conversation:
        """Store the conversation and its events (once per unit of work)."""
        return uow.repository(CONVERSATIONS).save(self.conversation, self.events)


def converse(
    uow: UnitOfWork, desk: Desk, *, user_id: str, text: str, at: dt.datetime, fallback: Fallback
) -> list[Reply]:
    """Answer one citizen text; the replies (the caller queues them).

    Args:
        uow: The open unit of work (the caller commits).
        desk: The desk.
        user_id: The sender's chat account.
        text: The message (a tap on a button arrives as its payload text).
        at: When it was received.
        fallback: Answers look-ups, scans and feedback (the intents of
            :func:`~tthc_core.desk.read_intent`) as plain texts.
    """
    session = Session.load(uow, desk, user_id, at)
    out: list[Reply] = [replies.expired()] if session.expire() else []
    secret = _denouncing(session.conversation)
    out += _respond(uow, desk, session, user_id, text=text, fallback=fallback)
    secret = secret or _denouncing(session.conversation)
    session.run(Say(Author.CITIZEN, _WITHHELD if secret else text[:4000]))
    for reply in out:
        session.run(Say(Author.DESK, _WITHHELD if secret else as_text(reply)))
    session.save(uow)
    return out


#: What the transcript keeps of a denunciation's dialogue: staff reading the transcript
#: are not the assigned handler (Law on Denunciations 2018 Art. 9(1)(b), 47(2)).
_WITHHELD = "(nội dung tố cáo: được giữ bí mật, xem tại vụ việc)"


def _denouncing(conversation: Conversation) -> bool:
    draft = conversation.filing
    return draft is not None and draft.kind is CaseKind.DENUNCIATION


def take_photo(
    uow: UnitOfWork, desk: Desk, *, user_id: str, event_id: str, ref: str, at: dt.datetime
) -> list[Reply] | None:
    """Attach a photo to the filing in progress; ``None`` if no filing takes it.

    Returns the replies (empty when the event was handled before); the caller
    queues them. With ``None`` the caller treats the photo otherwise (a
    receipt QR to read).
    """
    session = Session.load(uow, desk, user_id, at)
    conversation = session.conversation
    if not conversation.step.is_filing or conversation.expired(at):
        return None
    if not uow.inbox.record_once(desk.chat_channel, event_id):
        return []
    try:
        Attachment(ref)
        session.run(AddPhoto(ref))
        draft = session.conversation.filing
        reply = replies.photo_added(len(draft.photos) if draft else 0, session.conversation.step)
    except TooManyPhotos:
        reply = replies.too_many_photos()
    except InvalidInput:
        reply = Text(msg.photo_unreadable())
    secret = _denouncing(session.conversation)
    session.run(Say(Author.DESK, _WITHHELD if secret else as_text(reply)))
    session.save(uow)
    return [reply]


def _respond(  # noqa: PLR0911 - one return per kind of message
    uow: UnitOfWork, desk: Desk, session: Session, user_id: str, *, text: str, fallback: Fallback
) -> list[Reply]:
    step = session.conversation.step
    intent = read_intent_once(text, desk.codec)
    returning = step in (Step.RETURN_ADDRESS, Step.RETURN_CONFIRM)
    if returning and isinstance(intent, ChooseReturn) and intent.code is not None:
        return _choose(uow, desk, session, user_id, intent)  # a result-ready button, again
    answer = read_answer(text, step)
    if step is not Step.IDLE and answer is not None:
        return _answer(uow, desk, session, user_id, answer)
    if step is not Step.IDLE:
        looked = (
            [Text(t) for t in fallback(text)] if isinstance(intent, LookUp | ScanReceipt) else []
        )
        return [*looked, _prompt(uow, desk, session)]
    if read_answer(text, Step.RETURN_CONFIRM) is not None:  # "Xác nhận", "Hủy" when idle
        return [replies.nothing_pending()]
    if isinstance(intent, ChooseReturn):
        return _choose(uow, desk, session, user_id, intent)
    if not isinstance(intent, Help):
        return [Text(t) for t in fallback(text)]
    start = filing_start(text)
    if start is not None:
        kind, rest = start
        session.run(StartFiling(kind))
        if kind is not None and rest:
            return _answer(uow, desk, session, user_id, GiveText(rest))
        return [_prompt(uow, desk, session)]
    if is_greeting(text):
        return [Text(msg.help_text())]
    answered = answer_catalogue(uow, desk, text)
    if answered is not None:
        return answered
    ask_staff(session, text)
    return [
        replies.procedure_unknown() if asks_about_procedures(text) else replies.queued_for_staff()
    ]


def _prompt(uow: UnitOfWork, desk: Desk, session: Session) -> Reply:  # noqa: PLR0911
    """The question the current step asks (again)."""
    conversation = session.conversation
    draft, back = conversation.filing, conversation.returning
    match conversation.step:
        case Step.FILING_KIND:
            return replies.ask_kind()
        case Step.FILING_CONTENT if draft is not None and draft.kind is not None:
            return replies.ask_content(draft.kind)
        case Step.FILING_NAME if draft is not None and draft.kind is not None:
            return replies.ask_identity_name(draft.kind)
        case Step.FILING_ADDRESS:
            return replies.ask_identity_address()
        case Step.FILING_CONFIRM if draft is not None:
            return replies.filing_summary(draft)
        case Step.RETURN_ADDRESS if back is not None:
            dossier = find_dossier(uow, back.dossier_code)
            area = (
                "xã/phường đã đăng ký" if dossier is None else area_label(desk, dossier, session.at)
            )
            return replies.ask_street(area)
        case Step.RETURN_CONFIRM if back is not None and back.address_label is not None:
            return replies.confirm_postal(back.dossier_code, back.address_label, back.postage_vnd)
    return Text(msg.help_text())


def _answer(
    uow: UnitOfWork, desk: Desk, session: Session, user_id: str, command: Command
) -> list[Reply]:
    step = session.conversation.step
    if step is Step.RETURN_ADDRESS and isinstance(command, GiveText):
        return _street(uow, desk, session, user_id, command.text)
    before = session.conversation
    try:
        if step is Step.FILING_NAME and isinstance(command, GiveText):
            Applicant(name=command.text)  # the name must be one the case accepts
        events = session.run(command)
    except (NotNow, InvalidInput):
        return [_prompt(uow, desk, session)]
    match command:
        case Cancel():
            return [replies.cancelled()]
        case Confirm():
            return _confirmed(uow, desk, before, user_id, events)
        case ChangeAddress() | ChooseKind() | GiveText():
            return [_prompt(uow, desk, session)]
    return [_prompt(uow, desk, session)]  # pragma: no cover - every answer is matched


def _confirmed(
    uow: UnitOfWork, desk: Desk, before: Conversation, user_id: str, events: list[ConversationEvent]
) -> list[Reply]:
    for event in events:
        if isinstance(event, FilingConfirmed) and before.filing is not None:
            return [_file(uow, desk, before, user_id, event)]
        if isinstance(event, ReturnConfirmed) and before.returning is not None:
            draft = before.returning
            dossier = find_dossier(uow, draft.dossier_code)
            address = (
                None
                if dossier is None
                else postal_address_for(uow, desk, dossier, user_id, draft.street)
            )
            reply = apply_choice(
                uow,
                desk,
                draft.dossier_code,
                ReturnChannel.POSTAL,
                event.occurred_at,
                address=address,
            )
            if as_text(reply) == msg.channel_chosen(draft.dossier_code, ReturnChannel.POSTAL):
                return [replies.postal_booked(draft.dossier_code, draft.address_label or "")]
            return [reply]
    return []  # pragma: no cover - a confirmation always decides one of the two


def _file(
    uow: UnitOfWork, desk: Desk, before: Conversation, user_id: str, event: FilingConfirmed
) -> Reply:
    draft = before.filing
    if draft is None or draft.kind is None:  # pragma: no cover - the table chose a kind first
        raise InvalidInput("a filing was confirmed without a kind")
    kind = draft.kind
    sender = Applicant(name=draft.name, address=draft.address) if draft.name else None
    case, case_events = receive_case(
        case_id=event.case_id,
        kind=kind,
        at=event.occurred_at,
        channel=CaseChannel.CHAT,
        agency=desk.complaints,
        deadlines=desk.deadlines,
        sender=sender,
        content=draft.content,
        attachments=tuple(Attachment(ref) for ref in draft.photos),
        desk=desk.unit if kind is CaseKind.SERVICE_FEEDBACK else None,
    )
    saved = uow.repository(COMPLAINTS).save(case, case_events)
    uow.repository(CASE_CONTACTS).save(CaseContact(saved.case_id, desk.chat_channel, user_id))
    step = None if saved.clock is None else saved.clock.step
    return replies.filed(saved.case_id, kind, saved.due_at, step=step)


def _choose(
    uow: UnitOfWork, desk: Desk, session: Session, user_id: str, intent: ChooseReturn
) -> list[Reply]:
    code = waiting_choice(uow, desk, user_id, intent)
    if not isinstance(code, DossierCode):
        return [code]
    if intent.channel is not ReturnChannel.POSTAL:
        if session.conversation.step is not Step.IDLE:
            session.run(Cancel())
        return [apply_choice(uow, desk, code, intent.channel, session.at)]
    if booked(uow, code):
        return [Text(msg.channel_chosen(code, ReturnChannel.POSTAL))]
    dossier = find_dossier(uow, code)
    if dossier is None:  # pragma: no cover - waiting_choice found it
        return [Text(msg.dossier_not_found(code))]
    procedure = uow.catalogue.get(dossier.procedure_code)
    if procedure is None or not procedure.postal_return:
        return [apply_choice(uow, desk, dossier.code, ReturnChannel.POSTAL, session.at)]
    try:
        plan = plan_postal(desk, dossier.code, dossier.postal_address, session.at)
    except InvalidInput:
        plan = plan_postal(desk, dossier.code, None, session.at)
    session.run(StartReturn(dossier.code, plan.label, plan.postage_vnd))
    return [_prompt(uow, desk, session)]


def _street(
    uow: UnitOfWork, desk: Desk, session: Session, user_id: str, street: str
) -> list[Reply]:
    draft = session.conversation.returning
    dossier = None if draft is None else find_dossier(uow, draft.dossier_code)
    if draft is None or dossier is None:  # pragma: no cover - a return step has its dossier
        return [_prompt(uow, desk, session)]
    try:
        address = postal_address_for(uow, desk, dossier, user_id, street)
        if address is None:
            session.run(Cancel())
            return [
                Text(
                    msg.choice_not_possible(
                        "chưa có số điện thoại người nhận để gửi bưu điện. Ông/bà vui lòng "
                        "chia sẻ số "
                        "điện thoại hoặc liên hệ Bộ phận Một cửa."
                    )
                )
            ]
        plan = plan_postal(desk, dossier.code, address, session.at)
        session.run(GiveStreet(street, plan.label or street, plan.postage_vnd))
    except InvalidInput:
        return [_prompt(uow, desk, session)]
    return [_prompt(uow, desk, session)]
