"""The citizen's choice of how the result comes back (hình thức nhận kết quả).

Rules encoded here:

* The applicant chooses at intake (Mẫu 01 item 6, Circular 01/2018 Art. 9) or
  when the result is ready, and may change the choice until the result is
  dispatched (handed to the postal worker).
* Postal return is available for every procedure except those the authority
  lists as excluded (Decision 45/2016/QĐ-TTg Art. 1(2), 13, 18); the catalogue
  says so in :attr:`tthc_core.catalogue.Procedure.postal_return`.
* An electronic result is issued only by full-online (toàn trình) procedures
  (Decree 42/2022/NĐ-CP; Decree 45/2020/NĐ-CP on electronic results).
* The result is handed to the applicant or to a person they authorise, whose
  identity or authorisation the postal worker checks (Decision 45/2016 Art. 10).
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from tthc_core.calendar import to_local
from tthc_core.catalogue import OnlineLevel, Procedure
from tthc_core.delivery._units import AdministrativeUnits, ResolvedAddress, resolve_address
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import PostalAddress, ReturnChannel
from tthc_core.text import fold, nfc

__all__ = ["ChoiceMoment", "ReturnChoice", "choose_return"]


class ChoiceMoment(enum.Enum):
    """When the choice was made."""

    INTAKE = "intake"  # Mẫu 01 item 6, at the desk or online
    RESULT_READY = "result_ready"  # on the result-ready notice
    AFTER_RETURNED_PARCEL = "after_returned_parcel"  # the parcel came back (QĐ 45/2016 Art. 10)


def _optional_name(value: str | None) -> str | None:
    if value is None:
        return None
    value = nfc(value).strip()
    if not value:
        raise InvalidInput("an authorised person's name must not be blank")
    return value


@attrs.frozen
class ReturnChoice:
    """The applicant's validated return choice.

    Build it with :func:`choose_return`, which checks the procedure's rules.

    Args:
        channel: Desk, postal or electronic.
        chosen_at: When the applicant chose (aware).
        moment: At intake, when the result was ready, or after a returned parcel.
        address: The resolved delivery address (postal only).
        authorised_person: Someone the applicant authorises to receive it, if any.
    """

    channel: ReturnChannel
    chosen_at: dt.datetime = attrs.field(converter=to_local)
    moment: ChoiceMoment
    address: ResolvedAddress | None = attrs.field(default=None)
    authorised_person: str | None = attrs.field(default=None, converter=_optional_name)

    @address.validator
    def _check_address(self, _: object, value: ResolvedAddress | None) -> None:
        if (value is None) is (self.channel is ReturnChannel.POSTAL):
            raise InvalidInput(
                "a postal return needs a delivery address"
                if value is None
                else f"a {self.channel.value} return takes no delivery address"
            )

    def is_addressee(self, name: str) -> bool:
        """Return True if ``name`` is the addressee of the postal address.

        Names compare without case, spacing or diacritics
        (:func:`tthc_core.text.fold`): delivery records are often typed without them.
        """
        return self.address is not None and _same_name(name, self.address.address.recipient)

    def may_receive(self, name: str) -> bool:
        """Return True if ``name`` is the addressee or the authorised person."""
        proxy = self.authorised_person
        return self.is_addressee(name) or (proxy is not None and _same_name(name, proxy))


def _same_name(a: str, b: str) -> bool:
    return fold(a).split() == fold(b).split()


def choose_return(
    procedure: Procedure,
    channel: ReturnChannel,
    *,
    at: dt.datetime,
    moment: ChoiceMoment,
    address: PostalAddress | None = None,
    units: AdministrativeUnits | None = None,
    address_valid_on: dt.date | None = None,
    authorised_person: str | None = None,
) -> ReturnChoice:
    """Validate an applicant's return choice against the procedure.

    Args:
        procedure: The catalogue entry of the dossier's procedure.
        channel: The channel chosen.
        at: When the applicant chose.
        moment: At intake, when the result was ready, or after a returned parcel.
        address: The delivery address (postal only).
        units: The administrative-units port (postal only).
        address_valid_on: The day the address must be valid (default: the
            day of ``at``); pass the receipt date for an old three-level address.
        authorised_person: The person the applicant authorises to receive it.

    Raises:
        DomainRuleViolation: If the procedure forbids the channel.
        InvalidInput: If a postal choice lacks an address or the address is invalid.
    """
    if channel is ReturnChannel.POSTAL and not procedure.postal_return:
        raise DomainRuleViolation(
            f"procedure {procedure.code} is on the list of procedures whose result "
            "cannot be returned by public post; collect it at the desk",
            rule="Decision 45/2016/QĐ-TTg Art. 1(2), 13",
        )
    if channel is ReturnChannel.ELECTRONIC and procedure.online_level is not OnlineLevel.FULL:
        raise DomainRuleViolation(
            f"procedure {procedure.code} is not a full-online (toàn trình) service, so "
            "it issues no electronic result; choose the desk or public post",
            rule="Decree 42/2022/NĐ-CP",
        )
    resolved = None
    if channel is ReturnChannel.POSTAL:
        if address is None or units is None:
            raise InvalidInput("a postal return needs a delivery address and the unit registry")
        on = address_valid_on or to_local(at).date()
        resolved = resolve_address(address, units, on=on)
    elif address is not None:
        raise InvalidInput(f"a {channel.value} return takes no delivery address")
    return ReturnChoice(channel, at, moment, resolved, authorised_person)
