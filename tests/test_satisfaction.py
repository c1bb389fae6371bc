"""Ratings in chat and the Circular 01/2018 Art. 13-15 / Decision 766 figures."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.calendar import VN_TZ
from tthc_core.rating import QUESTIONS, Question, Rating, RatingTopic
from tthc_core.report import (
    Kpi766,
    PaknOutcome,
    agency_band,
    art13_scores,
    officer_band,
    pakn_satisfaction_5_3,
)

AT = dt.datetime(2026, 11, 23, 9, tzinfo=VN_TZ)


def _rating(subject: str, *answers: str, topic: RatingTopic = RatingTopic.DOSSIER) -> Rating:
    rating = Rating(key=f"zalo:u:{subject}", topic=topic, subject=subject, asked_at=AT)
    for text in answers:
        answered = rating.answer(text, AT)
        assert answered is not None, text
        rating = answered
    return rating


def test_a_rating_asks_like_then_the_citizen_indicators_in_order() -> None:
    rating = _rating("A", "Không thích", "tre hen", "2", "Nhiều cơ quan")
    assert rating.liked is False
    assert rating.score(Question.TIME) == 0
    assert rating.score(Question.CONTACTS) == 1
    assert rating.pending is Question.ATTITUDE
    assert rating.answer("5", AT) is None  # not an option: left to other intents
    done = rating.answer("1", AT)
    assert done is not None
    assert done.pending is None
    assert done.answer("1", AT) is None


def test_a_case_rating_asks_the_questions_that_apply_to_it() -> None:
    rating = _rating("GY-1", "1", "1", "1", topic=RatingTopic.CASE)
    assert rating.pending is None


@given(st.lists(st.tuples(*(st.integers(1, 3) for _ in range(4))), min_size=1, max_size=20))
def test_art13_scores_are_means_rounded_to_one_decimal(answers: list[tuple[int, ...]]) -> None:
    ratings = [_rating(str(n), "1", *(str(a) for a in row)) for n, row in enumerate(answers)]
    scores = art13_scores(ratings)
    for i, question in enumerate((Question.TIME, Question.CONTACTS, Question.AGENCIES)):
        options = QUESTIONS[question][1]
        expected = sum(options[row[i] - 1][1] for row in answers) / len(answers)
        assert scores[question] == round(expected, 1)
    assert all(0 <= s <= 2 for s in scores.values() if s is not None)


def test_nobody_answering_gives_no_score() -> None:
    assert set(art13_scores([_rating("A", "1")]).values()) == {None}


@pytest.mark.parametrize(
    ("points", "band"),
    [
        (5, "100%"),
        (4.99, "70% đến"),
        (3.5, "70% đến"),
        (3.49, "dưới 70%"),
    ],
)
def test_officer_bands_follow_art15(points: float, band: str) -> None:
    assert band in officer_band(points)


@pytest.mark.parametrize(
    ("points", "grade"),
    [(15, "Xuất sắc"), (14.9, "Tốt"), (12, "Tốt"), (9, "Khá"), (6, "Trung bình"), (5.9, "Yếu")],
)
def test_agency_grades_follow_art15(points: float, grade: str) -> None:
    assert agency_band(points) == grade


def test_pakn_satisfaction_counts_dislikes_overdue_and_repeats() -> None:
    kpi = pakn_satisfaction_5_3(
        [
            PaknOutcome(disliked=False, overdue=False, repeated=False),
            PaknOutcome(disliked=True, overdue=False, repeated=False),
            PaknOutcome(disliked=False, overdue=True, repeated=False),
            PaknOutcome(disliked=False, overdue=False, repeated=True),
        ]
    )
    assert kpi.share == 0.25
    assert not kpi.full_marks
    assert Kpi766("5.3", 9, 10, 0.9).full_marks
    assert Kpi766("3.3", 0, 0, 0.5).share is None
