"""``tthc demo``: a scripted walk through the core on the embedded default store."""

from __future__ import annotations

import argparse
import datetime as dt

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.codes import AgencyCode, DossierCode


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo``."""
    parser = subparsers.add_parser("demo", help="run a scripted demonstration")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Receive a dossier and print its code and due time."""
    deadlines = default_deadlines()
    received = dt.datetime(2026, 11, 27, 9, 15, tzinfo=VN_TZ)
    code = DossierCode(AgencyCode("000.24.31.H15"), received.date(), 1)
    due = deadlines.due(received, Duration.working_days(5))
    print(f"Mã hồ sơ: {code}")
    print(f"Thời gian nhận hồ sơ: {received:%H giờ %M phút, ngày %d/%m/%Y}")
    print(f"Thời gian trả kết quả: {due:%H giờ %M phút, ngày %d/%m/%Y}")
    return 0
