"""Adapters to the national public-service portal (Cổng DVCQG): codecs, transports, a fake.

* :class:`RpcProfile` (``dvcqg-rpc-2020``) and :class:`UrlProfile`
  (``dvcqg-url-2024``): the wire shapes; :func:`format_stamp` /
  :func:`parse_stamp`: ``yyyyMMddHHmmss`` in Vietnam time; :func:`read_error_code`.
* :class:`TransportConfig` (timeouts; TLS verification never off),
  :class:`SessionLogin`, :class:`OAuth2ClientCredentials`, :class:`AccessKey`.
* :class:`HttpNationalPortal`: the port over HTTPS.
* :class:`FakeNationalPortal` (+ :func:`asgi_app`, :func:`mock_transport`,
  :class:`LoopbackPortal`) and :func:`evaluate_766`.
* :class:`MemoryLedger`, :class:`SqliteLedger`, :class:`PostgresLedger`: the sync
  ledger (migrations 0007, 0013).

* :class:`PortalSettings` (``TTHC_PORTAL_*``), :class:`PortalRuntime` (the engine over
  a store and a desk), :class:`PortalThread` (what ``tthc worker`` runs).

See ``docs/portal.md``; facts from ``dvcqg-sync.md``.
"""

from __future__ import annotations

from tthc_adapters.portal._auth import (
    AccessKey,
    Auth,
    OAuth2ClientCredentials,
    SessionLogin,
    TransportConfig,
)
from tthc_adapters.portal._client import HttpNationalPortal
from tthc_adapters.portal._dates import format_stamp, parse_stamp
from tthc_adapters.portal._fake import HANG, Call, FakeFaults, FakeNationalPortal
from tthc_adapters.portal._fields import read_error_code, row_fields, snapshot_fields
from tthc_adapters.portal._kpi766 import Indicator, evaluate_766
from tthc_adapters.portal._ledger import MemoryLedger
from tthc_adapters.portal._profiles import Profile, Request, RpcProfile, UrlProfile
from tthc_adapters.portal._runtime import PortalRuntime, PortalThread, ledger_for
from tthc_adapters.portal._serve import LoopbackPortal, asgi_app, mock_transport
from tthc_adapters.portal._settings import PortalSettings
from tthc_adapters.portal._sql_ledger import PostgresLedger, SqliteLedger, SqlLedger

__all__ = [
    "HANG",
    "AccessKey",
    "Auth",
    "Call",
    "FakeFaults",
    "FakeNationalPortal",
    "HttpNationalPortal",
    "Indicator",
    "LoopbackPortal",
    "MemoryLedger",
    "OAuth2ClientCredentials",
    "PortalRuntime",
    "PortalSettings",
    "PortalThread",
    "PostgresLedger",
    "Profile",
    "Request",
    "RpcProfile",
    "SessionLogin",
    "SqlLedger",
    "SqliteLedger",
    "TransportConfig",
    "UrlProfile",
    "asgi_app",
    "evaluate_766",
    "format_stamp",
    "ledger_for",
    "mock_transport",
    "parse_stamp",
    "read_error_code",
    "row_fields",
    "snapshot_fields",
]
