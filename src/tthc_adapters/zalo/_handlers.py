"""The inbox worker's handler of source ``"zalo"``: one function per Zalo event.

Each runs inside the worker's unit of work (exactly once, :mod:`tthc_core.storage._inbox`);
replies go to the outbox (channel ``"zalo"``) keyed by the event, so a
handler run twice queues each reply once. Events counted from the server's
receipt time (``event.received_at``), never the sender's timestamp.

* ``user_send_text`` → :func:`tthc_core.desk.answer_chat`;
* ``user_send_image`` → while the citizen is filing a complaint or petition,
  the photo's URL becomes an attachment (:func:`tthc_core.desk.take_photo`);
  otherwise the URL is checked (a host not allowed parks the event) and a
  ``photo`` job queued (:mod:`._jobs`): the download, the QR reading and the
  desk's scanned-receipt path happen outside this transaction; while the
  citizen has an online filing open (or a supplement asked), the job marks
  the photo ``filing`` and the downloaded bytes become that filing's document
  (:func:`tthc_core.desk.answer_file`) instead;
* ``user_send_file`` → while a filing is open, a ``photo`` job marked
  ``filing`` (any content type; :class:`~tthc_adapters.documents.FileCheck`
  reads the bytes); otherwise the "send a photo or a PDF while filing" reply;
* ``user_received_message`` / ``user_seen_message`` → a ``status`` job (the
  delivery status of our message); ``user_feedback`` → a ``feedback`` job;
* ``follow`` → welcome and how to look a dossier up; ``user_click_chatnow``
  (the citizen tapped "Nhắn tin") → how to look a dossier up;
* ``unfollow`` → the follower's links are removed (no more notices);
* ``user_submit_info`` → the phone the citizen shared through Zalo's
  ``request_user_info`` form — Zalo shows the citizen the phone and asks them
  to confirm sharing it (reference §1.5) — links the dossiers whose applicant
  has that phone;
* a body without ``event_name`` is the generic chat webhook's (same source).

Any other event raises :class:`~tthc_core.errors.InvalidInput`: the worker
parks it with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from tthc_adapters.zalo._jobs import job
from tthc_adapters.zalo._photos import PhotoFetcher
from tthc_core.calendar import to_local
from tthc_core.desk import (
    Desk,
    LookupBudget,
    answer_chat,
    awaits_file,
    messages,
    queue_replies,
    take_photo,
)
from tthc_core.errors import InvalidInput
from tthc_core.filing import no_open_filing
from tthc_core.links import CitizenLink
from tthc_core.party import normalise_phone
from tthc_core.storage import Handler, InboundEvent, OutboundMessage, UnitOfWork
from tthc_core.storage.kinds import DOSSIERS

__all__ = ["zalo_handlers"]

_Route = Callable[[UnitOfWork, InboundEvent, Mapping[str, Any]], None]


def _field(body: Mapping[str, Any], *path: str) -> str:
    value: Any = body
    for name in path:
        value = value.get(name) if isinstance(value, Mapping) else None
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise InvalidInput(f"the Zalo event has no {'.'.join(path)!r}")
    return str(value)


def _reply(uow: UnitOfWork, desk: Desk, event: InboundEvent, user_id: str, text: str) -> None:
    uow.outbox.put(
        OutboundMessage(
            key=f"reply:{desk.chat_channel}:{event.event_id}:0",
            channel=desk.chat_channel,
            payload={"user_id": user_id, "text": text},
        )
    )


def _message_ids(message: Mapping[str, Any]) -> list[str]:
    """Our messages a delivery event names: ``msg_id``, or the list ``msg_ids`` (at most 100)."""
    ids = message.get("msg_ids")
    found = ids if isinstance(ids, list) else [message.get("msg_id")]
    kept = [str(i) for i in found[:100] if isinstance(i, str | int) and not isinstance(i, bool)]
    if not kept:
        raise InvalidInput("the Zalo delivery event names no message ('message.msg_id')")
    return kept


def _attached(body: Mapping[str, Any], name: str, photos: PhotoFetcher | None) -> str:
    """The first attachment's URL, checked (a host not allowed: configuration, or an attack)."""
    if photos is None:
        raise InvalidInput(f"no photo fetcher is configured for {name}")
    message = body.get("message")
    attachments = message.get("attachments") if isinstance(message, Mapping) else None
    if not isinstance(attachments, list) or not attachments:
        raise InvalidInput(f"the Zalo {name} event has no attachments")
    url = _field(attachments[0], "payload", "url")
    photos.check(url)
    return url


def status(uow: UnitOfWork, event: InboundEvent, body: Mapping[str, Any]) -> None:
    message = body.get("message")
    ids = _message_ids(message if isinstance(message, Mapping) else {})
    seen = "seen" if body.get("event_name") == "user_seen_message" else "received"
    at = event.received_at.isoformat()
    uow.outbox.put(job("status", event.event_id, message_ids=ids, status=seen, at=at))


def feedback(uow: UnitOfWork, event: InboundEvent, body: Mapping[str, Any]) -> None:
    message = body.get("message")
    message = message if isinstance(message, Mapping) else {}
    rating = message.get("rate")
    if isinstance(rating, bool) or not isinstance(rating, int | str) or not str(rating).isdigit():
        raise InvalidInput("the Zalo feedback has no whole-number 'message.rate'")
    uow.outbox.put(
        job(
            "feedback", event.event_id, user_id=_field(body, "sender", "id"),
            rating=int(str(rating)), note=str(message.get("note", ""))[:2000],
            message_id=str(message.get("msg_id", "")), at=event.received_at.isoformat(),
        )
    )  # fmt: skip


def zalo_handlers(
    desk: Desk,
    *,
    base: Mapping[str, Handler],
    photos: PhotoFetcher | None = None,
    budget: LookupBudget | None = None,
) -> dict[str, Handler]:
    """``base`` (``tthc_adapters.webhooks.inbox_handlers(desk)``) with the Zalo events added.

    Args:
        desk: The desk (its chat channel is the inbox source, ``"zalo"``).
        base: The handlers of the other sources; the generic chat handler
            of the same source answers bodies without ``event_name``.
        photos: Fetches photos; ``None`` parks ``user_send_image`` events.
        budget: The senders' look-up budget.
    """
    source = desk.chat_channel
    generic = base.get(source)

    def text(uow: UnitOfWork, event: InboundEvent, body: Mapping[str, Any]) -> None:
        answer_chat(
            uow,
            desk,
            user_id=_field(body, "sender", "id"),
            event_id=event.event_id,
            text=_field(body, "message", "text"),
            at=event.received_at,
            budget=budget,
        )

    def image(uow: UnitOfWork, event: InboundEvent, body: Mapping[str, Any]) -> None:
        user_id = _field(body, "sender", "id")
        url = _attached(body, "user_send_image", photos)
        # A photo sent while filing a complaint or petition is its attachment (no download).
        taken = take_photo(
            uow, desk, user_id=user_id, event_id=event.event_id, ref=url, at=event.received_at
        )
        if taken is not None:
            queue_replies(uow, source, user_id, f"reply:{source}:{event.event_id}", taken)
            return
        received = event.received_at.isoformat()
        filing = awaits_file(uow, desk, user_id)  # checked again when the download is in
        uow.outbox.put(
            job(
                "photo", event.event_id, user_id=user_id, url=url, received_at=received,
                filing=filing,
            )
        )  # fmt: skip

    def file(uow: UnitOfWork, event: InboundEvent, body: Mapping[str, Any]) -> None:
        user_id = _field(body, "sender", "id")
        url = _attached(body, "user_send_file", photos)
        if not awaits_file(uow, desk, user_id):
            _reply(uow, desk, event, user_id, no_open_filing())
            return
        received = event.received_at.isoformat()
        uow.outbox.put(
            job(
                "photo", event.event_id, user_id=user_id, url=url, received_at=received,
                filing=True, document=True,
            )
        )  # fmt: skip

    def follow(uow: UnitOfWork, event: InboundEvent, body: Mapping[str, Any]) -> None:
        user_id = _field(body, "follower", "id")
        _reply(uow, desk, event, user_id, messages.followed(desk.agency_name))

    def chat_now(uow: UnitOfWork, event: InboundEvent, body: Mapping[str, Any]) -> None:
        # A flat ``user_id`` (reference §2.3, [I]: several community handlers).
        _reply(uow, desk, event, _field(body, "user_id"), messages.help_text())

    def unfollow(uow: UnitOfWork, _: InboundEvent, body: Mapping[str, Any]) -> None:
        user_id = _field(body, "follower", "id")
        for link in uow.links.for_user(source, user_id):
            uow.links.unlink(source, user_id, link.dossier_code)

    def submit_info(uow: UnitOfWork, event: InboundEvent, body: Mapping[str, Any]) -> None:
        user_id = _field(body, "sender", "id")
        phone = normalise_phone(_field(body, "info", "phone"))
        at: dt.datetime = to_local(event.received_at)
        dossiers = uow.repository(DOSSIERS).for_phone(phone)
        for dossier in dossiers:
            uow.links.link(CitizenLink(source, user_id, dossier.code, at, phone))
        _reply(uow, desk, event, user_id, messages.phone_linked(len(dossiers)))

    routes: dict[str, _Route] = {
        "user_send_text": text,
        "user_send_image": image,
        "user_send_file": file,
        "follow": follow,
        "user_click_chatnow": chat_now,
        "unfollow": unfollow,
        "user_submit_info": submit_info,
        "user_received_message": status,
        "user_seen_message": status,
        "user_feedback": feedback,
    }

    def handle(uow: UnitOfWork, event: InboundEvent) -> None:
        body = event.payload
        name = body.get("event_name")
        if name is None and generic is not None:
            generic(uow, event)
            return
        route = routes.get(name) if isinstance(name, str) else None
        if route is None:
            raise InvalidInput(f"the Zalo event {name!r} is not handled (parked for staff)")
        route(uow, event, body)

    return {**base, source: handle}
