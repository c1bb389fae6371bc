"""Strategies for codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode

__all__ = ["agency_codes", "dossier_codes", "procedure_codes"]


@st.composite
def agency_codes(draw: st.DrawFn) -> AgencyCode:
    """Agency codes in the 4-group form, with lenient inner widths now and then."""
    level1 = draw(st.sampled_from("ABGHKMNPTX")) + f"{draw(st.integers(0, 99)):02d}"
    y = draw(st.integers(0, 99))
    z = draw(st.integers(0, 99))
    v = draw(st.integers(0, 999))
    wide = draw(st.booleans())
    y_text = f"{draw(st.integers(0, 999)):03d}" if wide else f"{y:02d}"
    return AgencyCode(f"{v:03d}.{z:02d}.{y_text}.{level1}")


def dossier_codes() -> st.SearchStrategy[DossierCode]:
    """Dossier codes with receipt dates 2018-2035."""
    return st.builds(
        DossierCode,
        agency_codes(),
        st.dates(dt.date(2018, 1, 1), dt.date(2035, 12, 31)),
        st.integers(1, 9999),
    )


def procedure_codes() -> st.SearchStrategy[ProcedureCode]:
    """National procedure codes with optional agency and service suffixes."""
    national = st.builds(lambda d, n: f"{d}.{n:06d}", st.integers(1, 3), st.integers(0, 999999))
    return st.builds(
        ProcedureCode,
        national,
        st.none() | agency_codes(),
        st.none() | st.integers(1, 99).map(lambda n: f"{n:02d}"),
    )


REGISTRY: dict[type, Any] = {
    AgencyCode: agency_codes(),
    DossierCode: dossier_codes(),
    ProcedureCode: procedure_codes(),
}
