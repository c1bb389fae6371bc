"""The storage contract suites, and :class:`StoreContract` that runs them all."""

from __future__ import annotations

from typing import ClassVar

from tthc_core.testing.contracts._storage_aggregates import (
    AuditTrailContract,
    RepositoryContract,
    UnitOfWorkContract,
)
from tthc_core.testing.contracts._storage_messaging import InboxContract, OutboxContract
from tthc_core.testing.contracts._storage_open311 import Open311RegistryContract
from tthc_core.testing.contracts._storage_records import (
    CatalogueContract,
    CitizenLinksContract,
    SequenceAllocatorContract,
)
from tthc_core.testing.contracts._storage_sample import (
    DOCKETS,
    NOTES,
    Docket,
    DocketAdvanced,
    DocketClosed,
    DocketNote,
    ManualClock,
    docket_code,
)

__all__ = [
    "DOCKETS",
    "NOTES",
    "AuditTrailContract",
    "CatalogueContract",
    "CitizenLinksContract",
    "Docket",
    "DocketAdvanced",
    "DocketClosed",
    "DocketNote",
    "InboxContract",
    "ManualClock",
    "Open311RegistryContract",
    "OutboxContract",
    "RepositoryContract",
    "SequenceAllocatorContract",
    "StoreContract",
    "UnitOfWorkContract",
    "docket_code",
]


class StoreContract(
    RepositoryContract,
    AuditTrailContract,
    UnitOfWorkContract,
    OutboxContract,
    InboxContract,
    CitizenLinksContract,
    CatalogueContract,
    SequenceAllocatorContract,
    Open311RegistryContract,
):
    """Every storage suite: what a complete store (a :class:`~tthc_core.storage.Store`) must do.

    Subclass it in a test module and override the ``store`` fixture.
    """

    port: ClassVar[str | None] = None
