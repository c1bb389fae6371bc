"""The fixtures every storage contract suite needs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tthc_core.storage import Store
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
    """

    @pytest.fixture
    def clock(self) -> ManualClock:
        """The clock the store must use."""
        return ManualClock()

    @pytest.fixture
    def store(self, clock: ManualClock) -> Iterator[Store]:
        """The store under test: override it."""
        raise NotImplementedError("override the `store` fixture in your test class")
