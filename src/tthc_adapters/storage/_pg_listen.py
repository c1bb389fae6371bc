"""Waking inbox workers from PostgreSQL: LISTEN for the inbox's NOTIFY (migration 0008).

Each statement adding inbound events notifies channel ``tthc_inbox`` with its
schema's name. :func:`listen_inbox` holds one connection of its own LISTENing
and sets the worker's wake event for every notification about its schema, so
an event accepted by ``tthc serve`` is answered by ``tthc worker`` at once,
not at the next poll. A lost connection is opened again after a pause (and
the worker woken, for what came meanwhile); the worker's polling goes on
throughout, so nothing depends on a notification arriving.
"""

from __future__ import annotations

import logging
import threading

import psycopg

__all__ = ["CHANNEL", "listen_inbox"]

logger = logging.getLogger("tthc.storage")

#: The channel accepted inbound events notify (migration 0008).
CHANNEL = "tthc_inbox"
#: Seconds between checks of ``stop`` while listening.
_TICK = 0.5


def listen_inbox(
    dsn: str, schema: str, wake: threading.Event, stop: threading.Event, *, retry: float = 1.0
) -> None:
    """Set ``wake`` whenever events are accepted into ``schema``'s inbox, until ``stop`` is set.

    Args:
        dsn: The database.
        schema: The store's schema (notifications of other schemas are ignored).
        wake: The inbox worker's wake event.
        stop: Ends the listening (within half a second).
        retry: Seconds before opening a lost connection again.
    """
    while not stop.is_set():
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                wake.set()  # anything accepted while nobody listened
                while not stop.is_set():
                    for note in conn.notifies(timeout=_TICK):
                        if note.payload == schema:
                            wake.set()
        except psycopg.Error as exc:
            logger.warning("inbox LISTEN connection lost (%s); polling meanwhile", exc)
            stop.wait(retry)
