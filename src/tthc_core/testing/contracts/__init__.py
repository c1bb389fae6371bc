"""Contract suites: pytest base classes every adapter of a port must pass.

Subclass the suite in a test module and override its adapter fixture; see
``docs/storage.md`` for storage. Each suite lives in a private module and is
re-exported here.
"""

from __future__ import annotations

from tthc_core.testing.contracts._accounts import AccountsContract
from tthc_core.testing.contracts._channel import (
    ChannelFiguresContract,
    ChannelRecorder,
    MemoryChannelFigures,
)
from tthc_core.testing.contracts._conversations import ConversationStorageContract
from tthc_core.testing.contracts._interleave import Interleaving, Unit
from tthc_core.testing.contracts._port_store import PORTS, PortStore, PortUnitOfWork
from tthc_core.testing.contracts._postal import PostalServiceContract, ReportHook, sample_order
from tthc_core.testing.contracts._storage import (
    DOCKETS,
    NOTES,
    AuditTrailContract,
    CatalogueContract,
    CitizenLinksContract,
    Docket,
    DocketAdvanced,
    DocketClosed,
    DocketNote,
    InboxContract,
    ManualClock,
    Open311RegistryContract,
    OutboxContract,
    RepositoryContract,
    SequenceAllocatorContract,
    StoreContract,
    UnitOfWorkContract,
    docket_code,
)
from tthc_core.testing.contracts._storage_inbox_queue import InboxQueueContract
from tthc_core.testing.contracts._storage_reading import ReadOnlyContract

__all__ = [
    "DOCKETS",
    "NOTES",
    "PORTS",
    "AccountsContract",
    "AuditTrailContract",
    "CatalogueContract",
    "ChannelFiguresContract",
    "ChannelRecorder",
    "CitizenLinksContract",
    "ConversationStorageContract",
    "Docket",
    "DocketAdvanced",
    "DocketClosed",
    "DocketNote",
    "InboxContract",
    "InboxQueueContract",
    "Interleaving",
    "ManualClock",
    "MemoryChannelFigures",
    "Open311RegistryContract",
    "OutboxContract",
    "PortStore",
    "PortUnitOfWork",
    "PostalServiceContract",
    "ReadOnlyContract",
    "ReportHook",
    "RepositoryContract",
    "SequenceAllocatorContract",
    "StoreContract",
    "Unit",
    "UnitOfWorkContract",
    "docket_code",
    "sample_order",
]
