"""Numbers and dates the way Swedish readers expect them (Babel, locale sv_SE).

Swedish groups thousands with a (non-breaking) space and writes a decimal
comma: 1 032 899 kr, 1,8981723 kr.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from babel.dates import format_date as _format_date
from babel.numbers import format_decimal

LOCALE = "sv_SE"


def _dec(value) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def number(value, decimals: int = 0) -> str:
    """1 032 899 or, with decimals=1, 544 154,4."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(_dec(value), format=pattern, locale=LOCALE, decimal_quantization=True)


def quantity(value) -> str:
    """A count that may carry a fraction (a weighted population): 49 173 or 544 154,4."""
    d = _dec(value)
    return number(d, 0 if d == d.to_integral_value() else 1)


def kr(value, decimals: int = 0) -> str:
    """1 032 899 kr."""
    return f"{number(value, decimals)} kr"


def percent(value, decimals: int = 1) -> str:
    """12,5 % from 0.125."""
    return f"{number(_dec(value) * 100, decimals)} %"


def long_date(day: date) -> str:
    """31 december 2023."""
    return _format_date(day, format="d MMMM y", locale=LOCALE)
