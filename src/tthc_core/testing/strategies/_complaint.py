"""Strategies for feedback, petitions, complaints and denunciations.

Cases are built the way production builds them: :func:`tthc_core.complaint.receive`
followed by a random walk of lifecycle commands at increasing instants, so every
generated case (and event) is one the domain can really reach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import strategies as st

from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ, Deadlines, Duration, TimeUnit, WorkingDayIndex
from tthc_core.codes import AgencyCode
from tthc_core.errors import TthcError
from tthc_core.party import Applicant
from tthc_core.testing.strategies._codes import agency_codes, dossier_codes
from tthc_core.testing.strategies._walks import walk

__all__ = [
    "COMMANDS",
    "attachments",
    "case_events",
    "case_notices",
    "case_walks",
    "cases",
    "identified_senders",
    "receiving_agencies",
    "weekday_deadlines",
]

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Y Bhin")
_MIDDLE = ("Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thanh", "Đức")
_GIVEN = ("An", "Bình", "Cường", "Dũng", "Hạnh", "Khoa", "Lan", "Nhung", "Phúc", "Thảo", "Xuân")
_PLACES = ("thôn Tân Lập", "buôn Ea Tóh", "tổ dân phố 3", "thôn Xuân Lạng", "buôn Đrao")
_COMMUNES = ("xã Ea Tóh", "xã Phú Xuân", "phường Thống Nhất", "xã Ea Tân")


class _Weekdays:
    """Monday-Friday, no holidays: a calendar strategies can build without data."""

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday."""
        return day.weekday() < 5


@cache
def weekday_deadlines() -> Deadlines:
    """Deadline arithmetic over a plain Monday-Friday calendar (2018-2040)."""
    return Deadlines(WorkingDayIndex(_Weekdays(), 2018, 2040))


def _phones() -> st.SearchStrategy[str]:
    return st.builds(
        lambda p, n: f"0{p}{n:08d}", st.sampled_from("35789"), st.integers(0, 99_999_999)
    )


@cache
def identified_senders() -> st.SearchStrategy[Applicant]:
    """Senders with a Vietnamese full name, an address and a phone (and maybe more)."""
    names = st.builds(
        lambda f, m, g: f"{f} {m} {g}",
        st.sampled_from(_FAMILY),
        st.sampled_from(_MIDDLE),
        st.sampled_from(_GIVEN),
    )
    addresses = st.builds(
        lambda n, p, c: f"Số {n}, {p}, {c}",
        st.integers(1, 300),
        st.sampled_from(_PLACES),
        st.sampled_from(_COMMUNES),
    )
    return st.builds(
        Applicant,
        names,
        address=addresses,
        phone=_phones(),
        email=st.none() | st.from_regex(r"[a-z]{3,8}[0-9]{2}@example\.vn", fullmatch=True),
        identity_number=st.none() | st.from_regex(r"0[0-9]{11}", fullmatch=True),
    )


@cache
def receiving_agencies() -> st.SearchStrategy[cp.ReceivingAgency]:
    """Receiving agencies, a quarter of them in remote areas."""
    return st.builds(
        cp.ReceivingAgency,
        agency_codes(),
        st.sampled_from(("UBND xã Ea Tóh", "Trung tâm Phục vụ hành chính công tỉnh")),
        remote_area=st.sampled_from((False, False, False, True)),
    )


@cache
def attachments() -> st.SearchStrategy[cp.Attachment]:
    """Attachment references (URIs or ids)."""
    return st.builds(
        cp.Attachment,
        st.from_regex(
            r"(https://files\.example\.vn/[a-z0-9]{4,12}|att-[0-9]{1,6})", fullmatch=True
        ),
        st.sampled_from((None, "image/jpeg", "application/pdf")),
    )


_CASE_IDS = st.from_regex(r"(KN|TC|PA|GY)-[0-9]{4}-[0-9]{4}", fullmatch=True)
_Command = Callable[[cp.Case, dt.datetime, Deadlines], tuple[cp.Case, list[cp.CaseEvent]]]
_SECOND_LEVEL = cp.ReceivingAgency(AgencyCode("000.00.00.H15"), "UBND tỉnh Đắk Lắk")

#: Every lifecycle command with plausible arguments, for random walks.
COMMANDS: dict[str, _Command] = {
    "accept": lambda c, t, d: cp.accept(c, at=t, deadlines=d),
    "decline": lambda c, t, d: cp.decline(c, at=t, reason="Không đủ điều kiện thụ lý"),
    "forward": lambda c, t, d: cp.forward(
        c, at=t, to="UBND tỉnh", reason="Không thuộc thẩm quyền", deadlines=d
    ),
    "assign": lambda c, t, d: cp.assign(c, at=t, unit="Thanh tra", handler="can-bo-7"),
    "reassign": lambda c, t, d: cp.assign(c, at=t, unit="Văn phòng", handler="can-bo-9"),
    "verify": lambda c, t, d: cp.start_verification(c, at=t),
    "dialogue": lambda c, t, d: cp.hold_dialogue(c, at=t, record_ref="bien-ban-1"),
    "resolve": lambda c, t, d: cp.resolve(c, at=t, summary="Đã giải quyết", deadlines=d),
    "publish": lambda c, t, d: cp.publish(c, at=t),
    "close": lambda c, t, d: cp.close(c, at=t),
    "reopen": lambda c, t, d: cp.reopen(c, at=t, reason="Chưa thỏa đáng", deadlines=d),
    "escalate": lambda c, t, d: cp.escalate(c, at=t, to=_SECOND_LEVEL, deadlines=d),
    "withdraw": lambda c, t, d: cp.withdraw(c, at=t, reason="Đã được giải thích"),
    "suspend": lambda c, t, d: cp.suspend(c, at=t, reason="Người khiếu nại ốm", deadlines=d),
    "resume": lambda c, t, d: cp.resume(c, at=t, deadlines=d),
    "terminate": lambda c, t, d: cp.terminate(c, at=t, reason="Người khiếu nại đã chết"),
    "extend": lambda c, t, d: cp.extend(
        c, at=t, variant=cp.Variant.COMPLEX, reason="Vụ việc phức tạp", deadlines=d
    ),
    "extend_more": lambda c, t, d: cp.extend(
        c, at=t, variant=cp.Variant.ESPECIALLY_COMPLEX, reason="Đặc biệt phức tạp", deadlines=d
    ),
    "multi_site": lambda c, t, d: cp.extend(
        c, at=t, variant=cp.Variant.MULTI_SITE, reason="Xác minh nhiều nơi", deadlines=d
    ),
}


@st.composite
def _received(draw: st.DrawFn, kind: cp.CaseKind | None = None) -> tuple[cp.Case, list[Any]]:
    kind = draw(st.sampled_from(cp.CaseKind)) if kind is None else kind
    at = draw(st.datetimes(dt.datetime(2019, 1, 2), dt.datetime(2034, 12, 31))).replace(  # noqa: DTZ001 - hypothesis bounds
        tzinfo=VN_TZ, second=0, microsecond=0
    )
    sender = draw(identified_senders() if kind.needs_identity else st.none() | identified_senders())
    about_dossier = kind is cp.CaseKind.SERVICE_FEEDBACK and draw(st.booleans())
    return cp.receive(
        case_id=draw(_CASE_IDS),
        kind=kind,
        at=at,
        channel=draw(st.sampled_from(cp.Channel)),
        agency=draw(receiving_agencies()),
        deadlines=weekday_deadlines(),
        sender=sender,
        content="Nội dung đơn: " + (sender.name if sender else "ẩn danh"),
        attachments=draw(st.lists(attachments(), max_size=2)),
        public_summary=draw(st.sampled_from(("", "Thái độ phục vụ", "Quyết định thu hồi đất"))),
        dossier_code=draw(dossier_codes()) if about_dossier else None,
        desk="Quầy số 3" if kind is cp.CaseKind.SERVICE_FEEDBACK and not about_dossier else None,
        location=draw(st.none() | geo_points()),
    )


def _moves(case: cp.Case) -> list[Any]:
    """Every lifecycle command that applies to ``case`` now, as walk moves.

    The commands need no drawn arguments, so each is tried once here (the
    workflow is pure) to learn the state it leads to; the move runs it again
    after a drawn delay.
    """

    def outcome(name: str) -> Any:
        def make(draw: st.DrawFn) -> tuple[cp.Case, list[Any]]:
            at = case.updated_at + dt.timedelta(hours=draw(st.integers(1, 24 * 40)))
            return COMMANDS[name](case, at, weekday_deadlines())

        return make

    moves: list[Any] = []
    probe = case.updated_at + dt.timedelta(hours=1)
    for name in sorted(COMMANDS):
        try:
            after, _ = COMMANDS[name](case, probe, weekday_deadlines())
        except TthcError:
            continue
        moves.append((after.state, outcome(name)))
    return moves


@st.composite
def case_walks(
    draw: st.DrawFn,
    kind: cp.CaseKind | None = None,
    max_steps: int = 12,
    state: cp.CaseState | None = None,
) -> tuple[cp.Case, list[cp.CaseEvent]]:
    """A received case walked through its kind's table to ``state``, with every event produced.

    Without a ``state`` the target is drawn uniformly among the kind's states; a
    named ``state`` picks a kind whose table has it (see :mod:`._walks`).

    Args:
        kind: The case kind (default: any that has ``state``).
        max_steps: The most exploring commands before heading to the target.
        state: The state the case ends in (default: any).
    """
    if kind is None and state is None:
        # Every state equally often, whichever kinds have it (DIALOGUE: complaints only).
        every = sorted({s for t in cp.TABLES.values() for s in t.states}, key=lambda s: s.value)
        state = draw(st.sampled_from(every))
    if kind is None:
        kinds = [k for k in cp.CaseKind if state is None or state in cp.TABLES[k].states]
        kind = draw(st.sampled_from(kinds))
    table = cp.TABLES[kind]
    if state is not None and state not in table.states:
        raise ValueError(f"{kind.name} cases are never {state.name}")
    case, events = draw(_received(kind))
    case, more = walk(
        draw,
        case,
        state_of=lambda c: c.state,
        moves=_moves,
        graph=table.edges,
        goal=state,
        max_steps=max_steps,
    )
    return case, [*events, *more]


def cases(
    kind: cp.CaseKind | None = None, state: cp.CaseState | None = None
) -> st.SearchStrategy[cp.Case]:
    """Reachable cases of ``kind`` in ``state`` (any kind, any state, evenly, by default)."""
    return case_walks(kind, state=state).map(lambda walk: walk[0])


def case_events() -> st.SearchStrategy[cp.CaseEvent]:
    """Events of reachable cases."""
    return case_walks().flatmap(lambda walk: st.sampled_from(walk[1]))


def geo_points() -> st.SearchStrategy[cp.GeoPoint]:
    """WGS84 points, the poles and the antimeridian included."""
    return st.builds(
        cp.GeoPoint,
        st.floats(-90, 90, allow_nan=False),
        st.floats(-180, 180, allow_nan=False),
    )


def areas() -> st.SearchStrategy[cp.Area]:
    """Communes requests are placed in."""
    return st.builds(
        cp.Area,
        st.from_regex(r"[0-9]{5}", fullmatch=True),
        st.sampled_from(("Xã Krông Năng, Tỉnh Đắk Lắk", "Phường Tân Lập, Tỉnh Đắk Lắk")),
    )


@st.composite
def case_notices(draw: st.DrawFn, kind: cp.CaseKind | None = None) -> list[cp.DeadlineNotice]:
    """The reminders the queue raises for a walked case, checked near its due time.

    :func:`tthc_core.complaint.reminders_due` produces them (``DeadlineApproaching``
    within the lead, ``DeadlineMissed`` past the due time); they are not part of
    the case's history. Often empty (no running clock, or not yet within the lead).
    """
    case, _ = draw(case_walks(kind))
    # Around the due time (when a clock runs): some days before it, or just after.
    around = case.due_at or case.updated_at
    at = max(case.updated_at, around + dt.timedelta(hours=draw(st.integers(-24 * 10, 24 * 3))))
    lead = Duration(draw(st.integers(1, 5)), TimeUnit.WORKING_DAYS)
    return cp.reminders_due(case, at, lead=lead, deadlines=weekday_deadlines())


REGISTRY: dict[type, Any] = {
    cp.Case: cases(),
    cp.GeoPoint: geo_points(),
    cp.Area: areas(),
    cp.GeoService: st.sampled_from(cp.GEO_SERVICES),
    cp.ServiceAttribute: st.sampled_from([a for s in cp.GEO_SERVICES for a in s.attributes]),
    cp.CaseEvent: case_events(),
    cp.ReceivingAgency: receiving_agencies(),
    cp.Attachment: attachments(),
}
