"""``tthc serve`` / ``worker`` with online filing: files directory, payment secret, fee account."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from tests._desk import APPLICANT, LAND, at
from tests.test_desk_filing import _pdf

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.cli import main
from tthc_adapters.cli._online import fee_account_from_env, files_dir, payment_secret_from_env
from tthc_adapters.cli._serve import app_from_environment
from tthc_adapters.cli._service import OPTIONS_ENV, Service, ServiceOptions
from tthc_adapters.documents import FilesystemBlobStore
from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.payments import FakePaymentPlatform
from tthc_core.desk import FeeAccount, act, issue_e_result, receive_dossier, result_link
from tthc_core.dossier import DossierState, HandOver, RequestPayment
from tthc_core.party import ReturnChannel
from tthc_core.storage.kinds import DOSSIERS

SECRET = "payment-secret-0123456789"  # noqa: S105 - a test value


def test_the_files_directory_defaults_beside_the_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "desk.sqlite3"
    assert files_dir(None, str(db), {}) == Path(f"{db}.files")
    assert files_dir(None, "sqlite:///rel.sqlite3", {}) == tmp_path / "rel.sqlite3.files"
    assert files_dir(None, None, {}) == tmp_path / "tthc.sqlite3.files"
    assert files_dir(None, "memory:", {}) == tmp_path / "tthc.files"
    assert files_dir(None, "postgresql://h/db", {}) == tmp_path / "tthc.files"
    chosen = tmp_path / "a" / "b"
    assert files_dir(None, str(db), {"TTHC_FILES_DIR": str(chosen)}) == chosen
    assert files_dir(str(tmp_path / "c"), str(db), {"TTHC_FILES_DIR": str(chosen)}).name == "c"
    assert chosen.is_dir()


def test_payment_secret_and_fee_account_from_env(tmp_path: Path) -> None:
    assert payment_secret_from_env({}) is None
    assert payment_secret_from_env({"TTHC_PAYMENT_SECRET": SECRET}) == SECRET
    file = tmp_path / "secret"
    file.write_text(SECRET + "\n", encoding="utf-8")
    assert payment_secret_from_env({"TTHC_PAYMENT_SECRET_FILE": str(file)}) == SECRET
    assert fee_account_from_env({}) is None
    assert fee_account_from_env({"TTHC_FEE_ACCOUNT": "970403:0123456789"}) == FeeAccount(
        "970403", "0123456789"
    )
    purpose = {"TTHC_FEE_ACCOUNT": "970403:01", "TTHC_FEE_PURPOSE": "Le phi ho tich"}
    assert fee_account_from_env(purpose) == FeeAccount("970403", "01", "Le phi ho tich")


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"TTHC_FEE_ACCOUNT": "0123456789"}, "must be <bank BIN>:<account>"),
        ({"TTHC_FEE_ACCOUNT": "9704:0123456789"}, "must be 6 digits"),
        ({"TTHC_FEE_ACCOUNT": "970403:012-345"}, "1-19 letters or digits"),
        ({"TTHC_FEE_ACCOUNT": "970403:01", "TTHC_FEE_PURPOSE": "Lệ phí"}, "printable ASCII"),
        ({"TTHC_PAYMENT_SECRET": "short"}, "at least 16 characters"),
        ({"TTHC_PAYMENT_SECRET_FILE": "/nonexistent/secret"}, "cannot read"),
        ({"TTHC_PAYMENT_SECRET": SECRET, "TTHC_PAYMENT_SECRET_FILE": "x"}, "not both"),
        ({"TTHC_FILES_DIR": "/proc/tthc-files"}, "cannot create the files directory"),
    ],
)
def test_a_bad_value_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    says: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    db = tmp_path / "tthc.sqlite3"
    for command in ("serve", "worker"):
        assert main([command, "--demo-key", "--db", str(db)]) == 2
        lines = capsys.readouterr().err.splitlines()
        assert len(lines) == 1, lines  # one line, no traceback
        assert lines[0].startswith("tthc: ")
        assert says in lines[0]
        assert not db.exists()  # checked before the store is opened


def test_serves_the_payment_webhook_and_electronic_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = tmp_path / "files"
    environ = {
        "TTHC_PAYMENT_SECRET": SECRET,
        "TTHC_FEE_ACCOUNT": "970403:0123456789",
        "TTHC_FILES_DIR": str(files),
    }
    options = ServiceOptions(db=str(tmp_path / "tthc.sqlite3"), demo_key=True)
    service = Service.open(options, environ)  # what the served process opens too
    try:
        assert service.desk.fee_account == FeeAccount("970403", "0123456789")
        assert service.files is not None
        assert service.blobs == FilesystemBlobStore(files)
        with service.store.unit_of_work() as uow:
            for procedure in DEMO_CATALOGUE:
                uow.catalogue.put(procedure)
            dossier = receive_dossier(
                uow, service.desk, procedure_code=LAND, applicant=APPLICANT,
                at=at(11, 23, 9, 15), return_channel=ReturnChannel.ELECTRONIC,
            )  # fmt: skip
            act(uow, service.desk, dossier.code, HandOver(dossier.steps[0].unit), at=at(11, 23, 10))
            act(uow, service.desk, dossier.code, RequestPayment(8000, "Lệ phí"), at=at(11, 23, 11))
            uow.commit()
        for name, value in {**environ, OPTIONS_ENV: options.to_env()}.items():
            monkeypatch.setenv(name, value)
        code = str(dossier.code)
        with LoopbackServer(app_from_environment()) as server:
            bank = FakePaymentPlatform(f"{server.url}/webhooks/payment", SECRET)
            paid = bank.credit("FT1", 8000, code, at(11, 23, 12))
            forged = FakePaymentPlatform(f"{server.url}/webhooks/payment", "x" * 20).credit(
                "FT2", 8000, code, at(11, 23, 12)
            )
            with service.store.unit_of_work() as uow:
                current = uow.repository(DOSSIERS).get(code)
                assert current is not None
                assert current.state is DossierState.IN_PROCESSING  # paid through the webhook
                for step, day in zip(current.steps[1:], (1, 2), strict=False):
                    act(uow, service.desk, current.code, HandOver(step.unit), at=at(12, day, 9))
                pdf = _pdf()
                blob = service.files.blobs.put(pdf, service.files.check.media_type(pdf))
                result = issue_e_result(
                    uow, service.desk, current.code, blob=blob, result_code="12/GCN",
                    at=at(12, 2, 14),
                )  # fmt: skip
                uow.commit()
            path = "/" + result_link(service.desk, result).split("/", 3)[3]
            got = httpx.get(f"{server.url}{path}")
            wrong = httpx.get(f"{server.url}{path[:-1]}{'0' if path[-1] != '0' else '1'}")
    finally:
        service.close()
    assert (paid.status_code, paid.json()) == (200, {"recorded": True, "outcome": "confirmed"})
    assert forged.status_code == 401
    assert (got.status_code, got.content) == (200, pdf)
    assert got.headers["content-type"] == "application/pdf"
    assert wrong.status_code == 404


def test_with_zalo_the_photo_jobs_get_the_files(tmp_path: Path) -> None:
    from tests.test_zalo_service import ENV

    files = {"TTHC_FILES_DIR": str(tmp_path / "files")}
    service = Service.open(
        ServiceOptions(db=str(tmp_path / "t.sqlite3"), demo_key=True), ENV | files
    )
    try:
        jobs = service.dispatcher._channels["zalo.job"]
        assert jobs._files is service.files is not None
    finally:
        service.close()
