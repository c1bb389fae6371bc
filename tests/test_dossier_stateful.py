"""The dossier workflow's state machine (tthc_core.testing.stateful) under the test profile.

``nox -s stateful`` runs it with HYPOTHESIS_PROFILE=nightly: many more and
longer walks.
"""

from __future__ import annotations

import os

from hypothesis import settings

from tthc_core.testing.stateful import DossierWorkflowMachine

_NIGHTLY = os.environ.get("HYPOTHESIS_PROFILE") == "nightly"

TestDossierWorkflow = DossierWorkflowMachine.TestCase
TestDossierWorkflow.settings = settings(
    settings.default,
    # Nightly walks are long enough for deep histories (a supplement request,
    # its answer or a withdrawal, a second request, a stop, the result by post).
    max_examples=2000 if _NIGHTLY else 30,
    stateful_step_count=120 if _NIGHTLY else 25,
)
