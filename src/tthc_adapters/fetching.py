"""Downloading what a chat platform links to (a citizen's photo or file), and attaching it.

The link comes from an inbound event, so it is checked before anything is
fetched: only the allowed schemes and hosts (exact match), no credentials
in it, no redirects followed (a redirect could lead anywhere). The body is
streamed and dropped at the limit; a declared ``Content-Length`` over it is
refused before reading. Shared by Zalo's photos (:mod:`tthc_adapters.zalo`)
and the generic chat webhook's file links (:mod:`tthc_adapters.chat_files`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from tthc_core.desk import Desk, FilingFiles, answer_file
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store, UnitOfWork

if TYPE_CHECKING:  # httpx (the postal or zalo extra) is needed only to download
    import httpx

__all__ = ["LinkFetcher", "LinkSettings", "attach_or_answer", "read_limited"]


class LinkSettings(Protocol):
    """Where links may point, and how long a download may take."""

    @property
    def allowed_hosts(self) -> frozenset[str]:
        """Host names fetched from (exact match)."""
        ...

    @property
    def allowed_schemes(self) -> tuple[str, ...]:
        """``("https",)`` in production."""
        ...

    @property
    def timeout(self) -> float:
        """Seconds per download."""
        ...


S = TypeVar("S", bound=LinkSettings)


class LinkFetcher(Generic[S]):
    """Checks links against ``settings`` and holds the HTTP client (no redirects followed).

    Subclasses name what they fetch (:attr:`what`) and the error a refused
    link raises (:attr:`refused`).
    """

    what = "file"
    refused: type[InvalidInput] = InvalidInput

    def __init__(self, settings: S, http: httpx.Client | None = None) -> None:
        import httpx

        self.settings = settings
        self._http = http or httpx.Client(timeout=settings.timeout, follow_redirects=False)

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()

    def check(self, url: str) -> None:
        """Refuse a link outside the allowed schemes and hosts, or carrying credentials.

        Raises:
            InvalidInput: (:attr:`refused`) naming what is not allowed.
        """
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
        except ValueError:
            raise self.refused(f"the {self.what} URL is malformed") from None
        if parts.scheme not in self.settings.allowed_schemes:
            raise self.refused(f"{self.what} URLs must use {self.settings.allowed_schemes}")
        if host not in self.settings.allowed_hosts or parts.username or parts.password:
            raise self.refused(f"{self.what}s are not fetched from host {host!r}")


def read_limited(
    response: httpx.Response, limit: int, too_large: Callable[[int], Exception]
) -> bytes:
    """The streamed body, at most ``limit`` bytes; ``too_large(size)`` is raised past it."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(int(declared))
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise too_large(size)
        chunks.append(chunk)
    return b"".join(chunks)


def attach_or_answer(
    store: Store,
    desk: Desk,
    files: FilingFiles,
    *,
    event_id: str,
    user_id: str,
    at: dt.datetime,
    data: bytes | None,
    otherwise: Callable[[UnitOfWork], None],
) -> None:
    """In one short unit of work: attach the downloaded ``data``, or answer ``otherwise``."""
    with store.unit_of_work() as uow:
        if data is None:
            otherwise(uow)
        else:
            answer_file(uow, desk, files, user_id=user_id, event_id=event_id, data=data, at=at)
        uow.commit()
