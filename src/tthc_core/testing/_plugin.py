"""Hypothesis entry point: registers tthc's strategies for ``st.from_type``."""

from __future__ import annotations

import sys

_STRATEGIES = "tthc_core.testing.strategies"


def _hypothesis_setup_hook() -> None:
    module = sys.modules.get(_STRATEGIES)
    if module is not None and not hasattr(module, "register_type_strategies"):
        # Hypothesis is being imported by our strategies module itself, which
        # registers everything at the end of its own import.
        return
    from tthc_core.testing.strategies import register_type_strategies

    register_type_strategies()
