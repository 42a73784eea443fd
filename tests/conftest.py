import os

# xlwings and xlwings Server read their licence key when imported. Municipalities
# are government institutions: PolyForm Noncommercial 1.0.0 covers them.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
