"""Hypothesis entry point: registers tthc's strategies for ``st.from_type``."""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    from tthc_core.testing.strategies import register_type_strategies

    register_type_strategies()
