"""Staff accounts (tài khoản cán bộ), their roles and what each role may do.

The officials' desk is used by five roles, each doing only its part of the
one-stop process (Decree 61/2018/NĐ-CP Art. 17-20: the desk receives and
returns, the specialist appraises, the leader signs; complaints and petitions
are handled apart, Law on Complaints 2011 / Decree 20/2008):

* :attr:`Role.DESK` — tiếp nhận và trả kết quả (receives, hands over, returns);
* :attr:`Role.SPECIALIST` — chuyên viên xử lý (appraises, asks for supplements);
* :attr:`Role.LEADER` — lãnh đạo phê duyệt (approves, refuses, apologises);
* :attr:`Role.CASE_HANDLER` — cán bộ xử lý PAKN, khiếu nại, tố cáo;
* :attr:`Role.ADMIN` — quản trị hệ thống (accounts and the catalogue only).

What a role may do is the data in :data:`PERMISSIONS` (checked by a table test
trying every action as every role). Passwords are stored only as a hash made
by an adapter; repeated failures lock an account for a while
(:class:`LockoutPolicy`). :class:`Accounts` is the storage port.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from typing import Protocol

import attrs

from tthc_core.errors import InvalidInput
from tthc_core.text import nfc
from tthc_core.validators import non_blank

__all__ = [
    "MIN_PASSWORD",
    "PERMISSIONS",
    "Account",
    "AccountExists",
    "Accounts",
    "Action",
    "LockoutPolicy",
    "Role",
    "allowed",
    "check_username",
    "is_locked",
    "login_failed",
    "login_succeeded",
]

#: The shortest password accepted (``tthc user add``, the administrator's form).
MIN_PASSWORD = 12

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,31}")


class Role(enum.Enum):
    """A staff role."""

    DESK = "desk"
    SPECIALIST = "specialist"
    LEADER = "leader"
    CASE_HANDLER = "case_handler"
    ADMIN = "admin"

    @property
    def label_vi(self) -> str:
        """The role's Vietnamese name."""
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.DESK: "Cán bộ tiếp nhận và trả kết quả",
    Role.SPECIALIST: "Chuyên viên xử lý",
    Role.LEADER: "Lãnh đạo phê duyệt",
    Role.CASE_HANDLER: "Cán bộ xử lý phản ánh, kiến nghị, khiếu nại",
    Role.ADMIN: "Quản trị hệ thống",
}


class Action(enum.Enum):
    """Something an officer does in the staff application."""

    VIEW_QUEUES = "view_queues"  # work queues of dossiers
    VIEW_DOSSIER = "view_dossier"  # a dossier's page and control sheet
    RECEIVE = "receive"  # intake: receive a dossier, issue Mẫu 01
    PRINT_RECEIPT = "print_receipt"  # (re)print Mẫu 01
    HAND_OVER = "hand_over"  # pass the dossier to the next unit (control sheet row)
    REQUEST_SUPPLEMENT = "request_supplement"  # Mẫu 02 after appraisal
    RECEIVE_SUPPLEMENT = "receive_supplement"  # the supplement arrived at the desk
    REFUSE = "refuse"  # Mẫu 03 after appraisal
    RESCHEDULE = "reschedule"  # apology and new appointment (Mẫu 04), once
    RESOLVE = "resolve"  # the result is ready at the desk
    RETURN_AT_DESK = "return_at_desk"  # the applicant collected the result
    RECORD_FEES = "record_fees"  # ask for fees and record their payment (portal status 6)
    CANCEL_PARCEL = "cancel_parcel"  # cancel a booked result parcel before pick-up
    HANDLE_CASES = "handle_cases"  # feedback, petitions, complaints, denunciations
    HANDLE_MESSAGES = "handle_messages"  # citizens' messages the system could not deliver
    VIEW_REPORTS = "view_reports"  # figures by status and timeliness
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_CATALOGUE = "manage_catalogue"

    @property
    def label_vi(self) -> str:
        """The action's Vietnamese name."""
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.VIEW_QUEUES: "Xem hàng đợi hồ sơ",
    Action.VIEW_DOSSIER: "Xem hồ sơ, phiếu kiểm soát",
    Action.RECEIVE: "Tiếp nhận hồ sơ",
    Action.PRINT_RECEIPT: "In giấy tiếp nhận (Mẫu 01)",
    Action.HAND_OVER: "Chuyển hồ sơ",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung (Mẫu 02)",
    Action.RECEIVE_SUPPLEMENT: "Nhận hồ sơ bổ sung",
    Action.REFUSE: "Từ chối giải quyết (Mẫu 03)",
    Action.RESCHEDULE: "Xin lỗi, hẹn lại (Mẫu 04)",
    Action.RESOLVE: "Ghi nhận đã có kết quả",
    Action.RETURN_AT_DESK: "Trả kết quả tại Bộ phận Một cửa",
    Action.RECORD_FEES: "Thu phí, lệ phí",
    Action.CANCEL_PARCEL: "Hủy yêu cầu chuyển phát kết quả",
    Action.HANDLE_CASES: "Xử lý phản ánh, kiến nghị, khiếu nại, tố cáo",
    Action.VIEW_REPORTS: "Xem báo cáo, thống kê",
    Action.HANDLE_MESSAGES: "Xử lý tin nhắn chưa gửi được",
    Action.MANAGE_ACCOUNTS: "Quản lý tài khoản",
    Action.MANAGE_CATALOGUE: "Quản lý danh mục thủ tục",
}


_A = Action
#: What each role may do (the one-stop split of Decree 61/2018 Art. 17-20).
PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.DESK: frozenset(
        {
            _A.VIEW_QUEUES,
            _A.VIEW_DOSSIER,
            _A.RECEIVE,
            _A.PRINT_RECEIPT,
            _A.HAND_OVER,
            _A.RECEIVE_SUPPLEMENT,
            _A.RESOLVE,
            _A.RETURN_AT_DESK,
            _A.RECORD_FEES,
            _A.CANCEL_PARCEL,
            _A.HANDLE_MESSAGES,
        }
    ),
    Role.SPECIALIST: frozenset(
        {_A.VIEW_QUEUES, _A.VIEW_DOSSIER, _A.HAND_OVER, _A.REQUEST_SUPPLEMENT, _A.REFUSE}
    ),
    Role.LEADER: frozenset(
        {
            _A.VIEW_QUEUES,
            _A.VIEW_DOSSIER,
            _A.HAND_OVER,
            _A.REFUSE,
            _A.RESCHEDULE,
            _A.RESOLVE,
            _A.VIEW_REPORTS,
        }
    ),
    Role.CASE_HANDLER: frozenset({_A.HANDLE_CASES, _A.HANDLE_MESSAGES}),
    Role.ADMIN: frozenset({_A.MANAGE_ACCOUNTS, _A.MANAGE_CATALOGUE, _A.VIEW_REPORTS}),
}


def allowed(role: Role, action: Action) -> bool:
    """Whether ``role`` may do ``action`` (:data:`PERMISSIONS`)."""
    return action in PERMISSIONS[role]


def check_username(value: str) -> str:
    """``value`` if it is a valid user name: 3-32 of ``a-z 0-9 . _ -``, starting alphanumeric.

    Raises:
        InvalidInput: Naming what is wrong.
    """
    if not _USERNAME.fullmatch(value):
        raise InvalidInput(
            f"user name {value!r} must be 3-32 lower-case letters a-z, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return value


def _username(_: object, __: object, value: str) -> None:
    check_username(value)


class AccountExists(InvalidInput):
    """An account with this user name already exists."""


@attrs.frozen
class Account:
    """A staff account.

    Args:
        username: The login name (see :func:`check_username`).
        display_name: The officer's full name, as recorded in the audit trail.
        role: What the officer does.
        unit: The officer's unit (phòng, bộ phận), as dossiers' holder units name it.
        password_hash: The password's hash (made by an adapter; never the password).
        failed_logins: Consecutive failed logins since the last success.
        locked_until: Refuse logins until this instant (after too many failures).
        active: Whether the account may log in at all.
    """

    username: str = attrs.field(validator=_username)
    display_name: str = attrs.field(converter=nfc, validator=non_blank)
    role: Role
    unit: str = attrs.field(converter=nfc, validator=non_blank)
    password_hash: str = attrs.field(repr=False, validator=non_blank)
    failed_logins: int = 0
    locked_until: dt.datetime | None = None
    active: bool = True

    def may(self, action: Action) -> bool:
        """Whether this account's role allows ``action``."""
        return allowed(self.role, action)


@attrs.frozen
class LockoutPolicy:
    """How many consecutive failed logins lock an account, and for how long.

    Args:
        max_failures: Failures that lock the account (the last one locks it).
        lock_for: How long the lock lasts.
    """

    max_failures: int = 5
    lock_for: dt.timedelta = dt.timedelta(minutes=15)

    def __attrs_post_init__(self) -> None:
        if self.max_failures < 1 or self.lock_for <= dt.timedelta(0):
            raise InvalidInput("a lock-out needs at least one failure and a positive duration")


def is_locked(account: Account, at: dt.datetime) -> bool:
    """Whether logins to ``account`` are refused at ``at`` (inactive, or locked until later)."""
    return not account.active or (account.locked_until is not None and at < account.locked_until)


def login_failed(account: Account, at: dt.datetime, policy: LockoutPolicy) -> Account:
    """The account after a failed login at ``at``: counted, and locked at the limit."""
    failures = account.failed_logins + 1
    if failures >= policy.max_failures:
        return attrs.evolve(account, failed_logins=0, locked_until=at + policy.lock_for)
    return attrs.evolve(account, failed_logins=failures)


def login_succeeded(account: Account) -> Account:
    """The account after a successful login: the failure count starts again."""
    return attrs.evolve(account, failed_logins=0, locked_until=None)


class Accounts(Protocol):
    """Port: the stored staff accounts."""

    def get(self, username: str) -> Account | None:
        """The account with this user name."""
        ...

    def add(self, account: Account) -> None:
        """Store a new account.

        Raises:
            AccountExists: If the user name is taken.
        """
        ...

    def update(self, account: Account) -> None:
        """Replace the stored account with this user name (it must exist)."""
        ...

    def all(self) -> list[Account]:
        """Every account, by user name."""
        ...
