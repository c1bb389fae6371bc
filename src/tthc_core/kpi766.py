"""The Decision 766/QĐ-TTg indicators a commune's own records support, and the chat figures.

Decision 766/QĐ-TTg (2022) scores service to citizens in real time in five
groups: publicity, progress, online service, digitisation, satisfaction
(vn-one-stop-rules.md §8; the exact formulas come from an implementation's
formula document, confidence M). tthc's store holds dossiers, cases and the
catalogue, so it computes these (:func:`indicators`):

* 2.1 — finished on time: dossiers finished early or on time / finished;
* 3.1 — online-service coverage: catalogue procedures offered online (partly
  or fully, Decree 42/2022/NĐ-CP) / all; full marks at 80 %;
* 3.3 — online share: dossiers received that were filed online / received;
  full marks at 50 %;
* 5.3 — petitions answered in time: 100 % − the share of petitions and service
  feedback of the period handled late or overdue (dislikes and repeated
  petitions are not recorded here, so they are not subtracted);
* 5.4 — satisfaction with procedures: 100 % − (overdue dossiers + dossiers with
  a petition or feedback about them) / received; full marks at 90 % (citizens'
  dislikes are not recorded here, so they are not subtracted).

What the records cannot show is listed in :data:`NOT_COMPUTED`, with why.

The chat figures (:func:`chat_figures`) count inbound chat events of a period:
messages received and answered, follows and unfollows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from tthc_core.calendar import to_local
from tthc_core.catalogue import OnlineLevel, Procedure
from tthc_core.complaint import Case, CaseKind, timeliness
from tthc_core.complaint import Timeliness as CaseTimeliness
from tthc_core.dossier import Dossier, Timeliness

__all__ = [
    "NOT_COMPUTED",
    "ChatFigures",
    "Indicator",
    "NotComputed",
    "chat_figures",
    "indicators",
]


@attrs.frozen
class Indicator:
    """One indicator's value.

    Args:
        code: Its number in Decision 766 (``"2.1"``).
        name_vi: Its Vietnamese name.
        numerator: What counts for it.
        denominator: Out of how many.
        full_marks_at: The share that earns full marks, where the reference gives one.
        basis: What was counted, and what was not.
    """

    code: str
    name_vi: str
    numerator: int
    denominator: int
    full_marks_at: float | None
    basis: str

    @property
    def value(self) -> float | None:
        """The share (None when nothing was there to count)."""
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def full_marks(self) -> bool | None:
        """Whether the share reaches full marks (None: no threshold, or nothing to count)."""
        value = self.value
        if value is None or self.full_marks_at is None:
            return None
        return value >= self.full_marks_at


@attrs.frozen
class NotComputed:
    """An indicator the records cannot show.

    Args:
        code: Its number (or group) in Decision 766.
        name_vi: Its Vietnamese name.
        why: What is missing (Vietnamese, shown to officers).
    """

    code: str
    name_vi: str
    why: str


#: The indicators tthc's records cannot show, and why.
NOT_COMPUTED: tuple[NotComputed, ...] = (
    NotComputed("1", "Công khai, minh bạch",
                "hệ thống không ghi nhận việc công khai thủ tục, kết quả trên cổng"),
    NotComputed("4.2", "Số hóa hồ sơ, kết quả",
                "hệ thống không ghi nhận giấy tờ nào đã được số hóa"),
    NotComputed("4.3", "Tái sử dụng dữ liệu số hóa",
                "hệ thống không ghi nhận việc tái sử dụng dữ liệu số hóa"),
    NotComputed("5.1-5.2", "Đánh giá của người dân (thích/không thích)",
                "tthc chưa thu thập đánh giá của người dân"),
)  # fmt: skip

_PETITIONS = (CaseKind.PETITION, CaseKind.SERVICE_FEEDBACK)
_LATE = (Timeliness.LATE, Timeliness.OVERDUE)


def _received_in(dossier: Dossier, start: dt.date, end: dt.date) -> bool:
    return dossier.received_at is not None and start <= to_local(dossier.received_at).date() <= end


def indicators(
    dossiers: Iterable[Dossier],
    cases: Iterable[Case],
    procedures: Iterable[Procedure],
    *,
    start: dt.date,
    end: dt.date,
    at: dt.datetime,
) -> tuple[Indicator, ...]:
    """The indicators of the dossiers and cases received from ``start`` to ``end``.

    Args:
        dossiers: Every dossier (those received in the period are counted).
        cases: Every case (those received in the period are counted).
        procedures: The catalogue.
        start: The first day (Vietnam time).
        end: The last day.
        at: The report's instant (open dossiers' and cases' timeliness).
    """
    received = [d for d in dossiers if _received_in(d, start, end)]
    judged = [(d, d.timeliness(max(at, d.last_event_at))) for d in received]
    finished = [t for _, t in judged if t is not None and t.is_finished]
    on_time = sum(t in (Timeliness.EARLY, Timeliness.ON_TIME) for t in finished)
    catalogue = list(procedures)
    online = sum(p.online_level is not OnlineLevel.NONE for p in catalogue)
    filed_online = sum(d.submitted_as is not None for d in received)
    period = [c for c in cases if start <= to_local(c.received_at).date() <= end]
    petitions = [c for c in period if c.kind in _PETITIONS]
    late_petitions = sum(
        timeliness(c, at) in (CaseTimeliness.OVERDUE, CaseTimeliness.DONE_LATE) for c in petitions
    )
    complained = {str(c.dossier_code) for c in cases if c.kind in _PETITIONS and c.dossier_code}
    unhappy = sum(t in _LATE or str(d.code) in complained for d, t in judged)
    return (
        Indicator("2.1", "Giải quyết hồ sơ đúng hạn", on_time, len(finished), None,
                  "hồ sơ đã giải quyết trước hoặc đúng hạn / hồ sơ đã giải quyết"),
        Indicator("3.1", "Thủ tục cung cấp dịch vụ công trực tuyến", online, len(catalogue),
                  0.8, "thủ tục trực tuyến một phần hoặc toàn trình / thủ tục trong danh mục"),
        Indicator("3.3", "Hồ sơ nộp trực tuyến", filed_online, len(received), 0.5,
                  "hồ sơ tiếp nhận từ nộp trực tuyến / hồ sơ tiếp nhận"),
        Indicator("5.3", "Phản ánh, kiến nghị được xử lý đúng hạn",
                  len(petitions) - late_petitions, len(petitions), None,
                  "chưa trừ lượt không hài lòng và phản ánh lặp lại (không có dữ liệu)"),
        Indicator("5.4", "Mức độ hài lòng trong giải quyết TTHC", len(received) - unhappy,
                  len(received), 0.9,
                  "100% − (hồ sơ quá hạn + hồ sơ bị phản ánh); chưa trừ lượt không hài lòng "
                  "(không có dữ liệu)"),
    )  # fmt: skip


@attrs.frozen
class ChatFigures:
    """Inbound chat events of a period.

    Args:
        received: Messages citizens sent (text, image, file, sticker, …).
        answered: Of them, handled by the desk (answered through the outbox).
        follows: New followers of the official account.
        unfollows: Accounts that stopped following.
    """

    received: int = 0
    answered: int = 0
    follows: int = 0
    unfollows: int = 0

    @property
    def net_followers(self) -> int:
        """Follows minus unfollows."""
        return self.follows - self.unfollows


def chat_figures(events: Iterable[tuple[str, bool]]) -> ChatFigures:
    """Count ``(event name, handled)`` pairs of inbound chat events (Zalo event names).

    A message is an event named ``user_send_*``; it is answered once the
    desk handled it (the handler always replies, through the outbox).
    """
    received = answered = follows = unfollows = 0
    for name, handled in events:
        if name.startswith("user_send_"):
            received += 1
            answered += handled
        elif name == "follow":
            follows += 1
        elif name == "unfollow":
            unfollows += 1
    return ChatFigures(received, answered, follows, unfollows)
