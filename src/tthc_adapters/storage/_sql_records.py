"""Catalogue and dossier-code sequences of the SQL unit of work."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from tthc_core.catalogue import Procedure
from tthc_core.codes import AgencyCode, ProcedureCode
from tthc_core.errors import DomainRuleViolation

if TYPE_CHECKING:
    from tthc_adapters.storage._sql import SqlUnitOfWork

__all__ = ["SqlCatalogue", "SqlSequences", "check_sequence"]

_MAX_SEQUENCE = 9999


@attrs.define
class SqlCatalogue:
    """The procedure catalogue in the ``procedures`` table."""

    uow: SqlUnitOfWork

    def put(self, procedure: Procedure) -> None:
        body = self.uow.dialect.json(self.uow.converter.unstructure(procedure))
        self.uow.w(
            "INSERT INTO procedures (code, body) VALUES (%s, %s)"
            " ON CONFLICT (code) DO UPDATE SET body = excluded.body",
            (str(procedure.code), body),
        )

    def get(self, code: ProcedureCode | str) -> Procedure | None:
        row = self.uow.x("SELECT body FROM procedures WHERE code = %s", (str(code),)).fetchone()
        return None if row is None else self._decode(row[0])

    def all(self) -> list[Procedure]:
        rows = self.uow.x("SELECT body FROM procedures ORDER BY code").fetchall()
        return [self._decode(row[0]) for row in rows]

    def _decode(self, body: Any) -> Procedure:
        return self.uow.converter.structure(self.uow.dialect.from_json(body), Procedure)


@attrs.define
class SqlSequences:
    """The daily dossier-code sequences in the ``sequences`` table."""

    uow: SqlUnitOfWork

    def next_sequence(self, agency: AgencyCode, day: dt.date) -> int:
        row = self.uow.w(
            "INSERT INTO sequences (agency, day, last) VALUES (%s, %s, 1)"
            " ON CONFLICT (agency, day) DO UPDATE SET last = sequences.last + 1 RETURNING last",
            (agency.value, self.uow.dialect.day(day)),
        ).fetchone()
        return check_sequence(agency, day, int(row[0]))


def check_sequence(agency: AgencyCode, day: dt.date, number: int) -> int:
    """``number`` if it fits the 4-digit sequence of a dossier code.

    Raises:
        DomainRuleViolation: On the 10,000th dossier of a day at one agency.
    """
    if number > _MAX_SEQUENCE:
        raise DomainRuleViolation(
            f"agency {agency} has already received {_MAX_SEQUENCE} dossiers on "
            f"{day.isoformat()}: the 4-digit daily sequence is exhausted",
            rule="Circular 01/2018/TT-VPCP Art. 19",
        )
    return number
