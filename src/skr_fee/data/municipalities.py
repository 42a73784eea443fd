"""The 290 municipalities as shipped: ``kommuner.csv`` (code, name, SKR's spelling) and
``kommunnamn.csv`` (the name each uses for itself in its decisions; source in README)."""

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
    with (resources.files(__package__) / "kommunnamn.csv").open(encoding="utf-8", newline="") as f:
        own = {r["kommunkod"]: r["eget_namn"] for r in csv.DictReader(f)}
    return Registry(
        [Municipality(r["kommunkod"], r["kommun"], r["namn_i_skr_tabell"], own[r["kommunkod"]]) for r in rows]
    )


def lookup(query: object) -> Municipality:
    return registry().lookup(query)
