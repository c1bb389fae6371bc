"""The dossier table's checker reports every defect at once (``dossier._table``, issue 15)."""

from __future__ import annotations

import pytest

from tthc_core.dossier import (
    TABLE,
    DossierState,
    InvalidTransitionTable,
    ReturnAtDesk,
    StopProcessing,
    Transition,
    check_table,
)
from tthc_core.dossier._decide import resolve


def test_every_defect_is_named_in_one_error_joined_by_semicolons() -> None:
    broken = {k: t for k, t in TABLE.items() if k[1] is not StopProcessing}
    broken[(DossierState.STOPPED, ReturnAtDesk)] = Transition(DossierState.RESOLVED, resolve, "x")
    with pytest.raises(InvalidTransitionTable) as info:
        check_table(broken)
    assert info.value.reason == (
        "the transition table is broken: final state stopped has an exit; "
        "state stopped is unreachable; "
        "state withdrawal_requested is a trap: no final state can be reached from it"
    )
