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
    max_examples=1000 if _NIGHTLY else 30,
    stateful_step_count=60 if _NIGHTLY else 25,
)
