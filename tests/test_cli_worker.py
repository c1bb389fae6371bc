"""``tthc worker``, ``tthc serve --workers N``, and one-line errors for a bad ``--db``."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tthc_adapters.cli import main
from tthc_adapters.storage import StoreUnavailable, open_store


def _error_line(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines  # one line, no traceback
    return lines[0]


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_missing_folder_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    line = _error_line(capsys, command, "--demo-key", "--db", "sqlite:///var/lib/tthc/tthc.sqlite3")
    assert line.startswith("tthc: cannot open the SQLite database")
    assert f"folder {tmp_path / 'var/lib/tthc'} does not exist" in line
    assert "relative" in line
    assert "sqlite:////absolute/path" in line


def test_an_absolute_url_takes_four_slashes(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/tthc.sqlite3")
    store.close()
    assert (tmp_path / "tthc.sqlite3").exists()


def test_a_folder_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="it is a folder"):
        open_store(str(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(StoreUnavailable, match="not writable"):
        open_store(str(locked / "tthc.sqlite3"))


def test_an_unknown_scheme_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    line = _error_line(capsys, "worker", "--demo-key", "--db", "mysql://db/tthc")
    assert "unknown database URL 'mysql://db/tthc'" in line


def test_an_unreachable_postgresql_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = _error_line(capsys, "worker", "--demo-key", "--db", "postgresql://tthc@127.0.0.1:1/x")
    assert line.startswith("tthc: cannot connect to the PostgreSQL database:")


def test_worker_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["worker", "--help"])
    out = capsys.readouterr().out
    for option in ("--lease", "--poll", "--db", "--settings", "--keys"):
        assert option in out


def test_serve_takes_at_least_one_worker(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--workers", "0"])
    assert "must be at least 1" in capsys.readouterr().err


def test_serve_runs_several_processes(tmp_path: Path) -> None:
    """``serve --workers 2``: two server processes answer; SIGTERM stops them all."""
    env = {**os.environ, "TTHC_RECEIPT_KEYS": "K1=" + "ab" * 32, "TTHC_POSTAL_SECRET": "s" * 32}
    command = [
        *(sys.executable, "-m", "tthc_adapters.cli", "serve", "--workers", "2"),
        *("--port", "0", "--db", str(tmp_path / "tthc.sqlite3")),
    ]
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        port, seen = None, []
        deadline = time.monotonic() + 60
        assert process.stderr is not None
        while port is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            seen.append(line)
            if match := re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line):
                port = int(match[1])
        assert port is not None, "".join(seen)
        pids = set()
        deadline = time.monotonic() + 60
        while len(pids) < 2 and time.monotonic() < deadline:
            for line in iter(process.stderr.readline, ""):
                seen.append(line)
                if match := re.search(r"Started server process \[(\d+)\]", line):
                    pids.add(match[1])
                if len(pids) == 2:
                    break
        assert len(pids) == 2, "".join(seen)
        for _ in range(5):
            assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200
        assert "queue workers not in this process" in "".join(seen)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def test_inbox_lists_parked_events_and_retries_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc_core.calendar import VN_TZ
    from tthc_core.storage import InboundEvent, drain_inbox

    db = f"sqlite:///{tmp_path}/tthc.sqlite3"
    store = open_store(db)
    at = dt.datetime.now(VN_TZ)
    store.inbox_queue.accept_all([InboundEvent("fax", "evt-1", {}, b"{}", at)])
    drain_inbox(store.inbox_queue, store.unit_of_work, {}, owner="w", clock=lambda: at)
    store.close()
    assert main(["inbox", "--db", db, "status"]) == 0
    assert capsys.readouterr().out == "pending 0, handled 0, parked 1\n"
    assert main(["inbox", "--db", db, "parked"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("1\tfax\tevt-1\t")
    assert line.endswith("\t1 attempt(s)\tno handler for source 'fax'")
    assert main(["inbox", "--db", db, "retry", "1"]) == 0
    assert main(["inbox", "--db", db, "retry", "1", "7"]) == 1
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "event 1 is not parked (handled, pending, or no such id)",
        "event 7 is not parked (handled, pending, or no such id)",
    ]
    assert main(["inbox", "--db", db, "status"]) == 0
    assert capsys.readouterr().out == "pending 1, handled 0, parked 0\n"
