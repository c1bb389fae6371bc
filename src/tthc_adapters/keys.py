"""Loading receipt keys from a key file or the ``TTHC_RECEIPT_KEYS`` environment variable.

Format (one entry per line, or separated by commas or spaces; ``#`` starts a
comment)::

    # [AGENCY/]KEY_ID=SECRET_HEX      (secret: at least 32 hex digits = 16 bytes)
    K1=9f2c...e1                      # for every agency, oldest first
    000.00.15.H12/A2=4b7d...90        # for one agency

The last key listed for an agency (or for every agency) signs new receipts;
all listed keys verify. Rotate by appending a key and keeping the old one.
Generate a secret with ``python -c "import secrets; print(secrets.token_hex(32))"``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from tthc_core.codes import AgencyCode, InvalidAgencyCode
from tthc_core.errors import InvalidInput
from tthc_core.receipt import ReceiptKey, StaticKeyRing

__all__ = ["DEMO_KEYS", "ENV_VAR", "load_key_ring", "parse_keys"]

#: The environment variable holding keys in the key-file format.
ENV_VAR = "TTHC_RECEIPT_KEYS"
#: A published key for demonstrations only: receipts signed with it prove nothing.
DEMO_KEYS = "DEMO=" + "74746863" * 8

_ENTRY = re.compile(r"(?:(?P<agency>[0-9A-Za-z.]+)/)?(?P<kid>[0-9A-Za-z]+)=(?P<secret>\S+)")


def parse_keys(text: str, *, source: str = "key text") -> StaticKeyRing:
    """Parse keys in the key-file format.

    Args:
        text: The file's content or the variable's value.
        source: Where the text came from, for error messages.

    Raises:
        InvalidInput: With the entry number at fault (secrets are never echoed).
    """
    entries = re.sub(r"#[^\n]*", "", text).replace(",", " ").split()
    keys = []
    for number, entry in enumerate(entries, start=1):
        match = _ENTRY.fullmatch(entry)
        if match is None:
            raise InvalidInput(f"{source}, entry {number}: expected [AGENCY/]KEY_ID=SECRET_HEX")
        try:
            secret = bytes.fromhex(match["secret"])
            agency = AgencyCode.parse(match["agency"]) if match["agency"] else None
        except ValueError as exc:
            what = "agency code" if isinstance(exc, InvalidAgencyCode) else "secret (not hex)"
            raise InvalidInput(f"{source}, entry {number}: invalid {what}") from None
        try:
            keys.append(ReceiptKey(match["kid"], secret, agency))
        except InvalidInput as exc:
            raise InvalidInput(f"{source}, entry {number}: {exc.reason}") from None
    if not keys:
        raise InvalidInput(f"{source} holds no key")
    return StaticKeyRing(keys)


def load_key_ring(
    path: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    demo: bool = False,
) -> StaticKeyRing:
    """Keys from a key file, else from ``TTHC_RECEIPT_KEYS``, else the demo key if asked.

    Args:
        path: A key file.
        environ: The environment (``os.environ`` by default).
        demo: Fall back to :data:`DEMO_KEYS`.

    Raises:
        InvalidInput: If no source is configured or a source is malformed.
    """
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"cannot read key file {path}: {exc.strerror}") from None
        return parse_keys(text, source=f"key file {path}")
    value = (os.environ if environ is None else environ).get(ENV_VAR)
    if value:
        return parse_keys(value, source=ENV_VAR)
    if demo:
        return parse_keys(DEMO_KEYS, source="demo key")
    raise InvalidInput(
        f"no receipt keys: pass --keys FILE, set {ENV_VAR}, or use --demo-key for a demonstration"
    )
