"""The shipment lifecycle as data: states, actions and the transition table.

Decision 45/2016/QĐ-TTg Art. 9-10 and Circular 17/2017/TT-BTTTT Art. 5(2): the
agency and the postal worker sign the Phiếu gửi (handover), the worker carries
the sealed result, checks the recipient's identity on delivery, and after two
failed attempts the result goes back to the agency, where the citizen chooses
again. A request not yet handed over may be cancelled (the citizen changed
their mind, or chose again).

The table is checked when this module is imported: one initial state, every
state reachable from it, no exits from final states, and a final state
reachable from every other state (no trap states).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

from tthc_core.errors import InvalidInput
from tthc_core.lifecycle import lifecycle_problems

__all__ = [
    "FINAL_STATES",
    "INITIAL_STATE",
    "TRANSITIONS",
    "ShipmentAction",
    "ShipmentState",
    "check_transition_table",
]


class ShipmentState(enum.Enum):
    """Where a result parcel is."""

    REQUESTED = "requested"  # yêu cầu chuyển phát kết quả, not yet handed over
    HANDED_OVER = "handed_over"  # Phiếu gửi signed by agency and postal worker
    IN_TRANSIT = "in_transit"  # đang vận chuyển
    DELIVERY_FAILED = "delivery_failed"  # phát không thành công (attempt 1 or 2)
    DELIVERED = "delivered"  # phát thành công, identity checked
    RETURNED = "returned"  # chuyển hoàn về cơ quan
    CANCELLED = "cancelled"  # hủy trước khi giao bưu điện

    @property
    def label_vi(self) -> str:
        """The Vietnamese wording shown to citizens and staff."""
        return _LABELS[self]


_LABELS = {
    ShipmentState.REQUESTED: "Chờ giao bưu điện",
    ShipmentState.HANDED_OVER: "Đã giao bưu điện",
    ShipmentState.IN_TRANSIT: "Đang vận chuyển",
    ShipmentState.DELIVERY_FAILED: "Phát không thành công",
    ShipmentState.DELIVERED: "Đã phát thành công",
    ShipmentState.RETURNED: "Đã chuyển hoàn về cơ quan",
    ShipmentState.CANCELLED: "Đã hủy yêu cầu chuyển phát",
}


class ShipmentAction(enum.Enum):
    """What can happen to a parcel."""

    HAND_OVER = "hand_over"
    DEPART = "depart"
    FAIL_ATTEMPT = "fail_attempt"
    DELIVER = "deliver"
    RETURN_TO_AGENCY = "return_to_agency"
    CANCEL = "cancel"


_S = ShipmentState
_A = ShipmentAction

INITIAL_STATE = _S.REQUESTED
FINAL_STATES = frozenset({_S.DELIVERED, _S.RETURNED, _S.CANCELLED})

#: state -> action -> next state.
TRANSITIONS: Mapping[ShipmentState, Mapping[ShipmentAction, ShipmentState]] = MappingProxyType(
    {
        _S.REQUESTED: MappingProxyType({_A.HAND_OVER: _S.HANDED_OVER, _A.CANCEL: _S.CANCELLED}),
        _S.HANDED_OVER: MappingProxyType(
            {
                _A.DEPART: _S.IN_TRANSIT,
                _A.FAIL_ATTEMPT: _S.DELIVERY_FAILED,
                _A.DELIVER: _S.DELIVERED,
                _A.RETURN_TO_AGENCY: _S.RETURNED,
            }
        ),
        _S.IN_TRANSIT: MappingProxyType(
            {
                _A.FAIL_ATTEMPT: _S.DELIVERY_FAILED,
                _A.DELIVER: _S.DELIVERED,
                _A.RETURN_TO_AGENCY: _S.RETURNED,
            }
        ),
        _S.DELIVERY_FAILED: MappingProxyType(
            {
                _A.FAIL_ATTEMPT: _S.DELIVERY_FAILED,
                _A.DELIVER: _S.DELIVERED,
                _A.RETURN_TO_AGENCY: _S.RETURNED,
            }
        ),
        _S.DELIVERED: MappingProxyType({}),
        _S.RETURNED: MappingProxyType({}),
        _S.CANCELLED: MappingProxyType({}),
    }
)


def check_transition_table(
    table: Mapping[ShipmentState, Mapping[ShipmentAction, ShipmentState]],
    initial: ShipmentState,
    finals: frozenset[ShipmentState],
) -> None:
    """Check a shipment transition table's shape.

    Args:
        table: state -> action -> next state.
        initial: The single initial state.
        finals: The final states.

    Raises:
        InvalidInput: Naming every defect found.
    """
    if set(table) != set(ShipmentState):
        raise InvalidInput("the shipment table must list every shipment state")
    edges = [(source, target) for source, row in table.items() for target in row.values()]
    problems = lifecycle_problems(set(ShipmentState), {initial}, finals, edges)
    if any(target is initial for _, target in edges):
        problems.append(f"the initial state {initial.name} must not be re-entered")
    if problems:
        raise InvalidInput("the shipment table is broken: " + "; ".join(problems))


check_transition_table(TRANSITIONS, INITIAL_STATE, FINAL_STATES)
