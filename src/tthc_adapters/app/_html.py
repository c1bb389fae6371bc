"""The status site's pages: Vietnamese HTML, NFC, UTF-8, one inline style sheet, no scripts.

Every text a citizen reads is built here from values the core has already
checked; values are escaped; no exception text, English or stack trace is
ever rendered. Pages load nothing from elsewhere (the URL may carry a receipt
tag, so no referrer may leave the page).
"""

from __future__ import annotations

from html import escape

from tthc_adapters.app._lookup import Found, StatusDetails
from tthc_core.codes import InvalidDossierCode
from tthc_core.desk.messages import format_instant
from tthc_core.dossier import StatusView, Timeliness
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

_STYLE = """
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:#1a1a1a;background:#f4f5f7}
header{background:#a50e0e;color:#fff;padding:12px 16px}
header p{margin:0;font-size:14px;opacity:.9}
main{max-width:720px;margin:0 auto;padding:16px}
h1{font-size:20px;margin:8px 0 16px}
.card{background:#fff;border-radius:8px;padding:16px;margin-bottom:16px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
dl{display:grid;grid-template-columns:minmax(8em,auto) 1fr;gap:6px 12px;margin:0}
dt{color:#555}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.code{font-family:ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
.ok{color:#146c2e}.late{color:#a50e0e}
.notice{border-left:4px solid #b26a00;background:#fff8e6}
.verified{border-left:4px solid #146c2e}
h2{font-size:18px;margin:0 0 12px}
.sheet{margin:0;padding-left:1.4em}
.sheet li{padding:8px 0;border-bottom:1px solid #e3e3e3}
.sheet li:last-child{border-bottom:0}
.sheet p{margin:0 0 6px}
form{display:flex;gap:8px;flex-wrap:wrap}
input{flex:1 1 16em;font:inherit;padding:8px;border:1px solid #bbb;border-radius:4px}
button{font:inherit;padding:8px 16px;border:0;border-radius:4px;background:#a50e0e;color:#fff}
footer{color:#666;font-size:13px;padding:0 16px 24px;max-width:720px;margin:0 auto}
@media (max-width:480px){dl{grid-template-columns:1fr}dt{margin-top:6px}}
"""


def _document(agency: str, title: str, body: str, *, code: str | None = None) -> str:
    heading = escape(title)
    if code is not None:  # keep the dossier code on one line
        heading = heading.replace(escape(code), f'<span class="code">{escape(code)}</span>')
    text = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{escape(title)} — {escape(agency)}</title>
<style>{_STYLE}</style>
</head>
<body>
<header><p>{escape(agency)}</p><strong>Tra cứu hồ sơ thủ tục hành chính</strong></header>
<main>
<h1>{heading}</h1>
{body}
</main>
<footer>Trang tra cứu không hiển thị số điện thoại, địa chỉ hay họ tên đầy đủ của người nộp
hồ sơ.</footer>
</body>
</html>
"""
    return nfc(text)


def _rows(pairs: list[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f"<dl>{items}</dl>"


def _timeliness(value: Timeliness) -> str:
    css = "late" if value in (Timeliness.LATE, Timeliness.OVERDUE) else "ok"
    return f'<span class="{css}">{escape(value.label_vi)}</span>'


def _status_rows(view: StatusView) -> list[tuple[str, str]]:
    rows = [
        ("Mã hồ sơ", f'<span class="code">{escape(str(view.code))}</span>'),
        ("Trạng thái", escape(view.label_vi)),
        (
            "Trên Cổng Dịch vụ công",
            f"{escape(view.national_label_vi)} (mã {view.national_code})",
        ),
    ]
    if view.holder_unit and not view.state.is_final:
        rows.append(("Đơn vị đang giữ hồ sơ", escape(view.holder_unit)))
    if view.due_at is not None:
        rows.append(("Hẹn trả kết quả", escape(format_instant(view.due_at))))
    if view.timeliness is not None:
        rows.append(("Tiến độ", _timeliness(view.timeliness)))
    return rows


_VERDICT_VI = {
    Verdict.TAMPERED: "mã xác thực không khớp với mã hồ sơ (mã có thể đã bị sửa hoặc in sai)",
    Verdict.UNKNOWN_KEY: "mã xác thực không do cơ quan này cấp",
    Verdict.NOT_OURS: "phiên bản mã QR này chưa được hỗ trợ",
}


def _sheet(details: StatusDetails) -> str:
    if not details.control_sheet:
        return "<p>Hồ sơ chưa được chuyển qua đơn vị nào.</p>"
    items = []
    for row in details.control_sheet:
        units = f"Giao: {escape(row.from_unit)}<br>Nhận: {escape(row.to_unit)}"
        pairs = [
            ("Thời gian giao, nhận", escape(format_instant(row.handed_at))),
            ("Hạn xử lý", escape(format_instant(row.due_at))),
            ("Kết quả", _timeliness(row.result)),
        ]
        items.append(f"<li><p>{units}</p>{_rows(pairs)}</li>")
    return f'<ol class="sheet">{"".join(items)}</ol>'


def status_page(agency: str, found: Found) -> str:
    """The status of a dossier; with details when its receipt QR verified.

    Args:
        agency: The agency's name, for the header.
        found: What the look-up found.
    """
    view, details = found.view, found.details
    parts = []
    if details is not None:
        parts.append(
            '<section class="card verified"><p><strong>Đã xác thực mã QR trên Giấy tiếp nhận '
            "hồ sơ và hẹn trả kết quả.</strong></p>"
            + _rows(
                [
                    ("Thủ tục", escape(details.procedure_name)),
                    ("Người nộp hồ sơ", escape(details.applicant)),
                ]
            )
            + "</section>"
        )
    parts.append(f'<section class="card">{_rows(_status_rows(view))}</section>')
    if details is not None:
        parts.append(
            f'<section class="card"><h2>{escape(details.sheet_title)}</h2>'
            f"{_sheet(details)}</section>"
        )
    return _document(agency, f"Hồ sơ {view.code}", "\n".join(parts), code=str(view.code))


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
    body = (
        '<section class="card notice" role="alert"><p><strong>Không xác thực được mã QR'
        f"</strong></p><p>{escape(unverified_message(verdict))}</p>"
        f'<p><a href="{escape(home)}">Trang tra cứu</a></p></section>'
    )
    return _document(agency, f"Hồ sơ {code}", body, code=code)


def home_page(agency: str, action: str) -> str:
    """How to look a dossier up, with a form for the code.

    Args:
        agency: The agency's name.
        action: The form's target path.
    """
    body = f"""<section class="card">
<p>Nhập mã hồ sơ in trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, hoặc quét mã QR trên giấy
bằng máy ảnh điện thoại.</p>
<form method="get" action="{escape(action)}">
<input name="ma" aria-label="Mã hồ sơ" placeholder="{_EXAMPLE}" autocomplete="off" required>
<button type="submit">Tra cứu</button>
</form>
</section>"""
    return _document(agency, "Tra cứu hồ sơ", body)


def error_page(agency: str, title: str, message: str) -> str:
    """A page that says what went wrong and what to do, in Vietnamese.

    Args:
        agency: The agency's name.
        title: The page title.
        message: What happened and what to do (plain text).
    """
    return _document(agency, title, f'<section class="card"><p>{escape(message)}</p></section>')


def bad_code_message(error: InvalidDossierCode) -> str:
    """What is wrong with a code, naming the part (for the 400 page and JSON)."""
    return nfc(
        f"Mã hồ sơ chưa đúng: {PART_VI[error.part]}. Vui lòng kiểm tra lại mã trên Giấy tiếp "
        f"nhận hồ sơ và hẹn trả kết quả. Ví dụ mã hợp lệ: {_EXAMPLE}."
    )
