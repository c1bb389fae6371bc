"""The audit trail, outbox, inbox and citizen links of the SQL unit of work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from tthc_core.codes import DossierCode
from tthc_core.links import CitizenLink
from tthc_core.storage import InboundEvent, OutboundMessage, RecordedEvent, decode_event

if TYPE_CHECKING:
    from tthc_adapters.storage._sql import SqlUnitOfWork
    from tthc_core.storage import AggregateKind

__all__ = ["SqlAudit", "SqlInbox", "SqlLinks", "SqlOutbox"]


@attrs.define
class SqlAudit:
    uow: SqlUnitOfWork

    def history(self, kind: AggregateKind[Any], key: str) -> list[RecordedEvent]:
        return self._select("kind = %s AND key = %s", kind.name, key)

    def for_dossier(self, code: DossierCode | str) -> list[RecordedEvent]:
        return self._select("dossier_code = %s", str(code))

    def _select(self, where: str, *params: Any) -> list[RecordedEvent]:
        rows = self.uow.x(
            "SELECT seq, kind, key, version, type, body, actor FROM events"  # noqa: S608
            f" WHERE {where} ORDER BY seq",
            params,
        ).fetchall()
        decode = self.uow.dialect.from_json
        return [
            RecordedEvent(
                int(seq),
                kind,
                key,
                int(version),
                decode_event(self.uow.converter, t, decode(b)),
                actor,
            )
            for seq, kind, key, version, t, b, actor in rows
        ]


@attrs.define
class SqlOutbox:
    uow: SqlUnitOfWork

    def put(self, message: OutboundMessage) -> bool:
        if not _first_here(self.uow, "outbox", message.key):
            return False
        d, now = self.uow.dialect, self.uow.clock()
        cursor = self.uow.w(
            "INSERT INTO outbox (key, channel, payload, created_at, next_attempt_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (key) DO NOTHING",
            (message.key, message.channel, d.json(dict(message.payload)), d.ts(now), d.ts(now)),
            expect=1,
        )
        return bool(cursor.rowcount == 1)


@attrs.define
class SqlInbox:
    uow: SqlUnitOfWork

    def accept(self, event: InboundEvent) -> bool:
        if not _first_here(self.uow, "inbox_events", event.source, event.event_id):
            return False
        d = self.uow.dialect
        cursor = self.uow.w(
            "INSERT INTO inbox_events (source, event_id, payload, raw, received_at,"
            " next_attempt_at) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (source, event_id) DO NOTHING",
            (
                event.source,
                event.event_id,
                d.json(dict(event.payload)),
                event.raw,
                d.ts(event.received_at),
                d.ts(event.received_at),
            ),
            expect=1,
        )
        return bool(cursor.rowcount == 1)

    def record_once(self, source: str, event_id: str) -> bool:
        if not _first_here(self.uow, "inbox", source, event_id):
            return False
        cursor = self.uow.w(
            "INSERT INTO inbox (source, event_id, received_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (source, event_id) DO NOTHING",
            (source, event_id, self.uow.dialect.ts(self.uow.clock())),
            expect=1,
        )
        return bool(cursor.rowcount == 1)


@attrs.define
class SqlLinks:
    uow: SqlUnitOfWork

    def link(self, link: CitizenLink) -> bool:
        cursor = self.uow.w(
            "INSERT INTO citizen_links (channel, user_id, dossier_code, phone, linked_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (channel, user_id, dossier_code) DO NOTHING",
            (
                link.channel,
                link.user_id,
                str(link.dossier_code),
                link.phone,
                self.uow.dialect.ts(link.linked_at),
            ),
        )
        return bool(cursor.rowcount == 1)

    def unlink(self, channel: str, user_id: str, code: DossierCode) -> bool:
        cursor = self.uow.w(
            "DELETE FROM citizen_links WHERE channel = %s AND user_id = %s AND dossier_code = %s",
            (channel, user_id, str(code)),
        )
        return bool(cursor.rowcount == 1)

    def for_user(self, channel: str, user_id: str) -> list[CitizenLink]:
        return self._select("channel = %s AND user_id = %s", channel, user_id)

    def for_dossier(self, code: DossierCode) -> list[CitizenLink]:
        return self._select("dossier_code = %s", str(code))

    def for_phone(self, phone: str) -> list[CitizenLink]:
        return self._select("phone = %s", phone)

    def _select(self, where: str, *params: Any) -> list[CitizenLink]:
        rows = self.uow.x(
            "SELECT channel, user_id, dossier_code, phone, linked_at"  # noqa: S608 - fixed text
            f" FROM citizen_links WHERE {where} ORDER BY linked_at, channel, user_id, dossier_code",
            params,
        ).fetchall()
        from_ts = self.uow.dialect.from_ts
        return [
            CitizenLink(ch, uid, DossierCode.parse(code), from_ts(at), phone)  # type: ignore[arg-type]
            for ch, uid, code, phone, at in rows
        ]


def _first_here(uow: SqlUnitOfWork, table: str, *key: str) -> bool:
    """``False`` if a deferred unit of work already wrote this unique key (the write would not).

    A deferred unit of work predicts that a key written "once" is free in
    the store (checked at commit, :mod:`._sql_deferred`); only its own
    earlier write of the same key is known now.
    """
    if uow.deferred is None:
        return True
    keys = uow.deferred.keys
    if (table, *key) in keys:
        return False
    keys.add((table, *key))
    return True
