"""The dossier transition table: data, checked when this module is imported.

``TABLE`` maps ``(state, command class)`` to a :class:`Transition` — the target
state, an optional guard, the effect that computes the event, and the rule it
follows. :func:`check_table` enforces the structural rules of a well-formed
workflow (as python-statemachine checks its definitions): one initial state,
every state reachable from it, no exit from a final state, and no trap — every
non-final state can still reach a final one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from tthc_core.dossier import _commands as cmd
from tthc_core.dossier import _decide as do
from tthc_core.dossier import _events as ev
from tthc_core.dossier import _timing as tm
from tthc_core.dossier._errors import InvalidTransitionTable
from tthc_core.dossier._sheet import HandoverKind
from tthc_core.dossier._states import DossierState
from tthc_core.lifecycle import lifecycle_problems

__all__ = ["TABLE", "Transition", "check_table", "command_type_of", "table_markdown"]

S = DossierState


@attrs.frozen
class Transition:
    """One edge of the workflow.

    Args:
        target: The state after the command.
        effect: Computes the event (see :mod:`tthc_core.dossier._decide`).
        rule: The legal rule the edge follows.
        guard: Raises a typed error when the command is still forbidden.
    """

    target: DossierState
    effect: do.Effect
    rule: str
    guard: do.Guard | None = None


_INTAKE = "Decree 61/2018/NĐ-CP Art. 17"
_PROCESS = "Decree 61/2018/NĐ-CP Art. 19"
_RESULT = "Decree 61/2018/NĐ-CP Art. 20"
_POST = "Decision 45/2016/QĐ-TTg"
_APOLOGY = "Decree 61/2018/NĐ-CP Art. 19(9)"
_WITHDRAW = "DVCQG status 7 → 8; Circular 03/2025/TT-VPCP Mẫu 05"

_withdraw = Transition(S.WITHDRAWAL_REQUESTED, do.request_withdrawal, _WITHDRAW)
_CHOOSE = "Circular 01/2018/TT-VPCP Mẫu 01 item 6; Decision 45/2016/QĐ-TTg Art. 5"


def _reschedule(state: DossierState) -> Transition:
    return Transition(state, tm.reschedule, _APOLOGY, tm.reschedule_allowed)


_EDGES: dict[tuple[DossierState, type[cmd.Command]], Transition] = {
    # Intake
    (S.SUBMITTED, cmd.ReceiveDossier): Transition(S.RECEIVED, do.receive, f"{_INTAKE}(1c), (3)"),
    (S.SUBMITTED, cmd.AskToComplete): Transition(
        S.INCOMPLETE_AT_INTAKE,
        do.ask_to_complete,
        f"{_INTAKE}(1a), (2a); Art. 11(2)(c)",
        tm.supplement_allowed,
    ),
    (S.SUBMITTED, cmd.RefuseAtIntake): Transition(
        S.REFUSED_AT_INTAKE, do.refuse_at_intake, f"{_INTAKE}(1b)"
    ),
    (S.SUBMITTED, cmd.RequestWithdrawal): _withdraw,
    (S.INCOMPLETE_AT_INTAKE, cmd.ResubmitDossier): Transition(
        S.SUBMITTED, do.resubmit, f"{_INTAKE}(1a)"
    ),
    (S.INCOMPLETE_AT_INTAKE, cmd.RequestWithdrawal): _withdraw,
    # Received, waiting at the desk for transfer (Art. 18)
    (S.RECEIVED, cmd.HandOver): Transition(
        S.IN_PROCESSING, do.hand_over, "Decree 61/2018/NĐ-CP Art. 18", do.template_step
    ),
    (S.RECEIVED, cmd.Resolve): Transition(S.RESOLVED, do.resolve, f"{_INTAKE}(4)"),
    (S.RECEIVED, cmd.Reschedule): _reschedule(S.RECEIVED),
    (S.RECEIVED, cmd.RequestWithdrawal): _withdraw,
    # Processing
    (S.IN_PROCESSING, cmd.HandOver): Transition(
        S.IN_PROCESSING, do.hand_over, _PROCESS, do.template_step
    ),
    (S.IN_PROCESSING, cmd.SendToAgency): Transition(
        S.INTEROPERATING, do.send_to_agency, f"{_PROCESS}(5)-(6)", do.template_step
    ),
    (S.IN_PROCESSING, cmd.RequestSupplement): Transition(
        S.AWAITING_SUPPLEMENT,
        tm.request_supplement,
        f"{_PROCESS}(4); Art. 11(2)(c)",
        tm.supplement_allowed,
    ),
    (S.IN_PROCESSING, cmd.RequestPayment): Transition(
        S.AWAITING_PAYMENT, do.request_payment, "DVCQG status 6"
    ),
    (S.IN_PROCESSING, cmd.RefuseAfterAppraisal): Transition(
        S.REFUSED_AFTER_APPRAISAL, do.refuse_after_appraisal, f"{_PROCESS}(8)"
    ),
    (S.IN_PROCESSING, cmd.Resolve): Transition(S.RESOLVED, do.resolve, _RESULT),
    (S.IN_PROCESSING, cmd.Reschedule): _reschedule(S.IN_PROCESSING),
    (S.IN_PROCESSING, cmd.RequestWithdrawal): _withdraw,
    (S.INTEROPERATING, cmd.ReturnFromAgency): Transition(
        S.IN_PROCESSING, do.return_from_agency, f"{_PROCESS}(5)-(6)", do.template_step
    ),
    (S.INTEROPERATING, cmd.Reschedule): _reschedule(S.INTEROPERATING),
    (S.INTEROPERATING, cmd.RequestWithdrawal): _withdraw,
    (S.AWAITING_SUPPLEMENT, cmd.ReceiveSupplement): Transition(
        S.IN_PROCESSING, tm.receive_supplement, f"{_PROCESS}(4); Decision 766/QĐ-TTg KPI 2.1"
    ),
    (S.AWAITING_SUPPLEMENT, cmd.RequestWithdrawal): _withdraw,
    (S.AWAITING_PAYMENT, cmd.ConfirmPayment): Transition(
        S.IN_PROCESSING, do.confirm_payment, "DVCQG status 6 → 4"
    ),
    (S.AWAITING_PAYMENT, cmd.Reschedule): _reschedule(S.AWAITING_PAYMENT),
    (S.AWAITING_PAYMENT, cmd.RequestWithdrawal): _withdraw,
    (S.WITHDRAWAL_REQUESTED, cmd.StopProcessing): Transition(S.STOPPED, do.stop, _WITHDRAW),
    # Results
    (S.RESOLVED, cmd.ReturnAtDesk): Transition(S.RESULT_RETURNED, do.return_at_desk, _RESULT),
    (S.RESOLVED, cmd.DispatchByPost): Transition(
        S.IN_POSTAL_DELIVERY, do.dispatch_by_post, f"{_POST} Art. 13", do.postal_return
    ),
    (S.RESOLVED, cmd.DeliverElectronically): Transition(
        S.RESULT_RETURNED, do.deliver_electronically, _RESULT, do.electronic_return
    ),
    (S.IN_POSTAL_DELIVERY, cmd.ConfirmPostalDelivery): Transition(
        S.RESULT_RETURNED, do.confirm_postal_delivery, _POST
    ),
    (S.IN_POSTAL_DELIVERY, cmd.PostalParcelReturned): Transition(
        S.RESOLVED, do.parcel_returned, _POST
    ),
}

# The applicant may change the return channel in every open state until the
# result leaves by post (and again after a parcel comes back).
for _state in (
    S.SUBMITTED,
    S.INCOMPLETE_AT_INTAKE,
    S.RECEIVED,
    S.IN_PROCESSING,
    S.INTEROPERATING,
    S.AWAITING_SUPPLEMENT,
    S.AWAITING_PAYMENT,
    S.RESOLVED,
):
    _EDGES[(_state, cmd.ChooseReturnChannel)] = Transition(
        _state, do.choose_return_channel, _CHOOSE
    )

#: The dossier workflow: ``(state, command class) -> Transition``.
TABLE: Mapping[tuple[DossierState, type[cmd.Command]], Transition] = MappingProxyType(_EDGES)

#: ``find_transition((state, command class))``: the edge, or ``None`` (a plain dict lookup).
find_transition = _EDGES.get


def check_table(
    table: Mapping[tuple[DossierState, type[cmd.Command]], Transition],
    states: Iterable[DossierState] = tuple(DossierState),
) -> None:
    """Check the structural rules of a transition table.

    Args:
        table: The table to check.
        states: Every state of the workflow.

    Raises:
        InvalidTransitionTable: With every rule the table breaks.
    """
    states = tuple(states)
    problems = lifecycle_problems(
        states,
        initial=[s for s in states if s.is_initial],
        finals=[s for s in states if s.is_final],
        edges=[(source, t.target) for (source, _), t in table.items()],
    )
    if problems:
        raise InvalidTransitionTable("the transition table is broken: " + "; ".join(problems))


_EVENT_COMMANDS: dict[type[ev.DossierEvent], type[cmd.Command]] = {
    ev.DossierReceived: cmd.ReceiveDossier,
    ev.DossierCompletionRequested: cmd.AskToComplete,
    ev.DossierResubmitted: cmd.ResubmitDossier,
    ev.DossierRefusedAtIntake: cmd.RefuseAtIntake,
    ev.DossierSupplementRequested: cmd.RequestSupplement,
    ev.DossierSupplementReceived: cmd.ReceiveSupplement,
    ev.DossierPaymentRequested: cmd.RequestPayment,
    ev.DossierPaymentConfirmed: cmd.ConfirmPayment,
    ev.DossierWithdrawalRequested: cmd.RequestWithdrawal,
    ev.DossierStopped: cmd.StopProcessing,
    ev.DossierRefusedAfterAppraisal: cmd.RefuseAfterAppraisal,
    ev.DossierRescheduled: cmd.Reschedule,
    ev.DossierResolved: cmd.Resolve,
    ev.DossierResultReturnedAtDesk: cmd.ReturnAtDesk,
    ev.DossierResultDispatchedByPost: cmd.DispatchByPost,
    ev.DossierPostalDeliveryConfirmed: cmd.ConfirmPostalDelivery,
    ev.DossierParcelReturned: cmd.PostalParcelReturned,
    ev.DossierResultDeliveredElectronically: cmd.DeliverElectronically,
    ev.DossierReturnChannelChosen: cmd.ChooseReturnChannel,
}
_HANDOVER_COMMANDS: dict[HandoverKind, type[cmd.Command]] = {
    HandoverKind.INTERNAL: cmd.HandOver,
    HandoverKind.TO_AGENCY: cmd.SendToAgency,
    HandoverKind.FROM_AGENCY: cmd.ReturnFromAgency,
}


def command_type_of(event: ev.DossierEvent) -> type[cmd.Command] | None:
    """The command class whose transition produces ``event`` (``None`` for DossierSubmitted)."""
    if isinstance(event, ev.DossierHandedOver):
        return _HANDOVER_COMMANDS[event.kind]
    return _EVENT_COMMANDS.get(type(event))


def accepted_commands(state: DossierState) -> tuple[type[cmd.Command], ...]:
    """The command classes ``state`` accepts, in table order."""
    return _ACCEPTS[state]


_ACCEPTS: dict[DossierState, tuple[type[cmd.Command], ...]] = {
    s: tuple(c for (source, c) in _EDGES if source is s) for s in DossierState
}


def table_markdown(
    table: Mapping[tuple[DossierState, type[cmd.Command]], Transition] = TABLE,
) -> str:
    """The table as Markdown, for the docs: state (with portal code) → command → state."""
    lines = [
        "| From | Command | To | Guard | Rule |",
        "|---|---|---|---|---|",
    ]
    for (source, command), t in table.items():
        guard = f"`{t.guard.__name__}`" if t.guard is not None else ""
        lines.append(
            f"| `{source.name}` ({source.national_code}) | `{command.__name__}` "
            f"| `{t.target.name}` ({t.target.national_code}) | {guard} | {t.rule} |"
        )
    return "\n".join(lines)


__all__ += ["accepted_commands", "find_transition"]

check_table(TABLE)
