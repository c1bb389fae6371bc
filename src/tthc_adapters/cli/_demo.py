"""``tthc demo``: one dossier's life at a commune desk, on the embedded SQLite store.

A scripted walk through tthc with the real adapters: the working-day calendar,
the SQLite store with its outbox and inbox, the signed receipt QR (and its A5
PDF when the ``qr`` extra is installed), chat look-ups, the control sheet, the
citizen's postal choice, a postal operator (the local fake server, over HTTP)
and its callbacks, and service feedback. The citizen is on Zalo: the fake
Zalo platform signs every chat step as a webhook to tthc's app (both on
loopback), and the replies go out through the OA client to the fake
(:mod:`._demo_zalo`). The story's clock is fixed (late November 2026), so
every run prints the same dates.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import tempfile
from pathlib import Path

import attrs

from tthc_adapters.bootstrap import DEMO_CATALOGUE, DEMO_SETTINGS, Dispatcher, build_desk
from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.cli._demo_staff import add_demo_accounts, staff_instructions
from tthc_adapters.cli._demo_zalo import ZaloStage, zalo_stage
from tthc_adapters.keys import DEMO_KEYS, parse_keys
from tthc_adapters.postal import FakePostalServer, PartnerConfig, PartnerPostalService
from tthc_adapters.storage import SqliteStore
from tthc_adapters.webhooks import postal_inbound
from tthc_core.calendar import VN_TZ
from tthc_core.delivery import ProviderStatus
from tthc_core.desk import Desk, act, load_dossier, receipt_for, receive_dossier
from tthc_core.dossier import Command, Dossier, HandOver, Resolve, rebuild_sheet
from tthc_core.party import Applicant, PostalAddress
from tthc_core.receipt import LogBookEntry, ReceiptPayload
from tthc_core.storage import Store, drain_outbox
from tthc_core.storage.kinds import DOSSIERS

_SECRET = "demo-callback-secret"  # noqa: S105 - the fake operator's shared secret
_CITIZEN = "246845883529197922"  # a Zalo user id, scoped to the OA


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo``."""
    parser = subparsers.add_parser(
        "demo", help="walk one dossier through the desk on the embedded SQLite store"
    )
    parser.add_argument(
        "--db", type=Path, help="SQLite file to create (default: in a new temporary folder)"
    )
    parser.add_argument("--out", type=Path, help="folder for the receipt PDF (needs tthc[qr])")
    parser.set_defaults(handler=run)


def _at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN_TZ)


class _StoryClock:
    """The story's clock: the store and the outbox read it instead of the system's."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class _Demo:
    """The desk, its store and the fake operator, with a story clock."""

    def __init__(
        self,
        store: Store,
        desk: Desk,
        server: FakePostalServer,
        postal: PartnerPostalService,
        *,
        clock: _StoryClock,
        zalo: ZaloStage,
    ) -> None:
        self.clock = clock
        self.store = store
        self.desk = desk
        self.zalo = zalo
        self.office = server.office
        self.postal = postal
        self.dispatch = Dispatcher(
            chat=self._print_chat, postal=self.postal, channels=zalo.parts.channels()
        )
        self.now = _at(11, 23, 8)
        self.office.callback_headers["token"] = _SECRET
        # A callback is acknowledged into the inbox; the inbox worker's pass applies it.
        self.office.subscribe(
            lambda body, headers: store.inbox_queue.accept_all(
                [
                    postal_inbound(
                        body,
                        headers,
                        secret=_SECRET,
                        raw=json.dumps(body, ensure_ascii=False).encode(),
                        received_at=clock(),
                    )
                ]
            )
        )

    @staticmethod
    def _print_chat(channel: str, user_id: str, text: str) -> None:
        indented = text.replace("\n", "\n      ")
        print(f"   → [{channel} {user_id}] {indented}")

    def drain(self, at: dt.datetime) -> None:
        self.now = self.clock.now = at
        self.zalo.handle(self.store, self.clock)
        drain_outbox(self.store.outbox_queue, self.dispatch, owner="demo", clock=self.clock)
        self.zalo.show()

    def event(self, name: str, at: dt.datetime, shown: str, **fields: object) -> None:
        """The citizen does something on Zalo: a signed webhook to tthc."""
        self.clock.now = at
        print(f"   ← [zalo {_CITIZEN}] {shown}")
        self.zalo.post(name, _CITIZEN, **fields)
        self.drain(at)

    def chat(self, event_id: str, text: str, at: dt.datetime) -> None:
        self.event("user_send_text", at, text, message={"msg_id": event_id, "text": text})

    def act(self, dossier: Dossier, command: Command, at: dt.datetime) -> Dossier:
        self.clock.now = at
        with self.store.unit_of_work() as uow:
            saved = act(uow, self.desk, dossier.code, command, at=at)
            uow.commit()
        self.drain(at)
        return saved

    def report(self, reference: str, status: ProviderStatus, at: dt.datetime, **kw: str) -> None:
        self.clock.now = at
        print(f"   ⇐ [bưu điện] {reference}: {status.value}")
        self.office.report(reference, status, at, **kw)  # type: ignore[arg-type]
        self.drain(at)


def run(args: argparse.Namespace) -> int:
    """Run the scripted demonstration; returns 0."""
    folder = Path(tempfile.mkdtemp(prefix="tthc-demo-"))
    path: Path = args.db or folder / "tthc.sqlite3"
    if path.exists():
        print(f"tthc demo: {path} exists; name a new file with --db")
        return 2
    print(f"tthc demo — SQLite store: {path}\n")
    clock = _StoryClock(_at(11, 23, 8))
    store = SqliteStore(str(path), clock=clock)
    desk = build_desk(
        DEMO_SETTINGS, parse_keys(DEMO_KEYS, source="demo key"), on=_at(11, 23, 8).date()
    )
    with FakePostalServer() as server:
        postal = PartnerPostalService(
            PartnerConfig(server.base_url, "tthc", "secret", "C0001", attempts=3)
        )
        # Chat shows the operator's postage before the citizen confirms a postal return.
        desk = attrs.evolve(desk, postage=postal)
        with zalo_stage(store, desk, clock) as zalo:
            _run_story(
                _Demo(store, desk, server, postal, clock=clock, zalo=zalo), args.out or folder, path
            )
    return 0


def _run_story(demo: _Demo, out: Path, path: Path) -> None:
    """Tell the story, then how to open the staff pages; close what it opened."""
    with contextlib.ExitStack() as closing:
        closing.callback(demo.store.close)
        closing.callback(demo.postal.close)
        _story(demo, out)
        print(staff_instructions(path, add_demo_accounts(demo.store, demo.desk)))


def _story(demo: _Demo, out: Path) -> None:
    store, desk = demo.store, demo.desk
    with store.unit_of_work() as uow:
        for procedure in (*DEMO_CATALOGUE, *sample_catalogue()):
            uow.catalogue.put(procedure)
        uow.commit()

    print("1. The desk receives a complete dossier and issues Mẫu 01.")
    applicant = Applicant(
        "Nguyễn Thị Hương", address="Thôn 3, xã Krông Năng, Đắk Lắk", phone="0912 345 678"
    )
    home = PostalAddress("Nguyễn Thị Hương", "0912345678", "Thôn 3, đường Lê Lợi", "24343", "66")
    with store.unit_of_work() as uow:
        dossier = receive_dossier(
            uow,
            desk,
            procedure_code="1.004227.000.00.00.H15",
            applicant=applicant,
            at=_at(11, 23, 9, 15),
            officer="Trần Văn Nam",
            postal_address=home,
        )
        uow.commit()
    payload = desk.codec.sign(dossier.code, desk.keys)
    print(f"   Mã hồ sơ: {dossier.code}")
    print(f"   Hẹn trả kết quả: {dossier.due_at:%H giờ %M phút, ngày %d/%m/%Y}")
    print(f"   QR: {desk.codec.url(payload)}")
    _write_pdf(desk, dossier, payload, out)

    _on_zalo(demo, dossier, payload)

    print("\n3. Officers hand the dossier along its steps (Phiếu kiểm soát).")
    handovers = [_at(11, 23, 10), _at(12, 1, 15, 30), _at(12, 2, 9)]
    for step, at in zip(dossier.steps, handovers, strict=True):
        print(f"   {at:%d/%m %H:%M} → {step.unit}")
        dossier = demo.act(dossier, HandOver(step.unit), at)

    print("\n4. The result is ready. The citizen last wrote 9 days ago — outside Zalo's")
    print("   7-day window (-230) — so the notice goes as a ZNS template to the shared phone.")
    dossier = demo.act(dossier, Resolve(), _at(12, 2, 14))

    print("\n5. The citizen opens the chat, taps “Bưu điện” and confirms the registered address")
    print("   after the postage is shown; the outbox books the parcel.")
    demo.chat("evt-5", f"tra cứu {dossier.code}", _at(12, 2, 14, 50))
    demo.chat("evt-3", f"Bưu điện {dossier.code}", _at(12, 2, 15))
    demo.chat("evt-3b", "Xác nhận", _at(12, 2, 15, 1))
    reference = f"{dossier.code}-BC1"

    print("\n6. The post reports by callback; the delivery report arrives twice.")
    demo.report(reference, ProviderStatus.ACCEPTED, _at(12, 3, 8, 30))
    demo.office.duplicate_callbacks = True
    demo.report(reference, ProviderStatus.DELIVERED, _at(12, 4, 10), received_by="Nguyễn Thị Hương")

    print("\n7. Service feedback by chat is logged with its answer deadline.")
    demo.chat("evt-4", f"Góp ý {dossier.code}: cán bộ hướng dẫn rất tận tình", _at(12, 4, 11))

    with store.unit_of_work() as uow:
        final = load_dossier(uow, dossier.code)
        trail = uow.audit.for_dossier(dossier.code)
        history = [r.event for r in uow.audit.history(DOSSIERS, str(dossier.code))]
    sheet = rebuild_sheet(history)
    agrees = "agrees" if sheet == final.sheet else "DISAGREES"
    print(f"\n8. The control sheet of {final.code}, rebuilt from the audit trail")
    print(f"   ({agrees} with the stored dossier's).\n")
    print(sheet.to_markdown(final.regime, as_of=demo.now))
    view = final.public_status(demo.now)
    timeliness = view.timeliness.label_vi if view.timeliness else "—"
    print(f"\n   Trạng thái: {view.label_vi} (mã {view.national_code}); tiến độ: {timeliness}")
    _delivery_report(demo)
    counts = store.outbox_queue.counts()
    print(
        f"   Audit trail: {len(trail)} events. Outbox: {counts.delivered} delivered, "
        f"{counts.pending} pending, {counts.parked} parked."
    )


def _on_zalo(demo: _Demo, dossier: Dossier, payload: ReceiptPayload) -> None:
    desk = demo.desk
    print("\n2. On Zalo: the citizen follows the desk's Official Account.")
    demo.event("follow", _at(11, 23, 19, 58), "(Quan tâm)")
    print("   Anyone typing the code learns its status — never the applicant's name.")
    demo.chat("evt-1", f"cho tôi hỏi hồ sơ {str(dossier.code).lower()} với", _at(11, 23, 20))
    print("   The citizen sends the receipt's QR: the account now follows the dossier.")
    demo.chat("evt-2", desk.codec.compact(payload), _at(11, 23, 20, 5))
    print("   The platform redelivers the same event: it is answered once.")
    demo.chat("evt-2", desk.codec.compact(payload), _at(11, 23, 20, 5))
    print("   The citizen shares a phone through Zalo's form (request_user_info).")
    shared = {"name": "Nguyễn Thị Hương", "phone": "84912345678"}
    demo.event("user_submit_info", _at(11, 23, 20, 7), "(chia sẻ số điện thoại)", info=shared)


def _delivery_report(demo: _Demo) -> None:
    """Zalo reports each message received on the citizen's phone; the ledger keeps it."""
    for event in demo.zalo.fake.delivery_events():
        demo.zalo.fake.post_event(demo.zalo.url, event).raise_for_status()
    demo.drain(demo.now)
    statuses = demo.zalo.parts.ledger.statuses()
    print(
        f"   Zalo: {statuses.received} messages received on the citizen's phone, "
        f"{statuses.sent} not yet; {demo.zalo.fake.refreshes} token refreshes."
    )


def _write_pdf(desk: Desk, dossier: Dossier, payload: ReceiptPayload, out: Path) -> None:
    try:
        from tthc_adapters.qr import receipt_pdf
    except ImportError:  # pragma: no cover - without the qr extra
        print("   (install tthc[qr] for the printable receipt)")
        return
    procedure = next(p for p in DEMO_CATALOGUE if p.code == dossier.procedure_code)
    receipt = receipt_for(
        desk,
        dossier,
        procedure,
        log_book=LogBookEntry("01/2026", dossier.code.sequence),
        officer="Trần Văn Nam",
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{dossier.code}.pdf"
    path.write_bytes(receipt_pdf(receipt, desk.codec.url(payload)))
    print(f"   Receipt (A5 PDF): {path}")
