"""The typed errors of the storage ports."""

from __future__ import annotations

from tthc_core.errors import TthcError

__all__ = ["ConcurrencyConflict"]


class ConcurrencyConflict(TthcError):  # noqa: N818 - reads best at call sites
    """A write based on a stale read: someone else changed the aggregate first.

    Two officers acting on the same dossier at once must not overwrite each
    other (optimistic concurrency): every aggregate carries the ``version`` it
    was read at, and a save succeeds only if the store still holds that
    version. The loser reloads and applies the action again, or tells the
    officer what changed.

    Args:
        kind: The aggregate kind (``"dossier"``, ``"complaint"``...).
        key: The aggregate's key (a dossier code...).
        expected: The version the writer read (0 for a new aggregate).
        actual: The version the store holds (``None`` if it holds none).
    """

    def __init__(self, kind: str, key: str, *, expected: int, actual: int | None) -> None:
        if expected == 0:
            reason = (
                f"{kind} {key} already exists (version {actual}): it was created by "
                "someone else; load it instead of creating it again"
            )
        elif actual is None:
            reason = f"{kind} {key} does not exist in the store; it cannot be updated"
        else:
            reason = (
                f"{kind} {key} changed since it was read: you read version {expected}, "
                f"the store holds version {actual}; reload it and apply the action again"
            )
        super().__init__(reason)
        self.kind = kind
        self.key = key
        self.expected = expected
        self.actual = actual
