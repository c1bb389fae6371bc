"""A minimal store around one port adapter, so a single port's suite runs on its own.

An adapter of one port (a catalogue read from a ministry API, a sequence
allocator on Redis) need not come with a whole :class:`~tthc_core.storage.Store`.
Give the suite a fixture named after the port that returns a *factory*: called
once per unit of work, it returns the port object that unit of work uses. If
the object has ``commit()`` / ``rollback()`` methods, the unit of work calls them
(that is how it takes part in the transaction); the factory closes over your
shared state (the "database")::

    class TestMyCatalogue(CatalogueContract):
        @pytest.fixture
        def catalogue(self):
            rows = {}
            return lambda: MyCatalogue(rows)

Asking the unit of work for another port fails with a message naming the fixture
to provide instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from tthc_core.events import DomainEvent

__all__ = ["PORTS", "PortStore", "PortUnitOfWork"]

#: The ports a single-port suite can run on alone, by unit-of-work attribute.
PORTS = ("catalogue", "inbox", "links", "sequences")


class PortUnitOfWork:
    """A unit of work holding only the given ports (one object per port, made on first use)."""

    def __init__(self, factories: Mapping[str, Callable[[], Any]]) -> None:
        self._factories = factories
        self._ports: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        factories = self.__dict__.get("_factories", {})
        if name not in factories:
            raise AttributeError(
                f"this minimal store has only {sorted(factories)}; a suite that needs "
                f"uow.{name} needs a whole store: override the `store` fixture"
            )
        ports = self.__dict__["_ports"]
        if name not in ports:
            ports[name] = factories[name]()
        return ports[name]

    def _each(self, method: str) -> None:
        for port in self._ports.values():
            hook = getattr(port, method, None)
            if callable(hook):
                hook()

    def commit(self) -> None:
        """Commit every port used (those with a ``commit()`` method)."""
        self._each("commit")

    def rollback(self) -> None:
        """Roll back every port used (those with a ``rollback()`` method)."""
        self._each("rollback")

    def collect_new_events(self) -> list[DomainEvent]:
        """No repositories here, so no events."""
        return []

    def __enter__(self) -> PortUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()  # after a commit, a port's rollback has nothing left to undo


class PortStore:
    """A store whose units of work hold only the ports given (see the module docs)."""

    def __init__(self, **factories: Callable[[], Any]) -> None:
        self.factories = factories

    def unit_of_work(self) -> PortUnitOfWork:
        """A new unit of work over the given ports."""
        return PortUnitOfWork(self.factories)

    @property
    def outbox_queue(self) -> Any:
        """Not here: the outbox suites need a whole store."""
        raise AttributeError("the outbox queue needs a whole store: override `store`")

    @property
    def inbox_queue(self) -> Any:
        """Not here: the inbox queue suite needs a whole store."""
        raise AttributeError("the inbox queue needs a whole store: override `store`")

    def read_only(self) -> Any:
        """Not here: the read-only suite needs a whole store."""
        raise AttributeError("a read-only unit of work needs a whole store: override `store`")

    def close(self) -> None:
        """Nothing to release."""
