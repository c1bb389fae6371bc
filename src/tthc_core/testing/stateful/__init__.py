"""A Hypothesis state machine over the dossier workflow, for tthc and its users.

:class:`DossierWorkflowMachine` receives (or submits) a dossier on a synthetic
calendar, then lets time pass and applies commands — mostly ones the state
accepts, sometimes any command at all, sometimes one dated in the past — and
after every step checks the invariants:

* the process control sheet is complete and time-ordered (each row closes when
  the next one opens, the receiver of one row hands over the next);
* the state is reached only through :data:`tthc_core.dossier.TABLE`, and a
  command outside the table raises :class:`TransitionNotAllowed`;
* the due time never precedes receipt;
* due times and timeliness agree with a brute-force recomputation that walks
  the calendar minute by minute (:class:`MinuteWalkClock`);
* replaying the events rebuilds the same dossier; the domain never touches
  ``version``.

Run it with ``TestDossier = DossierWorkflowMachine.TestCase``; subclass it and
override :meth:`DossierWorkflowMachine.on_change` to drive an adapter with the
same walks (a repository saving every version, a notifier...).
"""

from tthc_core.testing.stateful._machine import DossierWorkflowMachine
from tthc_core.testing.stateful._oracle import MinuteWalkClock

__all__ = ["DossierWorkflowMachine", "MinuteWalkClock"]
