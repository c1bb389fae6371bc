"""The fixtures every storage contract suite needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest

from tthc_core.storage import Store
from tthc_core.testing.contracts._port_store import PortStore
from tthc_core.testing.contracts._storage_sample import ManualClock


class StorageFixtures:
    """Declares the fixtures a storage suite uses; subclasses provide ``store``.

    Override ``store`` in your test class: build your store with the
    ``clock`` fixture as its clock, on an empty database, and close it after
    the test::

        class TestMyStore(StoreContract):
            @pytest.fixture
            def store(self, clock):
                store = MyStore(..., clock=clock)
                yield store
                store.close()

    A suite of one port that works alone (catalogue, inbox, links, sequences)
    names it in :attr:`port`; instead of ``store`` you may provide a fixture of
    that name returning a factory of port objects, and the suite runs on a
    minimal store around it (:class:`~tthc_core.testing.contracts.PortStore`).
    """

    #: The unit-of-work attribute this suite checks, if it can run on that port alone.
    port: ClassVar[str | None] = None

    @pytest.fixture
    def clock(self) -> ManualClock:
        """The clock the store must use."""
        return ManualClock()

    @pytest.fixture
    def store(self, request: pytest.FixtureRequest, clock: ManualClock) -> Iterator[Store]:
        """The store under test: override it (or, for a one-port suite, the port's fixture)."""
        if self.port is None:
            raise NotImplementedError("override the `store` fixture in your test class")
        try:
            factory = request.getfixturevalue(self.port)
        except pytest.FixtureLookupError as error:
            raise NotImplementedError(
                f"override the `store` fixture, or a `{self.port}` fixture returning a "
                f"factory of {self.port} port objects (see PortStore)"
            ) from error
        yield PortStore(**{self.port: factory})  # noqa: PT022 - overrides yield
