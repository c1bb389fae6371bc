"""A fake electronic identity provider (VNeID's role), for tests and demos.

It signs assertions ``subject|full_name|phone|state|tag`` with an HMAC of its
secret: :meth:`FakeIdentityProvider.assert_identity` plays the citizen signing
in; :meth:`FakeIdentityProvider.verify` checks the tag and the state. A real
provider adapter implements the same :class:`tthc_core.filing.IdentityProvider`
with the provider's protocol (OpenID Connect), configured by base URL.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse

import attrs

from tthc_core.errors import InvalidInput
from tthc_core.filing import Identity, IdentityRefused
from tthc_core.party import normalise_phone

__all__ = ["FakeIdentityProvider"]

_REFUSED = "Xác thực định danh điện tử không thành công. Xin thử lại."


@attrs.frozen
class FakeIdentityProvider:
    """Signs and verifies identity assertions (see the module docstring)."""

    secret: bytes = attrs.field(repr=False)
    base_url: str = "https://vneid.example.invalid"
    name: str = "vneid"

    def login_url(self, state: str) -> str:
        """The sign-in page for ``state``."""
        return f"{self.base_url}/dang-nhap?{urllib.parse.urlencode({'state': state})}"

    def _tag(self, body: str) -> str:
        return hmac.new(self.secret, body.encode("utf-8"), hashlib.sha256).hexdigest()

    def assert_identity(self, subject: str, full_name: str, phone: str, *, state: str) -> str:
        """The assertion the provider sends back after the citizen signs in."""
        body = "|".join((subject, full_name, phone, state))
        return f"{body}|{self._tag(body)}"

    def verify(self, assertion: str, *, state: str) -> Identity:
        """The identity of a genuine assertion for ``state``; :class:`IdentityRefused` otherwise."""
        body, _, tag = assertion.rpartition("|")
        parts = body.split("|")
        if len(parts) != 4 or not hmac.compare_digest(tag, self._tag(body)):
            raise IdentityRefused("forged identity assertion", _REFUSED)
        subject, full_name, phone, asserted_state = parts
        if asserted_state != state:
            raise IdentityRefused("identity assertion for another state", _REFUSED)
        try:
            return Identity(normalise_phone(phone), self.name, subject, full_name)
        except InvalidInput:
            raise IdentityRefused("identity assertion without a valid phone", _REFUSED) from None
