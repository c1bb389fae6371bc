"""Zalo photos and files sent while an online filing is open become its documents.

Downloaded by the ``zalo.job`` outbox job (outside the inbox transaction),
checked by :class:`FileCheck`, kept by hash and attached (:func:`answer_file`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._app import NOW
from tests._zalo import body, client, drain, post, run_jobs
from tests.test_desk_filing import _pdf
from tests.test_desk_filing import _photo as _jpeg

from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.documents import FileCheck, FilesystemBlobStore
from tthc_adapters.zalo import PhotoFetcher, PhotoSettings
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_core.desk import Desk, FilingFiles, answer_chat, open_filing
from tthc_core.filing import no_open_filing
from tthc_core.storage import Store

USER = "u-1"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeZaloServer]:
    with FakeZaloServer(clock=lambda: NOW) as server:
        yield server


def _start_birth_filing(store: Store, desk: Desk) -> None:
    """A birth registration filing, its e-form answered: it now asks for documents."""
    with store.unit_of_work() as uow:
        for procedure in sample_catalogue():
            uow.catalogue.put(procedure)
        uow.commit()
    answers = ("nop ho so", "dang ky khai sinh", "Nguyễn Thị Mai", "05/11/2026", "2",
               "Trạm Y tế xã Krông Năng", "Trần Thị Lan", "bỏ qua", "Trần Thị Lan",
               "066203001234", "mẹ", "bỏ qua")  # fmt: skip
    for n, text in enumerate(answers):
        with store.unit_of_work() as uow:
            answer_chat(
                uow, desk, user_id=USER, event_id=f"t-{n}", text=text,
                at=NOW - dt.timedelta(minutes=30 - n),
            )  # fmt: skip
            uow.commit()


def _send(
    store: Store, desk: Desk, files: FilingFiles, url: str, *, msg_id: str, kind: str
) -> list[str]:
    """Send a photo (``user_send_image``) or a file (``user_send_file``); the replies."""
    photos = PhotoFetcher(PhotoSettings(frozenset({"127.0.0.1"}), ("http",)))
    event = "user_send_image" if kind == "image" else "user_send_file"
    message = {"msg_id": msg_id, "attachments": [{"type": kind, "payload": {"url": url}}]}
    post(client(store, desk), body(event, message=message))
    assert drain(store, desk, photos).parked == 0
    run_jobs(store, desk, photos, files=files)
    claimed = store.outbox_queue.claim(owner="t", now=NOW, lease=dt.timedelta(seconds=1), limit=9)
    for c in claimed:
        store.outbox_queue.delivered(c.id, owner="t", now=NOW)
    return [str(c.message.payload["text"]) for c in claimed]


def _documents(store: Store, desk: Desk) -> int:
    with store.unit_of_work() as uow:
        filing = open_filing(uow, desk, USER)
        assert filing is not None
        return len(filing.documents)


def test_a_photo_and_a_pdf_sent_while_filing_are_attached(
    store: Store, desk: Desk, fake: FakeZaloServer, tmp_path: Path
) -> None:
    files = FilingFiles(FileCheck(), FilesystemBlobStore(tmp_path))
    _start_birth_filing(store, desk)
    store.outbox_queue.claim(owner="t", now=NOW, lease=dt.timedelta(days=9), limit=99)  # read
    photo = _jpeg()
    requests = fake.photo_requests
    texts = _send(store, desk, files, fake.host_photo(photo), msg_id="m-1", kind="image")
    assert fake.photo_requests == requests + 1  # downloaded by the job
    assert any("Đã nhận 1 tệp" in t for t in texts), texts
    assert _documents(store, desk) == 1
    assert len(list(tmp_path.rglob("*"))) == 2  # <aa>/<sha256>: kept by hash
    # A PDF labelled as any type by the CDN: the bytes decide.
    pdf_url = fake.host_photo(_pdf(), "application/octet-stream")
    texts = _send(store, desk, files, pdf_url, msg_id="m-2", kind="file")
    assert any("Đã nhận 2 tệp" in t for t in texts), texts
    assert _documents(store, desk) == 2


def test_a_refused_file_is_answered_and_not_kept(
    store: Store, desk: Desk, fake: FakeZaloServer, tmp_path: Path
) -> None:
    files = FilingFiles(FileCheck(), FilesystemBlobStore(tmp_path))
    _start_birth_filing(store, desk)
    store.outbox_queue.claim(owner="t", now=NOW, lease=dt.timedelta(days=9), limit=99)
    exe = fake.host_photo(b"MZ\x90\x00" + bytes(200), "application/octet-stream")
    texts = _send(store, desk, files, exe, msg_id="m-3", kind="file")
    assert any("chương trình máy tính" in t for t in texts), texts
    assert _documents(store, desk) == 0
    assert not list(tmp_path.rglob("*"))


def test_a_file_without_an_open_filing_is_not_downloaded(
    store: Store, desk: Desk, fake: FakeZaloServer, tmp_path: Path
) -> None:
    files = FilingFiles(FileCheck(), FilesystemBlobStore(tmp_path))
    requests = fake.photo_requests
    texts = _send(
        store, desk, files, fake.host_photo(_pdf(), "application/pdf"), msg_id="m-4", kind="file"
    )
    assert texts == [no_open_filing()]
    assert fake.photo_requests == requests
    assert not list(tmp_path.rglob("*"))
