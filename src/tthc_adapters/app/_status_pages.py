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
longer than :data:`MAX_AGE` (belt and braces).

The trade-off, ``fresh`` (default :data:`FRESH`, one second): for that long
after a kept page was rendered or found current, it is sent again without
reading the store at all (:meth:`StatusPages.fresh_page`, on the event loop).
A change an officer saves may thus show up to ``fresh`` late on a page opened
again at once — while a busy page (a QR shared in a group chat, a scan) costs
no database round trip — on PostgreSQL the round trip is most of a look-up's
cost. ``fresh=0`` reads the store every time. Nothing but the page is kept:
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
    judge_path,
    present,
    read_dossier,
)
from tthc_core.desk import Desk
from tthc_core.dossier import Dossier
from tthc_core.storage import Store

__all__ = ["FRESH", "MAX_AGE", "Page", "StatusPages", "valid_until"]

#: The longest a rendered page is served again, whatever its dossier's due times.
MAX_AGE = dt.timedelta(seconds=60)
#: How long a kept page is sent again without reading the store (module docstring).
FRESH = dt.timedelta(seconds=1)


@attrs.frozen
class Page:
    """A rendered status page (UTF-8 HTML) and how far it may be served again.

    Args:
        body: The page.
        version: The dossier version it shows.
        until: Served again only before this instant.
        checked: When the store last said ``version`` is current.
    """

    body: bytes
    version: int
    until: dt.datetime
    checked: dt.datetime


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
        fresh: How long a kept page is sent without reading the store.
    """

    def __init__(
        self,
        store: Store,
        desk: Desk,
        render: Callable[[Found], str],
        *,
        size: int = 1024,
        fresh: dt.timedelta = FRESH,
    ) -> None:
        self._store = store
        self._desk = desk
        self._render = render
        self._size = size
        self._fresh = fresh
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple[str, bool], Page] = OrderedDict()

    def fresh_page(self, path: LookupPath, at: dt.datetime) -> bytes | None:
        """A kept page for ``path`` checked less than ``fresh`` before ``at``, else ``None``.

        Reads no store (quick enough for the event loop). A tagged path is
        served only if its tag verifies.
        """
        if not self._fresh:
            return None
        judged = judge_path(self._desk, path)
        if not isinstance(judged, tuple):
            return None
        code, verdict = judged
        with self._lock:
            kept = self._pages.get((str(code), verdict is not None))
        if kept is None or not at < kept.until or not at < kept.checked + self._fresh:
            return None
        return kept.body

    def page(self, path: LookupPath, at: dt.datetime) -> bytes | NotFound | Malformed | Unverified:
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
            self._keep(key, attrs.evolve(kept, checked=max(at, kept.checked)))
            return kept.body
        at = max(at, dossier.last_event_at)
        body = self._render(present(read, at, self._desk.deadlines)).encode("utf-8")
        until = valid_until(dossier, at, details=read.verdict is not None)
        self._keep(key, Page(body, dossier.version, until, at))
        return body

    def _keep(self, key: tuple[str, bool], page: Page) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._pages)
