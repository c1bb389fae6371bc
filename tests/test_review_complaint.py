"""Review findings in the complaint engine, each pinned by a test that failed before its fix.

* Periods are counted on Vietnam dates (Civil Code 2015 Art. 147-148): an
  instant given in another zone must not shift the day a window opens.
* Suspension (Law on Complaints Art. 11a; Decree 124/2020 Art. 28b(2) added by
  Decree 155/2026) keeps only the time actually counted.
* The public projection never carries the sender's identity, however the
  summary spells it (Law on Denunciations 2018 Art. 47(2)).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_adapters.calendar import default_deadlines
from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ
from tthc_core.codes import AgencyCode
from tthc_core.errors import DomainRuleViolation
from tthc_core.party import Applicant
from tthc_core.text import fold

D = default_deadlines()
AGENCY = cp.ReceivingAgency(AgencyCode("000.00.15.H15"), "UBND xã Ea Tóh")
PROVINCE = cp.ReceivingAgency(AgencyCode("000.00.00.H15"), "UBND tỉnh Đắk Lắk")
SENDER = Applicant(
    "Trần Thị Lan",
    address="Buôn Đrao, xã Ea Tóh",
    phone="0912 345 678",
    identity_number="066190001234",
)
UTC = dt.UTC


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=VN_TZ)


def decided_first_level(decided_at: dt.datetime) -> cp.Case:
    case, _ = cp.receive(
        case_id="KN-1",
        kind=cp.CaseKind.COMPLAINT,
        at=at(3, 2),
        channel=cp.Channel.DESK,
        agency=AGENCY,
        deadlines=D,
        sender=SENDER,
        content="Khiếu nại quyết định thu hồi đất",
    )
    case, _ = cp.accept(case, at=at(3, 3), deadlines=D)
    case, _ = cp.assign(case, at=at(3, 3, 10), unit="Thanh tra", handler="cb-1")
    case, _ = cp.start_verification(case, at=at(3, 4))
    case, _ = cp.resolve(case, at=decided_at, summary="Quyết định giải quyết", deadlines=D)
    return case


def test_second_level_window_counts_from_the_vietnam_day_of_a_utc_decision() -> None:
    """Law on Complaints Art. 33(1): 30 days from the first-level decision.

    Decided Tue 10/3/2026 06:00 (Vietnam) = 9/3 23:00 UTC: the window runs
    11/3-9/4/2026 (a Thursday), so filing on 9/4 is in time whatever zone the
    decision instant was given in.
    """
    decided = at(3, 10, 6)
    for given_as in (decided, decided.astimezone(UTC)):
        case = decided_first_level(given_as)
        assert case.outcome_at is not None
        assert case.outcome_at.date() == dt.date(2026, 3, 10)
        escalated, _ = cp.escalate(case, at=at(4, 9, 15), to=PROVINCE, deadlines=D)
        assert escalated.level is cp.ComplaintLevel.SECOND
        assert escalated.received_at.date() == dt.date(2026, 4, 9)


def test_escalation_received_on_the_vietnam_day_of_a_utc_instant() -> None:
    """The second-level receipt day (which times forwarding) is the Vietnam date."""
    case = decided_first_level(at(3, 10))
    filed = at(4, 9, 6).astimezone(UTC)  # 8/4 23:00 UTC
    escalated, _ = cp.escalate(case, at=filed, to=PROVINCE, deadlines=D)
    assert escalated.received_at.date() == dt.date(2026, 4, 9)


@given(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 20)))
def test_pausing_on_the_starting_day_counts_nothing(start: dt.date) -> None:
    """Civil Code Art. 147: the event's own day is not counted, in working days too.

    Decree 124/2020 Art. 28b(2) (Decree 155/2026): suspended time is not counted.
    """
    rule = cp.rule_for(cp.CaseKind.DENUNCIATION, cp.Step.ACCEPT, start)
    assert rule is not None
    clock = cp.Clock.start(rule, remote=False, on=start, deadlines=D)
    paused = clock.pause(start, D)
    assert paused.consumed == 0
    resumed = paused.resume(start, D)
    assert resumed.due_at == clock.due_at


_VARIANTS = st.sampled_from(
    [
        "tran thi lan",
        "TRAN THI LAN",
        "Trần  Thị Lan",
        "Trần\nThị Lan",
        "Tran Thi Lan",
        "buon drao, xa ea toh",
        "066 190 001 234",
        "066.190.001.234",
    ]
)


@given(_VARIANTS, st.sampled_from(["Ông ", "Đơn của ", ""]), st.sampled_from([" phản ánh", ""]))
def test_open311_hides_the_identity_spelled_without_diacritics_or_spaced(
    spelled: str, before: str, after: str
) -> None:
    """A summary typed without diacritics or with other spacing still hides the sender."""
    case, _ = cp.receive(
        case_id="TC-1",
        kind=cp.CaseKind.DENUNCIATION,
        at=at(3, 2),
        channel=cp.Channel.CHAT,
        agency=AGENCY,
        deadlines=D,
        sender=SENDER,
        content="Tố cáo cán bộ nhận tiền",
        public_summary=f"{before}{spelled}{after}",
    )
    public = json.dumps(cp.georeport_request(case), ensure_ascii=False)
    flat = "".join(fold(public).split()).replace(".", "")
    for secret in ("tranthilan", "buondrao", "066190001234"):
        assert secret not in flat
    assert cp.georeport_request(case)["description"].startswith(before)


def test_a_denunciation_extension_adds_at_most_30_days() -> None:
    """Law on Denunciations 2018 Art. 30(1): especially complex cases get two
    extensions "mỗi lần không quá 30 ngày", so 30 -> 90 days takes two decisions."""
    case, _ = cp.receive(
        case_id="TC-2",
        kind=cp.CaseKind.DENUNCIATION,
        at=at(7, 6),
        channel=cp.Channel.DESK,
        agency=AGENCY,
        deadlines=D,
        sender=SENDER,
        content="Tố cáo",
    )
    case, _ = cp.accept(case, at=at(7, 6), deadlines=D)
    with pytest.raises(DomainRuleViolation) as info:
        cp.extend(
            case, at=at(7, 20), variant=cp.Variant.ESPECIALLY_COMPLEX, reason="x", deadlines=D
        )
    assert "Art. 30" in (info.value.rule or "")
    case, _ = cp.extend(case, at=at(7, 20), variant=cp.Variant.COMPLEX, reason="x", deadlines=D)
    case, _ = cp.extend(
        case, at=at(8, 20), variant=cp.Variant.ESPECIALLY_COMPLEX, reason="y", deadlines=D
    )
    assert case.clock is not None
    assert case.clock.limit.amount == 90
