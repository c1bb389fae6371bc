"""The officer checks online filings in a real headless browser: receives one, returns the other.

The citizen files both through the generic chat webhook (real loopback HTTP,
:mod:`tests.test_filing_e2e`); the desk officer opens each online dossier's
page in chromium, sees the e-form and the files, receives the birth
registration and returns the other for completion with the list of what is
missing; the citizen reads it in chat, sends the file and ``xong``, and the
dossier is back with the desk. Skipped without chromium, except under CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests._staff import FAST_HASHER, PASSWORD, SECRET
from tests.test_filing_e2e import World, _photo, file_both
from tests.test_staff_browser import USERS, Officer, browser  # noqa: F401 - the browser fixture

from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.staff import staff_app
from tthc_adapters.storage import accounts_for
from tthc_core.accounts import Account, Role
from tthc_core.dossier import DossierState
from tthc_core.storage.kinds import DOSSIERS, FILINGS

pytestmark = pytest.mark.browser


def _staff(w: World) -> Any:
    accounts = accounts_for(w.store)
    for role, (username, name, unit) in USERS.items():
        accounts.add(Account(username, name, role, unit, FAST_HASHER.hash(PASSWORD)))
    return staff_app(
        w.store,
        w.desk,
        accounts=accounts,
        clock=lambda: w.now,
        secret_key=SECRET,
        hasher=FAST_HASHER,
        blobs=w.blobs,
    )


def test_the_officer_receives_one_and_asks_to_complete_the_other(
    browser: Any,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    w = World(tmp_path, staff=_staff)
    with LoopbackServer(w.app) as server:
        url = server.url
        file_both(w, url)
        with w.store.unit_of_work() as uow:
            filings = sorted(uow.repository(FILINGS).page(), key=lambda f: f.filing_id)
        birth, copy = (str(f.dossier_code) for f in filings)
        officer = Officer(browser, url)
        officer.login(Role.DESK)
        officer.open("/staff/queues")
        assert birth in officer.find("main").text
        officer.open(f"/staff/dossiers/{birth}")
        online = officer.find("#online").text
        assert "Nguyễn Thị Mai" in online
        assert "Ảnh" in officer.find("#files").text
        officer.shot("online-dossier")
        officer.act("receive_online")
        officer.open(f"/staff/dossiers/{copy}")
        officer.act(
            "ask_to_complete",
            items="Ảnh mặt sau căn cước\nBản chụp trích lục cũ (nếu có)",
            reason="Thiếu giấy tờ",
        )
        officer.shot("asked-to-complete")
        w.tick(5)
        notices = w.replies()
        assert any("đã tiếp nhận hồ sơ" in t and birth in t for t in notices)
        assert any("đầy đủ một lần" in t and "Ảnh mặt sau căn cước" in t for t in notices)
        w.send(url, _photo())
        assert "Đã nhận đủ" in w.say(url, "xong")[0]
    with w.store.unit_of_work() as uow:
        states = {c: uow.repository(DOSSIERS).get(c) for c in (birth, copy)}
    assert states[birth] is not None
    assert states[birth].state is DossierState.RECEIVED
    assert states[copy] is not None
    assert states[copy].state is DossierState.SUBMITTED  # back with the desk to check again
