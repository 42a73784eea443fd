"""The recommendation periods the product knows: ``periods/*.toml`` beside this module.

One file a period, discovered by itself (no registry to forget); each is
checked when read (``rules.periods.period_from_dict``).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

from ..rules.periods import Period, find_period, period_from_dict


@lru_cache(maxsize=None)
def periods() -> tuple[Period, ...]:
    """All recommendation periods the product knows, oldest first."""
    folder = resources.files(__package__) / "periods"
    loaded = [
        period_from_dict(tomllib.loads(f.read_text(encoding="utf-8")))
        for f in folder.iterdir()
        if f.name.endswith(".toml")
    ]
    return tuple(sorted(loaded, key=lambda p: p.first_year))


def period_for_year(year: object) -> Period:
    return find_period(periods(), year)
