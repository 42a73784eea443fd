"""Recommendation periods: the rules that change with each SKR recommendation.

The rules themselves are data (``skr_fee/data/periods/*.toml``, one file a
period, loaded by ``skr_fee.data.periods``); this module holds their shape,
checks that a period adds up, and finds the period of a fee year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import InvalidArgument

DISCOUNT_RULES = ("population_above", "largest")
# shared: the total is shared out by weighted population, at most the cap per inhabitant;
# per_inhabitant: every participant pays the cap per weighted inhabitant, whoever else takes part
PRICINGS = ("shared", "per_inhabitant")


class AmbiguousArea(InvalidArgument):
    """A start of a name that fits more than one area."""


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    amount: int  # whole kronor
    parts: tuple["Area", ...] = ()


@dataclass(frozen=True)
class Invoice:
    number: int
    name: str
    amount: int  # whole kronor


@dataclass(frozen=True)
class Discount:
    rule: str  # "population_above" or "largest"
    factor: Decimal
    description: str
    threshold: int | None = None  # for "population_above"
    count: int | None = None  # for "largest"


@dataclass(frozen=True)
class Period:
    name: str
    first_year: int
    last_year: int
    decided: date
    source: str
    total: int  # whole kronor
    cap_per_inhabitant: Decimal
    population_lag_years: int
    participants: str
    discount: Discount
    areas: tuple[Area, ...]
    invoices: tuple[Invoice, ...]
    pricing: str = "shared"
    pricing_sources: tuple[str, ...] = ()

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    def population_date(self, year: int) -> date:
        """Fee year Y uses the population of 31 December Y - lag."""
        return date(year - self.population_lag_years, 12, 31)

    def invoice(self, number: int) -> Invoice:
        for invoice in self.invoices:
            if invoice.number == number:
                return invoice
        valid = " eller ".join(str(i.number) for i in self.invoices)
        raise InvalidArgument(
            f"Faktura {number} finns inte för perioden {self.name}: ange {valid}."
        )

    def find_area(self, query: object) -> Area:
        """An area or part by id or name, any case; a unique start of a name is enough."""
        text = str(query).strip().casefold()
        areas = self.all_areas()
        exact = [a for a in areas if text in (a.id.casefold(), a.name.casefold())]
        starts = [a for a in areas if text and a.name.casefold().startswith(text)]
        if exact or len(starts) == 1:
            return (exact or starts)[0]
        if starts:  # "k": Kvalitetsregister, Kunskapsstyrning or Kommunal del …: never a guess
            names = ", ".join(a.name for a in starts)
            raise AmbiguousArea(f"Området '{str(query)[:40]}' kan vara flera: {names}. "
                                  "Skriv mer av namnet eller områdets id, t.ex. 'kvalitetsregister'.")
        valid = ", ".join(f"'{a.id}'" for a in self.areas)
        raise InvalidArgument(
            f"Okänt område: '{str(query)[:40]}'. Områden för perioden {self.name}: {valid}."
        )

    def all_areas(self) -> tuple[Area, ...]:
        """Areas and their parts, depth first."""
        out: list[Area] = []

        def walk(areas):
            for area in areas:
                out.append(area)
                walk(area.parts)

        walk(self.areas)
        return tuple(out)


def whole_kronor(text: str) -> int:
    """An amount of a period file ("10000000"): whole kronor, or the file is broken."""
    amount = Decimal(text)
    if amount != amount.to_integral_value():
        raise ValueError(f"period amount {text!r}: amounts must be whole kronor")
    return int(amount)


def _area(raw: dict) -> Area:
    return Area(
        id=raw["id"],
        name=raw["name"],
        amount=whole_kronor(raw["amount"]),
        parts=tuple(_area(p) for p in raw.get("parts", ())),
    )


def period_from_dict(raw: dict) -> Period:
    """A period from its TOML table (``data/periods/*.toml``); a file that does not add up raises ValueError."""
    d = raw["discount"]
    period = Period(
        name=raw["name"],
        first_year=int(raw["first_year"]),
        last_year=int(raw["last_year"]),
        decided=raw["decided"],
        source=raw["source"],
        total=whole_kronor(raw["total"]),
        cap_per_inhabitant=Decimal(raw["cap_per_inhabitant"]),
        population_lag_years=int(raw["population_lag_years"]),
        participants=raw["participants"],
        discount=Discount(
            rule=d["rule"],
            factor=Decimal(d["factor"]),
            description=d["description"],
            threshold=d.get("threshold"),
            count=d.get("count"),
        ),
        areas=tuple(_area(a) for a in raw["areas"]),
        invoices=tuple(
            Invoice(int(i["number"]), i["name"], whole_kronor(i["amount"])) for i in raw["invoices"]
        ),
        pricing=raw.get("pricing", "shared"),
        pricing_sources=tuple(raw.get("pricing_sources", ())),
    )
    _check(period)
    return period


def _check(period: Period) -> None:
    """A period file whose parts do not add up is a broken data file."""
    if sum(a.amount for a in period.areas) != period.total:
        raise ValueError(f"period {period.name}: areas do not sum to the total")
    if sum(i.amount for i in period.invoices) != period.total:
        raise ValueError(f"period {period.name}: invoices do not sum to the total")
    for area in period.all_areas():
        if area.parts and sum(p.amount for p in area.parts) != area.amount:
            raise ValueError(f"period {period.name}: parts of {area.id} do not sum")
    if period.pricing not in PRICINGS:
        raise ValueError(f"period {period.name}: unknown pricing {period.pricing}")
    if period.discount.rule not in DISCOUNT_RULES:
        raise ValueError(f"period {period.name}: unknown discount rule {period.discount.rule}")


def parse_year(year: object) -> int:
    """A fee year from user input (int, float from Excel, or text)."""
    if isinstance(year, bool):
        raise InvalidArgument(f"Ogiltigt år: {year!r}. Ange ett avgiftsår, till exempel 2025.")
    if isinstance(year, float):
        if not year.is_integer():
            raise InvalidArgument(f"Ogiltigt år: {str(year)[:12]}. Ange ett helt år, till exempel 2025.")
        year = int(year)  # 2025.0 from an Excel cell; 1e300 is refused below like any large number
    if isinstance(year, int):
        if not 0 <= year <= 9999:
            raise InvalidArgument(f"Ogiltigt år: {str(year)[:12]}. Ange ett avgiftsår, till exempel 2025.")
        return year
    text = str(year).strip()
    if text.isdigit() and len(text) <= 4:
        return int(text)
    raise InvalidArgument(f"Ogiltigt år: '{str(year)[:20]}'. Ange ett avgiftsår, till exempel 2025.")


def find_period(known: tuple[Period, ...], year: object) -> Period:
    """The period of ``known`` that fee year ``year`` falls in, or a Swedish error."""
    y = parse_year(year)
    for period in known:
        if y in period.years:
            return period
    spans = ", ".join(f"{p.first_year}–{p.last_year}" for p in known)
    raise InvalidArgument(
        f"Avgiftsåret {y} ligger utanför SKR:s rekommendationer: ange ett år i {spans}."
    )
