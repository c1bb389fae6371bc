"""Files over 46 KiB through the generic chat webhook: sent by link, downloaded by an outbox job.

The webhook's body holds 64 KiB (``"file"`` as base64: at most 46 KiB); a
document of up to the filing's 10 MB comes as ``"file_url"``. Over real
loopback HTTP: the webhook records the event, the inbox handler queues a
``chat.file`` job (or answers at once when no filing is open), the outbox job
downloads the file with no transaction open, checks, keeps and attaches it.
A file over 10 MB (declared or streamed), a link the host refuses, a host not
allowed: a clear Vietnamese answer or a parked job, and nothing stored.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from fpdf import FPDF
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from tests._app import CHAT_SECRET
from tests.test_filing_e2e import BIRTH_ANSWERS, World, _ms

from tthc_adapters.bootstrap import Dispatcher
from tthc_adapters.chat_files import (
    FILE_JOB_CHANNEL,
    NOT_TAKEN,
    UNAVAILABLE,
    FileDownloads,
    FileFetcher,
    FileFetchSettings,
)
from tthc_adapters.cli._online import chat_file_channels
from tthc_adapters.documents import FileCheck
from tthc_adapters.loopback import LoopbackServer
from tthc_core.desk import FilingFiles, open_filing
from tthc_core.errors import InvalidInput
from tthc_core.filing import no_open_filing
from tthc_core.storage import drain_inbox, drain_outbox

_MB = 1024 * 1024


def _big_pdf(at_least: int, seed: int = 7) -> bytes:
    """A readable PDF of at least ``at_least`` bytes (pages of incompressible photos)."""
    rng = np.random.default_rng(seed)
    pdf = FPDF()
    size = 0
    while size < at_least:
        noise = Image.fromarray(rng.integers(0, 256, (1300, 1300, 3), dtype=np.uint8))
        jpeg = io.BytesIO()
        noise.save(jpeg, "JPEG", quality=95)
        size += len(jpeg.getvalue())
        pdf.add_page()
        pdf.image(io.BytesIO(jpeg.getvalue()), x=10, y=10, w=180)
    return bytes(pdf.output())


class FileHost:
    """The chat platform's file host: serves files, with or without a declared length."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requests = 0

        async def serve(request: Request) -> Response:
            self.requests += 1
            name = request.path_params["name"]
            if name.startswith("redirect-"):  # to anywhere: not followed
                return RedirectResponse("http://169.254.169.254/latest/meta-data", 302)
            if name not in self.files:
                return Response(status_code=404)
            data = self.files[name]
            if name.startswith("stream-"):  # chunked: no Content-Length
                chunks = (data[i : i + _MB] for i in range(0, len(data), _MB))
                return StreamingResponse(chunks, media_type="application/octet-stream")
            return Response(data, media_type="application/octet-stream")

        self.app = Starlette(routes=[Route("/f/{name}", serve)])


@pytest.fixture(scope="module")
def host() -> Iterator[tuple[FileHost, str]]:
    files = FileHost()
    with LoopbackServer(files.app) as server:
        yield files, server.url


class Chat:
    """The citizen's chat over the generic webhook, and the workers with the download job."""

    def __init__(self, w: World, url: str, fetcher: FileFetcher | None) -> None:
        self.w, self.url = w, url
        files = FilingFiles(FileCheck(), w.blobs)
        self.downloads = FileDownloads(w.store, w.desk, files, fetcher)
        self.sent: list[str] = []
        self.parked: int = 0

        def chat(_: str, user_id: str, text: str) -> None:
            if user_id == "u1":
                self.sent.append(text)

        self.dispatcher = Dispatcher(
            chat=chat, postal=None, channels={FILE_JOB_CHANNEL: self.downloads}
        )

    def post(self, **body: Any) -> httpx.Response:
        self.w.n += 1
        self.w.tick()
        event = {"event_id": f"e{self.w.n}", "user_id": "u1", "timestamp": _ms(self.w.now), **body}
        return httpx.post(
            f"{self.url}/webhooks/chat", json=event,
            headers={"authorization": f"Bearer {CHAT_SECRET}"}, timeout=10,
        )  # fmt: skip

    def send(self, **body: Any) -> list[str]:
        """One event through the webhook; both workers run until quiet; the replies."""
        got = self.post(**body)
        assert got.status_code == 200, got.text
        before = len(self.sent)
        clock = lambda: self.w.now + dt.timedelta(hours=1)  # noqa: E731 - due at once
        assert drain_inbox(
            self.w.store.inbox_queue, self.w.store.unit_of_work, self.w.handlers,
            owner="w", clock=clock,
        ).parked == 0  # fmt: skip
        for _ in range(3):  # the job's replies go out on the next round
            report = drain_outbox(
                self.w.store.outbox_queue, self.dispatcher, owner="w", clock=clock
            )
            self.parked += report.parked
        return self.sent[before:]

    def say(self, text: str) -> list[str]:
        return self.send(text=text)

    def documents(self) -> int:
        with self.w.store.unit_of_work() as uow:
            filing = open_filing(uow, self.w.desk, "u1")
        assert filing is not None
        return len(filing.documents)

    def stored(self) -> list[Path]:
        """The files kept (``<root>/<aa>/<sha256>``)."""
        return [p for p in self.w.blobs.root.rglob("*") if p.is_file()]


def _at_documents(chat: Chat) -> None:
    """A birth registration filing whose e-form is answered: it now asks for documents."""
    chat.say("nộp hồ sơ đăng ký khai sinh")
    for answer in BIRTH_ANSWERS:
        chat.say(answer)


def _world(tmp_path: Path) -> World:
    return World(tmp_path)


def _allowed() -> FileFetcher:
    return FileFetcher(FileFetchSettings(frozenset({"127.0.0.1"}), allowed_schemes=("http",)))


def test_a_5_mb_pdf_sent_by_link_is_downloaded_checked_and_attached(
    tmp_path: Path, host: tuple[FileHost, str]
) -> None:
    files, base = host
    pdf = _big_pdf(5 * _MB)
    assert len(pdf) >= 5 * _MB
    files.files["giay-chung-sinh.pdf"] = pdf
    files.files["stream-trang-2.pdf"] = _big_pdf(5 * _MB, seed=8)
    w = _world(tmp_path)
    with LoopbackServer(w.app) as server:
        chat = Chat(w, server.url, _allowed())
        _at_documents(chat)
        replies = chat.send(file_url=f"{base}/f/giay-chung-sinh.pdf")
        assert any("Đã nhận 1 tệp" in t for t in replies), replies
        assert chat.documents() == 1
        (kept,) = chat.stored()
        assert kept.read_bytes() == pdf
        # Another streamed without a declared length (chunked), then the first again.
        replies = chat.send(file_url=f"{base}/f/stream-trang-2.pdf")
        assert any("Đã nhận 2 tệp" in t for t in replies), replies
        chat.send(file_url=f"{base}/f/giay-chung-sinh.pdf")
        assert chat.documents() == 2  # the same file twice is kept once
        assert len(chat.stored()) == 2
    assert chat.parked == 0


@pytest.mark.parametrize("name", ["qua-lon.pdf", "stream-qua-lon.pdf"])
def test_a_file_over_10_mb_is_answered_in_vietnamese_and_nothing_is_stored(
    tmp_path: Path, host: tuple[FileHost, str], name: str
) -> None:
    files, base = host
    files.files[name] = b"%PDF-1.4\n" + bytes(10 * _MB)
    w = _world(tmp_path)
    with LoopbackServer(w.app) as server:
        chat = Chat(w, server.url, _allowed())
        _at_documents(chat)
        (answer,) = chat.send(file_url=f"{base}/f/{name}")
        assert answer.startswith("Tệp lớn quá 10 MB.")
        assert chat.documents() == 0
        assert chat.stored() == []
        # Redelivered by the platform: recorded once, answered once.
        again = chat.post(event_id=f"e{w.n}", file_url=f"{base}/f/{name}")
        assert again.json()["duplicate"] is True


@pytest.mark.parametrize("name", ["het-han.pdf", "redirect-a.pdf"])
def test_a_link_the_host_refuses_or_redirects_asks_to_send_it_again(
    tmp_path: Path, host: tuple[FileHost, str], name: str
) -> None:
    _, base = host
    w = _world(tmp_path)
    with LoopbackServer(w.app) as server:
        chat = Chat(w, server.url, _allowed())
        _at_documents(chat)
        assert chat.send(file_url=f"{base}/f/{name}") == [UNAVAILABLE]
        assert chat.documents() == 0
    assert chat.parked == 0


def test_a_host_not_allowed_is_parked_unfetched(tmp_path: Path, host: tuple[FileHost, str]) -> None:
    files, base = host
    files.files["a.pdf"] = b"%PDF-1.4\n"
    elsewhere = FileFetcher(FileFetchSettings(frozenset({"files.example.vn"})))
    w = _world(tmp_path)
    requests = files.requests
    with LoopbackServer(w.app) as server:
        chat = Chat(w, server.url, elsewhere)
        _at_documents(chat)
        assert chat.send(file_url=f"{base}/f/a.pdf") == []
    assert chat.parked == 1
    assert files.requests == requests
    assert chat.stored() == []


def test_no_open_filing_no_download_and_no_fetcher_a_clear_answer(
    tmp_path: Path, host: tuple[FileHost, str]
) -> None:
    files, base = host
    files.files["b.pdf"] = b"%PDF-1.4\n"
    requests = files.requests
    w = _world(tmp_path)
    with LoopbackServer(w.app) as server:
        chat = Chat(w, server.url, _allowed())
        assert chat.send(file_url=f"{base}/f/b.pdf") == [no_open_filing()]
        assert files.requests == requests
        unconfigured = Chat(w, server.url, None)
        _at_documents(unconfigured)
        assert unconfigured.send(file_url=f"{base}/f/b.pdf") == [NOT_TAKEN]
        assert files.requests == requests


@pytest.mark.parametrize(
    "body",
    [
        {"file_url": "ftp://files.example.vn/a.pdf"},
        {"file_url": "files.example.vn/a.pdf"},
        {"file_url": "https://" + "a" * 2100 + ".vn/x"},
        {"file_url": 7},
        {"file_url": "https://files.example.vn/a.pdf", "file": "JVBERi0="},
    ],
)
def test_the_webhook_refuses_bad_links(tmp_path: Path, body: dict[str, Any]) -> None:
    from starlette.testclient import TestClient

    w = _world(tmp_path)
    event = {"event_id": "x", "user_id": "u1", "timestamp": _ms(w.now), **body}
    got = TestClient(w.app).post(
        "/webhooks/chat", json=event, headers={"authorization": f"Bearer {CHAT_SECRET}"}
    )
    assert got.status_code == 400
    assert "file" in got.text


def test_serve_reads_the_allowed_hosts(tmp_path: Path) -> None:
    w = _world(tmp_path)
    files = FilingFiles(FileCheck(), w.blobs)
    assert chat_file_channels(w.store, w.desk, None, {}) == {}
    (downloads,) = chat_file_channels(w.store, w.desk, files, {}).values()
    assert isinstance(downloads, FileDownloads)
    with pytest.raises(InvalidInput, match="TTHC_CHAT_FILE_HOSTS"):
        chat_file_channels(w.store, w.desk, files, {"TTHC_CHAT_FILE_HOSTS": " , "})
    assert chat_file_channels(w.store, w.desk, files, {"TTHC_CHAT_FILE_HOSTS": "files.example.vn"})
