"""Hypothesis entry point: registers tthc's strategies for ``st.from_type``."""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    # Importing the strategies registers them (once). If our strategies module
    # is what is importing Hypothesis right now, it registers at the end of its
    # own import and this import returns the half-built module harmlessly.
    import tthc_core.testing.strategies  # noqa: F401
