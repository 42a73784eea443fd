"""Recommendation periods: the rules that change with each SKR recommendation.

The rules themselves live in ``data/periods/*.toml`` (one file a period, in
the manner of python-holidays' rules-as-data); this module only reads them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from .errors import InvalidArgument


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    amount: Decimal
    parts: tuple["Area", ...] = ()


@dataclass(frozen=True)
class Invoice:
    number: int
    name: str
    amount: Decimal


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
    total: Decimal
    cap_per_inhabitant: Decimal
    population_lag_years: int
    participants: str
    discount: Discount
    areas: tuple[Area, ...]
    invoices: tuple[Invoice, ...]

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
        valid = ", ".join(f"'{a.id}'" for a in self.areas)
        raise InvalidArgument(
            f"Okänt område: '{query}'. Områden för perioden {self.name}: {valid}."
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


def _area(raw: dict) -> Area:
    return Area(
        id=raw["id"],
        name=raw["name"],
        amount=Decimal(raw["amount"]),
        parts=tuple(_area(p) for p in raw.get("parts", ())),
    )


def _period(raw: dict) -> Period:
    d = raw["discount"]
    period = Period(
        name=raw["name"],
        first_year=int(raw["first_year"]),
        last_year=int(raw["last_year"]),
        decided=raw["decided"],
        source=raw["source"],
        total=Decimal(raw["total"]),
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
            Invoice(int(i["number"]), i["name"], Decimal(i["amount"])) for i in raw["invoices"]
        ),
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
    if period.discount.rule not in ("population_above", "largest"):
        raise ValueError(f"period {period.name}: unknown discount rule {period.discount.rule}")


@lru_cache(maxsize=None)
def periods() -> tuple[Period, ...]:
    """All recommendation periods the product knows, oldest first."""
    folder = resources.files("skr_fee") / "data" / "periods"
    loaded = [
        _period(tomllib.loads(f.read_text(encoding="utf-8")))
        for f in folder.iterdir()
        if f.name.endswith(".toml")
    ]
    return tuple(sorted(loaded, key=lambda p: p.first_year))


def parse_year(year: object) -> int:
    """A fee year from user input (int, float from Excel, or text)."""
    if isinstance(year, bool):
        raise InvalidArgument(f"Ogiltigt år: {year!r}. Ange ett avgiftsår, till exempel 2025.")
    if isinstance(year, float):
        if not year.is_integer():
            raise InvalidArgument(f"Ogiltigt år: {year}. Ange ett helt år, till exempel 2025.")
        return int(year)
    if isinstance(year, int):
        return year
    text = str(year).strip()
    if text.isdigit():
        return int(text)
    raise InvalidArgument(f"Ogiltigt år: '{year}'. Ange ett avgiftsår, till exempel 2025.")


def period_for_year(year: object) -> Period:
    y = parse_year(year)
    for period in periods():
        if y in period.years:
            return period
    spans = ", ".join(f"{p.first_year}–{p.last_year}" for p in periods())
    raise InvalidArgument(
        f"Avgiftsåret {y} ligger utanför SKR:s rekommendationer: ange ett år i {spans}."
    )
