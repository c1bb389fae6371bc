"""A fake national portal (DVCQG) speaking both profiles, for tests and the demo.

Behaviours from reference ``dvcqg-sync.md`` §15: a duplicate insert is refused
("đã tồn tại"), an update of an unknown code is refused ("không tồn tại"), the
province prefix is enforced, progress before the dossier ("chưa được gửi") or
after a terminal status (3, 8, 10) is refused; sessions and tokens expire; an
inbound queue with acknowledgement; fault switches; a call log. Message texts
are modelled on those vendors match (§8, §9); the real catalogue is unknown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import attrs

from tthc_adapters.portal._fields import read_error_code
from tthc_core.portal import TERMINAL_STATUSES

__all__ = ["HANG", "Call", "FakeFaults", "FakeNationalPortal"]

#: Status of a call the fake answers by hanging (the client times out).
HANG = 0


@attrs.define
class FakeFaults:
    """Switches, each ``*_next`` spent one data call at a time.

    ``timeout_next`` and ``applied_but_failed_next`` apply the call, then hang
    or answer 500 (a lost acknowledgement; for ``ack``, the portal took the
    acknowledgement and the province never heard); ``server_error_next`` and
    ``too_many_next`` refuse without applying; ``duplicate_deliveries`` serves
    every inbound dossier twice (the list answers the dossiers after the
    ``since`` mark not yet acknowledged); ``only`` limits the switches to those operations.
    """

    timeout_next: int = 0
    server_error_next: int = 0
    too_many_next: int = 0
    applied_but_failed_next: int = 0
    duplicate_deliveries: bool = False
    only: frozenset[str] = frozenset()

    def take(self, name: str, operation: str = "") -> bool:
        """Spend one unit of ``name``; ``True`` if there was one (and ``operation`` is targeted)."""
        if self.only and operation not in self.only:
            return False
        left: int = getattr(self, name)
        if left <= 0:
            return False
        setattr(self, name, left - 1)
        return True


@attrs.frozen
class Call:
    """One logged call: the path, the operation, and what was answered."""

    path: str
    operation: str
    status: int
    error_code: int | None
    message: str


def _err(code: int, message: str) -> dict[str, Any]:
    return {"error_code": code, "message": message}


_OK = {"error_code": 0, "message": "Đồng bộ thành công"}
_RPC = {
    "DongBoHoSoMC": "upsert",
    "CapNhatTienDoHoSoMC": "progress",
    "TraCuuHoSo": "lookup",
    "DongBoThanhToanHoSo": "payment",
    "DanhSachHoSo": "inbound",
    "XacNhanDaNhanHoSo": "ack",
}
_URL = {
    "/ThemMoi": "insert",
    "/CapNhat": "update",
    "/DongBoTienTrinh": "progress",
    "/TraCuuHoSo": "lookup",
    "/DongBoThanhToan": "payment",
    "/LayDanhSachHoSo": "inbound",
    "/XacNhanDaNhan": "ack",
}


@attrs.define
class FakeNationalPortal:
    """The fake's state; :meth:`handle` answers one HTTP request.

    Args:
        province: The province group codes must carry (``"H15"``).
        username, password: The RPC login.
        client_id, client_secret: The OAuth2 client.
        session_calls: Data calls a session or token serves before it expires.
    """

    province: str
    username: str = "tthc"
    password: str = "secret"  # noqa: S105 - the fake's test credentials
    client_id: str = "tthc"
    client_secret: str = "secret"  # noqa: S105 - the fake's test credentials
    session_calls: int = 1_000_000
    faults: FakeFaults = attrs.field(factory=FakeFaults)
    dossiers: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    progress: dict[str, list[dict[str, Any]]] = attrs.field(factory=dict)
    payments: dict[str, list[dict[str, Any]]] = attrs.field(factory=dict)
    inbound: list[dict[str, Any]] = attrs.field(factory=list)
    acknowledged: set[str] = attrs.field(factory=set)
    calls: list[Call] = attrs.field(factory=list)
    _sessions: dict[str, int] = attrs.field(factory=dict)
    _issued: int = 0

    # -- administration ---------------------------------------------------------
    def expire_sessions(self) -> None:
        """Every issued session and token becomes invalid."""
        self._sessions.clear()

    def submit_online(self, dossier: dict[str, Any]) -> None:
        """A citizen submits ``dossier`` on the portal (status 1): held, and queued inbound."""
        code = str(dossier["MaHoSo"])
        self.dossiers[code] = {**dossier, "TrangThaiHoSo": "1", "KenhThucHien": "2"}
        self.inbound.append(dict(dossier))

    def duplicate_rows(self) -> list[tuple[str, tuple[str, str, str]]]:
        """Progress rows applied more than once (by dossier and row content)."""
        twice = []
        for code, rows in self.progress.items():
            seen: set[tuple[str, str, str]] = set()
            for row in rows:
                key = (str(row["ThoiDiemXuLy"]), str(row["TrangThai"]), str(row["NoiDungXuLy"]))
                if key in seen:
                    twice.append((code, key))
                seen.add(key)
        return twice

    # -- HTTP -------------------------------------------------------------------
    def handle(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, dict[str, Any]]:
        """Answer ``POST path``; status :data:`HANG` means "do not answer"."""
        try:
            body = json.loads(raw or b"null") if not path.endswith("/token") else None
        except ValueError:
            return self._log(path, "?", 400, _err(-1, "JSON không hợp lệ"))
        if path.endswith("/login"):
            return self._login(path, body)
        if path.endswith("/token"):
            return self._token(path, raw)
        if isinstance(body, dict) and "service" in body:
            operation = _RPC.get(str(body["service"]), "?")
            if not self._session_ok(str(body.get("session", ""))):
                return self._log(
                    path, operation, 200, _err(-1, "Phiên đăng nhập (session) hết hạn")
                )
        else:
            operation = _URL.get(path, "?")
            bearer = headers.get("authorization", "").removeprefix("Bearer ")
            if not self._session_ok(bearer):
                return self._log(path, operation, 401, _err(401, "Unauthorized"))
        return self._data(path, operation, body)

    def _log(
        self, path: str, op: str, status: int, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        code = read_error_code(body.get("error_code"))
        self.calls.append(Call(path, op, status, code, str(body.get("message", ""))))
        return status, body

    def _issue(self) -> str:
        self._issued += 1
        token = f"s{self._issued:06d}"
        self._sessions[token] = self.session_calls
        return token

    def _session_ok(self, token: str) -> bool:
        left = self._sessions.get(token, 0)
        if left <= 0:
            self._sessions.pop(token, None)
            return False
        self._sessions[token] = left - 1
        return True

    def _login(self, path: str, body: Any) -> tuple[int, dict[str, Any]]:
        if not isinstance(body, dict) or (body.get("username"), body.get("password")) != (
            self.username,
            self.password,
        ):
            return self._log(path, "login", 200, _err(-1, "Sai tài khoản"))
        return self._log(path, "login", 200, {"error_code": "0", "session": self._issue()})

    def _token(self, path: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        from urllib.parse import parse_qs

        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return self._log(path, "token", 401, _err(401, "invalid_client"))
        token = self._issue()
        return self._log(
            path, "token", 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600}
        )

    def _data(self, path: str, op: str, body: Any) -> tuple[int, dict[str, Any]]:
        if self.faults.take("server_error_next", op):
            return self._log(path, op, 503, _err(-1, "server error"))
        if self.faults.take("too_many_next", op):
            return self._log(path, op, 429, _err(429, "Too Many Requests"))
        answer = self._apply(op, body)
        if answer.get("error_code") in (0, "0") and op in (
            "upsert",
            "insert",
            "update",
            "progress",
            "payment",
            "ack",
        ):
            if self.faults.take("timeout_next", op):
                return self._log(path, op, HANG, answer)
            if self.faults.take("applied_but_failed_next", op):
                return self._log(path, op, 500, _err(-1, "server error"))
        return self._log(path, op, 200, answer)

    def _apply(self, op: str, body: Any) -> dict[str, Any]:
        handlers: dict[str, Callable[[Any], dict[str, Any]]] = {
            "upsert": lambda b: self._upsert(b.get("data", []), b.get("isUpdating") == "True"),
            "insert": lambda b: self._upsert(b, False),
            "update": lambda b: self._upsert(b, True),
            "progress": lambda b: self._progress(b.get("data", []) if isinstance(b, dict) else b),
            "lookup": lambda b: self._lookup(str(b.get("mahoso") or b.get("MaHoSo") or "")),
            "payment": lambda b: self._payment(b.get("data", b)),
            "inbound": lambda b: self._inbound(str(b.get("since") or "0")),
            "ack": lambda b: self._ack(str(b.get("mahoso") or b.get("MaHoSo") or "")),
        }
        handler = handlers.get(op)
        if handler is None:
            return _err(-1, f"Không có dịch vụ {op}")
        try:
            return handler(body)
        except (AttributeError, KeyError, TypeError):
            return _err(-1, "Dữ liệu không hợp lệ")

    def _prefix_ok(self, code: str) -> bool:
        return self.province in code.split("-", maxsplit=1)[0].split(".")

    def _upsert(self, items: list[dict[str, Any]], update: bool) -> dict[str, Any]:
        for item in items:
            code = str(item["MaHoSo"])
            if not self._prefix_ok(code):
                return _err(-1, f"Mã hồ sơ {code} không đúng mã tỉnh {self.province}")
            if update and code not in self.dossiers:
                return _err(-1, f"Hồ sơ {code} không tồn tại")
            if not update and code in self.dossiers:
                return _err(-1, f"Hồ sơ {code} đã tồn tại")
        for item in items:
            self.dossiers[str(item["MaHoSo"])] = item
        return dict(_OK)

    def _progress(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        for row in rows:
            code = str(row["MaHoSo"])
            if code not in self.dossiers:
                return _err(-1, f"Hồ sơ {code} chưa được gửi, không thể cập nhật trạng thái")
            held = self.progress.get(code, [])
            if held and int(held[-1]["TrangThai"]) in TERMINAL_STATUSES:
                return _err(-1, f"Hồ sơ {code} đã trả kết quả, không được cập nhật trạng thái")
            self.progress.setdefault(code, []).append(row)
        return dict(_OK)

    def _lookup(self, code: str) -> dict[str, Any]:
        dossier = self.dossiers.get(code)
        if dossier is None:
            return {"error_code": 0, "result": []}
        view = {
            "MaHoSo": code,
            "TrangThaiHoSo": dossier["TrangThaiHoSo"],
            "TienDo": [
                {k: r[k] for k in ("ThoiDiemXuLy", "TrangThai", "NoiDungXuLy")}
                for r in self.progress.get(code, [])
            ],
        }
        return {"error_code": 0, "result": [view]}

    def _payment(self, data: dict[str, Any]) -> dict[str, Any]:
        code = str(data["MaHoSo"])
        if code not in self.dossiers:
            return _err(-1, f"Hồ sơ {code} không tồn tại")
        self.payments[code] = list(data.get("PhiLePhi", []))  # the paid lines, whole (§8)
        return dict(_OK)

    def _inbound(self, since: str) -> dict[str, Any]:
        after = int(since) if since.isdecimal() else 0
        waiting = [
            {**d, "mark": str(n)}
            for n, d in enumerate(self.inbound, start=1)
            if d["MaHoSo"] not in self.acknowledged and n > after
        ]
        if self.faults.duplicate_deliveries:
            waiting = waiting + waiting
        return {"error_code": 0, "result": waiting, "mark": str(len(self.inbound))}

    def _ack(self, code: str) -> dict[str, Any]:
        if not any(d["MaHoSo"] == code for d in self.inbound):
            return _err(-1, f"Hồ sơ {code} không tồn tại")
        self.acknowledged.add(code)
        return dict(_OK)
