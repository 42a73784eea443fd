"""Figures and dates for Swedish readers in the documents.

Figures are written by ``rules/swedish.py`` (the one place that writes them,
also in Pyodide): 1 032 899 kr, 12,5 %, 544 154,4. Dates by Babel, locale
sv_SE: 31 december 2023.
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date as _format_date

from ..rules.swedish import change_kr, kr, number, percent, points, quantity, signed

__all__ = ["change_kr", "kr", "number", "percent", "points", "quantity", "signed", "long_date"]

LOCALE = "sv_SE"


def long_date(day: date) -> str:
    """31 december 2023."""
    return _format_date(day, format="d MMMM y", locale=LOCALE)
