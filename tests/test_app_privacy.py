"""The privacy rule over HTTP: no response carries the applicant's phone, address or full name.

Whatever is asked — the code alone, the genuine receipt QR, a spoilt QR, HTML
or JSON, a chat look-up, the Open311 listing — the applicant's phone number,
address, e-mail, identity number and full name never appear; a genuine QR
shows the name masked to initials only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from tests._app import CHAT_SECRET, NOW, TestClient, client_for, qr_path
from tests._desk import at

from tthc_adapters.app import mask_name
from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.storage import MemoryStore
from tthc_core import complaint as cp
from tthc_core.desk import Desk, act, receive_dossier
from tthc_core.dossier import HandOver
from tthc_core.party import Applicant, PostalAddress
from tthc_core.storage import Store
from tthc_core.storage.kinds import COMPLAINTS
from tthc_core.testing.strategies import applicants, postal_addresses

_counter = iter(range(1, 10_000))


@pytest.fixture(scope="module")
def served(desk: Desk) -> Iterator[tuple[Store, TestClient]]:
    """One in-memory store and client shared by the examples (each files its own dossier)."""
    store = MemoryStore(clock=lambda: NOW)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    yield store, client_for(store, desk)
    store.close()


def _secrets(applicant: Applicant, home: PostalAddress) -> list[str]:
    values = [
        applicant.phone,
        applicant.address,
        applicant.email,
        applicant.identity_number,
        home.phone,
        home.street,
    ]
    names = [n for n in (applicant.name, home.recipient) if len(n.split()) > 1]
    return [v for v in (*values, *names) if v]


def _responses(
    client: TestClient, desk: Desk, store: Store, applicant: Applicant, home: PostalAddress
) -> Iterator[str]:
    number = next(_counter)
    with store.unit_of_work() as uow:
        dossier = receive_dossier(
            uow,
            desk,
            procedure_code=str(DEMO_CATALOGUE[0].code),
            applicant=applicant,
            at=at(11, 23, 9, 15),
            postal_address=home,
        )
        act(uow, desk, dossier.code, HandOver(dossier.steps[0].unit), at=at(11, 23, 10))
        case, events = cp.receive(
            case_id=f"PA-{number}",
            kind=cp.CaseKind.PETITION,
            at=at(11, 23, 11),
            channel=cp.Channel.CHAT,
            agency=desk.complaints,
            deadlines=desk.deadlines,
            sender=applicant,
            content=f"{applicant.name} {applicant.phone} {applicant.address}",
        )
        uow.repository(COMPLAINTS).save(case, events)
        uow.commit()
    genuine = qr_path(desk, dossier)
    spoilt = genuine[:-1] + ("A" if genuine[-1] != "A" else "B")
    for path in (f"/{dossier.code}", genuine, genuine.lower(), spoilt):
        for accept in ("text/html", "application/json"):
            response = client.get(path, headers={"accept": accept})
            assert response.status_code == 200
            yield response.text
    details = client.get(genuine, headers={"accept": "application/json"}).json()["details"]
    assert details["applicant"] == mask_name(applicant.name)
    chat = client.post(
        "/webhooks/chat",
        json={
            "event_id": f"evt-{number}",
            "user_id": "u-privacy",
            "text": f"tra cứu {dossier.code}",
            "timestamp": int(NOW.timestamp() * 1000),
        },
        headers={"authorization": f"Bearer {CHAT_SECRET}"},
    )
    yield chat.text
    yield client.get("/open311/v2/requests.json").text
    yield client.get(f"/open311/v2/requests/PA-{number}.json").text


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(applicant=applicants(), home=postal_addresses())
def test_no_response_carries_the_applicants_identity(
    served: tuple[Store, TestClient], desk: Desk, applicant: Applicant, home: PostalAddress
) -> None:
    store, client = served
    home = PostalAddress(home.recipient, home.phone, home.street, "24343", "66")  # resolvable
    secrets = _secrets(applicant, home)
    for text in _responses(client, desk, store, applicant, home):
        # JSON escapes nothing here (ensure_ascii=False), but decode to be sure
        decoded = json.dumps(json.loads(text), ensure_ascii=False) if text[:1] in "[{" else text
        for secret in secrets:
            assert secret not in text
            assert secret not in decoded
