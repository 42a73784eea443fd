"""Population per municipality on 31 December, as Statistics Sweden counts it.

The product ships the figures of 31 December 2023; each file is named for its
population date (``data/population/2023-12-31.csv``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from .errors import MissingData
from .municipalities import registry

SOURCE_SCB = "SCB, Folkmängd efter region (Statistikdatabasen)"


@dataclass(frozen=True)
class Population:
    date: date
    counts: Mapping[str, int]  # code -> inhabitants
    source: str

    def __getitem__(self, code: str) -> int:
        return self.counts[code]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _folder():
    return resources.files("skr_fee") / "data" / "population"


def packaged_dates() -> list[date]:
    return sorted(
        date.fromisoformat(f.name[:-4]) for f in _folder().iterdir() if f.name.endswith(".csv")
    )


def available_dates() -> list[date]:
    return packaged_dates()


@lru_cache(maxsize=None)
def population_on(day: date) -> Population:
    """The population of every municipality on ``day``, or MissingData."""
    if day not in available_dates():
        have = ", ".join(d.isoformat() for d in available_dates())
        raise MissingData(
            f"Folkmängd per {day.isoformat()} saknas (tillgängligt: {have}). "
            f"Hämta SCB:s siffror för {day.year} och importera dem med "
            f"'skr-fee import-scb FIL --date {day.isoformat()}'."
        )
    path = _folder() / f"{day.isoformat()}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        counts = {r["kommunkod"]: int(r["folkmangd"]) for r in csv.DictReader(f)}
    known = registry().by_code
    if set(counts) != set(known):
        raise MissingData(f"Folkmängdsfilen för {day.isoformat()} täcker inte alla 290 kommuner.")
    return Population(day, MappingProxyType(counts), SOURCE_SCB)
