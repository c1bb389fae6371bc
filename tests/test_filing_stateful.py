"""Stateful: any order of messages, repeats, silence, cancellation and restarts.

The dialogue never loses a file the citizen sent (once accepted, a file stays
in the filing whatever follows), never submits twice, and a restart (the
filing rebuilt from its stored events, through JSON) changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tthc_adapters.catalogue_io import sample_catalogue
from tthc_core.calendar import VN_TZ
from tthc_core.catalogue import Procedure
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.events import DomainEvent
from tthc_core.filing import (
    Attach,
    Blob,
    Command,
    Confirm,
    FilingRefused,
    FilingSubmitted,
    Submit,
    handle,
    prompt,
    read_reply,
    rebuild,
    start,
)
from tthc_core.serialization import converter
from tthc_core.testing.strategies import blobs, filing_commands, online_procedures

_SAMPLE = [p for p in sample_catalogue() if p.files_online]
_TEXTS = (
    "Nguyễn Thị Mai", "nguyen thi mai", "05/02/2026", "1", "2", "3", "nu", "có", "khong",
    "0912345678", "066203001234", "bỏ qua", "bo qua", "xong", "dùng lại", "đồng ý", "dong y",
    "nộp hồ sơ", "hủy", "???", "",
)  # fmt: skip
_START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN_TZ)
_AGENCY = AgencyCode.parse("000.00.15.H12")


class FilingDialogue(RuleBasedStateMachine):
    """A citizen (and now and then the desk) talking to one filing."""

    def __init__(self) -> None:
        super().__init__()
        self.procedure: Procedure | None = None
        self.events: list[DomainEvent] = []
        self.accepted: list[Blob] = []
        self.at = _START
        self.codes = 0

    @rule(procedure=st.one_of(st.sampled_from(_SAMPLE), online_procedures()))
    def begin(self, procedure: Procedure) -> None:
        if self.procedure is not None:
            return
        self.procedure = procedure
        self.filing, self.events = start(
            filing_id="zalo:u:1", channel="zalo", user_id="u", procedure=procedure, at=self.at
        )

    def _do(self, command: Command) -> None:
        if self.procedure is None:
            return
        if isinstance(command, Confirm):  # the desk answers the citizen's "đồng ý"
            self.codes += 1
            command = Submit(DossierCode(_AGENCY, self.at.date(), self.codes))
        try:
            self.filing, events = handle(self.filing, command, procedure=self.procedure, at=self.at)
        except FilingRefused as refused:
            reason = refused.reason_vi
        else:
            self.events += events
            if isinstance(command, Attach):
                self.accepted.append(command.blob)
            return
        assert reason.strip()  # every refusal tells the citizen what to do

    @rule(text=st.sampled_from(_TEXTS))
    def say(self, text: str) -> None:
        if self.procedure is not None:
            self._do(read_reply(self.filing, self.procedure, text))

    @rule(blob=blobs())
    def send_file(self, blob: Blob) -> None:
        self._do(Attach(blob))

    @rule(data=st.data())
    def send_the_same_file_again(self, data: st.DataObject) -> None:
        if self.accepted:
            self._do(Attach(data.draw(st.sampled_from(self.accepted))))

    @rule(command=filing_commands())
    def anything(self, command: Command) -> None:
        self._do(command)

    @rule(days=st.integers(0, 20))
    def silence(self, days: int) -> None:
        self.at += dt.timedelta(days=days, hours=1)

    @rule()
    def restart(self) -> None:
        """The worker restarts: the filing is read back from its stored events."""
        if self.procedure is None:
            return
        stored = [json.dumps(converter.unstructure(e, DomainEvent)) for e in self.events]
        self.filing = rebuild(converter.structure(json.loads(s), DomainEvent) for s in stored)

    @invariant()
    def never_loses_a_file(self) -> None:
        if self.procedure is not None:
            kept = {d.blob for d in self.filing.documents}
            assert set(self.accepted) <= kept

    @invariant()
    def never_submits_twice(self) -> None:
        submitted = [e for e in self.events if isinstance(e, FilingSubmitted)]
        assert len(submitted) <= 1
        if self.procedure is not None and submitted:
            assert self.filing.dossier_code == submitted[0].code

    @invariant()
    def rebuilds_to_the_same_state(self) -> None:
        if self.procedure is not None:
            assert rebuild(self.events) == self.filing

    @invariant()
    def always_one_question_in_vietnamese(self) -> None:
        if self.procedure is not None:
            assert prompt(self.filing, self.procedure).strip()


FilingDialogue.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
TestFilingDialogue = FilingDialogue.TestCase
