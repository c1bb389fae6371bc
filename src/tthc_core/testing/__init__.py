"""Testing helpers for tthc users: Hypothesis strategies and contract suites.

This package alone may import Hypothesis and pytest (install ``tthc[testing]``);
importing :mod:`tthc_core` never imports it.

* :mod:`tthc_core.testing.strategies`: a strategy for every public type; they are
  registered with Hypothesis through its entry point, so ``st.from_type(Dossier)``
  works once tthc is installed.
* :mod:`tthc_core.testing.contracts`: pytest base classes every adapter of a
  port must pass.
"""
