"""The transition table: data checked at import, national status codes, refusals by rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tthc_core.dossier import (
    NATIONAL_LABELS,
    TABLE,
    AskToComplete,
    Channel,
    Command,
    ConfirmPostalDelivery,
    DispatchByPost,
    DossierState,
    InvalidTransitionTable,
    PostalParcelReturned,
    ReceiveDossier,
    RequestWithdrawal,
    ReturnAtDesk,
    StopProcessing,
    Transition,
    TransitionNotAllowed,
    accepted_commands,
    check_table,
    handle,
    table_markdown,
)
from tthc_core.dossier._decide import resolve
from tthc_core.testing.dossiers import local, received
from tthc_core.testing.strategies import DossierHistory, dossier_commands, dossier_histories


def test_the_shipped_table_passes_its_checks() -> None:
    check_table(TABLE)


def test_every_state_maps_to_a_national_code_and_has_vietnamese_labels() -> None:
    # DVCQG status list 1-10 (rules §3.1); every code is used by some state.
    assert {s.national_code for s in DossierState} == set(range(1, 11))
    for state in DossierState:
        assert state.national_label_vi == NATIONAL_LABELS[state.national_code]
        assert state.label_vi.strip()
    assert DossierState.SUBMITTED.national_label_vi == "Mới đăng ký"
    assert DossierState.RESULT_RETURNED.national_label_vi == "Đã trả kết quả"
    # Local sub-states keep the national code of what the portal shows.
    assert DossierState.INTEROPERATING.national_code == 4
    assert DossierState.IN_POSTAL_DELIVERY.national_code == 9


def test_channel_codes_are_the_portals() -> None:
    assert [c.value for c in (Channel.IN_PERSON, Channel.ONLINE, Channel.POSTAL)] == [1, 2, 3]


def test_postal_commands_are_in_the_table() -> None:
    # The delivery module drives these names; they are table edges like every other.
    s = DossierState
    assert TABLE[(s.RESOLVED, DispatchByPost)].target is s.IN_POSTAL_DELIVERY
    assert TABLE[(s.IN_POSTAL_DELIVERY, ConfirmPostalDelivery)].target is s.RESULT_RETURNED
    assert TABLE[(s.IN_POSTAL_DELIVERY, PostalParcelReturned)].target is s.RESOLVED
    assert TABLE[(s.RESOLVED, ReturnAtDesk)].target is s.RESULT_RETURNED


def _with(
    extra: dict[tuple[DossierState, type[Command]], Transition],
) -> dict[tuple[DossierState, type[Command]], Transition]:
    return {**TABLE, **extra}


def test_an_exit_from_a_final_state_is_caught() -> None:
    broken = _with(
        {(DossierState.STOPPED, ReturnAtDesk): Transition(DossierState.RESOLVED, resolve, "x")}
    )
    with pytest.raises(InvalidTransitionTable, match="final state stopped has an exit"):
        check_table(broken)


def test_an_unreachable_state_is_caught() -> None:
    broken = {k: t for k, t in TABLE.items() if t.target is not DossierState.INTEROPERATING}
    with pytest.raises(InvalidTransitionTable, match="interoperating is unreachable"):
        check_table(broken)


def test_a_trap_state_is_caught() -> None:
    # Without StopProcessing the withdrawal request can never end.
    broken = {k: t for k, t in TABLE.items() if k[1] is not StopProcessing}
    with pytest.raises(InvalidTransitionTable, match="withdrawal_requested is a trap"):
        check_table(broken)


def test_the_initial_state_must_be_unique() -> None:
    with pytest.raises(InvalidTransitionTable, match="one initial state"):
        check_table(TABLE, states=[s for s in DossierState if not s.is_initial])


@given(dossier_histories(), dossier_commands())
def test_a_command_outside_the_table_names_state_and_command(
    history: DossierHistory, command: Command
) -> None:
    dossier = history.dossier
    if (dossier.state, type(command)) in TABLE:
        return
    with pytest.raises(TransitionNotAllowed) as info:
        handle(dossier, command, at=dossier.last_event_at)
    assert info.value.state is dossier.state
    assert info.value.command == type(command).__name__
    assert info.value.allowed == tuple(c.__name__ for c in accepted_commands(dossier.state))
    assert info.value.rule


def test_a_final_dossier_accepts_nothing() -> None:
    dossier, _ = received(at=local(2026, 3, 2, 9))
    dossier, _ = handle(dossier, RequestWithdrawal("đổi ý"), at=local(2026, 3, 2, 10))
    dossier, _ = handle(dossier, StopProcessing("Công dân rút hồ sơ"), at=local(2026, 3, 2, 11))
    with pytest.raises(TransitionNotAllowed, match="it is final"):
        handle(dossier, ReceiveDossier("Bộ phận Một cửa"), at=local(2026, 3, 3))


@given(st.sampled_from(DossierState))
def test_final_states_have_no_exit_and_open_states_have_one(state: DossierState) -> None:
    assert bool(accepted_commands(state)) is not state.is_final


def test_markdown_render_lists_every_edge_with_codes() -> None:
    text = table_markdown()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == len(TABLE)
    assert "| `SUBMITTED` (1) | `AskToComplete` | `INCOMPLETE_AT_INTAKE` (5) |" in text
    assert AskToComplete.__name__ in text


def test_the_docs_show_the_current_table() -> None:
    docs = Path(__file__).parents[1] / "docs" / "dossier.md"
    assert table_markdown() in docs.read_text(encoding="utf-8")
