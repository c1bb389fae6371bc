"""``tthc serve``: options, settings file, postal configuration, outbox worker, a real run."""

from __future__ import annotations

import logging
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tthc_adapters.bootstrap import DEMO_SETTINGS, Dispatcher
from tthc_adapters.cli import main
from tthc_adapters.cli._serve import OutboxThread, load_settings, postal_from_env
from tthc_adapters.postal import PartnerPostalService
from tthc_adapters.storage import MemoryStore
from tthc_core.errors import InvalidInput
from tthc_core.storage import OutboundMessage

SETTINGS = """\
agency_code = "000.43.31.H15"
agency_name = "UBND xã Krông Năng"
unit = "Trung tâm Phục vụ hành chính công xã Krông Năng"
lookup_base = "tracuu.example.gov.vn"

[address]
recipient = "Trung tâm Phục vụ hành chính công xã Krông Năng"
phone = "0262 3670 000"
street = "Số 1 đường Hùng Vương"
ward_code = "24343"
province_code = "66"
"""


def test_serve_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in ("--host", "--port", "--db", "--settings", "--keys", "--demo-key"):
        assert option in out


def test_serve_is_listed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "serve" in capsys.readouterr().out


def test_settings_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "desk.toml"
    path.write_text(SETTINGS, encoding="utf-8")
    assert load_settings(path) == DEMO_SETTINGS
    path.write_text(SETTINGS.replace('lookup_base = "', 'remote_area = true\nlookup_base = "'))
    assert load_settings(path).remote_area is True


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (SETTINGS.replace("unit =", "unti ="), "unknown key(s) unti"),
        (
            SETTINGS.replace('agency_name = "UBND xã Krông Năng"\n', ""),
            "missing key(s) agency_name",
        ),
        (
            SETTINGS.replace('ward_code = "24343"', "ward_code = 24343"),
            "ward_code must be a string",
        ),
        (SETTINGS.replace("[address]", "[adress]"), "the [address] table is missing"),
        (SETTINGS + "remote_area = 'yes'\n", "unknown key(s) remote_area"),  # inside [address]
        ('remote_area = "yes"\n' + SETTINGS, "remote_area must be true or false"),
        ("agency_code = ", "not valid TOML"),
    ],
)
def test_bad_settings_say_what_is_wrong(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape(reason)):
        load_settings(path)


def test_a_missing_settings_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read settings file"):
        load_settings(tmp_path / "none.toml")


def test_the_postal_operator_comes_from_the_environment() -> None:
    assert postal_from_env({}) is None
    with pytest.raises(InvalidInput, match="TTHC_POSTAL_PASSWORD, TTHC_POSTAL_CUSTOMER_CODE"):
        postal_from_env({"TTHC_POSTAL_URL": "http://127.0.0.1:9", "TTHC_POSTAL_USERNAME": "u"})
    full = {
        "TTHC_POSTAL_URL": "http://127.0.0.1:9",
        "TTHC_POSTAL_USERNAME": "u",
        "TTHC_POSTAL_PASSWORD": "p",
        "TTHC_POSTAL_CUSTOMER_CODE": "C1",
        "TTHC_POSTAL_SERVICE_CODE": "BCCI2",
    }
    service = postal_from_env(full)
    assert isinstance(service, PartnerPostalService)
    service.close()


def test_the_outbox_thread_sends_chat_and_keeps_postal_orders_without_an_operator(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = MemoryStore()
    sent: list[tuple[str, str, str]] = []
    with store.unit_of_work() as uow:
        uow.outbox.put(OutboundMessage("r1", "zalo", {"user_id": "u1", "text": "xin chào"}))
        uow.outbox.put(OutboundMessage("p1", "postal", {"action": "create", "order": {}}))
        uow.commit()
    worker = OutboxThread(
        store.outbox_queue, Dispatcher(chat=lambda *m: sent.append(m), postal=None)
    )
    with caplog.at_level(logging.WARNING, logger="tthc.serve"):
        worker.start()
        deadline = time.monotonic() + 10
        while store.outbox_queue.counts().delivered < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert worker.stop(timeout=10)
    assert sent == [("zalo", "u1", "xin chào")]
    counts = store.outbox_queue.counts()
    assert (counts.delivered, counts.pending, counts.parked) == (1, 1, 0)
    assert "no postal operator is configured" in caplog.text


def _lines(stream: object, into: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        into.put(line)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_runs_for_real(tmp_path: Path, stop: signal.Signals) -> None:
    """``tthc serve`` on 127.0.0.1 with a free port: /healthz answers, then it stops cleanly."""
    env = {
        **os.environ,
        "TTHC_POSTAL_SECRET": "s" * 32,
        "TTHC_RECEIPT_KEYS": "K1=" + "ab" * 32,
    }
    command = [
        sys.executable,
        "-m",
        "tthc_adapters.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--db",
        str(tmp_path / "tthc.sqlite3"),
    ]
    process = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        command, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stderr, lines), daemon=True).start()
    seen: list[str] = []
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                assert process.poll() is None, "".join(seen)
                continue
            seen.append(line)
            if match := re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line):
                port = int(match[1])
        assert port is not None, "".join(seen)
        response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "storage": "ok"}
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0
        time.sleep(0.1)  # let the reader thread take the last lines
        while not lines.empty():
            seen.append(lines.get())
        assert "stopped: queue workers and store closed" in "".join(seen)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
