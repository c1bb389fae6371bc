"""Hypothesis strategies for every public tthc_core type.

Each area has its own private module; :func:`register_type_strategies` registers
all of them with :func:`hypothesis.strategies.register_type_strategy`.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tthc_core.testing.strategies._accounts import REGISTRY as _ACCOUNTS
from tthc_core.testing.strategies._accounts import accounts, api_tokens, usernames
from tthc_core.testing.strategies._catalogue import REGISTRY as _CATALOGUE
from tthc_core.testing.strategies._catalogue import (
    fees,
    form_fields,
    forms,
    procedures,
    processing_times,
    regimes,
    required_documents,
    step_templates,
)
from tthc_core.testing.strategies._codes import REGISTRY as _CODES
from tthc_core.testing.strategies._codes import (
    agency_codes,
    dossier_codes,
    procedure_codes,
)
from tthc_core.testing.strategies._complaint import REGISTRY as _COMPLAINT
from tthc_core.testing.strategies._complaint import (
    areas,
    case_events,
    case_walks,
    cases,
    geo_points,
    identified_senders,
    receiving_agencies,
)
from tthc_core.testing.strategies._conversation import REGISTRY as _CONVERSATION
from tthc_core.testing.strategies._conversation import (
    conversation_commands,
    conversation_walks,
    conversations,
    replies,
)
from tthc_core.testing.strategies._delivery import REGISTRY as _DELIVERY
from tthc_core.testing.strategies._delivery import (
    administrative_units,
    postal_choices,
    resolved_addresses,
    shipment_events,
    shipment_walks,
    shipments,
    tracking_updates,
)
from tthc_core.testing.strategies._dossier import REGISTRY as _DOSSIER
from tthc_core.testing.strategies._dossier import (
    DossierHistory,
    commands_for,
    dossier_commands,
    dossier_events,
    dossier_histories,
    dossiers,
    sheet_entries,
    status_views,
)
from tthc_core.testing.strategies._events import (
    concrete_events,
    domain_events,
    missing_event_strategies,
    reachable_events,
)
from tthc_core.testing.strategies._filing import REGISTRY as _FILING
from tthc_core.testing.strategies._filing import (
    blobs,
    filing_commands,
    filing_walks,
    filings,
    identities,
    online_procedures,
    payment_notices,
    payments,
    ratings,
)
from tthc_core.testing.strategies._party import REGISTRY as _PARTY
from tthc_core.testing.strategies._party import (
    applicants,
    phone_numbers,
    postal_addresses,
    typed_phones,
    vietnamese_names,
)
from tthc_core.testing.strategies._portal import REGISTRY as _PORTAL
from tthc_core.testing.strategies._portal import (
    attachments,
    fee_lines,
    portal_progress_rows,
    portal_snapshots,
    result_documents,
    snapshot_contexts,
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
from tthc_core.testing.strategies._sign_ins import REGISTRY as _SIGN_INS
from tthc_core.testing.strategies._sign_ins import sign_in_histories
from tthc_core.testing.strategies._storage import REGISTRY as _STORAGE
from tthc_core.testing.strategies._storage import citizen_links, outbound_messages
from tthc_core.testing.strategies._time import REGISTRY as _TIME
from tthc_core.testing.strategies._time import (
    aware_datetimes,
    deadlines,
    durations,
    office_hours,
    synthetic_calendars,
    working_day_indexes,
)

__all__ = [
    "DossierHistory",
    "accounts",
    "administrative_units",
    "agency_codes",
    "api_tokens",
    "applicants",
    "areas",
    "attachments",
    "aware_datetimes",
    "blobs",
    "case_events",
    "case_walks",
    "cases",
    "citizen_links",
    "commands_for",
    "concrete_events",
    "conversation_commands",
    "conversation_walks",
    "conversations",
    "deadlines",
    "domain_events",
    "dossier_codes",
    "dossier_commands",
    "dossier_events",
    "dossier_histories",
    "dossiers",
    "durations",
    "fee_lines",
    "fees",
    "filing_commands",
    "filing_walks",
    "filings",
    "form_fields",
    "forms",
    "geo_points",
    "identified_senders",
    "identities",
    "key_rings",
    "lookup_bases",
    "office_hours",
    "online_procedures",
    "outbound_messages",
    "payment_notices",
    "payments",
    "phone_numbers",
    "portal_progress_rows",
    "portal_snapshots",
    "postal_addresses",
    "postal_choices",
    "procedure_codes",
    "procedures",
    "processing_times",
    "ratings",
    "reachable_events",
    "receipt_codecs",
    "receipt_keys",
    "receipt_payloads",
    "receipts",
    "receiving_agencies",
    "regimes",
    "register_type_strategies",
    "replies",
    "required_documents",
    "resolved_addresses",
    "result_documents",
    "sheet_entries",
    "shipment_events",
    "shipment_walks",
    "shipments",
    "sign_in_histories",
    "snapshot_contexts",
    "status_views",
    "step_templates",
    "synthetic_calendars",
    "tracking_updates",
    "typed_phones",
    "usernames",
    "vietnamese_names",
    "vietnamese_text",
    "vietqr_payments",
    "working_day_indexes",
]

_REGISTRIES: tuple[dict[type, Any], ...] = (
    _CODES,
    _TIME,
    _CATALOGUE,
    _PARTY,
    _RECEIPT,
    _DELIVERY,
    _COMPLAINT,
    _DOSSIER,
    _STORAGE,
    _ACCOUNTS,
    _PORTAL,
    _CONVERSATION,
    _SIGN_INS,
    _FILING,
)


def register_type_strategies() -> None:
    """Register every tthc strategy with Hypothesis (idempotent)."""
    registered: dict[type, Any] = {}
    for registry in _REGISTRIES:
        registered.update(registry)
    registered.update(missing_event_strategies(set(registered)))
    for cls, strategy in registered.items():
        st.register_type_strategy(cls, strategy)


# Registered on import too, so the strategies work whichever of Hypothesis and
# this module is imported first (the entry point skips a half-imported module).
register_type_strategies()
