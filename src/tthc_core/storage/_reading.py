"""The read side of the store: a unit of work that only reads.

Status pages, look-ups by code, Open311 listings and the health check never
change anything, so they ask for no more than they need: a read-only unit of
work (:meth:`Store.read_only`). Adapters serve it without the write lock —
SQLite with a deferred transaction in write-ahead-log mode, PostgreSQL with a
``READ ONLY`` transaction from a pool of its own, the memory store from the
last committed tables — so readers never queue behind writers, and writers
never wait for readers.

Its ports expose reading methods only; an adapter also refuses a write that
reaches it at run time with :class:`ReadOnlyViolation`.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Protocol, Self, TypeVar

from tthc_core.catalogue import Procedure
from tthc_core.codes import DossierCode, ProcedureCode
from tthc_core.errors import TthcError
from tthc_core.links import CitizenLink
from tthc_core.storage._kinds import A, AggregateKind, Versioned
from tthc_core.storage._ports import AuditTrail

__all__ = [
    "ReadCatalogue",
    "ReadLinks",
    "ReadOnlyViolation",
    "ReadRepository",
    "ReadUnitOfWork",
]

A_co = TypeVar("A_co", bound=Versioned, covariant=True)


class ReadOnlyViolation(TthcError):  # noqa: N818 - reads best at call sites
    """A write was attempted through a read-only unit of work (a programming error)."""


class ReadRepository(Protocol[A_co]):
    """Port: the stored aggregates of one kind, read only."""

    def get(self, key: str) -> A_co | None:
        """The aggregate with this key, as last committed."""
        ...

    def for_dossier(self, code: DossierCode | str) -> Sequence[A_co]:
        """The aggregates indexed under this dossier code, oldest key first."""
        ...

    def for_phone(self, phone: str) -> Sequence[A_co]:
        """The aggregates indexed under this phone number."""
        ...

    def page(self, *, after: str | None = None, limit: int = 100) -> Sequence[A_co]:
        """A keyset page of every aggregate of this kind, in key order (see ``Repository.page``)."""
        ...


class ReadLinks(Protocol):
    """Port: citizen links, read only."""

    def for_user(self, channel: str, user_id: str) -> list[CitizenLink]:
        """The links of one chat account, oldest first."""
        ...

    def for_dossier(self, code: DossierCode) -> list[CitizenLink]:
        """The accounts following one dossier, oldest first."""
        ...

    def for_phone(self, phone: str) -> list[CitizenLink]:
        """The links made with this phone number, oldest first."""
        ...


class ReadCatalogue(Protocol):
    """Port: the procedure catalogue, read only."""

    def get(self, code: ProcedureCode | str) -> Procedure | None:
        """The procedure with this code."""
        ...

    def all(self) -> list[Procedure]:
        """Every procedure, by code."""
        ...


class ReadUnitOfWork(Protocol):
    """Port: one read-only transaction; use it as a context manager.

    It sees what was committed before it (on SQLite and in memory, one
    snapshot for the whole unit; on PostgreSQL, what each statement finds
    committed), never another unit of work's uncommitted changes, and it never
    waits for a writer nor makes one wait.
    """

    @property
    def links(self) -> ReadLinks:
        """Citizen links."""
        ...

    @property
    def catalogue(self) -> ReadCatalogue:
        """The procedure catalogue."""
        ...

    @property
    def audit(self) -> AuditTrail:
        """The audit trail."""
        ...

    def repository(self, kind: AggregateKind[A]) -> ReadRepository[A]:
        """The stored aggregates of one kind."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
