"""The discount rules a period can name (``[discount] rule = ...`` in its TOML file).

Each rule says which municipalities count only ``factor`` of their population:
- ``population_above``: every municipality above ``threshold`` inhabitants (2025–2028: 200 000);
- ``largest``: the ``count`` largest municipalities by population (2020–2024: the four largest).
"""

from __future__ import annotations

from typing import Iterable, Mapping

from .periods import DISCOUNT_RULES, Discount


def discounted(d: Discount, population: Mapping[str, int], codes: Iterable[str]) -> frozenset[str]:
    """The codes among ``codes`` whose population is weighted by the discount factor."""
    codes = list(codes)
    if d.rule == "population_above":
        return frozenset(c for c in codes if population[c] > d.threshold)
    if d.rule == "largest":
        ranked = sorted(codes, key=lambda c: (-population[c], c))
        return frozenset(ranked[: d.count])
    raise ValueError(f"unknown discount rule {d.rule!r}; known: {', '.join(DISCOUNT_RULES)}")


def applies_to_population(d: Discount, population: int, smallest_discounted: int | None) -> bool:
    """Whether a hypothetical municipality of ``population`` inhabitants would be discounted."""
    if d.rule == "population_above":
        return population > d.threshold
    return smallest_discounted is not None and population >= smallest_discounted
