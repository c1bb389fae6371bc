"""What the desk may offer on a case: the commands the table allows now, the longer limits."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from tests.test_complaint_extension import AGENCY, MONDAY, D, accepted_denunciation

from tthc_core import complaint as cp
from tthc_core.calendar import VN_TZ
from tthc_core.errors import TthcError
from tthc_core.party import Applicant
from tthc_core.testing.strategies import cases
from tthc_core.testing.strategies._complaint import COMMANDS, weekday_deadlines

C = cp.CaseCommand
#: The random-walk commands and the desk command each one is.
AS_DESK = {
    "accept": C.ACCEPT, "decline": C.DECLINE, "forward": C.FORWARD, "assign": C.ASSIGN,
    "reassign": C.ASSIGN, "verify": C.VERIFY, "dialogue": C.DIALOGUE, "resolve": C.RESOLVE,
    "publish": C.PUBLISH, "close": C.CLOSE, "escalate": C.ESCALATE, "suspend": C.SUSPEND,
    "resume": C.RESUME, "extend": C.EXTEND, "extend_more": C.EXTEND, "multi_site": C.EXTEND,
    "withdraw": C.WITHDRAW, "terminate": C.TERMINATE, "reopen": C.REOPEN,
}  # fmt: skip


def _applies(name: str, case: cp.Case, at: dt.datetime) -> bool:
    try:
        COMMANDS[name](case, at, weekday_deadlines())
    except TthcError:
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_every_command_that_applies_is_offered(case: cp.Case) -> None:
    at = case.updated_at + dt.timedelta(hours=1)
    offered = set(cp.open_commands(case, at))
    for name, command in AS_DESK.items():
        if _applies(name, case, at):
            assert command in offered, (name, case.kind, case.state)


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_every_offered_command_applies(case: cp.Case) -> None:
    """Offered means the table allows it; resolve (dialogue) and escalate (window) add rules."""
    at = case.updated_at + dt.timedelta(hours=1)
    for command in cp.open_commands(case, at):
        if command in (C.RESOLVE, C.ESCALATE):
            continue
        if command is C.EXTEND:
            rule = cp.extension_options(case)[0]
            cp.extend(case, at=at, variant=rule.variant, reason="Phức tạp", deadlines=D)
            continue
        names = [n for n, c in AS_DESK.items() if c is command]
        assert any(_applies(n, case, at) for n in names), (command, case.kind, case.state)


def test_a_denunciation_is_extended_thirty_days_at_a_time() -> None:
    """Law on Denunciations Art. 30(2)-(3): complex first, then especially complex."""
    case = accepted_denunciation(MONDAY)
    assert [r.variant for r in cp.extension_options(case)] == [cp.Variant.COMPLEX]
    case, _ = cp.extend(case, at=MONDAY, variant=cp.Variant.COMPLEX, reason="x", deadlines=D)
    assert [r.variant for r in cp.extension_options(case)] == [cp.Variant.ESPECIALLY_COMPLEX]
    case, _ = cp.extend(
        case, at=MONDAY, variant=cp.Variant.ESPECIALLY_COMPLEX, reason="x", deadlines=D
    )
    assert cp.extension_options(case) == ()
    assert C.EXTEND not in cp.open_commands(case, MONDAY)


def _complaint(*, remote: bool, at: dt.datetime) -> cp.Case:
    agency = cp.ReceivingAgency(AGENCY.code, AGENCY.name, remote_area=remote)
    case, _ = cp.receive(
        case_id="KN-2026-0001", kind=cp.CaseKind.COMPLAINT, at=at, channel=cp.Channel.DESK,
        agency=agency, deadlines=D, sender=Applicant("Lê Văn Bình", address="Thôn 3"),
        content="Khiếu nại quyết định thu hồi đất",
    )  # fmt: skip
    case, _ = cp.accept(case, at=at, deadlines=D)
    return case


@pytest.mark.parametrize(("remote", "limit"), [(False, 45), (True, 60)])
def test_a_complaint_extends_to_the_complex_limit_of_its_area(remote: bool, limit: int) -> None:
    """Law on Complaints Art. 28: 30 → 45 days, remote 45 → 60."""
    case = _complaint(remote=remote, at=MONDAY)
    (rule,) = cp.extension_options(case)
    assert rule.variant is cp.Variant.COMPLEX
    assert rule.limit_for(remote).amount == limit


def test_the_acceptance_step_of_a_complaint_has_no_extension_in_either_regime() -> None:
    """Before Decree 155/2026 (10 days) and after (7 working days): no longer limit exists."""
    for at in (dt.datetime(2026, 6, 1, 9, tzinfo=VN_TZ), dt.datetime(2026, 7, 6, 9, tzinfo=VN_TZ)):
        case, _ = cp.receive(
            case_id="KN-2026-0002", kind=cp.CaseKind.COMPLAINT, at=at, channel=cp.Channel.DESK,
            agency=AGENCY, deadlines=D, sender=Applicant("Lê Văn Bình", address="Thôn 3"),
            content="Khiếu nại",
        )  # fmt: skip
        assert case.clock is not None
        assert cp.extension_options(case) == ()


def test_a_petition_is_never_extended() -> None:
    """Decree 20/2008 and the 766 indicators set no longer period."""
    case, _ = cp.receive(
        case_id="PA-2026-0001", kind=cp.CaseKind.PETITION, at=MONDAY, channel=cp.Channel.CHAT,
        agency=AGENCY, deadlines=D, content="Thủ tục rườm rà",
    )  # fmt: skip
    case, _ = cp.accept(case, at=MONDAY, deadlines=D)
    assert cp.extension_options(case) == ()
    assert C.EXTEND not in cp.open_commands(case, MONDAY)


def test_escalation_is_offered_once_decided_or_overdue() -> None:
    case = _complaint(remote=False, at=MONDAY)
    assert C.ESCALATE not in cp.open_commands(case, MONDAY)
    late = MONDAY + dt.timedelta(days=40)
    assert C.ESCALATE in cp.open_commands(case, late)
    second, _ = cp.escalate(case, at=late, to=AGENCY, deadlines=D)
    assert second.level is cp.ComplaintLevel.SECOND
    assert C.ESCALATE not in cp.open_commands(second, late)


def test_every_command_has_a_vietnamese_label() -> None:
    assert all(c.label_vi.strip() for c in cp.CaseCommand)


def test_notices_name_their_article() -> None:
    case = accepted_denunciation(MONDAY)
    suspended, (event,) = cp.suspend(case, at=MONDAY, reason="Chờ giám định", deadlines=D)
    notice = cp.notice_for(event, case.kind)
    assert notice is not None
    assert "Art. 34" in notice.rule
    assert notice.title_vi.startswith("Quyết định tạm đình chỉ")
    _, (resumed,) = cp.resume(suspended, at=MONDAY + dt.timedelta(days=3), deadlines=D)
    assert cp.notice_for(resumed, case.kind) is not None
    verifying, _ = cp.start_verification(case, at=MONDAY)
    resolved, _ = cp.resolve(verifying, at=MONDAY, summary="x", deadlines=D)
    _, (published,) = cp.publish(resolved, at=MONDAY)
    assert cp.notice_for(published, case.kind) is None
