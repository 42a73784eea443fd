"""Which municipalities joined a recommendation period.

Shipped: ``participants/2025-2028.csv`` beside this module; a list imported by the user
(``skr-fee importera-deltagare``) for a period takes precedence. A period whose
rules say ``participants = "all"`` counts every municipality until a list is
imported.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from ..rules.periods import Period
from . import store
from .municipalities import registry


def file_name(period: Period) -> str:
    return f"{period.first_year}-{period.last_year}"


def source(period: Period) -> Path | None:
    imported = store.folder("participants") / f"{file_name(period)}.csv"
    if imported.is_file():
        return imported
    if period.participants == "all":
        return None
    return Path(str(resources.files(__package__) / "participants" / period.participants))


def participants(period: Period) -> frozenset[str]:
    """Codes of the municipalities that joined ``period``."""
    path = source(period)
    if path is None:
        return frozenset(registry().by_code)
    with path.open(encoding="utf-8", newline="") as f:
        return frozenset(r["kommunkod"].strip().zfill(4) for r in csv.DictReader(f) if r["deltar"].strip() == "1")
