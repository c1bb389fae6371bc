"""What a scan of status pages learns from QR tags it cannot sign: nothing (issue 9).

A tag that does not verify is answered before the store is read, so a path
with an unknown code and one with a real code answer alike — same status,
same headers, same body but for the code — whatever the tag.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._app import NOW, TestClient, client_for, qr_path
from tests._desk import receive

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.storage import MemoryStore
from tthc_core.desk import Desk
from tthc_core.dossier import Dossier


@pytest.fixture(scope="module")
def scene(desk: Desk) -> tuple[TestClient, Dossier]:
    store = MemoryStore(clock=lambda: NOW)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return client_for(store, desk), receive(store, desk)


_TAGS = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", min_size=1, max_size=20)
_SUFFIXES = (
    st.builds(
        lambda v, k, t: f"{v}.{k}.{t}",
        st.sampled_from(["1", "2"]),
        st.sampled_from(["K1", "K9"]),
        _TAGS,
    )
    | _TAGS
)


@given(suffix=_SUFFIXES, accept=st.sampled_from(["text/html", "application/json"]))
def test_unknown_and_real_codes_answer_alike_under_a_tag_that_does_not_verify(
    scene: tuple[TestClient, Dossier], desk: Desk, suffix: str, accept: str
) -> None:
    client, dossier = scene
    genuine = qr_path(desk, dossier)
    if genuine.endswith(f"/{suffix}"):
        return  # the one tag that verifies
    real = str(dossier.code)
    unknown = str(attrs.evolve(dossier.code, sequence=dossier.code.sequence + 1))
    answers = [
        client.get(f"/{code}/{suffix}", headers={"accept": accept}) for code in (real, unknown)
    ]
    assert answers[0].status_code == answers[1].status_code == 200
    assert dict(answers[0].headers) == dict(answers[1].headers)
    assert answers[0].text.replace(real, unknown) == answers[1].text
