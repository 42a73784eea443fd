"""How kronor and shares are rounded: the only module that decides it.

DOMAIN.md: every amount is computed exactly and rounded once, half up, to
whole kronor. Shares shown as decimals are rounded half up too, explicitly,
never by the ambient ``decimal`` context (whose default is half even).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from .errors import InvalidArgument


def half_up(num: int, den: int) -> int:
    """num/den rounded half up (away from zero for negatives), in integers: no float, no gcd."""
    if den <= 0:
        raise ValueError("den must be positive")
    if num < 0:
        return -half_up(-num, den)
    return (2 * num + den) // (2 * den)


def round_kr(value: Fraction) -> int:
    """Whole kronor, half away from zero (half up for the positive amounts here)."""
    value = Fraction(value)
    return half_up(value.numerator, value.denominator)


def decimals(value: Fraction, places: int) -> Decimal:
    """``value`` as a Decimal with ``places`` decimals, rounded half up (for display and cells)."""
    value = Fraction(value)
    scaled = half_up(value.numerator * 10**places, value.denominator)
    return Decimal(scaled).scaleb(-places)


def largest_remainder(amount: int, weights: list[Fraction], unit: int = 1) -> list[int]:
    """Whole numbers of ``unit`` in proportion to ``weights`` that sum exactly to ``amount``.

    Each part is floored, and the units left over go to the largest
    remainders (earlier parts first on a tie). With unit > 1 the amount's odd
    kronor (amount mod unit) go to the part with the largest remainder too, so
    the sum is still exact.
    """
    if unit < 1:
        raise InvalidArgument(f"Ogiltig avrundning: {unit}. Ange 1 (kronor) eller 100 (hundratal).")
    total_w = sum(weights)
    if total_w == 0:
        raise InvalidArgument("Nyckelns andelar summerar till 0; beloppet kan inte fördelas.")
    units, odd = divmod(amount, unit)
    exact = [units * w / total_w for w in weights]
    floors = [math.floor(x) for x in exact]
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    out = [f * unit for f in floors]
    if odd:
        out[order[0] if weights[order[0]] else weights.index(max(weights))] += odd
    return out


def round_down(value: Fraction, unit: int) -> Fraction:
    """``value`` rounded down to a multiple of ``unit`` (the decision document's hundreds)."""
    return Fraction(math.floor(Fraction(value) / unit) * unit)
