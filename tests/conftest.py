import os

import matplotlib
from hypothesis import HealthCheck, settings

# Every test draws off-screen: no display is needed, and figures look the same everywhere. Set here,
# before any test module imports pyplot.
matplotlib.use("Agg")

# CI replays the same examples every run (derandomize), so a red build is reproducible; locally,
# HYPOTHESIS_PROFILE=explore searches new examples each time.
settings.register_profile("ci", derandomize=True, deadline=None, max_examples=100,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
