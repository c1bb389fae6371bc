"""The look-up budget: how many dossier codes a chat sender may look up (a port).

A dossier code alone reveals a dossier's status (tthc's privacy rule keeps
names, phones and addresses out of it), so anyone may ask about a code; but
walking the sequence numbers of a day (``…-0001``, ``…-0002``, …) would list
every dossier received and its state. :func:`~tthc_core.desk.answer_chat`
therefore spends one unit of the sender's budget per code it looks up (and per
feedback naming a code, which also tells whether the dossier exists), and
answers in Vietnamese, without looking anything up, when the budget is spent.

No legal rule sets the budget: it is an anti-enumeration measure, chosen by
the operator (issue 9). Adapters count; the core only asks.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

__all__ = ["LookupBudget"]


class LookupBudget(Protocol):
    """Counts dossier look-ups per chat sender (an adapter, such as a rate limiter)."""

    def allow(self, sender: str, count: int, at: dt.datetime) -> bool:
        """Spend ``count`` look-ups of ``sender``'s budget at ``at``, if they fit.

        Args:
            sender: The sender's chat account id.
            count: The look-ups the message asks for (at least 1).
            at: When the message was received.

        Returns:
            Whether they fit (and were counted); a refusal counts nothing.
        """
        ...
