"""Population per municipality on one date: what the fee model is computed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping


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
