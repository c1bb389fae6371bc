"""Staff accounts and the acting officer on every stored back-end (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._desk import APPLICANT, LAND, at

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.storage import (
    MemoryStore,
    PostgresStore,
    SqliteStore,
    accounts_for,
    attributed_unit_of_work,
)
from tthc_core.accounts import Accounts
from tthc_core.desk import Desk, receive_dossier
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store
from tthc_core.storage.kinds import DOSSIERS
from tthc_core.testing.contracts import AccountsContract


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    if request.param == "memory":
        made: Store = MemoryStore()
    elif request.param == "sqlite":
        made = SqliteStore(tmp_path_factory.mktemp("acc") / "t.sqlite3")
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        made = PostgresStore(dsn, schema=request.getfixturevalue("postgres_schema"))
    yield made
    made.close()


class TestMemoryAccounts(AccountsContract):
    @pytest.fixture
    def accounts(self) -> Accounts:
        return accounts_for(MemoryStore())


class TestSqliteAccounts(AccountsContract):
    @pytest.fixture
    def accounts(self, tmp_path: Path) -> Iterator[Accounts]:
        store = SqliteStore(tmp_path / "t.sqlite3")
        yield accounts_for(store)
        store.close()


@pytest.mark.postgres
class TestPostgresAccounts(AccountsContract):
    @pytest.fixture
    def accounts(self, postgres_dsn: str, postgres_schema: str) -> Iterator[Accounts]:
        store = PostgresStore(postgres_dsn, schema=postgres_schema)
        yield accounts_for(store)
        store.close()


def test_the_audit_trail_records_the_officer(any_store: Store, desk: Desk) -> None:
    with any_store.unit_of_work() as uow:
        uow.catalogue.put(next(p for p in DEMO_CATALOGUE if str(p.code) == LAND))
        uow.commit()
    with attributed_unit_of_work(any_store, "motcua") as uow:
        dossier = receive_dossier(
            uow, desk, procedure_code=LAND, applicant=APPLICANT, at=at(11, 23, 9, 15)
        )
        uow.commit()
    with any_store.unit_of_work() as uow:
        trail = uow.audit.history(DOSSIERS, str(dossier.code))
        by_code = uow.audit.for_dossier(dossier.code)
    assert trail
    assert {r.actor for r in trail} == {"motcua"}
    assert [r.actor for r in by_code] == [r.actor for r in trail]


def test_events_saved_without_an_officer_have_no_actor(any_store: Store, desk: Desk) -> None:
    with any_store.unit_of_work() as uow:
        uow.catalogue.put(next(p for p in DEMO_CATALOGUE if str(p.code) == LAND))
        dossier = receive_dossier(
            uow, desk, procedure_code=LAND, applicant=APPLICANT, at=at(11, 23, 9, 15)
        )
        uow.commit()
    with any_store.unit_of_work() as uow:
        assert {r.actor for r in uow.audit.history(DOSSIERS, str(dossier.code))} == {None}


def test_api_tokens_round_trip(any_store: Store) -> None:
    from tthc_adapters.storage import tokens_for
    from tthc_core.accounts import Account, Role
    from tthc_core.api_tokens import ApiToken

    accounts_for(any_store).add(Account("motcua", "Trần Văn Nam", Role.DESK, "Một cửa", "h"))
    tokens = tokens_for(any_store)
    first = ApiToken("aaaa1111", "motcua", "d1", "Cổng tỉnh", at(11, 23, 9))
    second = ApiToken("bbbb2222", "motcua", "d2", "Hệ thống khác", at(11, 23, 10))
    tokens.add(second)
    tokens.add(first)
    assert tokens.get("aaaa1111") == first
    assert tokens.get("khong-co") is None
    assert tokens.for_user("motcua") == [first, second]
    assert tokens.for_user("ai-do") == []
    with pytest.raises(InvalidInput, match="already exists"):
        tokens.add(first)
    assert tokens.revoke("aaaa1111")
    assert not tokens.revoke("khong-co")
    revoked = tokens.get("aaaa1111")
    assert revoked is not None
    assert revoked.revoked
