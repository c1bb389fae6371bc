"""Helpers for the Open311 tests: reading GeoReport XML back, the spec's own structure.

The XML is read with defusedxml (no entity expansion, no external entities),
and mapped back to JSON-like data by the Spark convention the specification
names (open311.org GeoReport v2, "JSON Support"): a list element holds one
child per item; a leaf is its text, an empty leaf is ``None``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import jsonschema  # type: ignore[import-untyped]
from defusedxml.ElementTree import fromstring
from referencing import Registry, Resource

from tthc_adapters.app._open311._formats import ITEMS
from tthc_core import complaint as cp
from tthc_core.complaint import CaseKind
from tthc_core.desk import Desk
from tthc_core.party import Applicant
from tthc_core.storage import Store
from tthc_core.storage.kinds import COMPLAINTS

__all__ = [
    "REQUESTS",
    "SENDER",
    "SERVICES",
    "SPEC_SAMPLES",
    "as_text",
    "file_case",
    "from_xml",
    "paths",
    "spec_paths",
    "spec_sample",
]

SPEC_SAMPLES = Path(__file__).parent / "fixtures" / "open311"
_LISTS = {*ITEMS, "service_requests"}
SCHEMAS = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "open311"


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _validator(name: str, *refs: str) -> jsonschema.Draft7Validator:
    registry = Registry().with_resources((r, Resource.opaque(_schema(r))) for r in refs)
    return jsonschema.Draft7Validator(
        _schema(name), registry=registry, format_checker=jsonschema.FormatChecker()
    )


REQUESTS = _validator("requests.json", "request.json")
SERVICES = _validator("services.json", "service.json")

SENDER = Applicant("Trần Văn Bình", address="Buôn Ea Kmar, xã Krông Năng", phone="0987654321")


def file_case(
    store: Store,
    desk: Desk,
    case_id: str,
    received: dt.datetime,
    kind: CaseKind = CaseKind.PETITION,
    *,
    close: bool = False,
    location: cp.GeoPoint | None = None,
) -> cp.Case:
    """Store a case received by chat from :data:`SENDER` (closed: withdrawn an hour later)."""
    case, events = cp.receive(
        case_id=case_id,
        kind=kind,
        at=received,
        channel=cp.Channel.CHAT,
        agency=desk.complaints,
        deadlines=desk.deadlines,
        sender=SENDER,
        content=f"Tôi là {SENDER.name}, số điện thoại {SENDER.phone}",
        public_summary=f"Phản ánh của {SENDER.name} ({SENDER.phone}) về thời gian chờ",
        desk=desk.unit if kind is CaseKind.SERVICE_FEEDBACK else None,
        location=location,
    )
    if close:
        case, more = cp.withdraw(case, at=received + dt.timedelta(hours=1))
        events = [*events, *more]
    with store.unit_of_work() as uow:
        saved = uow.repository(COMPLAINTS).save(case, events)
        uow.commit()
    return saved


def spec_sample(name: str) -> bytes:
    """A sample document of the specification, as written there."""
    return (SPEC_SAMPLES / f"{name}.xml").read_bytes()


def _data(element: Element) -> Any:
    if element.tag in _LISTS:
        return [_data(child) for child in element]
    if len(element):
        return {child.tag: _data(child) for child in element}
    text = (element.text or "").strip()
    return text or None


def from_xml(document: bytes) -> tuple[str, Any]:
    """The root tag and the data of a GeoReport XML document."""
    root = fromstring(document)
    return root.tag, _data(root)


def as_text(value: Any) -> Any:
    """JSON data as XML carries it: booleans ``true``/``false``, numbers as text, ``""`` as None."""
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return None
    return str(value).strip() or None


def paths(document: bytes) -> set[str]:
    """Every element path of a document (``services/service/service_code``)."""
    found: set[str] = set()

    def walk(element: Element, prefix: str) -> None:
        path = f"{prefix}/{element.tag}" if prefix else element.tag
        found.add(path)
        for child in element:
            walk(child, path)

    walk(fromstring(document), "")
    return found


def spec_paths(root: str) -> set[str]:
    """The element paths the specification's samples with this root use (the structure)."""
    found: set[str] = set()
    for sample in sorted(SPEC_SAMPLES.glob("*.xml")):
        if fromstring(sample.read_bytes()).tag == root:
            found |= paths(sample.read_bytes())
    return found
