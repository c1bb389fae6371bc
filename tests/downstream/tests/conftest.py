"""Hypothesis settings of this downstream package.

tthc's strategies build aggregates by walking the real workflow (tens of
milliseconds a draw), so a shared, loaded CI machine can trip Hypothesis'
too_slow health check; the examples themselves are unaffected.
"""

from hypothesis import HealthCheck, settings

settings.register_profile("downstream", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("downstream")
