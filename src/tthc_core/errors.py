"""The exception hierarchy of the domain core.

Every error the core raises on bad input or a forbidden action derives from
:class:`TthcError` and carries a human-actionable ``reason``. Adapters turn
these into Vietnamese chat replies or HTTP errors; none of them should ever
surface as a stack trace in a citizen's chat.
"""

from __future__ import annotations

__all__ = [
    "DomainRuleViolation",
    "InvalidInput",
    "TthcError",
]


class TthcError(Exception):
    """Base class of every error raised by tthc.

    Args:
        reason: An English sentence a person can act on.
        rule: The legal or business rule that was applied, when there is one
            (for example ``"Decree 61/2018 Art. 19(9)"``).
    """

    def __init__(self, reason: str, *, rule: str | None = None) -> None:
        super().__init__(reason if rule is None else f"{reason} [{rule}]")
        self.reason = reason
        self.rule = rule


class InvalidInput(TthcError, ValueError):  # noqa: N818 - reads best at call sites
    """Input that does not have the documented shape (a code, a payload, a date)."""


class DomainRuleViolation(TthcError):  # noqa: N818 - reads best at call sites
    """A well-formed command that a rule forbids in the current state."""
