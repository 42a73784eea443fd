"""The 290 municipalities as shipped (``kommuner.csv``: code, name, SKR's spelling)."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from ..rules.municipalities import Municipality, Registry


@lru_cache(maxsize=None)
def registry() -> Registry:
    path = resources.files(__package__) / "kommuner.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return Registry(
        [Municipality(r["kommunkod"], r["kommun"], r["namn_i_skr_tabell"]) for r in rows]
    )


def lookup(query: object) -> Municipality:
    return registry().lookup(query)
