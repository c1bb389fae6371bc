"""Result parcels on a dossier's page: cancelling a booking before the post picks it up.

The rule is the delivery core's (a shipment is cancelled only while
``requested``); :func:`tthc_core.desk.cancel_postal_return` stores the
cancellation and writes the operator's ``orderCancel`` to the outbox, which
the postal dispatcher sends (:class:`tthc_adapters.bootstrap.Dispatcher`).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from tthc_adapters.staff._context import Staff, redirect
from tthc_adapters.staff._explain import explain
from tthc_adapters.staff._security import check_csrf
from tthc_core.accounts import Account, Action
from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.delivery import Shipment
from tthc_core.desk import ShipmentUnknown, cancel_postal_return
from tthc_core.errors import TthcError

__all__ = ["CANCEL_LABEL", "cancel_parcel", "cancel_parcel_page"]

#: The button's label.
CANCEL_LABEL = "Hủy yêu cầu chuyển phát kết quả"


def cancel_parcel(
    staff: Staff, account: Account, code: DossierCode, reference: str, reason: str
) -> Shipment:
    """Cancel the booking as ``account`` and commit.

    Raises:
        ShipmentUnknown: The dossier has no such parcel.
        TthcError: The parcel was picked up, or the reason is blank.
    """
    with staff.unit_of_work(account) as uow:
        shipment = cancel_postal_return(
            uow, staff.desk, code, reference, reason=reason, at=staff.clock()
        )
        uow.commit()
    return shipment


async def cancel_parcel_page(staff: Staff, request: Request) -> Response:
    """The dossier page's cancel form: cancel, then back to the dossier with what happened."""
    account = staff.require(request, Action.CANCEL_PARCEL)
    form = await request.form()
    check_csrf(request.session, form.get("csrf"))
    try:
        code = DossierCode.parse(request.path_params["code"])
    except InvalidDossierCode:
        raise HTTPException(404, "Mã hồ sơ không hợp lệ.") from None
    reference = request.path_params["reference"]
    reason = str(form.get("reason", "")).strip()

    def run() -> str:
        if not reason:
            return f"Không thực hiện được “{CANCEL_LABEL}”: Lý do không được để trống."
        try:
            cancel_parcel(staff, account, code, reference, reason)
        except ShipmentUnknown:
            raise HTTPException(404, "Hồ sơ không có bưu gửi này.") from None
        except TthcError as exc:
            return f"Không thực hiện được “{CANCEL_LABEL}”: {explain(exc)}"
        return f"Đã hủy yêu cầu chuyển phát {reference}; đã gửi yêu cầu hủy cho bưu điện."

    message = await run_in_threadpool(run)
    return redirect(request, f"/dossiers/{code}", flash=message)
