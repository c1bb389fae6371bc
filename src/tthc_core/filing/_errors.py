"""Why the filing dialogue refuses a message; the reason is shown to the citizen."""

from __future__ import annotations

from tthc_core.errors import DomainRuleViolation
from tthc_core.text import nfc

__all__ = ["FilingRefused"]


class FilingRefused(DomainRuleViolation):
    """The message does not fit the open question.

    Attributes:
        reason_vi: What to do instead, in Vietnamese (NFC), for the chat reply.
    """

    def __init__(self, reason: str, reason_vi: str, *, rule: str | None = None) -> None:
        super().__init__(reason, rule=rule)
        self.reason_vi = nfc(reason_vi)
