"""The PostalService contract, run against the in-memory fake and the HTTP adapter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tthc_adapters.postal import (
    FakePostalServer,
    InMemoryPostalService,
    PartnerConfig,
    PartnerPostalService,
)
from tthc_core.delivery import PostalService
from tthc_core.testing.contracts import PostalServiceContract, ReportHook


class TestInMemoryPostal(PostalServiceContract):
    @pytest.fixture
    def postal(self) -> PostalService:
        return InMemoryPostalService()

    @pytest.fixture
    def report(self, postal: InMemoryPostalService) -> ReportHook:
        return postal.office.report  # type: ignore[return-value]


class TestPartnerHttpPostal(PostalServiceContract):
    @pytest.fixture
    def server(self) -> Iterator[FakePostalServer]:
        with FakePostalServer() as server:
            yield server

    @pytest.fixture
    def postal(self, server: FakePostalServer) -> Iterator[PostalService]:
        config = PartnerConfig(server.base_url, "tthc", "secret", "C0001", timeout_seconds=2.0)
        adapter = PartnerPostalService(config)
        yield adapter
        adapter.close()

    @pytest.fixture
    def report(self, server: FakePostalServer) -> ReportHook:
        return server.office.report  # type: ignore[return-value]
