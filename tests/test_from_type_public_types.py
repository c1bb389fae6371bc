"""``st.from_type`` builds every public value type of the core, those of new packages included.

A type added to a public ``__all__`` without a registered strategy (or that
``st.builds`` can fill from its annotations) fails here by name.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from hypothesis import strategies as st

import tthc_core
from tthc_core.testing.coverage import sample

#: Not values: services wired from ports, and a kind that carries functions.
NOT_VALUES = {"Desk", "PortalSync", "AggregateKind", "FilingFiles"}


def _public_types() -> list[type]:
    found: dict[str, type] = {}
    for module in pkgutil.iter_modules(tthc_core.__path__):
        if module.name.startswith("_") or module.name == "testing":
            continue
        package = importlib.import_module(f"tthc_core.{module.name}")
        for name in getattr(package, "__all__", ()):
            obj = getattr(package, name)
            if (
                inspect.isclass(obj)
                and not issubclass(obj, BaseException)
                and not getattr(obj, "_is_protocol", False)
                and not inspect.isabstract(obj)
                and name not in NOT_VALUES
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


@pytest.mark.parametrize("cls", _public_types(), ids=lambda c: c.__qualname__)
def test_from_type_builds_the_public_type(cls: type) -> None:
    values = sample(st.from_type(cls), 3, seed=1)
    assert values, cls
    assert all(isinstance(v, cls) for v in values)
