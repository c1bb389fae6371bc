"""Files the generic chat webhook carries by link (``"file_url"``), downloaded by an outbox job.

The generic webhook's body holds 64 KiB, so a file carried in it as base64
(``"file"``) is at most 46 KiB — too small for a scanned document (a
filing accepts files up to 10 MB, :class:`~tthc_adapters.documents.FileCheck`).
Chat platforms hand attachments over as links, so the webhook also takes
``"file_url"``: an ``http(s)`` link to the file on the platform's file host.
As with Zalo's photos, nothing is downloaded while the webhook answers or
while the inbox worker's transaction is open:

1. the inbox handler (:func:`queue_download`) answers "no filing is open"
   at once, or queues a ``file`` job on channel :data:`FILE_JOB_CHANNEL`
   (same transaction, keyed by the event: queued once);
2. the outbox worker runs it (:class:`FileDownloads`, no transaction open):
   the link is checked (scheme and host allowed, :class:`FileFetchSettings`,
   no redirects), the file streamed and dropped past ``max_bytes`` (its
   declared ``Content-Length`` is refused before reading), then checked,
   kept by hash and attached in one short unit of work
   (:func:`tthc_core.desk.answer_file`, the filing looked up again there).

A file over the limit, or a link that answers ``4xx``, gets a Vietnamese
answer and nothing is stored; a link to a host not allowed is parked for a
person (configuration, or an attack); a network failure or ``5xx`` is retried
with the outbox's back-off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

import attrs

from tthc_adapters.fetching import LinkFetcher, attach_or_answer, read_limited
from tthc_core.conversation import Text
from tthc_core.desk import Desk, FilingFiles, awaits_file, queue_replies
from tthc_core.errors import InvalidInput
from tthc_core.filing import DocumentRejected, no_open_filing
from tthc_core.storage import OutboundMessage, Store, Undeliverable, UnitOfWork

__all__ = [
    "FILE_JOB_CHANNEL",
    "FileDownloads",
    "FileFetchSettings",
    "FileFetcher",
    "FileUnavailable",
    "FileUrlRefused",
    "queue_download",
]

#: The outbox channel of download jobs.
FILE_JOB_CHANNEL = "chat.file"
_MB = 1024 * 1024
_MAX_KEY = 200


class FileUrlRefused(InvalidInput):
    """The link is not one we fetch (scheme or host not allowed, malformed)."""


class FileUnavailable(InvalidInput):
    """The file host refused the link (``4xx``): the citizen should send it again."""


@attrs.frozen
class FileFetchSettings:
    """Limits on downloading files sent by link.

    Args:
        allowed_hosts: Host names files may come from (exact match): the chat
            platform's file hosts.
        allowed_schemes: ``("https",)`` in production.
        max_bytes: Largest file read (the filing's limit, 10 MB).
        timeout: Seconds per download.
    """

    allowed_hosts: frozenset[str]
    allowed_schemes: tuple[str, ...] = ("https",)
    max_bytes: int = 10 * _MB
    timeout: float = 30.0


class FileFetcher(LinkFetcher[FileFetchSettings]):
    """Downloads files within :class:`FileFetchSettings` (a link fetcher)."""

    what = "file"
    refused = FileUrlRefused

    def fetch(self, url: str) -> bytes:
        """The file at ``url``, at most ``max_bytes``.

        Raises:
            FileUrlRefused: The link is not allowed.
            DocumentRejected: The file is larger than ``max_bytes`` (declared or read).
            FileUnavailable: The host answered ``4xx`` or a redirect.
            httpx.HTTPError: A network failure or ``5xx`` (worth a retry).
        """
        from tthc_adapters.documents import too_large

        self.check(url)
        limit = self.settings.max_bytes
        with self._http.stream("GET", url) as response:
            if response.is_redirect:
                raise FileUnavailable("the file link redirects elsewhere (not followed)")
            if 400 <= response.status_code < 500:
                raise FileUnavailable(f"the file link answered HTTP {response.status_code}")
            response.raise_for_status()
            return read_limited(response, limit, lambda size: too_large(size, limit))


def _job_key(event_id: str) -> str:
    key = f"job:file:{event_id}"
    if len(key) > _MAX_KEY:
        key = f"job:file:h{hashlib.sha256(event_id.encode('utf-8')).hexdigest()}"
    return key


def _reply(uow: UnitOfWork, desk: Desk, event_id: str, user_id: str, text: str) -> None:
    """Answer the event once (the inbox records it), with one text."""
    if uow.inbox.record_once(desk.chat_channel, event_id):
        key = f"reply:{desk.chat_channel}:{event_id}"
        queue_replies(uow, desk.chat_channel, user_id, key, [Text(text)])


def queue_download(
    uow: UnitOfWork, desk: Desk, *, event_id: str, user_id: str, url: str, at: dt.datetime
) -> None:
    """The inbox handler's part: answer at once without an open filing, else queue the job."""
    if not awaits_file(uow, desk, user_id):
        _reply(uow, desk, event_id, user_id, no_open_filing())  # nothing is downloaded
        return
    payload = {"job": "file", "event_id": event_id, "user_id": user_id, "url": url,
               "received_at": at.isoformat()}  # fmt: skip
    uow.outbox.put(OutboundMessage(_job_key(event_id), FILE_JOB_CHANNEL, payload))


#: The answer when the file host refuses the link.
UNAVAILABLE = (
    "Không tải được tệp ông/bà gửi (đường dẫn đã hết hạn hoặc không mở được). Xin gửi lại tệp."
)
#: The answer when this service downloads no files by link.
NOT_TAKEN = (
    "Kênh chat này chưa nhận tệp gửi qua đường dẫn. Xin gửi ảnh chụp nhỏ hơn, "
    "hoặc nộp giấy tờ tại Bộ phận Một cửa."
)


class FileDownloads:
    """The outbox sender of channel :data:`FILE_JOB_CHANNEL` (see the module docstring).

    Args:
        store: The store (one short unit of work per file).
        desk: The desk.
        files: Where filing documents are checked and kept.
        fetcher: Downloads files (``None``: every file sent by link is
            answered with :data:`NOT_TAKEN`).
    """

    def __init__(
        self, store: Store, desk: Desk, files: FilingFiles, fetcher: FileFetcher | None
    ) -> None:
        self._store, self._desk, self._files, self._fetcher = store, desk, files, fetcher

    def __call__(self, message: OutboundMessage) -> None:
        """Run one download job.

        Raises:
            Undeliverable: The link is not allowed (parked with the reason).
            Exception: Anything else is retried with the outbox's back-off.
        """
        payload: Mapping[str, Any] = message.payload
        if payload.get("job") != "file":
            raise Undeliverable(f"unknown chat file job {payload.get('job')!r}")
        event_id, user_id = str(payload["event_id"]), str(payload["user_id"])
        at = dt.datetime.fromisoformat(str(payload["received_at"]))
        data, answer = None, NOT_TAKEN
        if self._fetcher is not None:
            try:  # no transaction is open during the download
                data = self._fetcher.fetch(str(payload["url"]))
            except FileUrlRefused as exc:  # configuration, or an attack: a person looks
                raise Undeliverable(f"{type(exc).__name__}: {exc.reason}") from exc
            except FileUnavailable:
                answer = UNAVAILABLE
            except DocumentRejected as exc:  # too large: the check's own sentence
                answer = exc.reason_vi
        attach_or_answer(
            self._store, self._desk, self._files, event_id=event_id, user_id=user_id, at=at,
            data=data, otherwise=lambda uow: _reply(uow, self._desk, event_id, user_id, answer),
        )  # fmt: skip
