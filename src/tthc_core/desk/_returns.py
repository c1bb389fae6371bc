"""The citizen's choice of how to get a result, in chat.

"Nhận tại bộ phận một cửa" is recorded at once. "Bưu điện" opens a short
dialogue (:mod:`tthc_core.conversation`): the registered address, or a street
line typed in chat within the registered commune/ward and province (an
address in another commune is arranged at the desk: chat cannot check it
against the administrative units); the postage the operator quotes; the
citizen's confirmation. Only then is the choice applied through
:func:`~tthc_core.desk.choose_return_channel` — which books one parcel per
result however often the citizen confirms (Decision 45/2016/QĐ-TTg Art. 5,
12(3): the applicant chooses and pays the postage).
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.codes import DossierCode
from tthc_core.conversation import Reply, Text
from tthc_core.delivery import (
    PostalOrder,
    PostalServiceError,
    ResolvedAddress,
    ShipmentState,
    resolve_address,
)
from tthc_core.desk import messages as msg
from tthc_core.desk._config import Desk, UnknownProcedure
from tthc_core.desk._intents import ChooseReturn
from tthc_core.desk._numbering import find_dossier
from tthc_core.desk._postal import PostalReturnBooked, choose_return_channel
from tthc_core.dossier import ChannelNotOffered, Dossier, DossierState
from tthc_core.errors import DomainRuleViolation, InvalidInput
from tthc_core.party import PostalAddress, ReturnChannel
from tthc_core.storage import UnitOfWork
from tthc_core.storage.kinds import SHIPMENTS

__all__ = [
    "PostalPlan",
    "apply_choice",
    "area_label",
    "booked",
    "plan_postal",
    "postal_address_for",
    "waiting_choice",
]


@attrs.frozen
class PostalPlan:
    """Where the result would go and what it costs (``label`` None: ask for a street)."""

    label: str | None
    postage_vnd: int | None


def waiting_choice(
    uow: UnitOfWork, desk: Desk, user_id: str, intent: ChooseReturn
) -> DossierCode | Reply:
    """The followed dossier whose result awaits the choice, or the reply saying why none."""
    waiting = [
        link.dossier_code
        for link in uow.links.for_user(desk.chat_channel, user_id)
        if (d := find_dossier(uow, link.dossier_code)) is not None
        and d.state is DossierState.RESOLVED
    ]
    if not waiting:
        return Text(
            msg.choice_not_possible(
                "ông/bà chưa có hồ sơ nào đã có kết quả đang chờ chọn cách nhận. Hãy gửi ảnh mã "
                "QR trên Giấy tiếp nhận để nhận thông báo về hồ sơ."
            )
        )
    if intent.code is not None and intent.code not in waiting:
        return Text(
            msg.choice_not_possible(
                f"hồ sơ {intent.code} không nằm trong các hồ sơ đã có kết quả mà ông/bà "
                "đang theo dõi."
            )
        )
    if intent.code is None and len(waiting) > 1:
        return Text(msg.which_dossier(waiting, intent.channel))
    return intent.code or waiting[0]


def booked(uow: UnitOfWork, code: DossierCode) -> bool:
    """Whether the result is booked with the post and not yet handed over."""
    return any(
        s.state is ShipmentState.REQUESTED for s in uow.repository(SHIPMENTS).for_dossier(code)
    )


def apply_choice(
    uow: UnitOfWork,
    desk: Desk,
    code: DossierCode,
    channel: ReturnChannel,
    at: dt.datetime,
    *,
    address: PostalAddress | None = None,
) -> Reply:
    """Record the choice through the return-channel core; the reply says what happened."""
    try:
        choose_return_channel(uow, desk, code, channel, at=at, address=address)
    except PostalReturnBooked:
        reason = (
            "kết quả đã được đăng ký gửi qua dịch vụ bưu chính công ích. Ông/bà vui lòng "
            "liên hệ Bộ phận Một cửa nếu muốn thay đổi cách nhận."
        )
    except ChannelNotOffered:
        reason = (
            "thủ tục này không trả kết quả qua dịch vụ bưu chính công ích. Ông/bà vui lòng "
            "nhận kết quả tại Bộ phận Một cửa."
        )
    except (DomainRuleViolation, UnknownProcedure):
        reason = (
            "hồ sơ chưa thể đổi cách nhận kết quả lúc này. Ông/bà vui lòng liên hệ Bộ phận Một cửa."
        )
    except InvalidInput:
        reason = (
            "hồ sơ chưa có địa chỉ nhận kết quả hợp lệ. Ông/bà vui lòng liên hệ Bộ phận Một "
            "cửa để đăng ký địa chỉ nhận."
        )
    else:
        return Text(msg.channel_chosen(code, channel))
    return Text(msg.choice_not_possible(reason))


def postal_address_for(
    uow: UnitOfWork, desk: Desk, dossier: Dossier, user_id: str, street: str | None
) -> PostalAddress | None:
    """The delivery address: the registered one, or ``street`` in its commune/ward.

    Without a registered address the desk's own commune/ward and province are
    used (a commune desk serves its residents). ``None`` when no phone is known
    for the recipient (the post needs one, Circular 17/2017 Art. 9).
    """
    registered = dossier.postal_address
    if street is None:
        return registered
    phone = registered.phone if registered is not None else dossier.applicant.phone
    if phone is None:
        phone = next(
            (
                link.phone
                for link in uow.links.for_user(desk.chat_channel, user_id)
                if link.dossier_code == dossier.code and link.phone is not None
            ),
            None,
        )
    if phone is None:
        return None
    area = registered if registered is not None else desk.sender_address.address
    return PostalAddress(
        recipient=registered.recipient if registered is not None else dossier.applicant.name,
        phone=phone,
        street=street,
        ward_code=area.ward_code,
        province_code=area.province_code,
    )


def area_label(desk: Desk, dossier: Dossier, at: dt.datetime) -> str:
    """The commune/ward and province a typed street line belongs to."""
    registered = dossier.postal_address
    if registered is None:
        sender = desk.sender_address
        return f"{sender.commune.name}, {sender.province.name}"
    try:
        resolved = resolve_address(registered, desk.units, on=at.date())
    except InvalidInput:
        sender = desk.sender_address
        return f"{sender.commune.name}, {sender.province.name}"
    return f"{resolved.commune.name}, {resolved.province.name}"


def plan_postal(
    desk: Desk, code: DossierCode, address: PostalAddress | None, at: dt.datetime
) -> PostalPlan:
    """The address as printed and the operator's postage (None when it cannot quote).

    Raises:
        InvalidInput: If the address's units are not valid today.
    """
    if address is None:
        return PostalPlan(None, None)
    resolved = resolve_address(address, desk.units, on=at.date())
    return PostalPlan(resolved.label_vi, _quote(desk, code, resolved))


def _quote(desk: Desk, code: DossierCode, recipient: ResolvedAddress) -> int | None:
    if desk.postage is None:
        return None
    order = PostalOrder(
        f"quote-{code}", desk.sender_address, recipient, f"Kết quả giải quyết TTHC, hồ sơ {code}"
    )
    try:
        return desk.postage.quote(order).postage_vnd
    except PostalServiceError:
        return None  # said to the citizen: the price could not be had now
