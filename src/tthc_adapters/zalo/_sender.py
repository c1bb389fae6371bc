"""The outbox's sender for channel ``"zalo"``: when to send, how, and what to do when Zalo refuses.

A message's *kind* (payload ``kind``, else from its key):

* ``reply`` (keys ``reply:…``, ``staff-reply:…``): an answer to a citizen
  who wrote — sent at once, day or night (cs messages are 24/24, §3);
* ``notice`` (anything else, e.g. ``<dossier>#v<n>#zalo:<user>``): a
  transactional notice — queued to 06:00 in quiet hours (:mod:`._quiet`)
  unless the payload says ``"urgent": true``;
* ``broadcast`` (payload ``article_id``): an article to every follower — never
  sent in quiet hours.

Order per citizen: when a message to a citizen fails for a reason that may
pass (Zalo down, the network, ``-32``), it *holds* the citizen in the ledger
(for at most ``HOLD_FOR``); their later messages queue behind it and are
deferred in steps of ``HOLD_STEP``; the earliest held goes first, and each
that goes (or is parked) lets the next one go — so nobody reads "delivered"
before "accepted". Two workers sending to one citizen at the same instant can
still cross; one worker never does.

Refusals (reference zalo-oa.md §1.7, §4): ``-230``/``-232`` (outside the
7-day window) and ``-213`` (not a follower) fall back to a ZNS template by
phone — where the citizen gave one (``phone_for``, the phone shared through
Zalo's form or kept on their link) and a template is configured — with
``tracking_id`` = the outbox key; otherwise the message is parked for staff
with the reason (:class:`~._client.Unreachable`). Every message Zalo accepts
is recorded in the :class:`~._ledger.Ledger` with Zalo's id, for its
delivery status.

The cs endpoint has no ``tracking_id``: a message redelivered after a lost
acknowledgement may reach the citizen twice — the outbox key stops
everything short of that.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from tthc_adapters.zalo._client import OaClient, Unreachable
from tthc_adapters.zalo._ledger import Delivery, Ledger
from tthc_adapters.zalo._quiet import quiet_until
from tthc_adapters.zalo._render import cs_message, reply_of
from tthc_core.codes import extract_dossier_codes
from tthc_core.conversation import Text
from tthc_core.storage import Clock, Deferred, OutboundMessage

__all__ = ["KINDS", "ZaloSender", "ZnsTemplate", "kind_of"]

logger = logging.getLogger("tthc.zalo")

KINDS = ("reply", "notice", "broadcast")
#: The longest a failed message holds its citizen's later ones back.
HOLD_FOR = dt.timedelta(hours=2)
#: How long a held message waits before it looks again.
HOLD_STEP = dt.timedelta(minutes=5)
_REPLY_KEYS = ("reply:", "staff-reply:")
#: Parameter caps of ZNS templates (reference §4: code/ID 30, status 30).
MAX_CODE, MAX_STATUS = 30, 30


@attrs.frozen
class ZnsTemplate:
    """The approved ZNS template the fallback sends (docs/zalo.md says how to register it).

    Args:
        template_id: Zalo's id of the approved template.
        code_param: The parameter holding the dossier code (≤ 30 characters).
        status_param: The parameter holding a short status (≤ 30 characters).
        status: The status text when the message names none (payload ``status``).
    """

    template_id: str
    code_param: str = "ma_ho_so"
    status_param: str = "trang_thai"
    status: str = "Có thông báo mới"


def kind_of(message: OutboundMessage) -> str:
    """``"reply"``, ``"notice"`` or ``"broadcast"`` (module docstring)."""
    kind = message.payload.get("kind")
    if kind in KINDS:
        return str(kind)
    if "article_id" in message.payload:
        return "broadcast"
    return "reply" if message.key.startswith(_REPLY_KEYS) else "notice"


class ZaloSender:
    """Sends one outbox message of channel ``"zalo"`` (``Dispatcher(channels={"zalo": ...})``).

    Args:
        client: The OA API client.
        clock: Tells the time (quiet hours, the ledger).
        ledger: Records what Zalo accepted (``None``: nothing recorded).
        phone_for: The phone a citizen gave, by Zalo user id, or ``None``.
        zns: The fallback template (``None``: no fallback; refusals are parked).
        buttons: Send a reply's buttons as ``oa.query.show`` (``False``: their text
            version, should the cs endpoint refuse buttons; :mod:`._render`).
    """

    def __init__(
        self,
        client: OaClient,
        *,
        clock: Clock,
        ledger: Ledger | None = None,
        phone_for: Callable[[str], str | None] | None = None,
        zns: ZnsTemplate | None = None,
        buttons: bool = True,
    ) -> None:
        self._client = client
        self._buttons = buttons
        self._clock = clock
        self._ledger = ledger
        self._phone_for = phone_for
        self._zns = zns

    def _send_cs(self, user_id: str, payload: Mapping[str, Any]) -> str:
        """Send a chat message's channel-neutral reply, rendered (:mod:`._render`)."""
        reply = reply_of(payload)
        if isinstance(reply, Text):
            return self._client.send_text(user_id, reply.text)
        return self._client.send_message(user_id, cs_message(reply, buttons=self._buttons))

    def __call__(self, message: OutboundMessage) -> None:
        """Send one message (or defer it to 06:00, or park it with the reason).

        Raises:
            Deferred: Quiet hours.
            Unreachable: Zalo refused the recipient and no fallback applies (parked).
            ZaloApiError: Any other refusal (retried).
        """
        payload = message.payload
        kind = kind_of(message)
        if kind != "reply" and not (kind == "notice" and payload.get("urgent") is True):
            self._outside_quiet_hours(kind)
        if kind == "broadcast":
            article = str(payload["article_id"])
            self._record(message, self._client.broadcast(article), "followers", "broadcast")
            if self._ledger is not None:
                self._ledger.broadcast(article, self._clock())
            return
        user_id = str(payload["user_id"])
        self._in_turn(message, user_id)
        try:
            sent, via = self._send_cs(user_id, payload), "cs"
        except Unreachable as refused:
            try:
                sent, via = self._fallback(message, user_id, refused), "zns"
            except Unreachable:
                self._release(message, user_id)  # parked: the next one may go
                raise
            except Deferred:
                raise
            except Exception:
                self._hold(message, user_id)
                raise
        except Deferred:
            raise
        except Exception:
            self._hold(message, user_id)
            raise
        self._release(message, user_id)
        self._record(message, sent, user_id, via)

    def _in_turn(self, message: OutboundMessage, user_id: str) -> None:
        if self._ledger is None:
            return
        now = self._clock()
        holder = self._ledger.turn(user_id, message.key, now, now + HOLD_FOR)
        if holder is not None:
            reason = f"an earlier message to this citizen ({holder}) has not gone yet"
            raise Deferred(now + HOLD_STEP, reason)

    def _hold(self, message: OutboundMessage, user_id: str) -> None:
        if self._ledger is not None:
            now = self._clock()
            self._ledger.hold(user_id, message.key, now, now + HOLD_FOR)

    def _release(self, message: OutboundMessage, user_id: str) -> None:
        if self._ledger is not None:
            self._ledger.release(user_id, message.key)

    def _outside_quiet_hours(self, kind: str) -> None:
        until = quiet_until(self._clock())
        if until is not None:
            raise Deferred(until, f"quiet hours 22:00–06:00 Vietnam time: {kind} waits for 06:00")

    def _record(self, message: OutboundMessage, sent: str, recipient: str, via: str) -> None:
        if self._ledger is not None and sent:
            self._ledger.sent(Delivery(sent, message.key, recipient, via, self._clock()))

    def _fallback(self, message: OutboundMessage, user_id: str, refused: Unreachable) -> str:
        """ZNS by phone, or :class:`Unreachable` saying why not (the message is parked)."""
        phone = self._phone_for(user_id) if self._phone_for is not None else None
        if phone is None or self._zns is None:
            why = "no phone was given" if phone is None else "no ZNS template is configured"
            raise Unreachable(refused.code, f"{refused.message}; no ZNS fallback: {why}")
        code = _dossier_code(message.payload)
        if code is None:
            raise Unreachable(refused.code, f"{refused.message}; no ZNS fallback: no dossier code")
        self._outside_quiet_hours("ZNS")  # ZNS is refused at night (-133)
        status = str(message.payload.get("status") or self._zns.status)[:MAX_STATUS]
        data = {self._zns.code_param: code, self._zns.status_param: status}
        logger.info("zalo %s refused (%s): ZNS by phone instead", message.key, refused.code)
        return self._client.send_zns(phone, self._zns.template_id, data, tracking_id=message.key)


def _dossier_code(payload: Mapping[str, Any]) -> str | None:
    named = payload.get("dossier_code")
    if isinstance(named, str) and 0 < len(named) <= MAX_CODE:
        return named
    found = extract_dossier_codes(str(payload.get("text", "")))
    return str(found[0]) if found and len(str(found[0])) <= MAX_CODE else None
