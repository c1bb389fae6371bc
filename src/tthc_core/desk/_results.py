"""Electronic results (kết quả giải quyết TTHC điện tử) of toàn trình dossiers.

Decree 45/2020/NĐ-CP: an electronic result is as valid as paper; Decree
61/2018 Art. 20: results are stored and online results go through the portal;
Decision 766 counts a dossier online only when its result code and link are
kept (vn-one-stop-rules.md §5). :func:`issue_e_result` keeps the PDF the
officer uploaded (already stored by content hash) with its result code,
returns the dossier electronically (status 10) and sends the filer a download
link. The link carries an HMAC tag of the dossier code and the file's hash
under the agency's receipt key, so it cannot be guessed or enumerated:
:func:`open_e_result` answers only a link with a valid tag, and the same for
an unknown code or a wrong tag (nothing tells them apart). The paper result,
if any, still goes by post or desk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

import attrs

from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.desk._config import Desk
from tthc_core.desk._dossiers import act, load_dossier
from tthc_core.desk._numbering import followers
from tthc_core.dossier import DeliverElectronically, DossierState, Resolve
from tthc_core.errors import DomainRuleViolation
from tthc_core.filing import Blob
from tthc_core.party import ReturnChannel
from tthc_core.receipt import KeyRing, ReceiptKey
from tthc_core.storage import AggregateKind, Index, OutboundMessage, ReadUnitOfWork, UnitOfWork
from tthc_core.text import nfc
from tthc_core.validators import aware as _aware
from tthc_core.validators import non_blank as _non_blank

__all__ = [
    "E_RESULTS",
    "RESULT_PATH",
    "EResult",
    "issue_e_result",
    "open_e_result",
    "result_link",
]

#: The download path under the lookup site's host: ``/ket-qua/<code>/<key id>.<tag>``.
RESULT_PATH = "/ket-qua"
_TOKEN = re.compile(r"([0-9A-Z]{1,4})\.([0-9a-f]{32})")


@attrs.frozen(kw_only=True)
class EResult:
    """An electronic result (the aggregate), keyed by the dossier code.

    Args:
        dossier_code: The dossier.
        result_code: The result's number and symbol (số, ký hiệu), as issued.
        blob: The signed PDF, stored by content hash.
        issued_at: When the officer issued it.
        officer: Who issued it.
    """

    dossier_code: DossierCode
    result_code: str = attrs.field(converter=nfc, validator=_non_blank)
    blob: Blob
    issued_at: dt.datetime = attrs.field(validator=_aware)
    officer: str | None = None
    version: int = 0


#: Electronic results, keyed (and indexed) by dossier code.
E_RESULTS: AggregateKind[EResult] = AggregateKind(
    "e_result",
    EResult,
    key=lambda r: str(r.dossier_code),
    index=lambda r: Index(state="issued", dossier_code=str(r.dossier_code)),
)


def _tag(key: ReceiptKey, code: DossierCode, sha256: str) -> str:
    message = f"tthc-e-result/1|{key.key_id}|{code}|{sha256}".encode("ascii")
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()[:32]


def result_link(desk: Desk, result: EResult) -> str:
    """The download link (https, on the lookup site's host)."""
    key = desk.keys.signing_key(result.dossier_code.agency)
    host = desk.codec.lookup_base.split("/", 1)[0].lower()
    token = f"{key.key_id}.{_tag(key, result.dossier_code, result.blob.sha256)}"
    return f"https://{host}{RESULT_PATH}/{result.dossier_code}/{token}"


def issue_e_result(
    uow: UnitOfWork,
    desk: Desk,
    code: DossierCode,
    *,
    blob: Blob,
    result_code: str,
    at: dt.datetime,
    officer: str | None = None,
) -> EResult:
    """Keep the electronic result, return the dossier electronically, send the link.

    A dossier still in processing is resolved first (Decree 61/2018 Art. 20).

    Raises:
        DossierNotFound: If there is no such dossier.
        DomainRuleViolation: If it is not returned electronically, is not a
            PDF, or cannot be resolved now.
    """
    if blob.media_type != "application/pdf":
        raise DomainRuleViolation(f"an electronic result is a PDF, not {blob.media_type}")
    dossier = load_dossier(uow, code)
    code = dossier.code  # the receipt code, whichever code the officer gave
    if dossier.return_channel is not ReturnChannel.ELECTRONIC:
        raise DomainRuleViolation(
            f"dossier {code} returns its result {dossier.return_channel.value}, not electronically",
            rule="Decree 42/2022/NĐ-CP (toàn trình)",
        )
    if dossier.state is not DossierState.RESOLVED:
        act(uow, desk, code, Resolve(note=f"Kết quả điện tử {result_code}"), at=at)
    result = uow.repository(E_RESULTS).save(
        EResult(
            dossier_code=code, result_code=result_code, blob=blob, issued_at=at, officer=officer
        )
    )
    returned = act(uow, desk, code, DeliverElectronically(), at=at)
    text = nfc(
        f"Hồ sơ {code} đã có kết quả điện tử (số {result.result_code}), có giá trị như bản "
        f"giấy (Nghị định số 45/2020/NĐ-CP). Tải về tại: {result_link(desk, result)}"
    )
    for link in followers(uow, returned):
        uow.outbox.put(
            OutboundMessage(
                key=f"{code}#v{returned.version}#e-result#{link.channel}:{link.user_id}",
                channel=link.channel,
                payload={"user_id": link.user_id, "text": text},
            )
        )
    return result


def open_e_result(uow: ReadUnitOfWork, keys: KeyRing, code_text: str, token: str) -> EResult | None:
    """The result a download link names, or ``None`` (unknown code and wrong tag alike)."""
    found = _TOKEN.fullmatch(token)
    try:
        code = DossierCode.parse(code_text)
    except InvalidDossierCode:
        return None
    if found is None:
        return None
    key = keys.verification_key(code.agency, found.group(1))
    result = uow.repository(E_RESULTS).get(str(code))
    if key is None or result is None:
        return None
    expected = _tag(key, code, result.blob.sha256)
    return result if hmac.compare_digest(expected, found.group(2)) else None
