"""What happened to our Zalo messages, and the figures reports need (migration 0010).

* Every message the OA API accepted is recorded with Zalo's id of it
  (``message_id`` of a cs send, ``msg_id`` of a ZNS send) and the outbox
  key it carried; the ``user_received_message`` / ``user_seen_message``
  events (reference zalo-oa.md §2.2; ZNS delivery: §4, ``message.msg_id``
  and ``tracking_id``) set its delivery status.
* ``user_feedback`` ratings (service-rating templates, §7) are kept once per event.
* Articles broadcast, their view counts, and follower counts are kept for reports.
* Holds: a citizen whose earlier message failed to go (an outage) is held by
  it, so their later messages wait and each citizen reads them in order.

The ledger writes in short transactions of its own (:mod:`._sqlside`): the
inbox worker hands it work through the ``zalo.job`` outbox channel
(:mod:`._jobs`), never from inside a unit of work.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

from tthc_adapters.zalo._sqlside import SqlSide

__all__ = ["Article", "Delivery", "Feedback", "Ledger", "Statuses"]

Status = Literal["received", "seen"]


def _instant(text: str) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _text(at: dt.datetime | None) -> str:
    return "" if at is None else at.astimezone(dt.UTC).isoformat()


@attrs.frozen
class Delivery:
    """One message Zalo accepted, and how far it got.

    Args:
        message_id: Zalo's id of it.
        outbox_key: The outbox message's idempotency key.
        recipient: The user id (cs) or the phone (ZNS).
        via: ``"cs"``, ``"zns"`` or ``"broadcast"``.
        sent_at: When Zalo accepted it.
        received_at: When the citizen's device received it (``user_received_message``).
        seen_at: When the citizen read it (``user_seen_message``).
    """

    message_id: str
    outbox_key: str
    recipient: str
    via: str
    sent_at: dt.datetime
    received_at: dt.datetime | None = None
    seen_at: dt.datetime | None = None

    @property
    def status(self) -> str:
        """``"seen"``, ``"received"`` or ``"sent"``."""
        if self.seen_at is not None:
            return "seen"
        return "received" if self.received_at is not None else "sent"


@attrs.frozen
class Feedback:
    """A citizen's rating (``user_feedback``)."""

    event_id: str
    user_id: str
    rating: int
    note: str
    message_id: str
    at: dt.datetime


@attrs.frozen
class Article:
    """An article created on the OA, when it was broadcast, and its views when last counted."""

    article_id: str
    title: str
    created_at: dt.datetime
    broadcast_at: dt.datetime | None = None
    views: int = 0
    views_at: dt.datetime | None = None


@attrs.frozen
class Statuses:
    """How many recorded messages are only sent, received, seen; ratings."""

    sent: int
    received: int
    seen: int
    ratings: int
    average_rating: float | None


_DELIVERY = "message_id, outbox_key, recipient, via, sent_at, received_at, seen_at"
_ARTICLE = "article_id, title, created_at, broadcast_at, views, views_at"


def _delivery(row: Any) -> Delivery:
    return Delivery(
        row[0], row[1], row[2], row[3], dt.datetime.fromisoformat(row[4]),
        _instant(row[5]), _instant(row[6]),
    )  # fmt: skip


def _article(row: Any) -> Article:
    return Article(
        row[0], row[1], dt.datetime.fromisoformat(row[2]), _instant(row[3]), int(row[4]),
        _instant(row[5]),
    )  # fmt: skip


class Ledger:
    """The ledger on the store's database (or :func:`~._sqlside.memory_side`)."""

    def __init__(self, side: SqlSide) -> None:
        self._side = side

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        def work(cur: Any) -> list[Any]:
            cur.execute(self._side.q(sql), params)
            return list(cur.fetchall()) if cur.description else [cur.rowcount]

        return self._side.transaction(work)

    def sent(self, delivery: Delivery) -> None:
        """Record a message Zalo accepted (again: nothing changes)."""
        self._run(
            f"INSERT INTO zalo_sent ({_DELIVERY}) VALUES (%s, %s, %s, %s, %s, %s, %s) "  # noqa: S608 - constant names, values bound
            "ON CONFLICT (message_id) DO NOTHING",
            (
                delivery.message_id, delivery.outbox_key, delivery.recipient, delivery.via,
                _text(delivery.sent_at), _text(delivery.received_at), _text(delivery.seen_at),
            ),
        )  # fmt: skip

    def mark(self, message_id: str, status: Status, at: dt.datetime) -> bool:
        """Set the first time a message was received or seen; ``False`` if it is not ours.

        A message seen is received too (the events may arrive in either order).
        """
        column = "seen_at" if status == "seen" else "received_at"
        stamp = _text(at)
        (count,) = self._run(
            f"UPDATE zalo_sent SET {column} = %s WHERE message_id = %s AND {column} = ''",  # noqa: S608 - constant names, values bound
            (stamp, message_id),
        )
        if status == "seen":
            self._run(
                "UPDATE zalo_sent SET received_at = %s WHERE message_id = %s AND received_at = ''",
                (stamp, message_id),
            )
        return bool(count) or bool(self.delivery(message_id))

    def delivery(self, message_id: str) -> Delivery | None:
        """The message Zalo knows by ``message_id``."""
        rows = self._run(f"SELECT {_DELIVERY} FROM zalo_sent WHERE message_id = %s", (message_id,))  # noqa: S608 - constant names, values bound
        return _delivery(rows[0]) if rows else None

    def deliveries(self, outbox_key: str) -> list[Delivery]:
        """What became of the outbox message with this key (one row per send Zalo accepted)."""
        rows = self._run(
            f"SELECT {_DELIVERY} FROM zalo_sent WHERE outbox_key = %s ORDER BY sent_at",  # noqa: S608 - constant names, values bound
            (outbox_key,),
        )
        return [_delivery(row) for row in rows]

    def feedback(self, feedback: Feedback) -> bool:
        """Record a rating once per event; ``False`` if it was recorded already."""
        (count,) = self._run(
            "INSERT INTO zalo_feedback (event_id, user_id, rating, note, message_id, at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING",
            (
                feedback.event_id, feedback.user_id, feedback.rating, feedback.note,
                feedback.message_id, _text(feedback.at),
            ),
        )  # fmt: skip
        return bool(count)

    def statuses(self) -> Statuses:
        """Counts for reports."""
        ((sent, received, seen),) = self._run(
            "SELECT COALESCE(SUM(CASE WHEN received_at = '' AND seen_at = '' THEN 1 ELSE 0 END),"
            " 0), COALESCE(SUM(CASE WHEN received_at <> '' AND seen_at = '' THEN 1 ELSE 0 END), 0),"
            " COALESCE(SUM(CASE WHEN seen_at <> '' THEN 1 ELSE 0 END), 0) FROM zalo_sent"
        )
        ((ratings, average),) = self._run("SELECT COUNT(*), AVG(rating) FROM zalo_feedback")
        mean = None if average is None else round(float(average), 2)
        return Statuses(int(sent), int(received), int(seen), int(ratings), mean)

    def article(self, article: Article) -> None:
        """Record or update an article."""
        self._run(
            f"INSERT INTO zalo_articles ({_ARTICLE}) VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608 - constant names, values bound
            "ON CONFLICT (article_id) DO UPDATE SET title = excluded.title, "
            "broadcast_at = excluded.broadcast_at, views = excluded.views, "
            "views_at = excluded.views_at",
            (
                article.article_id, article.title, _text(article.created_at),
                _text(article.broadcast_at), article.views, _text(article.views_at),
            ),
        )  # fmt: skip

    def broadcast(self, article_id: str, at: dt.datetime) -> None:
        """Record when an article went to the followers."""
        self._run(
            "UPDATE zalo_articles SET broadcast_at = %s WHERE article_id = %s",
            (_text(at), article_id),
        )

    def articles(self) -> list[Article]:
        """Every article, oldest first."""
        rows = self._run(f"SELECT {_ARTICLE} FROM zalo_articles ORDER BY created_at, article_id")  # noqa: S608 - constant names, values bound
        return [_article(row) for row in rows]

    def followers(self, total: int, at: dt.datetime) -> None:
        """Record the follower count at ``at``."""
        self._run(
            "INSERT INTO zalo_followers (counted_at, total) VALUES (%s, %s) "
            "ON CONFLICT (counted_at) DO UPDATE SET total = excluded.total",
            (_text(at), total),
        )

    def follower_counts(self) -> list[tuple[dt.datetime, int]]:
        """Every follower count, oldest first."""
        rows = self._run("SELECT counted_at, total FROM zalo_followers ORDER BY counted_at")
        return [(dt.datetime.fromisoformat(at), int(total)) for at, total in rows]

    def _hold(
        self, cur: Any, recipient: str, key: str, now: dt.datetime, until: dt.datetime
    ) -> None:
        cur.execute(
            self._side.q(
                "INSERT INTO zalo_holds (recipient, outbox_key, first_seen, until) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (recipient, outbox_key) DO NOTHING"
            ),
            (recipient, key, _text(now), _text(until)),
        )

    def hold(self, recipient: str, outbox_key: str, now: dt.datetime, until: dt.datetime) -> None:
        """``outbox_key`` could not go: it holds ``recipient``'s later messages until ``until``."""
        self._side.transaction(lambda cur: self._hold(cur, recipient, outbox_key, now, until))

    def turn(
        self, recipient: str, outbox_key: str, now: dt.datetime, until: dt.datetime
    ) -> str | None:
        """``None`` if ``outbox_key`` may go now; else the key it waits for (and it queues).

        It may go when nothing holds ``recipient``, or it is the earliest held.
        """

        def work(cur: Any) -> str | None:
            cur.execute(
                self._side.q("DELETE FROM zalo_holds WHERE recipient = %s AND until <= %s"),
                (recipient, _text(now)),
            )
            cur.execute(
                self._side.q(
                    "SELECT outbox_key FROM zalo_holds WHERE recipient = %s "
                    "ORDER BY first_seen, outbox_key LIMIT 1"
                ),
                (recipient,),
            )
            row = cur.fetchone()
            if row is None or row[0] == outbox_key:
                return None
            self._hold(cur, recipient, outbox_key, now, until)
            return str(row[0])

        return self._side.transaction(work)

    def release(self, recipient: str, outbox_key: str) -> None:
        """``outbox_key`` went (or was parked): the next of ``recipient``'s messages may go."""
        self._run(
            "DELETE FROM zalo_holds WHERE recipient = %s AND outbox_key = %s",
            (recipient, outbox_key),
        )
