"""Work the inbox worker hands on, done outside any transaction: channel ``"zalo.job"``.

The inbox worker handles an event inside a unit of work; on SQLite that
holds the database's write lock until it commits. Downloading a citizen's
photo (up to ``PhotoSettings.timeout`` seconds) or writing Zalo's delivery
statuses on another connection must not happen there. So the handler only
queues a *job* in the outbox (same transaction, keyed by the event, so a
handler run twice queues it once), and the outbox worker — which holds no
transaction while it sends — runs it:

* ``photo``: download (:mod:`._photos`), read and verify the receipt QR,
  then apply the result in one short unit of work (the desk's
  scanned-receipt path: verify, link the follower, reply); an unreadable
  photo gets the Vietnamese "cannot read" reply. A network failure is
  retried with the outbox's back-off, then parked with the reason; a
  refused URL is parked at once (:class:`~tthc_core.storage.Undeliverable`);
  a non-image or over-size photo gets the "cannot read" reply. A job marked
  ``filing`` (the sender had an online filing open when the photo or file
  came) gives the bytes to :func:`tthc_core.desk.answer_file` instead: checked
  (:class:`~tthc_adapters.documents.FileCheck`), kept and attached in the
  same short unit of work (the filing is looked up again there).
* ``status``: ``user_received_message`` / ``user_seen_message`` → the
  :class:`~._ledger.Ledger`.
* ``feedback``: ``user_feedback`` → the ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

from tthc_adapters.fetching import attach_or_answer
from tthc_adapters.qr import ReceiptScanError
from tthc_adapters.zalo._ledger import Feedback, Ledger
from tthc_adapters.zalo._photos import PhotoFetcher, PhotoRefused, receipt_text
from tthc_core.desk import Desk, FilingFiles, LookupBudget, answer_chat, messages
from tthc_core.errors import InvalidInput
from tthc_core.receipt import InvalidReceiptPayload
from tthc_core.storage import OutboundMessage, Store, Undeliverable, UnitOfWork

__all__ = ["JOB_CHANNEL", "ZaloJobs", "job"]

#: The outbox channel of the Zalo adapter's jobs.
JOB_CHANNEL = "zalo.job"
_MAX_KEY = 200


def job(kind: str, event_id: str, **payload: Any) -> OutboundMessage:
    """The job ``kind`` for inbox event ``event_id`` (one per event: the key is made from it)."""
    key = f"job:{kind}:{event_id}"
    if len(key) > _MAX_KEY:
        key = f"job:{kind}:h{hashlib.sha256(event_id.encode('utf-8')).hexdigest()}"
    return OutboundMessage(key, JOB_CHANNEL, {"job": kind, "event_id": event_id, **payload})


class ZaloJobs:
    """The outbox sender of channel ``"zalo.job"``.

    Args:
        store: The store (short units of work to apply a photo's result).
        desk: The desk.
        photos: Fetches photos (``None``: photo jobs are parked).
        ledger: Delivery statuses and ratings (``None``: those jobs are parked).
        budget: The senders' look-up budget.
        files: Where filing documents are checked and kept (``None``: jobs marked
            ``filing`` are parked).
    """

    def __init__(
        self,
        store: Store,
        desk: Desk,
        *,
        photos: PhotoFetcher | None,
        ledger: Ledger | None,
        budget: LookupBudget | None = None,
        files: FilingFiles | None = None,
    ) -> None:
        self._store, self._desk, self._files = store, desk, files
        self._photos, self._ledger, self._budget = photos, ledger, budget

    def __call__(self, message: OutboundMessage) -> None:
        """Run one job.

        Raises:
            Undeliverable: The job cannot succeed (parked with the reason).
            Exception: Anything else is retried with the outbox's back-off.
        """
        payload = message.payload
        kind = payload.get("job")
        if kind == "photo":
            self._photo(payload)
        elif kind in ("status", "feedback"):
            if self._ledger is None:
                raise Undeliverable(f"no Zalo ledger is configured for {kind} jobs")
            self._record(self._ledger, kind, payload)
        else:
            raise Undeliverable(f"unknown Zalo job {kind!r}")

    def _photo(self, payload: Mapping[str, Any]) -> None:
        if self._photos is None:
            raise Undeliverable("no photo fetcher is configured for user_send_image")
        event_id, user_id = str(payload["event_id"]), str(payload["user_id"])
        at = dt.datetime.fromisoformat(str(payload["received_at"]))
        if payload.get("filing") is True:
            self._document(self._photos, payload, event_id, user_id, at)
            return
        try:
            photo = self._photos.fetch(str(payload["url"]))  # no transaction is open here
            scanned: str | None = receipt_text(
                self._desk, photo, max_pixels=self._photos.settings.max_pixels
            )
        except PhotoRefused as exc:  # configuration, or an attack: a person looks
            raise Undeliverable(f"{type(exc).__name__}: {exc.reason}") from exc
        except (ReceiptScanError, InvalidReceiptPayload):  # not an image, too large, no QR
            scanned = None
        with self._store.unit_of_work() as uow:  # the short transaction applying the result
            if scanned is not None:
                answer_chat(
                    uow, self._desk, user_id=user_id, event_id=event_id, text=scanned, at=at,
                    budget=self._budget,
                )  # fmt: skip
            else:
                self._unreadable(uow, event_id, user_id)
            uow.commit()

    def _unreadable(self, uow: UnitOfWork, event_id: str, user_id: str) -> None:
        if uow.inbox.record_once(self._desk.chat_channel, event_id):
            uow.outbox.put(
                OutboundMessage(
                    key=f"reply:{self._desk.chat_channel}:{event_id}:0",
                    channel=self._desk.chat_channel,
                    payload={"user_id": user_id, "text": messages.photo_unreadable()},
                )
            )

    def _document(
        self,
        photos: PhotoFetcher,
        payload: Mapping[str, Any],
        event_id: str,
        user_id: str,
        at: dt.datetime,
    ) -> None:
        """A photo or file for the sender's online filing: downloaded, then attached."""
        if self._files is None:
            raise Undeliverable("no document store is configured for online filing")
        try:  # no transaction is open during the download
            data: bytes | None = photos.fetch(
                str(payload["url"]), document=payload.get("document") is True
            )
        except PhotoRefused as exc:
            raise Undeliverable(f"{type(exc).__name__}: {exc.reason}") from exc
        except ReceiptScanError:  # not an image, or over the download limit
            data = None
        attach_or_answer(
            self._store, self._desk, self._files, event_id=event_id, user_id=user_id, at=at,
            data=data, otherwise=lambda uow: self._unreadable(uow, event_id, user_id),
        )  # fmt: skip

    @staticmethod
    def _record(ledger: Ledger, kind: str, payload: Mapping[str, Any]) -> None:
        at = dt.datetime.fromisoformat(str(payload["at"]))
        if kind == "status":
            seen = payload.get("status") == "seen"
            for message_id in payload.get("message_ids", ()):
                ledger.mark(str(message_id), "seen" if seen else "received", at)
            return
        try:
            rating = int(payload.get("rating", 0))
        except (TypeError, ValueError):
            raise InvalidInput("the rating is not a whole number") from None
        ledger.feedback(
            Feedback(
                str(payload["event_id"]), str(payload["user_id"]), rating,
                str(payload.get("note", ""))[:2000], str(payload.get("message_id", "")), at,
            )
        )  # fmt: skip
