"""Typed errors of the dossier workflow; each names the rule that forbids the action."""

from __future__ import annotations

import datetime as dt

from tthc_core.dossier._states import DossierState
from tthc_core.errors import DomainRuleViolation, InvalidInput, TthcError

__all__ = [
    "ChannelNotOffered",
    "CodeNotDatedOnReceipt",
    "CommandOutOfOrder",
    "InvalidEventStream",
    "InvalidTransitionTable",
    "RescheduleRefused",
    "ReturnChannelMismatch",
    "StepTemplateMismatch",
    "SupplementRefused",
    "TransitionNotAllowed",
]


class TransitionNotAllowed(DomainRuleViolation):
    """The command has no transition from the dossier's state.

    Args:
        state: The dossier's state.
        command: The command's class name.
        allowed: The commands the state does accept.
        rule: The lifecycle rule.
    """

    def __init__(
        self, state: DossierState, command: str, allowed: tuple[str, ...], *, rule: str
    ) -> None:
        accepts = ", ".join(allowed) if allowed else "nothing (it is final)"
        super().__init__(
            f"a dossier in state {state.value} ({state.label_vi}) cannot take {command}; "
            f"it accepts {accepts}",
            rule=rule,
        )
        self.state = state
        self.command = command
        self.allowed = allowed


class CommandOutOfOrder(DomainRuleViolation):
    """A command dated before the dossier's last event: the audit trail only grows forward.

    Args:
        at: The command's instant.
        last_event_at: The instant of the dossier's last event.
    """

    def __init__(self, at: dt.datetime, last_event_at: dt.datetime) -> None:
        super().__init__(
            f"the command is dated {at.isoformat()}, before the dossier's last event at "
            f"{last_event_at.isoformat()}; record actions in the order they happened",
            rule="Circular 01/2018/TT-VPCP Art. 10 (the e-system keeps a time-ordered record)",
        )
        self.at = at
        self.last_event_at = last_event_at


class StepTemplateMismatch(DomainRuleViolation):
    """A handover without an explicit allowance that does not follow the step template."""


class ReturnChannelMismatch(DomainRuleViolation):
    """A return of the result by a channel the applicant did not register (Mẫu 01 item 6)."""


class RescheduleRefused(DomainRuleViolation):
    """An apology and new appointment beyond the regime's limit (Decree 61/2018 Art. 19(9))."""


class CodeNotDatedOnReceipt(DomainRuleViolation):
    """A dossier received under a code dated on another day (Circular 01/2018/TT-VPCP Art. 19)."""


class SupplementRefused(DomainRuleViolation):
    """A supplement request beyond the regime's limit (Decree 61/2018 Art. 11(2)(c): once)."""


class ChannelNotOffered(DomainRuleViolation):
    """A filing or return channel the procedure does not offer (Decision 45/2016/QĐ-TTg)."""


class InvalidEventStream(InvalidInput):
    """Events that cannot be replayed into a dossier (wrong order, mixed dossiers...)."""


class InvalidTransitionTable(TthcError):  # noqa: N818 - reads best at call sites
    """A transition table that breaks a structural rule (checked at import)."""
