"""The code the portal knows a dossier by (reference ``dvcqg-sync.md`` §7).

DVCQG takes codes carrying the sending province's prefix (Thanh Hóa
``GetMaHoSo``, **H** behaviour): a local code whose agency lies in another
province (conversions, sector systems) travels under an alternate national
code ``<province agency>-YYMMDD-NNNNN``, allocated once and kept forever.
"""

from __future__ import annotations

from tthc_core.codes import DossierCode
from tthc_core.errors import InvalidInput

__all__ = ["alternate_code", "needs_alternate"]


def needs_alternate(code: DossierCode, province: str) -> bool:
    """Whether ``code`` lacks the province prefix ``province`` (such as ``"H15"``)."""
    return code.agency.level1 != province


def alternate_code(code: DossierCode, *, province_agency: str, serial: int) -> str:
    """The alternate national code for ``code``: ``<province_agency>-YYMMDD-<serial:05d>``.

    The serial comes from a persisted allocator (the core has no randomness);
    the caller stores the result and never regenerates it.
    """
    if not 1 <= serial <= 99999:
        raise InvalidInput(f"alternate code serial must be 1-99999, got {serial}")
    return f"{province_agency}-{code.received_on:%y%m%d}-{serial:05d}"
