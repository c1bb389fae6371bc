"""Which command each stage accepts: the dialogue's transition table, as data.

Every open stage accepts :class:`Attach` (a file sent early is kept, never
lost), :class:`Show` and :class:`Cancel`; once submitted, the dialogue only
carries the desk's supplement requests (Decree 61/2018 Art. 17(2a), 19(4))
and the files that answer them. A cancelled filing accepts nothing.
"""

from __future__ import annotations

from tthc_core.filing import _commands as c
from tthc_core.filing._model import Stage

__all__ = ["TABLE", "accepts"]

_ANY_OPEN: frozenset[type[c.Command]] = frozenset({c.Attach, c.Show, c.Cancel})

#: Stage → the commands it accepts.
TABLE: dict[Stage, frozenset[type[c.Command]]] = {
    Stage.FORM: _ANY_OPEN | {c.Answer, c.Skip},
    Stage.DOCUMENTS: _ANY_OPEN | {c.Next, c.Skip, c.Reuse},
    Stage.IDENTITY: _ANY_OPEN | {c.GiveIdentity},
    Stage.RETURN: _ANY_OPEN | {c.ChooseReturn},
    Stage.CONFIRM: _ANY_OPEN | {c.Submit},
    Stage.SUBMITTED: frozenset({c.Attach, c.Show, c.RequestDocuments}),
    Stage.SUPPLEMENTING: frozenset({c.Attach, c.Show, c.Next, c.RequestDocuments}),
    Stage.CANCELLED: frozenset(),
}


def accepts(stage: Stage, command: c.Command) -> bool:
    """Whether ``stage`` takes ``command``."""
    return type(command) in TABLE[stage]
