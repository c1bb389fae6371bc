"""Service functions for dossiers: receive, act, notify followers.

Each function works inside a unit of work the caller opened and commits; the
aggregate, its events and the messages they imply are written together, so a
notification exists if and only if the change it announces was committed
(the outbox).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tthc_core.calendar import Deadlines, to_local
from tthc_core.codes import DossierCode
from tthc_core.conversation import Reply, Text, as_text, to_payload
from tthc_core.desk import messages as msg
from tthc_core.desk import replies
from tthc_core.desk._config import Desk, DossierNotFound, UnknownProcedure
from tthc_core.desk._numbering import find_dossier, followers, numbered_at_receipt
from tthc_core.desk._online import follow_up_online
from tthc_core.dossier import (
    Channel,
    Command,
    Dossier,
    DossierParcelReturned,
    DossierPostalDeliveryConfirmed,
    DossierResolved,
    DossierResultDispatchedByPost,
    DossierState,
    handle,
    receive,
)
from tthc_core.events import DomainEvent
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.portal import record_change
from tthc_core.storage import OutboundMessage, UnitOfWork
from tthc_core.storage.kinds import DOSSIERS

__all__ = ["act", "load_dossier", "notify_followers", "receive_dossier"]


def receive_dossier(
    uow: UnitOfWork,
    desk: Desk,
    *,
    procedure_code: str,
    applicant: Applicant,
    at: dt.datetime,
    channel: Channel = Channel.IN_PERSON,
    officer: str | None = None,
    return_channel: ReturnChannel = ReturnChannel.DESK,
    postal_address: PostalAddress | None = None,
) -> Dossier:
    """Receive a complete dossier at the desk and give it its code (Mẫu 01).

    The daily sequence is allocated in the same transaction (Circular 01/2018
    Art. 19), so a rolled-back receipt leaves no gap.

    Args:
        uow: The open unit of work (the caller commits).
        desk: The desk.
        procedure_code: The procedure, as in the catalogue.
        applicant: Who files it.
        at: The receipt instant (for postal intake, the signed handover).
        channel: In person, online or by post.
        officer: The receiving officer.
        return_channel: How the result will be returned (Mẫu 01 item 6).
        postal_address: Where to, for postal return.

    Raises:
        UnknownProcedure: If the catalogue has no such procedure.
    """
    procedure = uow.catalogue.get(procedure_code)
    if procedure is None:
        raise UnknownProcedure(
            f"procedure {procedure_code} is not in this desk's catalogue; add it first"
        )
    day = to_local(at).date()
    code = DossierCode(desk.agency, day, uow.sequences.next_sequence(desk.agency, day))
    dossier, events = receive(
        code=code,
        procedure=procedure,
        applicant=applicant,
        channel=channel,
        unit=desk.unit,
        officer=officer,
        at=at,
        deadlines=desk.deadlines,
        return_channel=return_channel,
        postal_address=postal_address,
    )
    saved = uow.repository(DOSSIERS).save(dossier, events)
    record_change(uow, saved, desk.portal_targets)
    return saved


def load_dossier(uow: UnitOfWork, code: DossierCode) -> Dossier:
    """The stored dossier, by its submission or its receipt code.

    Raises:
        DossierNotFound: If there is none with this code.
    """
    dossier = find_dossier(uow, code)
    if dossier is None:
        raise DossierNotFound(code)
    return dossier


def act(
    uow: UnitOfWork, desk: Desk, code: DossierCode, command: Command, *, at: dt.datetime
) -> Dossier:
    """Apply an officer's (or the post's) command to a stored dossier and notify followers.

    Receiving an online dossier submitted on an earlier day gives it a code
    of the receipt day (Circular 01/2018 Art. 19; :func:`numbered_at_receipt`).

    Args:
        uow: The open unit of work (the caller commits).
        desk: The desk.
        code: The dossier.
        command: The command.
        at: When.

    Raises:
        DossierNotFound: If there is no such dossier.
        DomainRuleViolation: If a rule forbids the command (the error names it).
    """
    found = load_dossier(uow, code)
    command = numbered_at_receipt(uow, found, command, at=at)
    dossier, events = handle(found, command, at=at, deadlines=desk.deadlines)
    saved = uow.repository(DOSSIERS).save(dossier, events)
    record_change(uow, saved, desk.portal_targets)
    notify_followers(uow, desk, saved, events)
    follow_up_online(uow, desk, saved, events)
    return saved


def notify_followers(
    uow: UnitOfWork, desk: Desk, dossier: Dossier, events: Sequence[DomainEvent]
) -> int:
    """Write a chat message to every account following the dossier, for events citizens await.

    The message's idempotency key is the dossier, its stored version and the
    account, so a redelivered message is recognised downstream.

    Returns:
        How many messages were written.
    """
    procedure = uow.catalogue.get(dossier.procedure_code)
    postal_allowed = procedure is not None and procedure.postal_return
    reply = _notice(dossier, events, postal_allowed=postal_allowed, deadlines=desk.deadlines)
    if reply is None:
        return 0
    written = 0
    for link in followers(uow, dossier):
        key = f"{dossier.code}#v{dossier.version}#{link.channel}:{link.user_id}"
        payload = {"user_id": link.user_id, "text": as_text(reply), "reply": to_payload(reply)}
        written += uow.outbox.put(OutboundMessage(key=key, channel=link.channel, payload=payload))
    return written


def _notice(
    dossier: Dossier,
    events: Sequence[DomainEvent],
    *,
    postal_allowed: bool,
    deadlines: Deadlines,
) -> Reply | None:
    for event in events:
        if isinstance(event, DossierResolved):
            # The result, the return choice as buttons and the promised date (Mẫu 01).
            return replies.result_ready(dossier.code, dossier.due_at, postal_allowed=postal_allowed)
        if isinstance(
            event,
            DossierResultDispatchedByPost | DossierPostalDeliveryConfirmed | DossierParcelReturned,
        ):
            return Text(msg.shipment_update(dossier.code, dossier.state))
    if dossier.state in (DossierState.AWAITING_SUPPLEMENT, DossierState.AWAITING_PAYMENT):
        view = dossier.public_status(dossier.last_event_at, deadlines=deadlines)
        return Text(msg.status_reply(view))
    return None
