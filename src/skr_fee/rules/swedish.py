"""How figures are written for Swedish readers: the only module that does it.

Kronor, per cent and populations are written with a no-break space between
groups of three digits, a decimal comma and a minus sign (−): 1 032 899 kr,
12,5 %, 544 154,4. A figure with more decimals than are shown is rounded
once, half up, by ``rounding.decimals``; a whole number shown whole is
written as it is and never rounded again. Used by the annex, verify, the
CLI, the templates and the task pane alike (pure Python: it runs in Pyodide).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .rounding import decimals as rounded

GROUP = "\u00a0"  # no-break space: a figure never breaks across lines
MINUS = "\u2212"


def exact(value) -> Fraction:
    """int, Fraction, Decimal or decimal text exactly; a float as the shortest decimal that reads back as it."""
    if isinstance(value, bool):
        raise TypeError("a truth value is not a figure")
    if isinstance(value, float):  # numpy's float64 too (matplotlib's ticks), whose repr is not a number
        return Fraction(float.__repr__(float(value)))
    return Fraction(value)


def number(value, decimals: int = 0) -> str:
    """1 032 899 or, with decimals=1, 544 154,4 (rounded half up to ``decimals`` places)."""
    d: Decimal = rounded(exact(value), decimals)
    whole, _, fraction = f"{abs(d):f}".partition(".")
    head = len(whole) % 3 or 3
    grouped = GROUP.join([whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)])
    return (MINUS if d < 0 else "") + grouped + ("," + fraction if fraction else "")


def quantity(value) -> str:
    """A count that may carry a fraction (a weighted population): 49 173 or 544 154,4."""
    x = exact(value)
    return number(x, 0 if x.denominator == 1 else 1)


def kr(value, decimals: int = 0) -> str:
    """1 032 899 kr."""
    return f"{number(value, decimals)} kr"


def percent(share, decimals: int = 1) -> str:
    """12,5 % from the share 0.125."""
    return f"{number(exact(share) * 100, decimals)} %"


def points(value, decimals: int = 2) -> str:
    """A figure already in per cent, as a key file writes it, without trailing zeros: 100 %, 33,33 %, 12,5 %."""
    text = number(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text} %"


def signed(value, decimals: int = 1) -> str:
    """A change with its sign: +4,2 or −0,7 (0 without a sign once rounded)."""
    text = number(value, decimals)
    return text if text.startswith(MINUS) or rounded(exact(value), decimals) == 0 else "+" + text


def change_kr(before: int, after: int, decimals: int = 1) -> str:
    """A fee's change between two years: +1 234 kr (+4,2 %); no per cent from 0 kr."""
    text = ("+" if after >= before else MINUS) + kr(abs(after - before))
    return text + (f" ({signed(Fraction(after - before, before) * 100, decimals)} %)" if before else "")
