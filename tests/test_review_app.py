"""Review findings on the status-page app: each test pins a defect that was fixed."""

from __future__ import annotations

from tests._app import client_for, qr_path
from tests._desk import receive

from tthc_adapters.app import split_path
from tthc_core.desk import Desk
from tthc_core.storage import Store

JSON = {"accept": "application/json"}
# Characters whose Unicode upper case is ASCII: ſ → S, ı → I.
_LOOKALIKES = {"S": "ſ", "I": "ı"}


def test_the_qr_path_is_matched_case_insensitively_in_ascii_only(store: Store, desk: Desk) -> None:
    # The receipt URL is upper-case ASCII (ReceiptCodec); its lower-case form is
    # the same URL, but a path with non-ASCII look-alikes is not the receipt's.
    dossier = receive(store, desk)
    client = client_for(store, desk)
    path = qr_path(desk, dossier)
    code_segment, _, suffix = path.rpartition("/")
    assert client.get(path.lower(), headers=JSON).json()["verification"] == "valid"
    tried = 0
    for ascii_, other in _LOOKALIKES.items():
        if ascii_ not in suffix:  # the test key's tag holds both
            continue
        tried += 1
        disguised = f"{code_segment}/{suffix.replace(ascii_, other)}"
        body = client.get(disguised, headers=JSON).json()
        assert body.get("verification") != "valid"
        assert "details" not in body
    assert tried > 0


def test_split_path_does_not_fold_non_ascii_into_the_prefix() -> None:
    assert split_path("/hs/000.00.15.H12-240307-0005", "/HS") is not None
    assert split_path("/hſ/000.00.15.H12-240307-0005", "/HS") is None
