"""The fee model against SKR's published figures (DOMAIN.md) and its own rules."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

import reference

from skr_fee.rules.errors import InvalidArgument, MissingData, NotParticipating
from skr_fee.data.municipalities import registry
from skr_fee.data.tables import fee, fee_table
from skr_fee.rules.fees import build_table
from skr_fee.rules.rounding import round_kr
from skr_fee.data.periods import period_for_year
from skr_fee.data.population import population_on
from skr_fee.rules.population import Population

# kod, population, Faktura 1, Faktura 2, Totalt: SKR's published table, 2023-12-31.
CHECK_ROWS = [
    ("1440", 32446, 18950, 42638, 61588),
    ("1480", 604616, 317815, 715084, 1032899),
    ("0138", 49173, 28720, 64619, 93339),
    ("2506", 2609, 1524, 3429, 4952),
]


@pytest.mark.parametrize("code,population,f1,f2,total", CHECK_ROWS)
def test_published_check_rows(code, population, f1, f2, total):
    f = fee(code, 2025)
    assert f.population == population
    assert f.population_date == date(2023, 12, 31)
    assert [line.amount for line in f.invoices] == [f1, f2]
    assert f.total == total
    # whole kronor are ints: never a Decimal or a float to be turned back with int()
    assert all(type(a) is int for a in (f.total, f.invoiced, *(line.amount for line in f.invoices + f.areas)))


def test_rate_and_weighted_sum_2025():
    t = fee_table(2025)
    assert t.weighted_sum == Fraction("10273039.9")
    assert t.rate == Fraction(19_500_000) / Fraction("10273039.9")
    assert str(float(t.rate)).startswith("1.8981723")
    assert not t.cap_binds
    assert len(t.fees) == 288
    assert {"0781", "1883"}.isdisjoint(t.by_code)


def test_invoice_columns_sum_to_the_invoice_parts():
    t = fee_table(2025)
    sums = t.column_sums()
    n = len(t.fees)
    # each cell is off by at most half a krona from its exact value
    assert abs(sums["faktura_1"] - 6_000_000) <= Decimal(n) / 2
    assert abs(sums["faktura_2"] - 13_500_000) <= Decimal(n) / 2
    assert abs(sums["totalt"] - 19_500_000) <= Decimal(n) / 2
    # and the exact (unrounded) amounts sum to the parts exactly
    assert sum(f.invoices[0].exact for f in t.fees) == 6_000_000
    assert sum(f.invoices[1].exact for f in t.fees) == 13_500_000
    assert sum(f.exact_total for f in t.fees) == 19_500_000


def test_areas_follow_the_period_budget():
    f = fee("Göteborg", 2025)
    ids = [a.id for a in f.areas]
    assert ids == ["kvalitetsregister", "uppfoljning", "brukarundersokningar", "isu",
                   "kunskapsstyrning", "halso_sjukvard", "socialtjanst"]
    assert f.area("kvalitetsregister").exact == f.exact_total * Fraction(10_000_000, 19_500_000)
    assert f.area("uppfoljning").exact == f.exact_total * Fraction(5_000_000, 19_500_000)
    top = [a for a in f.areas if a.level == 0]
    assert sum(a.exact for a in top) == f.exact_total
    assert f.area("Kvalitet").id == "kvalitetsregister"  # a unique start of the name
    with pytest.raises(InvalidArgument, match="Okänt område: 'skola'.*kvalitetsregister"):
        f.area("skola")


def test_rounding_is_half_up_on_exact_values():
    assert round_kr(Fraction(5, 2)) == 3
    assert round_kr(Fraction(7, 2)) == 4
    assert round_kr(Fraction(2499, 1000)) == 2
    assert round_kr(Fraction(-5, 2)) == -3
    # Nacka's total lies 0.0015 kr below half a krona: exact arithmetic rounds down
    f = fee("0182", 2025)  # 210000.4985 in exact arithmetic
    assert f.exact_total - 210000 < Fraction(1, 2)
    assert f.total == 210000


def test_total_may_differ_from_invoice_sum_by_one_krona():
    t = fee_table(2025)
    diffs = {f.total - f.invoiced for f in t.fees}
    assert diffs <= {Decimal(-1), Decimal(0), Decimal(1)}
    assert Decimal(0) in diffs


def test_discount_boundary_200000_vs_200001():
    period = period_for_year(2025)
    base = population_on(date(2023, 12, 31))
    counts = dict(base.counts)
    counts["1440"] = 200_000
    counts["2506"] = 200_001
    t = build_table(2025, period, Population(base.date, counts, "test"), base.counts.keys(), registry())
    assert not t.by_code["1440"].discounted
    assert t.by_code["1440"].weighted == 200_000
    assert t.by_code["2506"].discounted
    assert t.by_code["2506"].weighted == Fraction(200_001) * Fraction(9, 10)


def test_what_if_karlskoga_joins():
    base = fee_table(2025)
    what_if = fee_table(2025, include=["Karlskoga"])
    assert len(what_if.fees) == 289
    assert what_if.rate < base.rate
    assert what_if.weighted_sum == base.weighted_sum + 30_261
    k = fee("Karlskoga", 2025, include=["Karlskoga"])
    # independent: 289 share 19.5 mkr (tests/reference.py)
    expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028() | {"1883"})
    assert k.total == expected["1883"][2] and what_if.fee("Göteborg").total == expected["1480"][2]
    # Göteborg pays less when one more shares the cost
    assert what_if.fee("Göteborg").total < base.fee("Göteborg").total


def test_cap_holds_when_few_participate():
    t = fee_table(2025, exclude=[f.municipality.code for f in fee_table(2025).fees if f.municipality.code not in ("1480", "0180", "0138")])
    assert len(t.fees) == 3
    assert t.cap_binds
    assert t.rate == Fraction("1.95")
    assert t.fee("Tyresö").total == 95887  # 49 173 × 1.95 = 95 887,35
    # with the cap binding SKR collects less than the period total
    assert sum(f.exact_total for f in t.fees) < 19_500_000


def test_non_participant_is_a_clear_error_not_zero():
    with pytest.raises(NotParticipating, match="Karlskoga deltar inte.*2025–2028.*--med"):
        fee("Karlskoga", 2025)
    with pytest.raises(NotParticipating, match="Ljungby"):
        fee("0781", 2025)


def test_excluding_a_participant():
    t = fee_table(2025, exclude=["Ale"])
    assert len(t.fees) == 287
    with pytest.raises(NotParticipating):
        t.fee("Ale")


@pytest.mark.parametrize("year,message", [
    (2019, "utanför SKR:s rekommendationer"),
    (2029, "utanför SKR:s rekommendationer"),
    ("tjugo", "Ogiltigt år"),
    (2025.5, "helt år"),
    (True, "Ogiltigt år"),
])
def test_bad_years(year, message):
    with pytest.raises(InvalidArgument, match=message):
        fee("Ale", year)


@pytest.mark.parametrize("year,missing", [(2028, "2026-12-31"), (2022, "2020-12-31"), (2020, "2018-12-31")])
def test_years_without_population_say_what_is_missing(year, missing):
    with pytest.raises(MissingData, match=f"Folkmängd per {missing} saknas.*'skr-fee hämta-scb --år {missing[:4]}'.*importera-scb"):
        fee("Ale", year)


def test_year_from_excel_float_and_text():
    assert fee("Ale", 2025.0).total == fee("Ale", "2025").total == 61588


def test_hypothetical_population():
    t = fee_table(2025)
    f = t.fee_for_population(32_446)
    assert f.total == 61588 and f.municipality is None
    assert t.fee_for_population(300_000).discounted
    with pytest.raises(InvalidArgument, match="Ogiltig folkmängd"):
        t.fee_for_population(-5)


def test_period_2020_2024_rules_as_data():
    p = period_for_year(2022)
    assert p.name == "2020–2024"
    assert [a.amount for a in p.areas] == [Decimal("14600000"), Decimal("2400000"), Decimal("2500000")]
    assert p.discount.rule == "largest" and p.discount.count == 4
    assert p.population_date(2022) == date(2020, 12, 31)


def test_largest_four_discount_rule():
    """2020-2024: the four largest get 10 %, and each pays a flat 1.95 kr per weighted inhabitant."""
    p = period_for_year(2022)
    base = population_on(date(2023, 12, 31))  # any complete population will do for the rule
    t = build_table(2022, p, base, base.counts.keys(), registry())
    discounted = {c for c in t.by_code if t.by_code[c].discounted}
    assert discounted == {"0180", "1480", "1280", "0380"}  # Stockholm, Göteborg, Malmö, Uppsala
    expected = reference.flat(reference.population(2023))  # independent: plain fractions of SCB's file
    assert {c: int(f.total) for c, f in t.by_code.items()} == expected


def test_2020_2024_fee_does_not_depend_on_who_takes_part():
    """SKR 2022-06-10: 'Kostnaden för respektive kommun påverkas inte av antalet deltagande kommuner'."""
    everyone = fee_table(2024)
    few = fee_table(2024, exclude=[c for c in everyone.by_code if c not in ("0138", "0180")])
    assert len(few.fees) == 2
    assert few.fee("Tyresö").total == everyone.fee("Tyresö").total == 95967  # DOMAIN.md: 49 214 × 1.95
    assert few.fee("Stockholm").discounted  # still one of the four largest of all municipalities
    assert few.rate == everyone.rate == Fraction(195, 100)


def test_tyreso_decision_2020_2024():
    """Tyresö's decision: 49 326 inhabitants × 1.95 kr, 'cirka 96 000 kronor' (DOMAIN.md: 96 186 kr)."""
    f = fee_table(2024).fee_for_population(49_326)
    assert f.total == 96186 and not f.discounted
    assert len(f.invoices) == 1 and f.invoices[0].amount == 96186


@pytest.mark.parametrize("year", [2023, 2024])
def test_every_row_of_2023_and_2024_is_population_times_195(year):
    """Issue 14's acceptance: round-half-up(population × 1.95 × (0.9 for the four largest))."""
    t = fee_table(year)
    expected = reference.flat(reference.population(year - 2))
    assert len(t.fees) == 290
    assert {c: int(f.total) for c, f in t.by_code.items()} == expected
