"""Issue 17: ``tthc portal status|dead-letters|resend|pull`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from tests._desk import at

from tthc_adapters.cli import main
from tthc_adapters.portal import SqliteLedger
from tthc_adapters.storage import SqliteStore
from tthc_core.portal import ItemState


def test_status_dead_letters_and_resend(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "tthc.sqlite3")
    SqliteStore(path).close()
    ledger = SqliteLedger(path)
    ledger.enqueue("000.43.31.H15-261123-0001", "dvcqg", at(11, 23, 9))
    ledger.enqueue("000.43.31.H15-261123-0002", "dvcqg", at(11, 23, 9))
    first = ledger.items("dvcqg")[0]
    ledger.save(attrs.evolve(first, attempts=4, state=ItemState.DEAD, last_error="terminal lock"))
    ledger.close()

    assert main(["portal", "status", "--url", path]) == 0
    assert "1 pending (1 due now), 1 dead letters" in capsys.readouterr().out
    assert main(["portal", "dead-letters", "--url", path]) == 1
    assert "261123-0001\tattempts=4" in capsys.readouterr().out
    assert main(["portal", "resend", "--url", path]) == 0
    assert "1 dead letter(s) re-driven" in capsys.readouterr().out
    assert main(["portal", "dead-letters", "--url", path]) == 0
    assert main(["portal", "resend", "--url", path, "--dossier", "000.43.31.H15-261123-0003"]) == 0
    assert "queued for dvcqg" in capsys.readouterr().out.splitlines()[-1]
    assert main(["portal", "status", "--url", path]) == 0
    assert "3 pending" in capsys.readouterr().out


@pytest.fixture
def own_database(postgres_dsn: str) -> Iterator[str]:
    """A database of this test module's own (the CLI opens the store's default schema)."""
    import psycopg

    name = f"tthc_portal_cli_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres_dsn.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_status_and_resend_over_postgresql(
    own_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc_adapters.portal import PostgresLedger
    from tthc_adapters.storage import PostgresStore

    PostgresStore(own_database).close()
    ledger = PostgresLedger(own_database)
    ledger.enqueue("000.43.31.H15-261123-0001", "dvcqg", at(11, 23, 9))
    [item] = ledger.items("dvcqg")
    ledger.save(attrs.evolve(item, attempts=2, state=ItemState.DEAD, last_error="x"))
    ledger.close()
    assert main(["portal", "dead-letters", "--url", own_database]) == 1
    assert "261123-0001\tattempts=2" in capsys.readouterr().out
    assert main(["portal", "resend", "--url", own_database]) == 0
    assert main(["portal", "status", "--url", own_database]) == 0
    assert "1 pending (1 due now), 0 dead letters" in capsys.readouterr().out.splitlines()[-1]


def test_memory_is_refused_with_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["portal", "status", "--url", "memory:"]) == 2
    assert "holds no ledger" in capsys.readouterr().err


def test_pull_fetches_stores_and_acknowledges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc_adapters.portal import FakeNationalPortal, LoopbackPortal, format_stamp

    fake = FakeNationalPortal("H15")
    fake.submit_online(
        {
            "MaHoSo": "000.00.00.H15-261123-00001",
            "MaTTHC": "1.004227.000.00.00.H15",
            "ChuHoSo": "Trần Thị Bình",
            "NgayNopHoSo": format_stamp(at(11, 23, 7)),
        }
    )
    path = str(tmp_path / "tthc.sqlite3")
    with LoopbackPortal(fake) as served:
        for key, value in {
            "URL": served.url,
            "AUTH": "oauth2",
            "CLIENT_ID": "tthc",
            "CLIENT_SECRET": "secret",
            "PROVINCE": "H15",
            "PROVINCE_AGENCY": "000.00.00.H15",
        }.items():
            monkeypatch.setenv(f"TTHC_PORTAL_{key}", value)
        assert main(["portal", "pull", "--url", path]) == 0
        assert "1 listed, 1 new, 1 acknowledged" in capsys.readouterr().out
        assert main(["portal", "pull", "--url", path]) == 0
        assert "0 listed" in capsys.readouterr().out
    assert fake.acknowledged == {"000.00.00.H15-261123-00001"}
    store = SqliteStore(path)
    assert store.inbox_queue.counts().pending == 1  # the inbox worker takes it in
    store.close()
    monkeypatch.delenv("TTHC_PORTAL_URL")
    assert main(["portal", "pull", "--url", path]) == 2
    assert "TTHC_PORTAL_URL" in capsys.readouterr().err
