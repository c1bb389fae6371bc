"""The composition root: builds a desk and its outbox dispatcher from settings.

Everything that reads the environment, the clock or the network is wired
here and nowhere in :mod:`tthc_core`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from tthc_adapters.calendar import default_deadlines
from tthc_adapters.calendar_file import CalendarFile
from tthc_adapters.units import VietnamProvincesUnits
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.catalogue import (
    CopyType,
    Fee,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    StepTemplate,
)
from tthc_core.codes import AgencyCode, ProcedureCode
from tthc_core.complaint import ReceivingAgency
from tthc_core.delivery import PostalService, resolve_address
from tthc_core.desk import POSTAL_CHANNEL, Desk, postal_order_of
from tthc_core.errors import InvalidInput
from tthc_core.party import PostalAddress
from tthc_core.receipt import KeyRing, ReceiptCodec
from tthc_core.storage import OutboundMessage

__all__ = ["DEMO_CATALOGUE", "Dispatcher", "build_desk", "system_clock"]


def system_clock() -> dt.datetime:
    """The current time in Vietnam (the one clock read of the application)."""
    return dt.datetime.now(VN_TZ)


@attrs.frozen
class DeskSettings:
    """What an operator configures for one desk.

    Args:
        agency_code: The agency's electronic identifier.
        agency_name: Its name.
        unit: The desk's unit name.
        lookup_base: The host of the public status page the receipt QR opens.
        address: The agency's postal address (sender of results).
        remote_area: Whether complaint limits of remote areas apply.
    """

    agency_code: str
    agency_name: str
    unit: str
    lookup_base: str
    address: PostalAddress
    remote_area: bool = False


#: An illustrative commune desk in Đắk Lắk (province 66), xã Krông Năng (24343) since 1/7/2025.
#: The agency code is illustrative: Đắk Lắk's level-1 code is unverified.
DEMO_SETTINGS = DeskSettings(
    agency_code="000.43.31.H15",
    agency_name="UBND xã Krông Năng",
    unit="Trung tâm Phục vụ hành chính công xã Krông Năng",
    lookup_base="tracuu.example.gov.vn",
    address=PostalAddress(
        recipient="Trung tâm Phục vụ hành chính công xã Krông Năng",
        phone="0262 3670 000",
        street="Số 1 đường Hùng Vương",
        ward_code="24343",
        province_code="66",
    ),
)


def build_desk(
    settings: DeskSettings, keys: KeyRing, *, on: dt.date, calendar: CalendarFile | None = None
) -> Desk:
    """A :class:`~tthc_core.desk.Desk` wired to the default calendar and unit list.

    Args:
        settings: The desk's settings.
        keys: Receipt signing keys.
        on: The day the agency's own address must be valid.
        calendar: The province's calendar file, on top of the shipped tables.

    Raises:
        InvalidInput: If the agency's address does not resolve.
    """
    units = VietnamProvincesUnits()
    agency = AgencyCode.parse(settings.agency_code)
    return Desk(
        agency=agency,
        agency_name=settings.agency_name,
        unit=settings.unit,
        deadlines=default_deadlines(local=calendar),
        codec=ReceiptCodec(settings.lookup_base),
        keys=keys,
        complaints=ReceivingAgency(agency, settings.agency_name, settings.remote_area),
        sender_address=resolve_address(settings.address, units, on=on),
        units=units,
    )


class Dispatcher:
    """The outbox sender: routes each message by channel.

    Args:
        chat: Sends a chat message (``user_id``, ``text``); a Zalo adapter in
            production, a printer in the demo.
        postal: The postal operator, for ``postal`` messages: ``create`` books
            (idempotent on our reference, so a redelivered message books once),
            ``cancel`` cancels a booking before pick-up (cancelling twice is no
            error; a booking already picked up raises and the message retries,
            then parks for an officer).
        channels: Senders of whole messages by channel (``{"zalo": ZaloSender(...)}``),
            tried before ``chat``.
    """

    def __init__(
        self,
        *,
        chat: Callable[[str, str, str], None],
        postal: PostalService | None,
        channels: Mapping[str, Callable[[OutboundMessage], None]] | None = None,
    ) -> None:
        self._chat = chat
        self._postal = postal
        self._channels = dict(channels or {})

    def __call__(self, message: OutboundMessage) -> None:
        """Send one message; raising leaves it in the outbox for a retry."""
        payload: Mapping[str, Any] = message.payload
        if message.channel == POSTAL_CHANNEL:
            if self._postal is None:
                raise InvalidInput("no postal operator is configured for postal messages")
            if payload.get("action") == "cancel":
                self._postal.cancel(str(payload["reference"]))
            else:
                self._postal.create_shipment(postal_order_of(dict(payload)))
            return
        if (sender := self._channels.get(message.channel)) is not None:
            sender(message)
            return
        self._chat(message.channel, str(payload["user_id"]), str(payload["text"]))


def _procedure(
    code: str,
    name: str,
    sector: str,
    days: int | None,
    steps: tuple[tuple[str, int], ...],
    **kw: Any,
) -> Procedure:
    """``days`` working days, or ``None`` for a same-day procedure (trong ngày)."""
    return Procedure(
        code=ProcedureCode.parse(code),
        name=name,
        sector=sector,
        processing_time=Duration.same_day() if days is None else Duration.working_days(days),
        steps=tuple(StepTemplate(unit, Duration.working_days(n)) for unit, n in steps),
        **kw,
    )


#: A small illustrative catalogue (names from the national database; times as published locally).
DEMO_CATALOGUE = (
    _procedure(
        "1.004227.000.00.00.H15",
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Đất đai",
        10,
        (
            ("Phòng Kinh tế xã Krông Năng", 8),
            ("Lãnh đạo UBND xã Krông Năng", 1),
            ("Trung tâm Phục vụ hành chính công xã Krông Năng", 1),
        ),
        documents=(
            RequiredDocument("Đơn đăng ký biến động đất đai", CopyType.ORIGINAL),
            RequiredDocument("Giấy chứng nhận quyền sử dụng đất", CopyType.ORIGINAL),
            RequiredDocument("Hợp đồng chuyển nhượng", CopyType.CERTIFIED_COPY),
        ),
        fees=(Fee("Lệ phí đăng ký biến động", 30_000),),
        online_level=OnlineLevel.PARTIAL,
    ),
    _procedure(
        "2.000908.000.00.00.H15",
        "Cấp bản sao từ sổ gốc",
        "Hộ tịch",
        None,  # the same day, or the next working day after 15:00 (Decree 23/2015 Art. 7(1))
        (),
        documents=(RequiredDocument("Tờ khai cấp bản sao", CopyType.ORIGINAL),),
        fees=(Fee("Phí cấp bản sao", 8_000),),
        online_level=OnlineLevel.FULL,
        postal_return=False,
    ),
)
