"""``tthc open311 key``: a key per client application, printed once, stored hashed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc_adapters.app._open311 import hash_key
from tthc_adapters.cli import main
from tthc_adapters.storage import SqliteStore


def test_keys_are_issued_once_listed_without_the_key_and_revoked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'tthc.sqlite3'}"
    assert main(["open311", "key", "add", "city-portal", "--db", db]) == 0
    key = capsys.readouterr().out.splitlines()[-1]
    assert key.startswith("tthc311_")
    assert len(key) > 40
    store = SqliteStore(str(tmp_path / "tthc.sqlite3"))
    with store.unit_of_work() as uow:
        [client] = uow.open311.clients()
    store.close()
    assert client.key_hash == hash_key(key)  # only the digest is stored
    assert main(["open311", "key", "add", "city-portal", "--db", db]) == 2
    assert "already registered" in capsys.readouterr().err
    assert main(["open311", "key", "list", "--db", db]) == 0
    listing = capsys.readouterr().out
    assert "city-portal" in listing
    assert "active" in listing
    assert key not in listing
    assert main(["open311", "key", "revoke", "city-portal", "--db", db]) == 0
    assert main(["open311", "key", "revoke", "city-portal", "--db", db]) == 2
    assert main(["open311", "key", "list", "--db", db]) == 0
    assert "revoked" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["", "Upper", ".dot-first", "a" * 65, "sp ace"])
def test_a_bad_name_is_refused_with_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    db = f"sqlite:///{tmp_path / 'tthc.sqlite3'}"
    assert main(["open311", "key", "add", name, "--db", db]) == 2
    assert "lower-case letters" in capsys.readouterr().err


def test_an_in_memory_store_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["open311", "key", "list", "--db", "memory:"]) == 2
    assert "vanish" in capsys.readouterr().err
