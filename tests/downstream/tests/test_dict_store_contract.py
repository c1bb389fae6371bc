"""The store written from docs/adapters.md passes every storage contract of tthc."""

from __future__ import annotations

import os

import pytest
from tthc_downstream.broken_store import broken_store
from tthc_downstream.dict_store import DictCatalogue, DictStore

from tthc_core.testing.contracts import CatalogueContract, StoreContract

#: Set by test_broken_copies_fail.py to run the same suite on a broken copy.
BUG = os.environ.get("TTHC_DOWNSTREAM_BUG")


class TestDictStore(StoreContract):
    @pytest.fixture
    def store(self, clock):
        store = broken_store(clock, BUG) if BUG else DictStore(clock)
        yield store
        store.close()


class TestCatalogueAlone(CatalogueContract):
    """The catalogue suite on the catalogue port alone (a factory per unit of work)."""

    @pytest.fixture
    def catalogue(self, clock):
        store = broken_store(clock, BUG) if BUG else DictStore(clock)

        def one_per_unit_of_work():
            uow = store.unit_of_work()
            port = uow.catalogue if BUG else DictCatalogue(uow)
            port.commit, port.rollback = uow.commit, uow.rollback
            return port

        return one_per_unit_of_work
