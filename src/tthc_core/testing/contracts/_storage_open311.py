"""The contract of the Open311 registry port (client applications and tokens)."""

from __future__ import annotations

import datetime as dt
import hashlib

from tthc_core.storage import ClientApp, Open311Token, Store
from tthc_core.testing.contracts._storage_base import StorageFixtures

__all__ = ["Open311RegistryContract"]

_AT = dt.datetime(2026, 11, 28, 8, 0, tzinfo=dt.UTC)


def _client(name: str, key: str) -> ClientApp:
    return ClientApp(name, hashlib.sha256(key.encode()).hexdigest(), _AT)


class Open311RegistryContract(StorageFixtures):
    """What every :class:`~tthc_core.storage.Open311Registry` must do."""

    def test_clients_are_found_by_key_hash_and_unique(self, store: Store) -> None:
        portal, other = _client("portal", "key-1"), _client("city-app", "key-2")
        with store.unit_of_work() as uow:
            assert uow.open311.add_client(portal)
            assert uow.open311.add_client(other)
            assert not uow.open311.add_client(_client("portal", "key-3"))  # name taken
            assert not uow.open311.add_client(_client("copy", "key-1"))  # key taken
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.open311.client_by_hash(portal.key_hash) == portal
            assert uow.open311.client_by_hash(_client("x", "nope").key_hash) is None
            assert uow.open311.clients() == [other, portal]

    def test_a_revoked_client_stays_revoked(self, store: Store) -> None:
        portal = _client("portal", "key-1")
        later = _AT + dt.timedelta(days=1)
        with store.unit_of_work() as uow:
            uow.open311.add_client(portal)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.open311.revoke_client("portal", later)
            assert not uow.open311.revoke_client("portal", later)
            assert not uow.open311.revoke_client("nobody", later)
            uow.commit()
        with store.unit_of_work() as uow:
            found = uow.open311.client_by_hash(portal.key_hash)
            assert found is not None
            assert not found.active
            assert found.revoked_at == later

    def test_tokens_roll_back_with_their_unit_of_work(self, store: Store) -> None:
        token = Open311Token("tok-1", "PA-1", "portal", _AT)
        with store.unit_of_work() as uow:
            uow.open311.add_client(_client("portal", "key-1"))
            uow.commit()
        with store.unit_of_work() as uow:
            uow.open311.add_token(token)
            assert uow.open311.token("tok-1") == token
        with store.unit_of_work() as uow:
            assert uow.open311.token("tok-1") is None
            uow.open311.add_token(token)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.open311.token("tok-1") == token
            assert uow.open311.token("tok-2") is None
