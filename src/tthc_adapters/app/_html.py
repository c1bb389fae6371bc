"""The status site's pages: Vietnamese HTML, NFC, UTF-8, one inline style sheet, no scripts.

The pages are Jinja2 templates in this package's ``templates`` folder
(autoescaped, compiled once per process); this module fills them from values
the core has already checked. No exception text, English or stack trace is
ever rendered. Pages load nothing from elsewhere (the URL may carry a receipt
tag, so no referrer may leave the page).
"""

from __future__ import annotations

import functools
import importlib.resources

import jinja2

from tthc_adapters.app._lookup import Found
from tthc_core.calendar import YearStatus
from tthc_core.codes import InvalidDossierCode
from tthc_core.desk.messages import format_instant
from tthc_core.dossier import Timeliness
from tthc_core.receipt import Verdict
from tthc_core.text import nfc

__all__ = [
    "PART_VI",
    "THROTTLED",
    "bad_code_message",
    "error_page",
    "home_page",
    "status_page",
    "unverified_message",
    "unverified_page",
]

#: The 429 page's message: too many look-ups from this address.
THROTTLED = (
    "Có quá nhiều lượt tra cứu từ địa chỉ mạng của ông/bà trong thời gian ngắn. Để bảo vệ thông "
    "tin hồ sơ của người dân, trang tạm ngừng tra cứu; vui lòng thử lại sau {minutes} phút, hoặc "
    "liên hệ Bộ phận Một cửa."
)

#: What is wrong with a dossier code, by :attr:`InvalidDossierCode.part`.
PART_VI = {
    "format": "mã không đúng dạng <mã cơ quan>-YYMMDD-XXXX",
    "agency": "phần mã cơ quan (trước ngày tiếp nhận) không đúng",
    "date": "phần ngày tiếp nhận (YYMMDD) không đúng",
    "sequence": "phần số thứ tự (4 chữ số cuối) không đúng",
}

_EXAMPLE = "000.00.15.H12-240307-0005"

_VERDICT_VI = {
    Verdict.TAMPERED: "mã xác thực không khớp với mã hồ sơ (mã có thể đã bị sửa hoặc in sai)",
    Verdict.UNKNOWN_KEY: "mã xác thực không do cơ quan này cấp",
    Verdict.NOT_OURS: "phiên bản mã QR này chưa được hỗ trợ",
}


@functools.cache
def _templates() -> jinja2.Environment:
    """The status site's templates (autoescaped; each compiled on first use, then kept)."""
    folder = importlib.resources.files("tthc_adapters.app") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
    )
    env.filters["instant"] = format_instant
    env.tests["late"] = lambda value: value in (Timeliness.LATE, Timeliness.OVERDUE)
    # A due time crossing a year whose calendar is not announced yet (Labour Code 112(3)).
    env.globals["provisional_label"] = YearStatus.PROVISIONAL.label_vi
    return env


def _render(name: str, agency: str, title: str, **values: object) -> str:
    page = _templates().get_template(name).render(agency=agency, title=title, **values)
    return nfc(page + "\n")


def status_page(agency: str, found: Found) -> str:
    """The status of a dossier; with details when its receipt QR verified.

    Args:
        agency: The agency's name, for the header.
        found: What the look-up found.
    """
    view = found.view
    code = str(view.code)
    return _render(
        "status.html", agency, f"Hồ sơ {code}", code=code, view=view, details=found.details
    )


def unverified_message(verdict: Verdict) -> str:
    """Why a receipt QR did not verify, and what to do (for the page and JSON)."""
    reason = _VERDICT_VI.get(verdict, _VERDICT_VI[Verdict.TAMPERED])
    return nfc(
        f"Không xác thực được mã QR: {reason}. Vui lòng quét lại mã QR trên Giấy tiếp nhận hồ "
        "sơ và hẹn trả kết quả, hoặc nhập mã hồ sơ trên trang tra cứu."
    )


def unverified_page(agency: str, code: str, verdict: Verdict, home: str) -> str:
    """A receipt QR whose tag does not verify: the notice only, nothing about the dossier.

    Args:
        agency: The agency's name.
        code: The dossier code as the path wrote it.
        verdict: Why the tag does not verify.
        home: The look-up form's path.
    """
    message = unverified_message(verdict)
    return _render(
        "unverified.html", agency, f"Hồ sơ {code}", code=code, message=message, home=home
    )


def home_page(agency: str, action: str) -> str:
    """How to look a dossier up, with a form for the code.

    Args:
        agency: The agency's name.
        action: The form's target path.
    """
    return _render("home.html", agency, "Tra cứu hồ sơ", code=None, action=action, example=_EXAMPLE)


def error_page(agency: str, title: str, message: str) -> str:
    """A page that says what went wrong and what to do, in Vietnamese.

    Args:
        agency: The agency's name.
        title: The page title.
        message: What happened and what to do (plain text).
    """
    return _render("error.html", agency, title, code=None, message=message)


def bad_code_message(error: InvalidDossierCode) -> str:
    """What is wrong with a code, naming the part (for the 400 page and JSON)."""
    return nfc(
        f"Mã hồ sơ chưa đúng: {PART_VI[error.part]}. Vui lòng kiểm tra lại mã trên Giấy tiếp "
        f"nhận hồ sơ và hẹn trả kết quả. Ví dụ mã hợp lệ: {_EXAMPLE}."
    )
