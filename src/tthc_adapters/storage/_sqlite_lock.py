"""SQLite connections that wait for the write lock by polling it briefly, not by SQLite's back-off.

SQLite's busy handler (``sqlite3.connect(timeout=...)``) sleeps 1, 2, 5, 10,
15, 20, 25, 25, 25, 50, 50 and then 100 ms between tries: fine for a lock held
for seconds, but when another process (``tthc worker`` beside ``tthc serve``)
holds the write lock for a few milliseconds at a time, a waiting webhook
sleeps on long past the moment the lock is free, and the acknowledgement's
latency tail grows to hundreds of milliseconds. Writer connections therefore
take the lock (``BEGIN IMMEDIATE``) in a loop of short sleeps — 0.2 ms
growing to :data:`LONGEST_SLEEP` — until the busy timeout, and have no busy
handler of their own: inside a ``BEGIN IMMEDIATE`` transaction in WAL mode no
statement waits for another connection (the lock is held; commits in WAL
mode and their passive checkpoints never wait).
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

__all__ = ["LONGEST_SLEEP", "PollingConnection"]

#: The longest sleep between tries of the write lock, in seconds.
LONGEST_SLEEP = 0.002
_FIRST_SLEEP = 0.0002


class PollingConnection(sqlite3.Connection):
    """A connection whose ``BEGIN IMMEDIATE`` polls the write lock until :attr:`busy_seconds`.

    Open it with ``sqlite3.connect(..., timeout=0, factory=PollingConnection)``
    and set :attr:`busy_seconds`.
    """

    #: Seconds ``BEGIN IMMEDIATE`` keeps trying before it raises "database is locked".
    busy_seconds: float = 30.0

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        """Run one statement; ``BEGIN IMMEDIATE`` waits for the write lock (module docstring)."""
        if not sql.startswith("BEGIN IMMEDIATE"):
            return super().execute(sql, parameters)
        deadline = time.monotonic() + self.busy_seconds
        pause = _FIRST_SLEEP
        while True:
            try:
                return super().execute(sql, parameters)
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, LONGEST_SLEEP)
