"""Port: stronger identity than a shared phone (VNeID), for procedures that need it.

Decree 45/2020/NĐ-CP lets each procedure require the authentication it needs;
:class:`~tthc_core.catalogue.IdentityLevel` ``VERIFIED`` asks for an
electronic identity verified by a provider. The citizen opens
:meth:`IdentityProvider.login_url` (from chat), the provider sends them back
with an assertion, and :meth:`IdentityProvider.verify` turns it into an
:class:`~tthc_core.filing.Identity` (``provider`` set), given to the filing as
:class:`~tthc_core.filing.GiveIdentity`.
"""

from __future__ import annotations

from typing import Protocol

from tthc_core.errors import InvalidInput
from tthc_core.filing._model import Identity
from tthc_core.text import nfc

__all__ = ["IdentityProvider", "IdentityRefused"]


class IdentityRefused(InvalidInput):
    """An assertion the provider does not vouch for; ``reason_vi`` is shown to the citizen."""

    def __init__(self, reason: str, reason_vi: str) -> None:
        super().__init__(reason)
        self.reason_vi = nfc(reason_vi)


class IdentityProvider(Protocol):
    """Port: an electronic identity provider (VNeID, or a fake in tests)."""

    @property
    def name(self) -> str:
        """Its name as recorded on the identity (``"vneid"``)."""
        ...

    def login_url(self, state: str) -> str:
        """Where the citizen signs in; ``state`` comes back with the assertion."""
        ...

    def verify(self, assertion: str, *, state: str) -> Identity:
        """The identity the provider asserts for ``state``.

        Raises:
            IdentityRefused: If the assertion is forged, expired or for another state.
        """
        ...
