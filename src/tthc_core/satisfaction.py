"""Satisfaction and online-service figures: Circular 01/2018 Art. 13-15, Decision 766.

(vn-one-stop-rules.md §8.) Re-exported by :mod:`tthc_core.report`.

* :func:`art13_scores`: the indicators citizens supply (1, 3, 4, 7), each the
  mean of the dossiers' scores rounded to one decimal (Art. 15); :func:`officer_band`
  and :func:`agency_band` are Art. 15's thresholds on summed points.
* Decision 766 (:class:`Kpi766`, a share in [0, 1] with the share that earns
  full marks): 3.3 online share (full at ≥ 50%), 4.2 digitisation and 4.3
  reuse (full at ≥ 80%), 5.4 satisfaction with TTHC (100% − overdue share −
  share with a PAKN or a dislike; full at ≥ 90%), 5.3 satisfaction with PAKN
  handling (100% − share disliked, overdue or repeated; full at ≥ 90%, as 5.4).

A dossier counts online (3.3) only if filed online and, once resolved, its
electronic result (code and link) is kept; digitised (4.2) if its filed
documents are stored and, once resolved, its result too; reused (4.3) if at
least one document was reused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

import attrs

from tthc_core.dossier import Channel, Dossier, DossierState, Timeliness
from tthc_core.rating import Question, Rating, RatingTopic

__all__ = [
    "Kpi766",
    "PaknOutcome",
    "agency_band",
    "art13_scores",
    "digitisation_4_2",
    "officer_band",
    "online_share_3_3",
    "pakn_satisfaction_5_3",
    "reuse_4_3",
    "satisfaction_5_4",
]

_CITIZEN_INDICATORS = (Question.TIME, Question.CONTACTS, Question.AGENCIES, Question.ATTITUDE)
_RESULT_STATES = frozenset(
    {DossierState.RESOLVED, DossierState.IN_POSTAL_DELIVERY, DossierState.RESULT_RETURNED}
)


def art13_scores(ratings: Iterable[Rating]) -> dict[Question, float | None]:
    """Indicators 1, 3, 4, 7: the mean score over the dossiers rated, to one decimal.

    A dossier rated by several accounts counts once per answer. ``None``:
    nobody answered that question.
    """
    given: dict[Question, list[int]] = {q: [] for q in _CITIZEN_INDICATORS}
    for rating in ratings:
        if rating.topic is not RatingTopic.DOSSIER:
            continue
        for question in _CITIZEN_INDICATORS:
            score = rating.score(question)
            if score is not None:
                given[question].append(score)
    return {q: round(sum(s) / len(s), 1) if s else None for q, s in given.items()}


def officer_band(points: float) -> str:
    """Art. 15: an officer's completion band from the points of their dossiers."""
    if points >= 5:
        return "Hoàn thành 100% nhiệm vụ"
    if points >= 3.5:
        return "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"
    return "Hoàn thành dưới 70% nhiệm vụ"


def agency_band(points: float) -> str:
    """Art. 15: an agency's grade from its points."""
    for floor, label in ((15, "Xuất sắc"), (12, "Tốt"), (9, "Khá"), (6, "Trung bình")):
        if points >= floor:
            return label
    return "Yếu"


@attrs.frozen
class Kpi766:
    """One Decision 766 indicator.

    Args:
        code: The indicator, such as ``"3.3"``.
        numerator: Dossiers (or cases) that count.
        denominator: All considered.
        full_marks_at: The share that earns full marks.
    """

    code: str
    numerator: int
    denominator: int
    full_marks_at: float

    @property
    def share(self) -> float | None:
        """``numerator / denominator``; ``None`` with nothing to count."""
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def full_marks(self) -> bool:
        """Whether the share earns full marks."""
        return self.share is not None and self.share >= self.full_marks_at


def _received(dossiers: Iterable[Dossier]) -> list[Dossier]:
    return [d for d in dossiers if d.received_at is not None]


def _result_kept(d: Dossier, e_results: Collection[str]) -> bool:
    return d.state not in _RESULT_STATES or str(d.code) in e_results


def online_share_3_3(dossiers: Iterable[Dossier], *, e_results: Collection[str]) -> Kpi766:
    """3.3: received dossiers filed online (with their e-result once resolved)."""
    received = _received(dossiers)
    online = [d for d in received if d.channel is Channel.ONLINE and _result_kept(d, e_results)]
    return Kpi766("3.3", len(online), len(received), 0.5)


def digitisation_4_2(
    dossiers: Iterable[Dossier], *, documented: Collection[str], e_results: Collection[str]
) -> Kpi766:
    """4.2: received dossiers whose documents (and result, once resolved) are stored."""
    received = _received(dossiers)
    digitised = [
        d
        for d in received
        if str(d.submitted_as or d.code) in documented or str(d.code) in documented
        if _result_kept(d, e_results)
    ]
    return Kpi766("4.2", len(digitised), len(received), 0.8)


def reuse_4_3(dossiers: Iterable[Dossier], *, reused: Collection[str]) -> Kpi766:
    """4.3: received dossiers with at least one document reused from an earlier one."""
    received = _received(dossiers)
    count = sum(1 for d in received if str(d.code) in reused or str(d.submitted_as) in reused)
    return Kpi766("4.3", count, len(received), 0.8)


def satisfaction_5_4(
    dossiers: Iterable[Dossier],
    *,
    at: dt.datetime,
    complained: Collection[str],
    ratings: Iterable[Rating],
) -> Kpi766:
    """5.4: 100% − (overdue share + share with a PAKN or a dislike); as dossiers that count.

    The numerator is the received dossiers neither overdue (late or overdue at
    ``at``) nor complained about nor disliked.
    """
    disliked = {r.subject for r in ratings if r.topic is RatingTopic.DOSSIER and r.liked is False}
    received = _received(dossiers)
    bad = 0
    for d in received:
        timeliness = d.timeliness(max(at, d.last_event_at))
        late = timeliness in (Timeliness.LATE, Timeliness.OVERDUE)
        if late or str(d.code) in complained or str(d.code) in disliked:
            bad += 1
    return Kpi766("5.4", len(received) - bad, len(received), 0.9)


@attrs.frozen
class PaknOutcome:
    """How one petition (PAKN) was handled, for 5.3."""

    disliked: bool
    overdue: bool
    repeated: bool


def pakn_satisfaction_5_3(outcomes: Iterable[PaknOutcome]) -> Kpi766:
    """5.3: PAKN neither disliked, overdue nor repeated."""
    listed = list(outcomes)
    good = sum(1 for o in listed if not (o.disliked or o.overdue or o.repeated))
    return Kpi766("5.3", good, len(listed), 0.9)
