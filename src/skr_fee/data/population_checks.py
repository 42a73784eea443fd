"""Checks every population figure passes before it is stored, from a file or from SCB's API.

- all 290 municipalities, once each, as whole non-negative numbers;
- the sum against SCB's national figure: exact up to reference year 2024; from
  2025 SCB adds controlled random noise to every published figure (the Cell Key
  Method), so municipal figures need not sum to the national one: a small
  difference is reported as a note, a large one is an error;
- the change from the previous stored year: above ``WARN_CHANGE`` a warning,
  above ``MAX_CHANGE`` (for figures fetched from the API) an error.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Mapping

from . import population
from ..rules import swedish
from .municipalities import registry

NOISE_FROM_YEAR = 2025
# SCB's noise is a few people per cell: 2025-12-31 sums to 10 605 520 against SCB's 10 605 529
NOISE_TOLERANCE = 0.0001  # of the national figure (about 1 000 people)
WARN_CHANGE = 0.05
MAX_CHANGE = 0.20


def coverage(counts: Mapping[str, int]) -> list[str]:
    """Problems with which municipalities are there."""
    known = registry().by_code
    problems = [f"{c} är ingen kommunkod." for c in sorted(set(counts) - set(known))]
    missing = sorted(set(known) - set(counts))
    if missing:
        names = ", ".join(f"{c} {known[c].name}" for c in missing[:10])
        more = f" och {len(missing) - 10} till" if len(missing) > 10 else ""
        problems.append(f"{len(missing)} kommuner saknas: {names}{more}.")
    bad = [c for c, n in counts.items() if isinstance(n, bool) or not isinstance(n, int) or n < 0]
    problems += [f"{c}: {counts[c]!r} är inget helt antal invånare." for c in sorted(bad)]
    return problems


def national_sum(counts: Mapping[str, int], day: date, national: int | None) -> tuple[list[str], list[str]]:
    """(problems, notes) of the sum of ``counts`` against SCB's national figure for ``day``."""
    if national is None:
        return [], []
    total = sum(counts.values())
    if total == national:
        return [], []
    diff = total - national
    if day.year >= NOISE_FROM_YEAR and abs(diff) <= NOISE_TOLERANCE * national:
        return [], [f"kommunerna summerar till {swedish.number(total)}, "
                    f"SCB:s riksuppgift är {swedish.number(national)} "
                    f"({swedish.signed(diff, 0)}): SCB:s slumpmässiga osäkerhet (Cell Key Method) från referensåret 2025."]
    return [f"{day.year}: kommunerna summerar till {swedish.number(total)}, "
            f"men raden 00 Riket säger {swedish.number(national)}."], []


def changes(counts: Mapping[str, int], day: date, limit: float | None = None) -> tuple[list[str], list[str]]:
    """(problems over ``limit``, warnings over WARN_CHANGE) against the previous stored year."""
    before = population.latest_before(date(day.year - 1, 12, 31))
    if before is None:
        return [], []
    old = population.population_on(before).counts
    problems, warnings = [], []
    names = registry().by_code
    for code, n in sorted(counts.items()):
        prev = old.get(code)
        if not prev or code not in names:
            continue
        ratio = abs(n - prev) / prev
        if ratio > WARN_CHANGE:
            change = swedish.signed(Fraction(n - prev, prev) * 100, 1)
            line = f"{names[code].name}: {prev} → {n} ({change} %) sedan {before.isoformat()}"
            (problems if limit is not None and ratio > limit else warnings).append(line)
    return problems, warnings
