"""The fee model: what each municipality pays SKR in a fee year.

Everything is computed exactly: the rate is a fraction, every amount is
``rate × weighted population × part / total`` in exact arithmetic, and each
printed amount is rounded once, half up, to whole kronor (DOMAIN.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import Iterable

from .errors import InvalidArgument, MissingData, NotParticipating
from .municipalities import Municipality, lookup, registry
from .participation import participants as period_participants
from .participation import source as participation_source
from .periods import Period, parse_year, period_for_year, periods
from .population import Population, available_dates, latest_before, population_on
from .population import files as population_files


def round_kr(value: Fraction) -> Decimal:
    """Whole kronor, half away from zero (half up for the positive amounts here)."""
    sign = -1 if value < 0 else 1
    return Decimal(sign * math.floor(abs(value) + Fraction(1, 2)))


def to_decimal(value: Fraction, places: int = 10) -> Decimal:
    """A fraction shown as a decimal with ``places`` decimals (for display only)."""
    scaled = round_kr(value * 10**places)
    return scaled.scaleb(-places)


@dataclass(frozen=True)
class Line:
    """One named amount of a fee: an invoice or an area."""

    id: str
    name: str
    exact: Fraction
    amount: Decimal  # whole kronor
    level: int = 0  # 0 for an area, 1 for a part of an area


@dataclass(frozen=True)
class Fee:
    municipality: Municipality | None  # None for a hypothetical population
    year: int
    period: Period
    population_date: date
    population: int
    weighted: Fraction
    discounted: bool
    rate: Fraction
    participates: bool
    invoices: tuple[Line, ...]
    areas: tuple[Line, ...]
    exact_total: Fraction
    total: Decimal

    def invoice(self, number: int) -> Line:
        self.period.invoice(number)  # raises the Swedish error for a bad number
        return self.invoices[[i.number for i in self.period.invoices].index(number)]

    @property
    def invoiced(self) -> Decimal:
        """What is actually paid: the sum of the invoices."""
        return sum((i.amount for i in self.invoices), Decimal(0))

    def area(self, query: object) -> Line:
        """An area or part by id or name; a unique start of a name is enough."""
        wanted = self.period.find_area(query).id
        return next(a for a in self.areas if a.id == wanted)


@dataclass(frozen=True)
class FeeTable:
    """SKR's national table for one fee year."""

    year: int
    period: Period
    population: Population
    participants: frozenset[str]
    weighted_sum: Fraction
    uncapped_rate: Fraction
    rate: Fraction
    fees: tuple[Fee, ...]  # participants, by code
    discounted_codes: frozenset[str]
    preliminary: bool = False  # computed from an earlier population date than the rule says

    @property
    def cap_binds(self) -> bool:
        return self.rate < self.uncapped_rate

    @property
    def population_date(self) -> date:
        return self.population.date

    def is_discounted(self, population: int, code: str | None = None) -> bool:
        """Whether the period's discount applies to this municipality."""
        d = self.period.discount
        if d.rule == "population_above":
            return population > d.threshold
        if code is not None:
            return code in self.discounted_codes
        # a hypothetical municipality: discounted if it would rank among the largest
        return population >= min(self.population[c] for c in self.discounted_codes)

    @cached_property
    def by_code(self) -> dict[str, Fee]:
        return {f.municipality.code: f for f in self.fees}

    def fee(self, query: object) -> Fee:
        m = lookup(query)
        if m.code in self.by_code:
            return self.by_code[m.code]
        raise NotParticipating(
            f"{m.name} deltar inte i SKR:s rekommendation {self.period.name} och har ingen "
            f"avgift för {self.year}. För att räkna som om {m.name} deltog: "
            f"skr-fee fee {m.name} --med {m.code}."
        )

    def fee_for_population(self, population: int) -> Fee:
        """The fee of a hypothetical municipality of ``population`` inhabitants."""
        if isinstance(population, bool) or not isinstance(population, int) or population < 0:
            raise InvalidArgument(
                f"Ogiltig folkmängd: {population!r}. Ange ett helt antal invånare, 0 eller fler."
            )
        return _fee(self, None, population, participates=False)

    def column_sums(self) -> dict[str, Decimal]:
        sums = {f"faktura_{i.number}": Decimal(0) for i in self.period.invoices}
        sums["totalt"] = Decimal(0)
        for f in self.fees:
            for i, line in zip(self.period.invoices, f.invoices):
                sums[f"faktura_{i.number}"] += line.amount
            sums["totalt"] += f.total
        return sums


def _lines(rate: Fraction, w: Fraction, period: Period) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    base = rate * w / Fraction(period.total)
    invoices = tuple(
        Line(f"faktura_{i.number}", i.name, e := base * Fraction(i.amount), round_kr(e))
        for i in period.invoices
    )
    areas: list[Line] = []
    for area in period.areas:
        e = base * Fraction(area.amount)
        areas.append(Line(area.id, area.name, e, round_kr(e)))
        for part in area.parts:
            e = base * Fraction(part.amount)
            areas.append(Line(part.id, part.name, e, round_kr(e), level=1))
    return invoices, tuple(areas)


def _fee(table: FeeTable, m: Municipality | None, population: int, participates: bool) -> Fee:
    discounted = table.is_discounted(population, m.code if m else None)
    w = Fraction(population)
    if discounted:
        w *= Fraction(table.period.discount.factor)
    invoices, areas = _lines(table.rate, w, table.period)
    exact = table.rate * w
    return Fee(
        municipality=m,
        year=table.year,
        period=table.period,
        population_date=table.population.date,
        population=population,
        weighted=w,
        discounted=discounted,
        rate=table.rate,
        participates=participates,
        invoices=invoices,
        areas=areas,
        exact_total=exact,
        total=round_kr(exact),
    )


def _codes(queries: Iterable[object]) -> frozenset[str]:
    return frozenset(lookup(q).code for q in queries)


def default_year() -> int:
    """The latest fee year whose population figures are available."""
    have = set(available_dates())
    years = [y for p in periods() for y in p.years if p.population_date(y) in have]
    if not years:
        raise MissingData("Ingen folkmängd finns för något avgiftsår. Importera SCB:s siffror.")
    return max(years)


def fee_table(
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
    prelim = False
    if day not in available_dates():
        fallback = latest_before(day) if preliminary else None
        if fallback is None:
            population_on(day)  # raises MissingData, naming the date and how to import it
        day, prelim = fallback, True
    source = participation_source(period)
    signature = (
        _stamp(next(f.path for f in population_files() if f.date == day)),
        _stamp(source) if source else None,
    )
    return _fee_table(y, day, _codes(include), _codes(exclude), prelim, signature)


def _stamp(path) -> tuple:
    st = path.stat()
    return (str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=64)
def _fee_table(year: int, day: date, include: frozenset[str], exclude: frozenset[str],
               preliminary: bool, _signature: tuple) -> FeeTable:
    """Cached per year, what-if and the exact data files (their paths, times and sizes)."""
    period = period_for_year(year)
    table = build_table(year, period, population_on(day), (period_participants(period) | include) - exclude)
    return replace(table, preliminary=preliminary) if preliminary else table


def build_table(year: int, period: Period, population: Population, codes: Iterable[str]) -> FeeTable:
    """The table for explicit data: the pure heart of the fee model."""
    codes = frozenset(codes)
    if not codes:
        raise InvalidArgument("Minst en kommun måste delta för att avgiften ska kunna räknas.")
    pop = population.counts
    d = period.discount
    if d.rule == "largest":  # by rank among the participants
        ranked = sorted(codes, key=lambda c: pop[c], reverse=True)
        discounted = frozenset(ranked[: d.count])
    else:
        discounted = frozenset(c for c in codes if pop[c] > d.threshold)
    factor = Fraction(d.factor)
    weighted_sum = sum(
        (Fraction(pop[c]) * factor if c in discounted else Fraction(pop[c]) for c in codes),
        Fraction(0),
    )
    cap = Fraction(period.cap_per_inhabitant)
    uncapped = Fraction(period.total) / weighted_sum if weighted_sum else cap
    table = FeeTable(
        year=year,
        period=period,
        population=population,
        participants=codes,
        weighted_sum=weighted_sum,
        uncapped_rate=uncapped,
        rate=min(uncapped, cap),
        fees=(),
        discounted_codes=discounted,
    )
    by_code = registry().by_code
    fees = tuple(_fee(table, by_code[c], pop[c], True) for c in sorted(codes))
    return replace(table, fees=fees)


def fee(query: object, year: object = None, include: Iterable[object] = (), exclude: Iterable[object] = (),
        preliminary: bool = False) -> Fee:
    """One municipality's fee; a non-participant raises NotParticipating."""
    return fee_table(year, include, exclude, preliminary).fee(query)
