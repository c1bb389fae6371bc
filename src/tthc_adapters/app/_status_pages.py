"""Rendered status pages, kept per dossier version until the page could read differently.

A status page is opened again and again (the receipt QR, a citizen checking
back, a chat link), and rendering it costs more than reading the dossier. So
each request still reads the dossier — one indexed read on the read-only unit
of work, its decoded body reused by the store — and, if the page rendered last
time was for the same committed version, sends that page again.

When is a kept page still right? A committed ``(code, version)`` never changes
(every change saves a new version), so the page differs only through the
look-up time: timeliness (Trong hạn → Quá hạn) turns at the dossier's due time
and, on a verified QR page, at each control-sheet step's due time (Circular
01/2018/TT-VPCP Art. 13; :meth:`Dossier.timeliness`). A kept page therefore
serves only before the first of those instants after it was rendered, and never
longer than :data:`MAX_AGE` (belt and braces). Nothing but the page is kept:
not found, malformed and unverified answers are built each time, so an unknown
code and a tag that does not verify answer as before (:mod:`._lookup`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable

import attrs

from tthc_adapters.app._lookup import (
    Found,
    LookupPath,
    Malformed,
    NotFound,
    Stored,
    Unverified,
    present,
    read_dossier,
)
from tthc_core.desk import Desk
from tthc_core.dossier import Dossier
from tthc_core.storage import Store

__all__ = ["MAX_AGE", "Page", "StatusPages"]

#: The longest a rendered page is served again, whatever its dossier's due times.
MAX_AGE = dt.timedelta(seconds=60)


@attrs.frozen
class Page:
    """A rendered status page (UTF-8 HTML) and how far it may be served again.

    Args:
        body: The page.
        version: The dossier version it shows.
        until: Served again only before this instant.
    """

    body: bytes
    version: int
    until: dt.datetime


def valid_until(dossier: Dossier, at: dt.datetime, *, details: bool) -> dt.datetime:
    """The first instant after ``at`` at which ``dossier``'s page could read differently.

    Args:
        dossier: The dossier shown.
        at: When the page was rendered.
        details: Whether the page shows the control sheet (a verified QR).
    """
    turns = [at + MAX_AGE]
    if dossier.due_at is not None:
        turns.append(dossier.due_at)
    if details:
        turns.extend(entry.due_at for entry in dossier.sheet.entries)
    return min(t for t in turns if t > at)  # at + MAX_AGE is always later


class StatusPages:
    """Status pages for paths, each rendered page kept per ``(code, verified)`` (module docstring).

    Args:
        store: The store (read-only units of work).
        desk: The desk (codec, keys, calendar).
        render: Renders a found dossier's page (:func:`._html.status_page`).
        size: The most pages kept (least recently used go first).
    """

    def __init__(
        self, store: Store, desk: Desk, render: Callable[[Found], str], *, size: int = 1024
    ) -> None:
        self._store = store
        self._desk = desk
        self._render = render
        self._size = size
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple[str, bool], Page] = OrderedDict()

    def page(
        self, path: LookupPath, at: dt.datetime
    ) -> bytes | NotFound | Malformed | Unverified:
        """The page for ``path`` at ``at``, or what the look-up found instead of a dossier.

        Blocking (one read of the store): run it off the event loop.
        """
        read = read_dossier(self._store, self._desk, path)
        if not isinstance(read, Stored):
            return read
        dossier = read.dossier
        key = (str(dossier.code), read.verdict is not None)
        with self._lock:
            kept = self._pages.get(key)
        if kept is not None and kept.version == dossier.version and at < kept.until:
            return kept.body
        at = max(at, dossier.last_event_at)
        body = self._render(present(read, at, self._desk.deadlines)).encode("utf-8")
        until = valid_until(dossier, at, details=read.verdict is not None)
        with self._lock:
            self._pages[key] = Page(body, dossier.version, until)
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)
        return body

    def __len__(self) -> int:
        with self._lock:
            return len(self._pages)
