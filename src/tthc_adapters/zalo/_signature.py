"""Verifying ``X-ZEvent-Signature`` on a Zalo webhook (reference zalo-oa.md §2.4).

Zalo documents ``mac = sha256(appId + data + timeStamp + OAsecretKey)``: plain
SHA-256 (not HMAC) over the app id, the raw body exactly as received, the
``timestamp`` field inside the body and the OA Secret Key, sent as
``mac=<64 lowercase hex>``. The reference marks three points uncertain
([C]/[I]): which secret (OA Secret Key or App Secret), which first term
(``app_id`` or ``oa_id``) and which timestamp (the body's, or an
``X-ZEvent-Timestamp`` header). Each combination is a :class:`Variant`; the
operator lists the ones to accept (default: only the documented one), every
comparison is constant-time (:func:`hmac.compare_digest`), and the log names
the variant that matched so the list can be narrowed once production shows it.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from collections.abc import Mapping

import attrs

from tthc_core.errors import InvalidInput

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "BadSignature",
    "FirstTerm",
    "Secret",
    "Stamp",
    "Variant",
    "ZaloSecrets",
    "mac",
    "verify_signature",
]

SIGNATURE_HEADER = "x-zevent-signature"
#: The header some implementations read the timestamp from (reference §2.4, [I]).
TIMESTAMP_HEADER = "x-zevent-timestamp"


class BadSignature(InvalidInput):
    """The webhook's signature is missing, malformed or matches no accepted variant."""


class FirstTerm(enum.Enum):
    """The id hashed first: the app's (documented) or the OA's ([C])."""

    APP_ID = "app_id"
    OA_ID = "oa_id"


class Stamp(enum.Enum):
    """Where the hashed timestamp comes from: the body (documented) or a header ([I])."""

    BODY = "body"
    HEADER = "header"


class Secret(enum.Enum):
    """The key hashed last: the OA Secret Key (documented) or the App Secret ([C])."""

    OA = "oa_secret"
    APP = "app_secret"


@attrs.frozen
class Variant:
    """One way of building the hashed string."""

    first: FirstTerm = FirstTerm.APP_ID
    stamp: Stamp = Stamp.BODY
    secret: Secret = Secret.OA

    @property
    def name(self) -> str:
        """``app_id+body+oa_secret`` and the like (what the log says)."""
        return f"{self.first.value}+{self.stamp.value}+{self.secret.value}"

    @classmethod
    def parse(cls, text: str) -> Variant:
        """Read :attr:`name` back (``TTHC_ZALO_SIGNATURE_VARIANTS``).

        Raises:
            InvalidInput: Naming the part that is not known.
        """
        parts = text.strip().split("+")
        try:
            first, stamp, secret = parts
            return cls(FirstTerm(first), Stamp(stamp), Secret(secret))
        except ValueError:
            raise InvalidInput(
                f"signature variant {text!r} is not '<app_id|oa_id>+<body|header>+"
                "<oa_secret|app_secret>'"
            ) from None


#: The documented construction (reference §2.4).
DOCUMENTED = Variant()


@attrs.frozen
class ZaloSecrets:
    """The keys of one Official Account (the developer console shows them).

    Args:
        app_id: The app id (Zalo for Developers → the app).
        oa_id: The Official Account's id.
        oa_secret: The OA Secret Key shown with the webhook settings.
        app_secret: The App Secret (also the OAuth ``secret_key``); hashed only
            by variants that name it.
        variants: The accepted signature variants, tried in order.
    """

    app_id: str
    oa_id: str
    oa_secret: str = attrs.field(repr=False)
    app_secret: str = attrs.field(default="", repr=False)
    variants: tuple[Variant, ...] = (DOCUMENTED,)

    def __attrs_post_init__(self) -> None:
        if not self.app_id or not self.oa_id or not self.oa_secret:
            raise InvalidInput("Zalo app id, OA id and OA secret key must not be empty")
        if not self.variants:
            raise InvalidInput("at least one signature variant must be accepted")
        if any(v.secret is Secret.APP for v in self.variants) and not self.app_secret:
            raise InvalidInput("a signature variant names the App Secret, which is not set")


def mac(first: str, raw: bytes, stamp: str, secret: str) -> str:
    """``sha256(first + raw + stamp + secret)`` in lowercase hex, over UTF-8 bytes."""
    digest = hashlib.sha256()
    for part in (first.encode("utf-8"), raw, stamp.encode("utf-8"), secret.encode("utf-8")):
        digest.update(part)
    return digest.hexdigest()


def verify_signature(
    secrets: ZaloSecrets, raw: bytes, body_stamp: str, headers: Mapping[str, str]
) -> Variant:
    """The accepted variant the request's signature matches.

    Every accepted variant is computed and compared in constant time (no
    early exit that would tell which part differed).

    Raises:
        BadSignature: If the header is missing or malformed, or no variant matches.
    """
    given = headers.get(SIGNATURE_HEADER, "").strip()
    scheme, eq, hexmac = given.partition("=")
    if not eq or scheme.strip().lower() != "mac" or not hexmac:
        raise BadSignature(f"the {SIGNATURE_HEADER} header must be 'mac=<hex>'")
    claimed = hexmac.strip().lower().encode("ascii", "replace")
    matched: Variant | None = None
    for variant in secrets.variants:
        first = secrets.app_id if variant.first is FirstTerm.APP_ID else secrets.oa_id
        stamp = body_stamp if variant.stamp is Stamp.BODY else headers.get(TIMESTAMP_HEADER, "")
        key = secrets.oa_secret if variant.secret is Secret.OA else secrets.app_secret
        expected = mac(first, raw, stamp, key).encode("ascii")
        if hmac.compare_digest(expected, claimed) and matched is None:
            matched = variant
    if matched is None:
        raise BadSignature("the signature matches none of the accepted variants")
    return matched
