"""The national fee table for a fee year, from the data that is available.

``fee_table(2026)`` finds the year's period, its population date, the data
files (shipped or imported) and the participants, and builds the table with
the pure model (``rules.fees.build_table``). Tables are cached per year,
what-if and the exact data files; ``one_dataset()`` pins them for a block so a
range of 290 cells is computed from one consistent dataset without looking at
the files again.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Iterable

from ..rules.errors import MissingData
from ..rules.fees import Fee, FeeTable, build_table
from ..rules.periods import parse_year
from .municipalities import lookup, registry
from .participation import participants as period_participants
from .participation import source as participation_source
from .periods import period_for_year, periods
from .population import available_dates, latest_before, population_on
from .population import files as population_files


def _codes(queries: Iterable[object]) -> frozenset[str]:
    return frozenset(lookup(q).code for q in queries)


def default_year() -> int:
    """The latest fee year whose population figures are available."""
    have = set(available_dates())
    years = [y for p in periods() for y in p.years if p.population_date(y) in have]
    if not years:
        raise MissingData("Ingen folkmängd finns för något avgiftsår. Importera SCB:s siffror.")
    return max(years)


def next_missing() -> date | None:
    """The first population date a fee year of a known period needs that is not available."""
    have = set(available_dates())
    needed = sorted({p.population_date(y) for p in periods() for y in p.years})
    later = [d for d in needed if d not in have and d > max(have, default=date.min)]
    return later[0] if later else None


_pinned: ContextVar[dict | None] = ContextVar("skr_fee_pinned_tables", default=None)


@contextmanager
def one_dataset():
    """Within this block every fee_table() call with the same arguments gives the same
    table, without looking at the data files again: a range of 290 cells is computed
    from one consistent dataset, and fast. A block inside another uses the outer one's
    dataset (a batch of calls, ``excel.batch``, is one recalculation)."""
    if _pinned.get() is not None:
        yield
        return
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def fee_table(
    year: object = None, include: Iterable[object] = (), exclude: Iterable[object] = (),
    preliminary: bool = False,
) -> FeeTable:
    memo = _pinned.get()
    if memo is None:
        return _resolve_table(year, include, exclude, preliminary)
    key = (year if isinstance(year, (int, str, type(None))) else repr(year),
           tuple(map(str, include)), tuple(map(str, exclude)), bool(preliminary))
    if key not in memo:
        memo[key] = _resolve_table(year, include, exclude, preliminary)
    return memo[key]


def _resolve_table(
    year: object = None, include: Iterable[object] = (), exclude: Iterable[object] = (),
    preliminary: bool = False,
) -> FeeTable:
    """The national table for ``year``; ``include``/``exclude`` make a what-if.

    ``include=["Karlskoga"]`` computes the year as if Karlskoga had joined.
    A year whose population date is not available fails with MissingData,
    unless ``preliminary``: then the latest earlier date is used and the
    table is marked preliminary.
    """
    y = default_year() if year is None else parse_year(year)
    period = period_for_year(y)
    day = period.population_date(y)
    found = {f.date: f.path for f in population_files()}
    prelim = False
    if day not in found:
        fallback = latest_before(day) if preliminary else None
        if fallback is None:
            population_on(day)  # raises MissingData, naming the date and how to get it
        day, prelim = fallback, True
    source = participation_source(period)
    signature = (_stamp(found[day]), _stamp(source) if source else None)
    return _fee_table(y, day, _codes(include), _codes(exclude), prelim, signature)


def _stamp(path) -> tuple:
    st = path.stat()
    return (str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=64)
def _fee_table(year: int, day: date, include: frozenset[str], exclude: frozenset[str],
               preliminary: bool, _signature: tuple) -> FeeTable:
    """Cached per year, what-if and the exact data files (their paths, times and sizes)."""
    period = period_for_year(year)
    codes = (period_participants(period) | include) - exclude
    table = build_table(year, period, population_on(day), codes, registry())
    return replace(table, preliminary=preliminary) if preliminary else table


def fee(query: object, year: object = None, include: Iterable[object] = (), exclude: Iterable[object] = (),
        preliminary: bool = False) -> Fee:
    """One municipality's fee; a non-participant raises NotParticipating."""
    return fee_table(year, include, exclude, preliminary).fee(query)
