"""``tthc zalo broadcast|stats`` against the fake platform over loopback HTTP."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tthc_adapters.bootstrap import Dispatcher
from tthc_adapters.cli import main
from tthc_adapters.storage import SqliteStore
from tthc_adapters.zalo import (
    Ledger,
    OaClient,
    ZaloApiSettings,
    ZaloSender,
    sql_side_for,
    sqlite_token_store,
)
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_core.calendar import VN_TZ
from tthc_core.storage import drain_outbox

# After the real time the CLI queues at (it reads the system clock).
_TOMORROW = dt.datetime.now(VN_TZ).date() + dt.timedelta(days=1)
NIGHT = dt.datetime.combine(_TOMORROW, dt.time(23), tzinfo=VN_TZ)
DAY = NIGHT + dt.timedelta(hours=11)  # 10:00 the day after


@pytest.fixture
def fake() -> Iterator[FakeZaloServer]:
    with FakeZaloServer() as server:
        yield server


@pytest.fixture
def db(fake: FakeZaloServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "tthc.sqlite3"
    SqliteStore(path).close()
    sqlite_token_store(path, fake.oa_id).save(fake.grant())
    for name, value in {
        "TTHC_ZALO_APP_ID": fake.app_id,
        "TTHC_ZALO_OA_ID": fake.oa_id,
        "TTHC_ZALO_OA_SECRET": fake.oa_secret,
        "TTHC_ZALO_APP_SECRET": fake.app_secret,
        "TTHC_ZALO_OA_BASE": fake.base_url,
        "TTHC_ZALO_OAUTH_BASE": fake.base_url,
    }.items():
        monkeypatch.setenv(name, value)
    return path


def _drain(fake: FakeZaloServer, path: Path, at: dt.datetime) -> None:
    fake.clock = lambda: at
    store = SqliteStore(path)
    api = ZaloApiSettings(fake.app_id, fake.app_secret, fake.base_url, fake.base_url)
    client = OaClient(api, sqlite_token_store(path, fake.oa_id), clock=lambda: at)
    ledger = Ledger(sql_side_for(store))  # in the database, as tthc worker wires it
    sender = ZaloSender(client, clock=lambda: at, ledger=ledger)
    dispatcher = Dispatcher(chat=lambda *_: None, postal=None, channels={"zalo": sender})
    drain_outbox(store.outbox_queue, dispatcher, owner="w", clock=lambda: at)
    store.close()


def test_an_article_is_broadcast_by_day_and_its_views_and_followers_collected(
    fake: FakeZaloServer, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.followers |= {"u-1", "u-2", "u-3"}
    args = [
        "zalo",
        "broadcast",
        "--url",
        str(db),
        "--title",
        "Lịch tiếp công dân",
        "--text",
        "Thứ Năm hằng tuần",
    ]
    assert main(args) == 0
    (article_id,) = [a["id"] for a in fake.articles.values()]
    assert article_id in capsys.readouterr().out
    _drain(fake, db, NIGHT)
    assert fake.broadcasts == []  # never at night
    _drain(fake, db, DAY)
    assert fake.broadcasts == [article_id]
    fake.view_article(article_id, 42)
    fake.clock = lambda: dt.datetime.now(dt.UTC)
    assert main(["zalo", "stats", "--url", str(db), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["followers"] == 3
    assert figures["articles"] == [
        {"id": article_id, "title": "Lịch tiếp công dân", "views": 42, "broadcast": True}
    ]
    assert main(["zalo", "stats", "--url", str(db)]) == 0
    assert "42 lượt xem" in capsys.readouterr().out


def test_without_zalo_variables_the_command_says_what_to_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TTHC_ZALO_APP_ID", raising=False)
    assert main(["zalo", "stats", "--url", str(tmp_path / "x.sqlite3")]) != 0
    assert "TTHC_ZALO_APP_ID" in capsys.readouterr().err
