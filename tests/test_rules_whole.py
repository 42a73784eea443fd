"""The rules read and build every field they are given (issue 29: mutants that survived because a
field was never looked at): the period files read whole, the national table's own fields, the
levels of the areas, where the odd kronor of a split in hundreds go, and warnings kept off stderr.

Expected values: the period files themselves (read here with tomllib), DOMAIN.md (2025–2028:
19,5 mkr, 1,95 kr a head, 10 % off above 200 000 inhabitants; faktura 1 = 6,0 mkr, faktura 2 =
13,5 mkr), SCB's figures through tests/reference.py, and fractions worked out here.
"""

import logging
import sys
import tomllib
import warnings
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import reference
from skr_fee.data.municipalities import lookup
from skr_fee.data.tables import fee_table
from skr_fee.rules import quiet
from skr_fee.rules.fees import build_table
from skr_fee.rules.municipalities import UnknownMunicipality
from skr_fee.rules.periods import period_from_dict
from skr_fee.rules.rounding import largest_remainder

PERIODS = Path(__file__).resolve().parents[1] / "src" / "skr_fee" / "data" / "periods"


@pytest.mark.parametrize("name", ["2020-2024.toml", "2025-2028.toml"])
def test_a_period_file_is_read_whole(name):
    raw = tomllib.loads((PERIODS / name).read_text(encoding="utf-8"))
    p = period_from_dict(raw)
    assert (p.name, p.first_year, p.last_year, p.decided, p.source) == (
        raw["name"], raw["first_year"], raw["last_year"], raw["decided"], raw["source"])
    assert p.total == int(raw["total"]) and p.cap_per_inhabitant == Decimal(raw["cap_per_inhabitant"])
    assert p.population_lag_years == raw["population_lag_years"] and p.participants == raw["participants"]
    assert p.pricing_sources == tuple(raw.get("pricing_sources", ()))
    d = raw["discount"]
    assert (p.discount.rule, p.discount.factor, p.discount.description) == (d["rule"], Decimal(d["factor"]),
                                                                            d["description"])
    assert (p.discount.threshold, p.discount.count) == (d.get("threshold"), d.get("count"))
    assert [(a.id, a.name, a.amount, [(q.id, q.name, q.amount) for q in a.parts]) for a in p.areas] == [
        (a["id"], a["name"], int(a["amount"]), [(q["id"], q["name"], int(q["amount"])) for q in a.get("parts", ())])
        for a in raw["areas"]]
    assert [(i.number, i.name, i.amount) for i in p.invoices] == [
        (i["number"], i["name"], int(i["amount"])) for i in raw["invoices"]]


def test_the_2025_2028_period_is_domains():
    p = period_from_dict(tomllib.loads((PERIODS / "2025-2028.toml").read_text(encoding="utf-8")))
    assert (p.total, p.cap_per_inhabitant) == (19_500_000, Decimal("1.95"))
    assert (p.discount.rule, p.discount.threshold, p.discount.factor) == ("population_above", 200_000, Decimal("0.9"))
    assert [i.amount for i in p.invoices] == [6_000_000, 13_500_000]


def test_a_period_amount_in_ore_is_a_broken_file():
    raw = tomllib.loads((PERIODS / "2025-2028.toml").read_text(encoding="utf-8"))
    raw["total"] = "19500000.50"
    with pytest.raises(ValueError, match="whole kronor"):
        period_from_dict(raw)


def built(year: int):
    """The table built here, not the one fee_table keeps: a test of build_table must run it."""
    kept = fee_table(year)
    return build_table(year, kept.period, kept.population, kept.participants, kept.municipalities)


def test_the_table_keeps_what_it_was_built_from():
    t = built(2025)
    pop = reference.population(2023)
    codes = reference.participants_2025_2028()
    assert t.participants == frozenset(codes) and t.year == 2025
    assert t.discounted_codes == frozenset(c for c in codes if pop[c] > 200_000)
    assert t.weighted_sum == sum(reference.weighted(pop[c]) for c in codes)
    assert t.rate == reference.rate_2025_2028(pop, codes)
    assert all(f.municipality.code in codes and f.year == 2025 for f in t.fees)
    assert t.basis.year == 2025 and t.basis.total == 19_500_000
    # a hypothetical municipality participates in nothing and is discounted by size alone
    f = t.fee_for_population(600_000)
    assert f.municipality is None and f.discounted and f.weighted == 540_000
    assert not t.fee_for_population(200_000).discounted


def test_the_four_largest_are_the_largest_of_all_municipalities():
    """2020–2024: the four largest by population, whoever participates (DOMAIN.md)."""
    t = built(2023)
    pop = reference.population(2021)
    largest = set(sorted(pop, key=lambda c: -pop[c])[:4])
    assert t.discounted_codes == frozenset(largest & t.participants)
    smallest = min(pop[c] for c in largest)
    assert t.fee_for_population(smallest).discounted and not t.fee_for_population(smallest - 1).discounted


def test_areas_and_their_parts_carry_their_level():
    f = built(2025).fee("Tyresö")
    raw = tomllib.loads((PERIODS / "2025-2028.toml").read_text(encoding="utf-8"))
    expected = []
    for a in raw["areas"]:
        expected.append((a["id"], 0))
        expected += [(q["id"], 1) for q in a.get("parts", ())]
    assert [(a.id, a.level) for a in f.areas] == expected
    assert [i.level for i in f.invoices] == [0, 0]


@pytest.mark.parametrize("amount,weights,unit,expected", [
    # every part exact in hundreds: the 50 odd kronor go to the largest share, never to a share of 0
    (1050, [0, 1, 1], 100, [0, 550, 500]),
    (1050, [0, 1, 2], 100, [0, 300, 750]),
    # a remainder decides: 10 hundreds in thirds, one left over to the first largest remainder
    (1000, [1, 1, 1], 100, [400, 300, 300]),
    (1099, [1, 1, 1], 100, [499, 300, 300]),
])
def test_odd_kronor_go_to_the_largest_remainder_or_the_largest_share(amount, weights, unit, expected):
    got = largest_remainder(amount, [Fraction(w) for w in weights], unit)
    assert got == expected and sum(got) == amount


# ------------------------------------------------------------------ municipalities

@pytest.mark.parametrize("query,shown", [(True, "True"), (None, ""), ("12345", "12345"), (12345, "12345")])
def test_what_is_no_municipality_is_named_in_the_message(query, shown):
    with pytest.raises(UnknownMunicipality) as e:
        lookup(query)
    assert str(e.value).startswith(f"Okänd kommun: '{shown}'.")
    assert "fyrsiffriga kommunkod (till exempel Göteborg eller 1480)" in str(e.value)


def test_suggestions_start_from_the_shortest_form_of_the_name():
    """'Sthlm stad' is tried as 'sthlm' before 'sthlm stad': the municipality, not the other '-stad's."""
    with pytest.raises(UnknownMunicipality) as e:
        lookup("Sthlm stad")
    assert str(e.value).startswith("Okänd kommun: 'Sthlm stad'. Menar du Stockholm eller Tidaholm eller Salem?")


# ------------------------------------------------------------------ warnings and loggers

def test_warnings_go_to_the_log_and_pyhanko_logs_nothing(monkeypatch, caplog):
    monkeypatch.setattr(sys, "warnoptions", [])
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    for name in quiet.REPORTED_BY_US:
        monkeypatch.setattr(logging.getLogger(name), "level", logging.NOTSET)
    with warnings.catch_warnings():
        quiet.route_warnings_to_log()
        with caplog.at_level(logging.DEBUG, logger=quiet.LOGGER):
            line = sys._getframe().f_lineno + 1
            warnings.warn("en varning", UserWarning, stacklevel=1)
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert caplog.records[0].getMessage() == f"{__file__}:{line}: UserWarning: en varning"
    assert all(logging.getLogger(n).level == logging.CRITICAL for n in ("pyhanko", "pyhanko_certvalidator"))


def test_a_discount_that_no_municipality_reaches_still_answers_for_a_hypothetical_one():
    """Over 2 000 000 inhabitants: no municipality has that many (Stockholm, the largest, about
    990 000 in SCB's files), so the discount applies to none of them, and a hypothetical
    municipality of 2 000 001 inhabitants is still discounted by its size."""
    raw = tomllib.loads((PERIODS / "2025-2028.toml").read_text(encoding="utf-8"))
    raw["discount"]["threshold"] = 2_000_000
    kept = fee_table(2025)
    assert max(kept.population[c] for c in kept.participants) < 2_000_000
    t = build_table(2025, period_from_dict(raw), kept.population, kept.participants, kept.municipalities)
    assert t.discounted_codes == frozenset()
    assert t.is_discounted(2_000_001) and not t.is_discounted(2_000_000)
