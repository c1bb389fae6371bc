"""Hypothesis strategies for every public tthc_core type.

Each area has its own private module; :func:`register_type_strategies` registers
all of them with :func:`hypothesis.strategies.register_type_strategy`.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tthc_core.testing.strategies._codes import REGISTRY as _CODES
from tthc_core.testing.strategies._codes import (
    agency_codes,
    dossier_codes,
    procedure_codes,
)
from tthc_core.testing.strategies._complaint import REGISTRY as _COMPLAINT
from tthc_core.testing.strategies._complaint import (
    case_walks,
    cases,
    identified_senders,
    receiving_agencies,
)
from tthc_core.testing.strategies._delivery import REGISTRY as _DELIVERY
from tthc_core.testing.strategies._delivery import (
    administrative_units,
    postal_choices,
    resolved_addresses,
    shipments,
    tracking_updates,
)
from tthc_core.testing.strategies._receipt import REGISTRY as _RECEIPT
from tthc_core.testing.strategies._receipt import (
    key_rings,
    lookup_bases,
    receipt_codecs,
    receipt_keys,
    receipt_payloads,
    receipts,
    vietnamese_text,
    vietqr_payments,
)
from tthc_core.testing.strategies._time import REGISTRY as _TIME
from tthc_core.testing.strategies._time import (
    aware_datetimes,
    durations,
    office_hours,
    synthetic_calendars,
)

__all__ = [
    "administrative_units",
    "agency_codes",
    "aware_datetimes",
    "case_walks",
    "cases",
    "dossier_codes",
    "durations",
    "identified_senders",
    "key_rings",
    "lookup_bases",
    "office_hours",
    "postal_choices",
    "procedure_codes",
    "receipt_codecs",
    "receipt_keys",
    "receipt_payloads",
    "receipts",
    "receiving_agencies",
    "register_type_strategies",
    "resolved_addresses",
    "shipments",
    "synthetic_calendars",
    "tracking_updates",
    "vietnamese_text",
    "vietqr_payments",
]

_REGISTRIES: tuple[dict[type, Any], ...] = (_CODES, _TIME, _RECEIPT, _DELIVERY, _COMPLAINT)


def register_type_strategies() -> None:
    """Register every tthc strategy with Hypothesis (idempotent)."""
    for registry in _REGISTRIES:
        for cls, strategy in registry.items():
            st.register_type_strategy(cls, strategy)
