"""Issue 17: ``tthc portal status|dead-letters|resend``."""

from __future__ import annotations

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


def test_postgres_is_refused_with_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["portal", "status", "--url", "postgresql://x/y"]) == 2
    assert "SQLite only" in capsys.readouterr().err
