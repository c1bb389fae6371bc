"""The demo's staff accounts, and how to open the staff pages on the demo's database."""

from __future__ import annotations

from pathlib import Path

from tthc_core.accounts import Account, Role
from tthc_core.desk import Desk
from tthc_core.storage import Store

__all__ = ["DEMO_PASSWORD", "add_demo_accounts", "staff_instructions"]

#: The published password of the demo's accounts (demo databases only).
DEMO_PASSWORD = "tthc-demo-2026"  # noqa: S105 - published, like the demo receipt key

#: One account per role; units as the demo catalogue's steps name them.
_ACCOUNTS = (
    ("demo.motcua", "Trần Văn Nam", Role.DESK, None),
    ("demo.chuyenvien", "Lê Thị Mai", Role.SPECIALIST, "Phòng Kinh tế xã Krông Năng"),
    ("demo.lanhdao", "Phạm Quốc Huy", Role.LEADER, "Lãnh đạo UBND xã Krông Năng"),
    ("demo.pakn", "Võ Thị Lan", Role.CASE_HANDLER, None),
    ("demo.quantri", "Đỗ Minh Tâm", Role.ADMIN, "Văn phòng UBND xã Krông Năng"),
)


def add_demo_accounts(store: Store, desk: Desk) -> list[Account]:
    """Add the demo accounts (password :data:`DEMO_PASSWORD`) to ``store``."""
    from tthc_adapters.staff import PasswordHasher
    from tthc_adapters.storage import accounts_for

    accounts, hasher = accounts_for(store), PasswordHasher()
    password_hash = hasher.hash(DEMO_PASSWORD)
    added = []
    for username, name, role, unit in _ACCOUNTS:
        account = Account(username, name, role, unit or desk.unit, password_hash)
        accounts.add(account)
        added.append(account)
    return added


def staff_instructions(db: Path, accounts: list[Account]) -> str:
    """What to type to open the staff pages on the demo's database."""
    names = "\n".join(f"     {a.username:<16} {a.role.label_vi}" for a in accounts)
    return (
        "\n9. The officials' desk (staff pages) on this demo's database:\n"
        f"     tthc serve --db {db} --demo-key\n"
        "   then open http://127.0.0.1:8000/staff/ and log in with one of these accounts\n"
        f"   (password {DEMO_PASSWORD}):\n{names}"
    )
