"""Asking the citizen to rate, in chat, and reading the answers (Circular 01/2018 Art. 12-14).

Asked after a dossier's result is returned (at the desk, electronically or by
post) — :func:`tthc_core.desk.act` calls :func:`ask_rating` for each follower
— and after a petition or complaint is answered (call :func:`ask_rating` with
:attr:`~tthc_core.rating.RatingTopic.CASE`). The account's open rating is
remembered on its :class:`~tthc_core.storage.kinds.ChatFilings` record; a
reply that is one of the open question's options answers it, anything else is
left to the other intents (the rating stays open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from tthc_core.codes import DossierCode
from tthc_core.complaint import Case, CaseResolved
from tthc_core.desk._config import Desk
from tthc_core.desk._numbering import find_dossier, followers
from tthc_core.events import DomainEvent
from tthc_core.links import CitizenLink
from tthc_core.rating import Question, Rating, RatingTopic, question_text
from tthc_core.storage import AggregateKind, Index, OutboundMessage, UnitOfWork
from tthc_core.storage.kinds import CHAT_FILINGS, ChatFilings
from tthc_core.text import nfc

__all__ = ["RATINGS", "answer_rating", "ask_after_case", "ask_rating"]

#: Ratings, keyed ``channel:user:subject``; a dossier's indexed under its code.
RATINGS: AggregateKind[Rating] = AggregateKind(
    "rating",
    Rating,
    key=lambda r: r.key,
    index=lambda r: Index(
        state="open" if r.pending is not None else "answered",
        dossier_code=r.subject if r.topic is RatingTopic.DOSSIER else None,
    ),
)


def ask_after_case(
    uow: UnitOfWork, case: Case, events: Sequence[DomainEvent], *, at: dt.datetime
) -> int:
    """After a petition or complaint about a dossier is answered, ask its chat followers to rate.

    Call it where case commands are saved, with the events they produced.

    Returns:
        How many accounts were asked.
    """
    if case.dossier_code is None or not any(isinstance(e, CaseResolved) for e in events):
        return 0
    return sum(
        ask_rating(
            uow,
            channel=link.channel,
            user_id=link.user_id,
            topic=RatingTopic.CASE,
            subject=case.case_id,
            at=at,
        )
        for link in _case_followers(uow, case.dossier_code)
    )


def _case_followers(uow: UnitOfWork, code: DossierCode) -> list[CitizenLink]:
    dossier = find_dossier(uow, code)
    return uow.links.for_dossier(code) if dossier is None else followers(uow, dossier)


def _cursor(uow: UnitOfWork, channel: str, user_id: str) -> ChatFilings:
    key = f"{channel}:{user_id}"
    return uow.repository(CHAT_FILINGS).get(key) or ChatFilings(key=key)


def ask_rating(
    uow: UnitOfWork,
    *,
    channel: str,
    user_id: str,
    topic: RatingTopic,
    subject: str,
    at: dt.datetime,
) -> bool:
    """Open a rating and send its first question; ``False`` if this one was asked before."""
    key = f"{channel}:{user_id}:{subject}"
    repo = uow.repository(RATINGS)
    if repo.get(key) is not None:
        return False
    rating = repo.save(Rating(key=key, topic=topic, subject=subject, asked_at=at))
    cursor = _cursor(uow, channel, user_id)
    uow.repository(CHAT_FILINGS).save(attrs.evolve(cursor, rating=key))
    what = f"hồ sơ {subject}" if topic is RatingTopic.DOSSIER else f"việc trả lời {subject}"
    intro = f"Mời ông/bà đánh giá chất lượng giải quyết {what} (gõ số):\n"
    first = rating.pending or Question.LIKE  # a new rating has every question open
    _send(uow, channel, user_id, f"{key}#q0", intro + question_text(first))
    return True


def _send(uow: UnitOfWork, channel: str, user_id: str, key: str, text: str) -> None:
    uow.outbox.put(
        OutboundMessage(
            key=f"rating:{key}", channel=channel, payload={"user_id": user_id, "text": nfc(text)}
        )
    )


def answer_rating(
    uow: UnitOfWork, desk: Desk, *, user_id: str, text: str, at: dt.datetime
) -> list[str] | None:
    """The reply if ``text`` answers the sender's open rating; ``None`` otherwise."""
    cursor = _cursor(uow, desk.chat_channel, user_id)
    if cursor.rating is None:
        return None
    repo = uow.repository(RATINGS)
    rating = repo.get(cursor.rating)
    answered = None if rating is None else rating.answer(text, at)
    if answered is None:
        return None
    saved = repo.save(answered)
    question = saved.pending
    if question is None:
        uow.repository(CHAT_FILINGS).save(attrs.evolve(cursor, rating=None))
        return [nfc("Cảm ơn ông/bà đã đánh giá. Ý kiến của ông/bà giúp cơ quan phục vụ tốt hơn.")]
    return [question_text(question)]
