"""The officials' desk in a real headless browser (Debian's chromium + chromedriver, Selenium).

A real uvicorn server on loopback serves a SQLite store with the sample
commune catalogue. The desk officer logs in, receives a dossier, opens its
receipt; the specialist and the leader hand it along; the desk records the
result and its return. Screenshots of every page are kept under
``build/screenshots/`` (gitignored; ``TTHC_SCREENSHOTS`` overrides).

Skipped when chromium, chromedriver or selenium is missing, except under CI
(``CI=true``), where that is a failure, like the PostgreSQL fixture.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests._staff import FAST_HASHER, PASSWORD, SECRET

from tthc_adapters.app import create_app
from tthc_adapters.bootstrap import system_clock
from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.staff import staff_app
from tthc_adapters.storage import SqliteStore, accounts_for
from tthc_core.accounts import Account, Role
from tthc_core.desk import Desk
from tthc_core.dossier import DossierState
from tthc_core.storage.kinds import DOSSIERS

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("TTHC_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("TTHC_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = Path(os.environ.get("TTHC_SCREENSHOTS", "build/screenshots"))
SPECIALIST_UNIT = "Công chức Tư pháp - Hộ tịch"
LEADER_UNIT = "Lãnh đạo UBND xã"
DESK_UNIT = "Bộ phận Một cửa"
USERS = {
    Role.DESK: ("motcua", "Trần Văn Nam", DESK_UNIT),
    Role.SPECIALIST: ("tuphap", "Lê Thị Mai", SPECIALIST_UNIT),
    Role.LEADER: ("chutich", "Phạm Quốc Huy", LEADER_UNIT),
    Role.ADMIN: ("quantri", "Đỗ Minh Tâm", "Văn phòng UBND xã"),
    Role.CASE_HANDLER: ("thanhtra", "Võ Thị Lan", "Thanh tra xã"),
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the browser test needs {reason} under CI (.ci/run installs it)")
    pytest.skip(f"{reason}: not installed")


@pytest.fixture(scope="module")
def server(desk: Desk, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """A uvicorn server on a free loopback port; its base URL and store."""
    import uvicorn

    store = SqliteStore(tmp_path_factory.mktemp("browser") / "tthc.sqlite3", clock=system_clock)
    with store.unit_of_work() as uow:
        for procedure in sample_catalogue():
            uow.catalogue.put(procedure)
        uow.commit()
    accounts = accounts_for(store)
    password_hash = FAST_HASHER.hash(PASSWORD)
    for role, (username, name, unit) in USERS.items():
        accounts.add(Account(username, name, role, unit, password_hash))
    staff = staff_app(
        store, desk, accounts=accounts, clock=system_clock, secret_key=SECRET, hasher=FAST_HASHER
    )
    app = create_app(store, desk, postal_secret="p" * 20, clock=system_clock, staff=staff)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", store
    uv.should_exit = True
    thread.join(10)
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless chromium through chromedriver, with a fresh profile."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        _unavailable("chromium and chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium")
    profile = tempfile.mkdtemp(prefix="tthc-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=vi",
        f"--user-data-dir={profile}",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Officer:
    """Drives the staff pages like an officer, taking a screenshot of each page."""

    def __init__(self, driver: Any, base: str) -> None:
        from selenium.webdriver.common.by import By

        self.driver, self.base, self.by = driver, base, By
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.shots: list[Path] = []

    def find(self, css: str) -> Any:
        return self.driver.find_element(self.by.CSS_SELECTOR, css)

    def shot(self, name: str) -> None:
        path = SHOTS / f"{len(self.shots) + 1:02d}-{name}.png"
        height = self.driver.execute_script("return document.body.scrollHeight")
        width = self.driver.get_window_size()["width"]
        self.driver.set_window_size(width, max(900, min(int(height) + 140, 4000)))
        self.driver.save_screenshot(str(path))
        self.shots.append(path)

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def login(self, role: Role) -> None:
        self.open("/staff/login")
        self.find("#username").send_keys(USERS[role][0])
        self.find("#password").send_keys(PASSWORD)
        self.click(self.find("main form button[type=submit]"))
        assert USERS[role][1] in self.find("header").text, self.find("main").text

    def click(self, element: Any) -> None:
        """Click what loads a new page, and wait until the old one is gone."""
        from selenium.common.exceptions import WebDriverException
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.find("html")
        element.click()

        def gone(_: Any) -> bool:
            # Stale, or chromium's "node does not belong to the document" (an
            # inspector error, not StaleElementReferenceException): either way, replaced.
            try:
                old.is_enabled()
            except WebDriverException:
                return True
            return False

        WebDriverWait(self.driver, 15).until(gone)
        WebDriverWait(self.driver, 15).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def logout(self) -> None:
        self.click(self.find("header form button"))
        assert "/staff/login" in self.driver.current_url

    def act(self, action: str, **fields: str) -> None:
        from selenium.webdriver.support.ui import Select

        form = self.find(f"#action-{action}")
        for name, value in fields.items():
            element = form.find_element(self.by.NAME, name)
            if element.tag_name == "select":
                Select(element).select_by_visible_text(value)
            else:
                element.clear()
                element.send_keys(value)
        self.click(form.find_element(self.by.CSS_SELECTOR, "button[type=submit]"))
        assert "Đã thực hiện" in self.find(".flash").text, self.find(".flash").text


def _pdf_to_png(pdf: bytes, png: Path) -> None:
    """Rasterise the receipt for the artefacts (poppler's pdftoppm, if installed)."""
    png.with_suffix(".pdf").write_bytes(pdf)
    if pdftoppm := shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603 - fixed arguments
            [pdftoppm, "-png", "-r", "80", "-singlefile", str(png.with_suffix(".pdf")),
             str(png.with_suffix(""))],
            check=True,
            timeout=60,
        )  # fmt: skip


def _denunciation(store: Any, desk: Desk) -> str:
    from tthc_core import complaint as cp
    from tthc_core.party import Applicant
    from tthc_core.storage.kinds import COMPLAINTS

    case, events = cp.receive(
        case_id="TC-2026-0001",
        kind=cp.CaseKind.DENUNCIATION,
        at=system_clock(),
        channel=cp.Channel.DESK,
        agency=desk.complaints,
        deadlines=desk.deadlines,
        sender=Applicant("Hoàng Văn Tố", address="Thôn 5, xã Krông Năng", phone="0905123456"),
        content="Cán bộ địa chính nhận tiền để làm nhanh hồ sơ",
        public_summary="Tố cáo hành vi của cán bộ",
    )
    with store.unit_of_work() as uow:
        uow.repository(COMPLAINTS).save(case, events)
        uow.commit()
    return case.case_id


def test_a_working_day_in_the_browser(browser: Any, server: tuple[str, Any], desk: Desk) -> None:
    base, store = server
    officer = Officer(browser, base)

    officer.open("/staff/login")
    officer.shot("login")
    officer.login(Role.DESK)
    officer.shot("queues-empty")

    officer.open("/staff/intake")
    officer.find("#q").send_keys("khai sinh")  # typed without diacritics
    officer.click(officer.find("form.card button"))
    assert "Đăng ký khai sinh" in officer.find("table").text
    officer.shot("intake-search")
    officer.click(officer.find('a[href$="/intake/1.001193"]'))
    officer.find("#name").send_keys("Nguyễn Thị Hương")
    officer.find("#identity_number").send_keys("066190000123")
    officer.find("#phone").send_keys("0912345678")
    officer.find("#address").send_keys("Thôn 3, xã Krông Năng, Đắk Lắk")
    for box in browser.find_elements(officer.by.CSS_SELECTOR, "input[name^=doc_]"):
        box.click()
    officer.shot("intake-form")
    officer.click(officer.find("#receive"))
    flash = officer.find(".flash").text
    assert "Đã tiếp nhận hồ sơ" in flash
    code = flash.rsplit(" ", 1)[1].rstrip(".")
    officer.shot("dossier-received")

    link = officer.find("#receipt").get_attribute("href")
    cookie = browser.get_cookie("tthc_staff")
    request = urllib.request.Request(link, headers={"Cookie": f"tthc_staff={cookie['value']}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        assert response.headers["content-type"] == "application/pdf"
        _pdf_to_png(response.read(), SHOTS / f"{len(officer.shots):02d}b-receipt.png")

    officer.act("hand_over", to_unit=SPECIALIST_UNIT)
    officer.logout()

    officer.login(Role.SPECIALIST)
    assert code in officer.find("#mine").find_element(officer.by.XPATH, "following::table").text
    officer.shot("specialist-queues")
    officer.open(f"/staff/dossiers/{code}")
    officer.act(
        "request_supplement",
        items="Bản sao Giấy chứng nhận kết hôn của cha mẹ\nGiấy tờ tùy thân của người đi đăng ký",
        reason="Chưa xác định được quan hệ cha, mẹ, con",
    )
    officer.logout()

    officer.login(Role.DESK)
    officer.open(f"/staff/dossiers/{code}")
    officer.open(officer.find("a.notice").get_attribute("href").removeprefix(base))
    assert "PHIẾU YÊU CẦU BỔ SUNG" in officer.find("h1").text.upper()
    officer.shot("supplement-notice")
    officer.open(f"/staff/dossiers/{code}")
    officer.act("receive_supplement")
    officer.logout()

    officer.login(Role.SPECIALIST)
    officer.open(f"/staff/dossiers/{code}")
    officer.act("hand_over", to_unit=LEADER_UNIT, note="Đủ điều kiện, trình ký")
    officer.logout()

    officer.login(Role.LEADER)
    officer.open(f"/staff/dossiers/{code}")
    officer.shot("leader-dossier")
    officer.act("hand_over", to_unit=DESK_UNIT)
    officer.open("/staff/reports")
    assert "Hồ sơ tiếp nhận" in officer.find("#figures").text
    officer.shot("leader-reports")
    officer.logout()

    officer.login(Role.DESK)
    officer.open(f"/staff/dossiers/{code}")
    officer.act("resolve", note="Đã ký, vào sổ")
    officer.act("return_at_desk")
    officer.shot("dossier-returned")
    assert "Đã trả kết quả" in officer.find("#state").text

    browser.set_window_size(390, 844)  # a phone
    officer.shot("dossier-phone")
    browser.set_window_size(1280, 900)
    officer.logout()

    case_id = _denunciation(store, desk)
    officer.login(Role.CASE_HANDLER)
    officer.open(f"/staff/cases/{case_id}")
    assert "bí mật" in officer.find("#sender").text  # not assigned yet
    officer.click(officer.find("#case-accept button"))
    officer.click(officer.find("#case-assign button"))
    assert "Hoàng Văn Tố" in officer.find("#sender").text
    officer.shot("case-handler")
    officer.logout()

    officer.login(Role.ADMIN)
    officer.shot("admin")

    with store.unit_of_work() as uow:
        dossier = uow.repository(DOSSIERS).get(code)
        actors = [r.actor for r in uow.audit.history(DOSSIERS, code)]
    assert dossier is not None
    assert dossier.state is DossierState.RESULT_RETURNED
    assert {"motcua", "tuphap", "chutich"} <= set(actors)
    assert all(path.stat().st_size > 5_000 for path in officer.shots)


def _complaint(store: Any, desk: Desk, case_id: str, *, days_ago: int) -> str:
    """A first-level complaint received and accepted ``days_ago`` days ago."""
    import datetime as dt

    from tthc_core import complaint as cp
    from tthc_core.party import Applicant
    from tthc_core.storage.kinds import COMPLAINTS

    when = system_clock() - dt.timedelta(days=days_ago)
    case, events = cp.receive(
        case_id=case_id,
        kind=cp.CaseKind.COMPLAINT,
        at=when,
        channel=cp.Channel.DESK,
        agency=desk.complaints,
        deadlines=desk.deadlines,
        sender=Applicant("Lê Văn Bình", address="Thôn 3, xã Krông Năng", phone="0905000111"),
        content="Khiếu nại quyết định xử phạt vi phạm hành chính",
        public_summary="Khiếu nại quyết định xử phạt",
    )
    accepted, more = cp.accept(case, at=when, deadlines=desk.deadlines)
    with store.unit_of_work() as uow:
        uow.repository(COMPLAINTS).save(accepted, [*events, *more])
        uow.commit()
    return case_id


def _booked_parcel(store: Any, desk: Desk) -> tuple[str, str]:
    """A birth registration resolved, its result booked with the post (chosen by chat)."""
    from tests._desk import APPLICANT, HOME

    from tthc_core.desk import act, choose_return_channel, receive_dossier
    from tthc_core.dossier import HandOver, Resolve
    from tthc_core.party import ReturnChannel

    with store.unit_of_work() as uow:
        dossier = receive_dossier(
            uow, desk, procedure_code="1.001193", applicant=APPLICANT, at=system_clock(),
            postal_address=HOME,
        )  # fmt: skip
        for step in dossier.steps:
            act(uow, desk, dossier.code, HandOver(step.unit), at=system_clock())
        act(uow, desk, dossier.code, Resolve(), at=system_clock())
        _, shipment = choose_return_channel(
            uow, desk, dossier.code, ReturnChannel.POSTAL, at=system_clock()
        )
        uow.commit()
    assert shipment is not None
    return str(dossier.code), shipment.reference


def test_case_actions_and_a_parcel_cancellation_in_the_browser(
    browser: Any, server: tuple[str, Any], desk: Desk
) -> None:
    from selenium.webdriver.support.ui import Select

    from tthc_core import complaint as cp
    from tthc_core.delivery import ShipmentState
    from tthc_core.storage.kinds import COMPLAINTS, SHIPMENTS

    base, store = server
    officer = Officer(browser, base)
    officer.shots = [Path(f"x{i}") for i in range(20)]  # number after the working day's shots
    late = _complaint(store, desk, "KN-2026-0002", days_ago=40)
    fresh = _complaint(store, desk, "KN-2026-0003", days_ago=0)

    officer.login(Role.CASE_HANDLER)
    officer.open("/staff/cases?queue=overdue")
    assert late in officer.find("#cases").text
    assert fresh not in officer.find("#cases").text
    officer.shot("cases-overdue")

    officer.open(f"/staff/cases/{fresh}")
    officer.click(officer.find("#case-assign button"))
    form = officer.find("#case-extend")
    Select(form.find_element(officer.by.NAME, "variant")).select_by_index(0)
    form.find_element(officer.by.NAME, "reason").send_keys("Nhiều nội dung, nhiều người liên quan")
    officer.click(form.find_element(officer.by.CSS_SELECTOR, "button"))
    assert "Đã thực hiện: Gia hạn" in officer.find(".flash").text
    form = officer.find("#case-suspend")
    form.find_element(officer.by.NAME, "reason").send_keys("Chờ kết quả giám định chữ ký")
    officer.click(form.find_element(officer.by.CSS_SELECTOR, "button"))
    assert "Tạm đình chỉ" in officer.find("#case-state").text
    officer.shot("case-suspended")
    officer.click(officer.find("#case-resume button"))
    assert "Đã giao" in officer.find("#case-state").text
    notices = browser.find_elements(officer.by.CSS_SELECTOR, "#case-notices a")
    suspension = next(a for a in notices if "tạm đình chỉ" in a.text)
    officer.open(suspension.get_attribute("href").removeprefix(base))
    assert "TẠM ĐÌNH CHỈ" in officer.find("h1").text.upper()
    officer.shot("case-suspension-decision")

    officer.open(f"/staff/cases/{late}")
    form = officer.find("#case-escalate")
    form.find_element(officer.by.NAME, "agency_code").send_keys("000.00.00.H15")
    form.find_element(officer.by.NAME, "agency_name").send_keys("UBND tỉnh Đắk Lắk")
    officer.click(form.find_element(officer.by.CSS_SELECTOR, "button"))
    assert "Đã thực hiện" in officer.find(".flash").text
    form = officer.find("#case-forward")
    form.find_element(officer.by.NAME, "to").send_keys("Thanh tra tỉnh Đắk Lắk")
    form.find_element(officer.by.NAME, "reason").send_keys("Không thuộc thẩm quyền của xã")
    officer.click(form.find_element(officer.by.CSS_SELECTOR, "button"))
    slip = officer.find("#case-notices a:last-child").get_attribute("href")
    officer.open(slip.removeprefix(base))
    assert "PHIẾU CHUYỂN ĐƠN" in officer.find("h1").text.upper()
    officer.shot("case-forwarding-slip")
    officer.open("/staff/cases")
    officer.logout()

    code, reference = _booked_parcel(store, desk)
    officer.login(Role.DESK)
    officer.open(f"/staff/dossiers/{code}")
    assert "Chờ giao bưu điện" in officer.find("#parcels").text
    officer.shot("parcel-booked")
    form = officer.find(f'[id="cancel-{reference}"]')
    form.find_element(officer.by.NAME, "reason").send_keys("Công dân đến nhận tại Bộ phận Một cửa")
    officer.click(form.find_element(officer.by.CSS_SELECTOR, "button"))
    assert "Đã hủy yêu cầu chuyển phát" in officer.find(".flash").text
    assert "Đã hủy yêu cầu chuyển phát" in officer.find("#parcels").text
    officer.shot("parcel-cancelled")
    officer.logout()

    with store.unit_of_work() as uow:
        extended = uow.repository(COMPLAINTS).get(fresh)
        second = uow.repository(COMPLAINTS).get(late)
        parcel = uow.repository(SHIPMENTS).get(reference)
    assert extended is not None
    assert extended.clock is not None
    assert extended.clock.variant is cp.Variant.COMPLEX
    assert second is not None
    assert second.state is cp.CaseState.FORWARDED
    assert second.level is cp.ComplaintLevel.SECOND
    assert parcel is not None
    assert parcel.state is ShipmentState.CANCELLED
    assert all(path.stat().st_size > 5_000 for path in officer.shots[20:])
