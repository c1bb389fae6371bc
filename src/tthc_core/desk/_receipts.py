"""The receipt (Mẫu 01) of a stored dossier."""

from __future__ import annotations

from tthc_core.catalogue import Procedure
from tthc_core.desk._config import Desk
from tthc_core.dossier import Dossier
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import ReturnChannel
from tthc_core.receipt import LogBookEntry, Receipt, ReceivingAgency, issue_receipt

__all__ = ["receipt_for"]


def receipt_for(
    desk: Desk, dossier: Dossier, procedure: Procedure, *, log_book: LogBookEntry, officer: str
) -> Receipt:
    """The Giấy tiếp nhận hồ sơ và hẹn trả kết quả of a received dossier.

    Decree 61/2018 Art. 17(1c): the receipt is issued for a received, complete
    dossier; its due time is the dossier's.

    Args:
        desk: The desk.
        dossier: The received dossier.
        procedure: Its catalogue entry.
        log_book: Where it is entered in the Sổ theo dõi hồ sơ.
        officer: The receiving officer.

    Raises:
        DomainRuleViolation: If the dossier was not received.
        InvalidInput: If ``procedure`` is not the dossier's.
    """
    if dossier.received_at is None:
        raise DomainRuleViolation(
            f"dossier {dossier.code} was not received; a receipt is issued only on receipt",
            rule="Decree 61/2018/NĐ-CP Art. 17(1c)",
        )
    if procedure.code != dossier.procedure_code:
        raise InvalidInput(
            f"procedure {procedure.code} is not dossier {dossier.code}'s ({dossier.procedure_code})"
        )
    return issue_receipt(
        agency=ReceivingAgency(desk.agency, desk.agency_name, desk_name=desk.unit),
        dossier_code=dossier.code,
        applicant=dossier.applicant,
        procedure=procedure,
        received_at=dossier.received_at,
        deadlines=desk.deadlines,
        log_book=log_book,
        officer=officer,
        return_channel=dossier.return_channel,
        # Mẫu 01 item 6 prints the registered channel; an address kept on file for a
        # desk return is not printed.
        postal_address=(
            dossier.postal_address if dossier.return_channel is ReturnChannel.POSTAL else None
        ),
    )
