"""Citizens' ratings of the service (đánh giá), asked in chat after a result or an answer.

Circular 01/2018/TT-VPCP Art. 13-14: of the nine indicators scored 2/1/0,
citizens supply 1, 3, 4 and 7 (through forms, kiosks or online); the national
portal adds like/dislike (vn-one-stop-rules.md §8). :class:`Rating` asks them
one at a time as numbered quick replies — each option a short phrase read
with or without diacritics — and keeps the scores; the like/dislike comes
first, so a citizen who answers only once still counts for Decision 766
indicator 5.4. Scores and the Art. 15 bands are in :mod:`tthc_core.report`.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from tthc_core.text import fold, nfc
from tthc_core.validators import aware as _aware
from tthc_core.validators import non_blank as _non_blank

__all__ = ["QUESTIONS", "Question", "Rating", "RatingTopic", "question_text"]


class Question(enum.Enum):
    """What the citizen is asked; the value is the Art. 13 indicator (0: like/dislike)."""

    LIKE = 0
    TIME = 1  # total time against the time allowed
    CONTACTS = 3  # times the citizen had to come back to complete the dossier
    AGENCIES = 4  # agencies contacted besides the desk
    ATTITUDE = 7  # the officers' attitude


class RatingTopic(enum.Enum):
    """What is rated."""

    DOSSIER = "dossier"  # after the result is returned
    CASE = "case"  # after a petition or complaint is answered


#: Each question's wording and its options (phrase, score); LIKE scores 1 like, 0 dislike.
QUESTIONS: dict[Question, tuple[str, tuple[tuple[str, int], ...]]] = {
    Question.LIKE: (
        "Ông/bà hài lòng với việc giải quyết không?",
        (("Thích", 1), ("Không thích", 0)),
    ),
    Question.TIME: (
        "Thời gian giải quyết so với giấy hẹn?",
        (("Sớm hơn hẹn", 2), ("Đúng hẹn", 1), ("Trễ hẹn", 0)),
    ),
    Question.CONTACTS: (
        "Ông/bà phải bổ sung hồ sơ mấy lần?",
        (("Không phải bổ sung", 2), ("Bổ sung một lần", 1), ("Bổ sung nhiều lần", 0)),
    ),
    Question.AGENCIES: (
        "Ông/bà phải liên hệ những nơi nào?",
        (("Không phải liên hệ", 2), ("Chỉ Bộ phận Một cửa", 1), ("Nhiều cơ quan", 0)),
    ),
    Question.ATTITUDE: (
        "Thái độ của cán bộ?",
        (("Rất tốt", 2), ("Bình thường", 1), ("Chưa tốt", 0)),
    ),
}
_ORDER = {
    RatingTopic.DOSSIER: (
        Question.LIKE,
        Question.TIME,
        Question.CONTACTS,
        Question.AGENCIES,
        Question.ATTITUDE,
    ),
    RatingTopic.CASE: (Question.LIKE, Question.TIME, Question.ATTITUDE),
}


def question_text(question: Question) -> str:
    """The question with its numbered quick replies."""
    wording, options = QUESTIONS[question]
    listed = "\n".join(f"{n}. {label}" for n, (label, _) in enumerate(options, 1))
    return nfc(f"{wording}\n{listed}")


@attrs.frozen(kw_only=True)
class Rating:
    """One citizen's rating of one dossier or case (the aggregate).

    Args:
        key: ``channel:user:subject``.
        topic: A dossier or a case.
        subject: The dossier code or case id.
        asked_at: When the rating was asked.
        scores: The answers so far, as (question, score).
        answered_at: When the last answer came.
    """

    key: str = attrs.field(validator=_non_blank)
    topic: RatingTopic
    subject: str
    asked_at: dt.datetime = attrs.field(validator=_aware)
    scores: tuple[tuple[Question, int], ...] = ()
    answered_at: dt.datetime | None = attrs.field(
        default=None, validator=attrs.validators.optional(_aware)
    )
    version: int = 0

    @property
    def pending(self) -> Question | None:
        """The open question, ``None`` once every question is answered."""
        order = _ORDER[self.topic]
        return order[len(self.scores)] if len(self.scores) < len(order) else None

    @property
    def liked(self) -> bool | None:
        """Like (True) or dislike (False); ``None`` if not answered."""
        return next((s == 1 for q, s in self.scores if q is Question.LIKE), None)

    def score(self, question: Question) -> int | None:
        """The score given to one indicator."""
        return next((s for q, s in self.scores if q is question), None)

    def answer(self, text: str, at: dt.datetime) -> Rating | None:
        """The rating with ``text`` as the answer to the open question; ``None`` if it is none."""
        question = self.pending
        if question is None:
            return None
        key = fold(" ".join(text.split())).strip(" .!")
        for number, (label, score) in enumerate(QUESTIONS[question][1], 1):
            if key in (str(number), fold(label)):
                return attrs.evolve(self, scores=(*self.scores, (question, score)), answered_at=at)
        return None
