"""The officials' desk: a server-rendered staff web application (needs ``tthc[server,qr]``).

:func:`staff_app` builds a Starlette application that ``create_app`` mounts
under ``/staff/``. Pages are Jinja2 templates (autoescaped) in this package's
``templates`` folder; there is no JavaScript. Officers log in with an account
(:mod:`tthc_core.accounts`); each role sees and does only its part; every
action goes through :mod:`tthc_core.desk` in a unit of work that records the
officer in the audit trail.
"""

from __future__ import annotations

from tthc_adapters.staff._api import issue_token
from tthc_adapters.staff._app import SESSION_COOKIE, staff_app
from tthc_adapters.staff._openapi import openapi
from tthc_adapters.staff._queues import Queues, build_queues
from tthc_adapters.staff._security import PasswordHasher, authenticate

__all__ = [
    "SESSION_COOKIE",
    "PasswordHasher",
    "Queues",
    "authenticate",
    "build_queues",
    "issue_token",
    "openapi",
    "staff_app",
]
