"""The fee model: what each municipality pays SKR in a fee year.

Everything is computed exactly: the rate is a fraction, every amount is
``rate × weighted population × part / total`` in exact arithmetic, and each
printed amount is rounded once, half up, to whole kronor (DOMAIN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import cached_property
from typing import Iterable

from .discounts import applies_to_population, discounted
from .errors import InvalidArgument, NotParticipating
from .municipalities import Municipality, Registry
from .periods import Period
from .population import Population
from .rounding import half_up

MAX_POPULATION = 100_000_000  # Sweden has 10.6 million: a larger figure is a typo


@dataclass(frozen=True)
class Line:
    """One named amount of a fee: an invoice or an area, exactly num/den kronor."""

    id: str
    name: str
    num: int
    den: int
    level: int = 0  # 0 for an area, 1 for a part of an area

    @property
    def exact(self) -> Fraction:
        return Fraction(self.num, self.den)

    @property
    def amount(self) -> int:
        """Whole kronor, rounded once, half up."""
        return half_up(self.num, self.den)


@dataclass(frozen=True)
class Basis:
    """What every fee of one table shares: the year's rules and the exact rate."""

    year: int
    period: Period
    population_date: date
    rate: Fraction
    # the period's parts as (id, name, kronor, level): invoices, then areas and their parts
    invoice_parts: tuple[tuple[str, str, int, int], ...]
    area_parts: tuple[tuple[str, str, int, int], ...]
    total: int
    factor: Fraction

    @classmethod
    def of(cls, year: int, period: Period, population_date: date, rate: Fraction) -> "Basis":
        invoices = tuple((f"faktura_{i.number}", i.name, i.amount, 0) for i in period.invoices)
        areas = []
        for area in period.areas:
            areas.append((area.id, area.name, area.amount, 0))
            areas += [(p.id, p.name, p.amount, 1) for p in area.parts]
        return cls(year, period, population_date, rate, invoices, tuple(areas), period.total,
                   Fraction(period.discount.factor))


@dataclass(frozen=True)
class Fee:
    """One municipality's fee; every amount is derived exactly when asked for."""

    basis: Basis
    municipality: Municipality | None  # None for a hypothetical population
    population: int
    discounted: bool

    year = property(lambda self: self.basis.year)
    period = property(lambda self: self.basis.period)
    population_date = property(lambda self: self.basis.population_date)
    rate = property(lambda self: self.basis.rate)

    @property
    def weighted(self) -> Fraction:
        return self.population * self.basis.factor if self.discounted else Fraction(self.population)

    def _scaled(self) -> tuple[int, int]:
        """rate × weighted population as an unreduced num/den."""
        r, f = self.basis.rate, self.basis.factor
        if self.discounted:
            return r.numerator * self.population * f.numerator, r.denominator * f.denominator
        return r.numerator * self.population, r.denominator

    def _lines(self, parts) -> tuple[Line, ...]:
        num, den = self._scaled()
        den *= self.basis.total
        return tuple(Line(i, name, num * kr, den, level) for i, name, kr, level in parts)

    @property
    def invoices(self) -> tuple[Line, ...]:
        return self._lines(self.basis.invoice_parts)

    @property
    def areas(self) -> tuple[Line, ...]:
        return self._lines(self.basis.area_parts)

    @property
    def exact_total(self) -> Fraction:
        return Fraction(*self._scaled())

    @property
    def total(self) -> int:
        """Totalt: rate × weighted population, rounded on its own."""
        return half_up(*self._scaled())

    def whole_amounts(self) -> tuple[list[int], int]:
        """(the invoices, Totalt) in whole kronor: the table's row, computed in one go."""
        num, den = self._scaled()
        part_den = den * self.basis.total
        invoices = [half_up(num * kr, part_den) for _, _, kr, _ in self.basis.invoice_parts]
        return invoices, half_up(num, den)

    def invoice(self, number: int) -> Line:
        self.period.invoice(number)  # raises the Swedish error for a bad number
        return self.invoices[[i.number for i in self.period.invoices].index(number)]

    @property
    def invoiced(self) -> int:
        """What is actually paid: the sum of the invoices."""
        return sum(self.whole_amounts()[0])

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
    basis: Basis  # what every fee of the table shares
    municipalities: Registry  # for lookups by any spelling
    preliminary: bool = False  # computed from an earlier population date than the rule says

    @property
    def cap_binds(self) -> bool:
        return self.rate < self.uncapped_rate

    @property
    def population_date(self) -> date:
        return self.population.date

    def is_discounted(self, population: int) -> bool:
        """Whether the period's discount would apply to a municipality of ``population`` inhabitants."""
        d = self.period.discount
        largest = discounted(d, self.population.counts, self.population.counts.keys())
        smallest = min((self.population[c] for c in largest), default=None)  # None: the discount reaches no municipality
        return applies_to_population(d, population, smallest)

    @cached_property
    def by_code(self) -> dict[str, Fee]:
        return {f.municipality.code: f for f in self.fees}

    def fee(self, query: object) -> Fee:
        m = self.municipalities.lookup(query)
        if m.code in self.by_code:
            return self.by_code[m.code]
        raise NotParticipating(
            f"{m.name} deltar inte i SKR:s rekommendation {self.period.name} och har ingen "
            f"avgift för {self.year}. För att räkna som om {m.name} deltog: "
            f"skr-fee avgift {m.name} --med {m.code}."
        )

    def fee_for_population(self, population: int) -> Fee:
        """The fee of a hypothetical municipality of ``population`` inhabitants."""
        if isinstance(population, bool) or not isinstance(population, int) or not 0 <= population <= MAX_POPULATION:
            raise InvalidArgument(
                f"Ogiltig folkmängd: {str(population)[:20]!r}. Ange ett helt antal invånare, 0 till 100 000 000."
            )
        return Fee(self.basis, None, population, self.is_discounted(population))

    def column_sums(self) -> dict[str, int]:
        sums = {f"faktura_{i.number}": 0 for i in self.period.invoices}
        sums["totalt"] = 0
        for f in self.fees:
            for i, line in zip(self.period.invoices, f.invoices):
                sums[f"faktura_{i.number}"] += line.amount
            sums["totalt"] += f.total
        return sums


def build_table(year: int, period: Period, population: Population, codes: Iterable[str],
                municipalities: Registry) -> FeeTable:
    """The table for explicit data: the pure heart of the fee model."""
    codes = frozenset(codes)
    if not codes:
        raise InvalidArgument("Minst en kommun måste delta för att avgiften ska kunna räknas.")
    pop = population.counts
    d = period.discount
    # "the four largest" are the largest of all municipalities: a fee does not depend on who joins
    discounted_codes = discounted(d, pop, pop.keys()) & codes
    factor = Fraction(d.factor)
    plain = sum(pop[c] for c in codes if c not in discounted_codes)
    weighted_sum = plain + sum(pop[c] for c in discounted_codes) * factor
    cap = Fraction(period.cap_per_inhabitant)
    if period.pricing == "per_inhabitant":
        uncapped = cap  # a flat price: nothing is shared out
    else:
        uncapped = Fraction(period.total) / weighted_sum if weighted_sum else cap
    rate = min(uncapped, cap)
    basis = Basis.of(year, period, population.date, rate)
    by_code = municipalities.by_code
    fees = tuple(Fee(basis, by_code[c], pop[c], c in discounted_codes) for c in sorted(codes))
    return FeeTable(
        year=year,
        period=period,
        population=population,
        participants=codes,
        weighted_sum=weighted_sum,
        uncapped_rate=uncapped,
        rate=rate,
        fees=fees,
        discounted_codes=discounted_codes,
        basis=basis,
        municipalities=municipalities,
    )


def amount_to_split(fee: Fee, basis: str) -> int:
    """What a municipality splits between its boards: the invoiced sum or SKR's total, whole kronor."""
    if basis == "fakturerat":
        return fee.invoiced
    if basis == "totalt":
        return fee.total
    raise InvalidArgument(f"Ogiltig grund: '{basis}'. Välj 'fakturerat' eller 'totalt'.")
