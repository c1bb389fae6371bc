"""Public postal service adapters (bưu chính công ích, Decision 45/2016/QĐ-TTg).

* :class:`PartnerPostalService`: the HTTP adapter (httpx + stamina) for a
  partner REST API shaped like VNPost's (:mod:`._wire`);
* :class:`FakePostalServer`: the same protocol on 127.0.0.1 with failure
  switches, for tests and the demo; :class:`InMemoryPostalService`: the fake
  operator without HTTP;
* :class:`ShipmentTracker`: booking plus the one idempotent handler that both
  callbacks and polling go through.
"""

from __future__ import annotations

from tthc_adapters.postal._fake_office import Booking, CallbackSink, FakePostOffice
from tthc_adapters.postal._fake_server import FakePostalServer, Faults
from tthc_adapters.postal._http import PartnerConfig, PartnerPostalService
from tthc_adapters.postal._memory import InMemoryPostalService
from tthc_adapters.postal._tracker import CallbackRejected, EventListener, ShipmentTracker

__all__ = [
    "Booking",
    "CallbackRejected",
    "CallbackSink",
    "EventListener",
    "FakePostOffice",
    "FakePostalServer",
    "Faults",
    "InMemoryPostalService",
    "PartnerConfig",
    "PartnerPostalService",
    "ShipmentTracker",
]
