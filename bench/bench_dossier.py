"""Dossier transitions per second: tthc's table against ``transitions`` and ``python-statemachine``.

The flow is the five-step life of a simple dossier: receive → hand over ×3 →
resolve → return at the desk (six transitions). Every implementation does the
same domain work per transition: the guard (the handover follows the
procedure's step template), the due time (``Deadlines.due``), the control-sheet
row and the domain event (the same event classes). tthc builds an immutable
dossier per step; the peers mutate a model object, as their documentation
shows. ``transitions`` shares one ``Machine`` across dossiers (``add_model`` /
``remove_model``, its cheapest idiom); ``python-statemachine`` builds one
machine per dossier, which is how it binds a model.

Each figure is the best of several repeats (``timeit``), in transitions per
second; ratios are tthc ÷ peer, measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import timeit
from collections.abc import Callable
from typing import Any

import attrs
from statemachine import State, StateMachine
from transitions import Machine

import tthc_core.dossier as dossier_mod
from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ, Deadlines, Duration
from tthc_core.catalogue import Procedure, StepTemplate
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.dossier import (
    Channel,
    ControlSheetEntry,
    DossierHandedOver,
    DossierReceived,
    DossierResolved,
    DossierResultReturnedAtDesk,
    HandOver,
    HandoverKind,
    Resolve,
    ReturnAtDesk,
    handle,
    receive,
)
from tthc_core.party import Applicant
from tthc_core.regime import Form, regime_for
from tthc_core.text import fold

NAME = "dossier"

TRANSITIONS_PER_FLOW = 6
UNITS = ("Phòng Tư pháp", "Lãnh đạo UBND", "Bộ phận Một cửa")
DESK = "Bộ phận Một cửa"
PROCEDURE = Procedure(
    code=ProcedureCode.parse("1.001193"),
    name="Đăng ký khai sinh",
    sector="Hộ tịch",
    processing_time=Duration.working_days(5),
    steps=tuple(
        StepTemplate(u, Duration.working_days(n)) for u, n in zip(UNITS, (3, 1, 1), strict=True)
    ),
)
APPLICANT = Applicant("Nguyễn Văn A", phone="0912345678")
CODE = DossierCode(AgencyCode("000.24.32.H15"), dt.date(2026, 3, 2), 1)
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN_TZ)
TIMES = tuple(START + dt.timedelta(hours=5 * i) for i in range(TRANSITIONS_PER_FLOW))


def tthc_flow(deadlines: Deadlines) -> Callable[[], object]:
    """The flow with tthc_core.dossier."""

    def run() -> object:
        d, _ = receive(
            code=CODE,
            procedure=PROCEDURE,
            applicant=APPLICANT,
            channel=Channel.IN_PERSON,
            unit=DESK,
            at=TIMES[0],
            deadlines=deadlines,
        )
        for i, unit in enumerate(UNITS, start=1):
            d, _ = handle(d, HandOver(unit), at=TIMES[i], deadlines=deadlines)
        d, _ = handle(d, Resolve(), at=TIMES[4])
        d, _ = handle(d, ReturnAtDesk(), at=TIMES[5])
        return d

    return run


class _Model:
    """A mutable dossier as a ``transitions`` or ``python-statemachine`` user would write it."""

    def __init__(self, deadlines: Deadlines) -> None:
        self.deadlines = deadlines
        self.holder = ""
        self.due_at: dt.datetime | None = None
        self.sheet: list[ControlSheetEntry] = []
        self.events: list[Any] = []
        self.step = 0

    # guards -------------------------------------------------------------------------
    def follows_template(self, unit: str, at: dt.datetime) -> bool:
        if self.step >= len(PROCEDURE.steps):
            return False
        expected = PROCEDURE.steps[self.step].unit
        return expected == unit or fold(expected) == fold(unit)

    # effects ------------------------------------------------------------------------
    def effect_receive(self, unit: str, at: dt.datetime) -> None:
        regime = regime_for(at.date())
        self.due_at = self.deadlines.due(at, PROCEDURE.processing_time)
        self.holder = unit
        self.events.append(
            DossierReceived(
                occurred_at=at,
                code=CODE,
                unit=unit,
                officer=None,
                due_at=self.due_at,
                regime=regime,
                form=regime.form_label(Form.RECEIPT),
            )
        )

    def _close_last_step(self, at: dt.datetime) -> None:
        if self.sheet:
            self.sheet[-1] = attrs.evolve(self.sheet[-1], completed_at=at)

    def effect_hand_over(self, unit: str, at: dt.datetime) -> None:
        step = PROCEDURE.steps[self.step]
        row: dict[str, Any] = {
            "kind": HandoverKind.INTERNAL,
            "from_unit": self.holder,
            "from_officer": None,
            "to_unit": unit,
            "to_officer": None,
            "allowance": step.allowance,
            "due_at": self.deadlines.due(at, step.allowance),
            "step_index": self.step,
        }
        self._close_last_step(at)
        self.sheet.append(ControlSheetEntry(sequence=len(self.sheet) + 1, handed_at=at, **row))
        self.events.append(DossierHandedOver(occurred_at=at, code=CODE, note="", **row))
        self.holder = unit
        self.step += 1

    def effect_resolve(self, at: dt.datetime) -> None:
        self._close_last_step(at)
        self.events.append(DossierResolved(occurred_at=at, code=CODE, note=""))

    def effect_return(self, at: dt.datetime) -> None:
        self.events.append(DossierResultReturnedAtDesk(occurred_at=at, code=CODE))


def transitions_flow(deadlines: Deadlines) -> Callable[[], object]:
    """The same flow with ``transitions`` (one shared Machine, models added and removed)."""
    machine = Machine(
        model=None,
        states=["submitted", "received", "in_processing", "resolved", "returned"],
        initial="submitted",
        auto_transitions=False,
        send_event=False,
    )
    machine.add_transition("receive", "submitted", "received", after="effect_receive")
    machine.add_transition(
        "hand_over",
        ["received", "in_processing"],
        "in_processing",
        conditions="follows_template",
        after="effect_hand_over",
    )
    machine.add_transition("resolve", "in_processing", "resolved", after="effect_resolve")
    machine.add_transition("return_at_desk", "resolved", "returned", after="effect_return")

    def run() -> object:
        m: Any = _Model(deadlines)
        machine.add_model(m)
        m.receive(DESK, TIMES[0])
        for i, unit in enumerate(UNITS, start=1):
            if not m.hand_over(unit, TIMES[i]):
                raise RuntimeError("guard refused")
        m.resolve(TIMES[4])
        m.return_at_desk(TIMES[5])
        machine.remove_model(m)
        return m

    return run


class _PsmFlow(StateMachine):  # type: ignore[misc]
    submitted = State(initial=True)
    received = State()
    in_processing = State()
    resolved = State()
    returned = State(final=True)

    receive = submitted.to(received, after="effect_receive")
    hand_over = received.to(in_processing, cond="follows_template", after="effect_hand_over") | (
        in_processing.to.itself(cond="follows_template", after="effect_hand_over")
    )
    resolve = in_processing.to(resolved, after="effect_resolve")
    return_at_desk = resolved.to(returned, after="effect_return")


def psm_flow(deadlines: Deadlines) -> Callable[[], object]:
    """The same flow with ``python-statemachine`` (one machine bound to each model)."""

    def run() -> object:
        m = _Model(deadlines)
        sm = _PsmFlow(model=m)
        sm.send("receive", unit=DESK, at=TIMES[0])
        for i, unit in enumerate(UNITS, start=1):
            sm.send("hand_over", unit=unit, at=TIMES[i])
        sm.send("resolve", at=TIMES[4])
        sm.send("return_at_desk", at=TIMES[5])
        return m

    return run


def plain_flow(deadlines: Deadlines) -> Callable[[], object]:
    """The shared domain work alone: the peers' model called directly, no state machine.

    This is a floor, not a competitor: it checks no state and records no history.
    """

    def run() -> object:
        m = _Model(deadlines)
        m.effect_receive(DESK, TIMES[0])
        for i, unit in enumerate(UNITS, start=1):
            if not m.follows_template(unit, TIMES[i]):
                raise RuntimeError("guard refused")
            m.effect_hand_over(unit, TIMES[i])
        m.effect_resolve(TIMES[4])
        m.effect_return(TIMES[5])
        return m

    return run


def _rate(flow: Callable[[], object], number: int, repeat: int = 5) -> float:
    best = min(timeit.repeat(flow, number=number, repeat=repeat))
    return TRANSITIONS_PER_FLOW * number / best


def _check_same_outcome(deadlines: Deadlines) -> None:
    ours = tthc_flow(deadlines)()
    theirs: Any = transitions_flow(deadlines)()
    psm: Any = psm_flow(deadlines)()
    assert isinstance(ours, dossier_mod.Dossier)
    assert list(ours.sheet.entries) == theirs.sheet == psm.sheet, "flows disagree"


def run() -> dict[str, Any]:
    """Run the benchmark and return the figures."""
    deadlines = default_deadlines()
    _check_same_outcome(deadlines)
    ours = _rate(tthc_flow(deadlines), 2000)
    peer_transitions = _rate(transitions_flow(deadlines), 1000)
    peer_psm = _rate(psm_flow(deadlines), 300)
    floor = _rate(plain_flow(deadlines), 2000)
    return {
        "flow": "receive → hand over ×3 → resolve → return at desk (6 transitions)",
        "unit": "transitions per second (best of 5)",
        "tthc": round(ours),
        "transitions": round(peer_transitions),
        "python_statemachine": round(peer_psm),
        "ratio_vs_transitions": round(ours / peer_transitions, 2),
        "ratio_vs_python_statemachine": round(ours / peer_psm, 2),
        "domain_work_alone": round(floor),
        # With the same domain work on both sides no implementation can beat
        # transitions by more than (its time per transition) / (domain work alone).
        "ceiling_ratio_vs_transitions": round(floor / peer_transitions, 2),
        "machinery_overhead_microseconds_per_transition": {
            "tthc": round(1e6 / ours - 1e6 / floor, 2),
            "transitions": round(1e6 / peer_transitions - 1e6 / floor, 2),
            "python_statemachine": round(1e6 / peer_psm - 1e6 / floor, 2),
        },
        "microseconds_per_transition": {
            "tthc": round(1e6 / ours, 2),
            "transitions": round(1e6 / peer_transitions, 2),
            "python_statemachine": round(1e6 / peer_psm, 2),
            "domain_work_alone": round(1e6 / floor, 2),
        },
        "versions": {
            "tthc": _version("tthc"),
            "transitions": _version("transitions"),
            "python-statemachine": _version("python-statemachine"),
        },
    }


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)
