"""Which municipalities joined a recommendation period (data/participants/)."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from .municipalities import registry
from .periods import Period


@lru_cache(maxsize=None)
def participants(period: Period) -> frozenset[str]:
    """Codes of the municipalities that joined ``period``."""
    if period.participants == "all":
        return frozenset(registry().by_code)
    path = resources.files("skr_fee") / "data" / "participants" / period.participants
    with path.open(encoding="utf-8", newline="") as f:
        return frozenset(r["kommunkod"] for r in csv.DictReader(f) if r["deltar"].strip() == "1")
