"""The rules at their edges, on both sides, on every path (issue 17).

Expected values: DOMAIN.md, SKR's published table, or a computation written
here in plain fractions (tests/reference.py); never the product's output.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

import reference
from skr_fee.data.municipalities import registry
from skr_fee.data.periods import period_for_year, periods
from skr_fee.data.tables import fee_table
from skr_fee.excel import udf
from skr_fee.rules.errors import InvalidArgument
from skr_fee.rules.fees import build_table
from skr_fee.rules.key_toml import parse_key
from skr_fee.rules.keys import KeyFileError, key_from_rows
from skr_fee.rules.swedish import points as show_percent
from skr_fee.rules.periods import DISCOUNT_RULES, PRICINGS
from skr_fee.rules.population import Population
from skr_fee.rules.rounding import decimals, half_up, largest_remainder, round_down, round_kr
from skr_fee.rules.split import allocate, allocate_like_decision

P2025 = period_for_year(2025)
POP_2023 = reference.population(2023)
PARTICIPANTS = reference.participants_2025_2028()
RATE_2025 = reference.rate_2025_2028(POP_2023, PARTICIPANTS)


# ------------------------------------------------------------ every period, one contract
@pytest.mark.parametrize("period", periods(), ids=lambda p: p.name)
def test_period_contract(period):
    """What every period file must say (in the manner of python-holidays' CommonCountryTests)."""
    assert period.population_lag_years == 2
    assert sum(a.amount for a in period.areas) == period.total == sum(i.amount for i in period.invoices)
    assert period.discount.rule in DISCOUNT_RULES and period.pricing in PRICINGS
    assert period.pricing_sources and period.decided.year < period.first_year
    assert period.population_date(period.first_year) == date(period.first_year - 2, 12, 31)


def test_periods_are_contiguous():
    ps = periods()
    assert [p.name for p in ps] == ["2020–2024", "2025–2028"]
    assert all(a.last_year + 1 == b.first_year for a, b in zip(ps, ps[1:]))


@pytest.mark.parametrize("year,period", [(2020, "2020–2024"), (2024, "2020–2024"), (2025, "2025–2028"),
                                         (2028, "2025–2028")])
def test_fee_years_at_the_ends_of_each_period(year, period):
    assert period_for_year(year).name == period


@pytest.mark.parametrize("year", [2019, 2029])
def test_years_outside_every_period(year):
    with pytest.raises(InvalidArgument, match=f"Avgiftsåret {year} ligger utanför SKR:s rekommendationer: "
                                              "ange ett år i 2020–2024, 2025–2028"):
        period_for_year(year)


def test_the_last_flat_year_and_the_first_shared_year():
    """Tyresö 2024: 49 214 × 1.95 = 95 967 (DOMAIN.md); 2025: 93 339 (SKR's table)."""
    assert fee_table(2024).fee("Tyresö").total == 95967
    assert fee_table(2025).fee("Tyresö").total == 93339


# ------------------------------------------------------------ 200 000 and 200 001
def expected_one(n: int, rate: Fraction) -> int:
    return reference.half_up(rate * reference.weighted(n))


@pytest.mark.parametrize("n,discounted", [(199_999, False), (200_000, False), (200_001, True), (200_002, True)])
def test_discount_threshold_for_one_hypothetical_municipality(n, discounted):
    f = fee_table(2025).fee_for_population(n)
    assert f.discounted is discounted
    assert f.weighted == (Fraction(n) * Fraction(9, 10) if discounted else n)
    assert f.total == expected_one(n, RATE_2025)
    assert udf.skr_fee(n, 2025) == expected_one(n, RATE_2025)  # the functions' path
    assert udf.skr_fee([[n]], 2025) == expected_one(n, RATE_2025)


def test_discount_threshold_in_a_table():
    pop = dict(POP_2023) | {"1440": 200_000, "2506": 200_001}
    t = build_table(2025, P2025, Population(date(2023, 12, 31), pop, "test"), PARTICIPANTS, registry())
    expected = reference.shared_out(pop, PARTICIPANTS)
    assert not t.by_code["1440"].discounted and t.by_code["2506"].discounted
    got = {c: (int(f.invoices[0].amount), int(f.invoices[1].amount), int(f.total)) for c, f in t.by_code.items()}
    assert got == expected


def test_the_four_largest_and_the_fifth():
    """2020–2024: Uppsala (4th) gets 10 %, Linköping (5th) does not (SCB 2022-12-31)."""
    pop = reference.population(2022)
    ranked = sorted(pop, key=lambda c: -pop[c])
    assert ranked[:5] == ["0180", "1480", "1280", "0380", "0580"]
    t = fee_table(2024)
    assert t.by_code["0380"].discounted and not t.by_code["0580"].discounted
    assert t.by_code["0380"].total == reference.half_up(Fraction(pop["0380"]) * Fraction(195, 100) * Fraction(9, 10))
    assert t.by_code["0580"].total == reference.half_up(Fraction(pop["0580"]) * Fraction(195, 100))
    assert t.fee_for_population(pop["0380"]).discounted and not t.fee_for_population(pop["0380"] - 1).discounted


# ------------------------------------------------------------ the cap, binding and not
CODES = sorted(POP_2023)[:51]


def few(total_weighted: int) -> Population:
    """51 participants of at most 200 000 (no discount) whose population sums to ``total_weighted``."""
    sizes = [200_000] * 50 + [total_weighted - 10_000_000]
    if sizes[-1] < 0:
        sizes[-2] += sizes[-1]
        sizes[-1] = 0
    counts = dict.fromkeys(POP_2023, 0) | dict(zip(CODES, sizes))
    return Population(date(2023, 12, 31), counts, "test")


@pytest.mark.parametrize("weighted_sum,binds", [(10_000_001, False), (10_000_000, False), (9_999_999, True)])
def test_cap_at_the_edge(weighted_sum, binds):
    # 19 500 000 / 10 000 000 = 1.95 exactly: the cap is reached, not exceeded
    t = build_table(2025, P2025, few(weighted_sum), set(CODES), registry())
    assert not any(f.discounted for f in t.fees)
    assert t.cap_binds is binds
    assert t.rate == min(Fraction(19_500_000, weighted_sum), Fraction(195, 100))
    collected = sum(f.exact_total for f in t.fees)
    assert (collected < 19_500_000) is binds
    assert collected == min(Fraction(19_500_000), Fraction(195, 100) * weighted_sum)


# ------------------------------------------------------------ exact halves
def test_half_up_in_integers():
    assert [half_up(n, 2) for n in (1, 3, 5, 37, 117)] == [1, 2, 3, 19, 59]
    assert [half_up(-n, 2) for n in (1, 3, 5)] == [-1, -2, -3]
    assert half_up(4, 3) == 1 and half_up(5, 3) == 2 and half_up(0, 7) == 0
    assert round_kr(Fraction(117, 2)) == Decimal(59) and round_kr(Fraction(-117, 2)) == Decimal(-59)
    with pytest.raises(ValueError):
        half_up(1, 0)


def test_exact_halves_in_the_fee_amounts_when_the_cap_binds():
    """30 inhabitants at 1.95 kr: 58.5 kr, Faktura 1 18.0, Faktura 2 40.5 (half even would give 58 and 40)."""
    counts = dict.fromkeys(POP_2023, 0) | {"0138": 30}
    t = build_table(2025, P2025, Population(date(2023, 12, 31), counts, "test"), {"0138"}, registry())
    f = t.fee("Tyresö")
    assert f.exact_total == Fraction(117, 2)
    assert f.total == 59 and [i.amount for i in f.invoices] == [18, 41]
    assert f.whole_amounts() == ([18, 41], 59)
    assert f.invoiced == 59
    areas = {a.id: a.amount for a in f.areas}  # 58.5 × 10/19.5 = 30, × 5/19.5 = 15, × 4.5/19.5 = 13.5
    assert areas["kvalitetsregister"] == 30 and areas["uppfoljning"] == 15 and areas["kunskapsstyrning"] == 14
    assert areas["brukarundersokningar"] == 8 and areas["isu"] == 8  # 7.5 each, half up
    counts_2022 = reference.population(2022) | {"0138": 30}
    flat = build_table(2024, period_for_year(2024), Population(date(2022, 12, 31), counts_2022, "test"), {"0138"},
                       registry())
    assert not flat.fee("Tyresö").discounted
    assert flat.fee("Tyresö").total == 59  # 2020-2024: 30 × 1.95 = 58.5


def test_display_decimals_round_half_up():
    assert decimals(Fraction(1, 8), 2) == Decimal("0.13")  # half even would give 0.12
    assert decimals(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert decimals(Fraction(2, 3), 7) == Decimal("0.6666667")
    assert show_percent(Fraction(1, 8)) == "0,13 %" and show_percent(Fraction(100)) == "100 %"
    assert round_down(Fraction(76_666), 100) == 76_600 and round_down(Fraction(76_700), 100) == 76_700


def test_largest_remainder_ties_and_units():
    assert largest_remainder(1, [Fraction(1), Fraction(1)]) == [1, 0]  # a tie: the earlier part
    assert largest_remainder(2, [Fraction(1)] * 3) == [1, 1, 0]
    assert largest_remainder(150, [Fraction(1), Fraction(1)], unit=100) == [150, 0]
    assert largest_remainder(7, [Fraction(0), Fraction(1)]) == [0, 7]
    with pytest.raises(InvalidArgument, match="Ogiltig avrundning: 0"):
        largest_remainder(7, [Fraction(1)], unit=0)
    with pytest.raises(InvalidArgument, match="summerar till 0"):
        largest_remainder(7, [Fraction(0)])


# ------------------------------------------------------------ share sums on every key format
def toml_flat(a, b):
    return f'[[namnd]]\nnamn = "A"\nandel = {a}\n[[namnd]]\nnamn = "B"\nandel = {b}\n'


def toml_nested(a, b):
    return (f'[[namnd]]\nnamn = "A"\nandel = 70\n  [[namnd.del]]\n  namn = "A1"\n  andel = {a}\n'
            f'  [[namnd.del]]\n  namn = "A2"\n  andel = {b}\n[[namnd]]\nnamn = "B"\nandel = 30\n')


def toml_area(a, b):
    out = ""
    for area in ("kvalitetsregister", "uppfoljning", "kunskapsstyrning"):
        out += f'[[omrade]]\nomrade = "{area}"\n  [[omrade.namnd]]\n  namn = "A"\n  andel = {a}\n'
        out += f'  [[omrade.namnd]]\n  namn = "B"\n  andel = {b}\n'
    return out


@pytest.mark.parametrize("make", [toml_flat, toml_nested, toml_area], ids=["flat", "nested", "area"])
@pytest.mark.parametrize("b,ok", [("49.99", False), ("50", True), ("50.01", False)])
def test_share_sums_in_toml(make, b, ok):
    text = make(50, b)
    if ok:
        a = allocate(1000, parse_key(text, "k.toml"), P2025)
        assert a.total == 1000
    else:
        with pytest.raises(KeyFileError, match=r"andelarna summerar till (99,99|100,01) %"):
            parse_key(text, "k.toml")


@pytest.mark.parametrize("b,ok", [(49.99, False), (50, True), (50.01, False), (0.4999, False), (0.5, True)])
def test_share_sums_in_a_sheet(b, ok):
    a = 0.5 if b < 1 else 50
    rows = [["Nämnd", "Andel"], ["A", a], ["B", b]]
    if ok:
        assert allocate(1000, key_from_rows(rows), P2025).total == 1000
    else:
        with pytest.raises(KeyFileError, match="andelarna summerar till"):
            key_from_rows(rows)


def test_share_sums_in_an_xlsx_sheet(tmp_path):
    from openpyxl import Workbook

    from skr_fee.excel import templates
    from skr_fee.documents.key_files import read_key
    for b, ok in ((49.99, False), (50, True), (50.01, False)):
        wb = Workbook()
        ws = wb.active
        ws.title = "Nyckel"
        ws[f"B{templates.KEY_FIRST_ROW}"], ws[f"C{templates.KEY_FIRST_ROW}"] = "A", 50
        ws[f"B{templates.KEY_FIRST_ROW + 1}"], ws[f"C{templates.KEY_FIRST_ROW + 1}"] = "B", b
        wb.save(tmp_path / "k.xlsx")
        if ok:
            assert allocate(1000, read_key(f"{tmp_path / 'k.xlsx'}#Nyckel"), P2025).total == 1000
        else:
            with pytest.raises(KeyFileError, match="andelarna summerar till"):
                read_key(f"{tmp_path / 'k.xlsx'}#Nyckel")


# ------------------------------------------------------------ grund: totalt or fakturerat
def test_basis_where_totalt_and_the_invoices_differ(tmp_path):
    """Arjeplog 2025 (SKR's table): Faktura 1 1 524 + Faktura 2 3 429 = 4 953, Totalt 4 952."""
    from openpyxl import load_workbook

    from skr_fee.documents.annex import build_annex
    from skr_fee.rules.fees import amount_to_split
    t = fee_table(2025)
    f = t.fee("Arjeplog")
    assert (f.invoiced, f.total) == (4953, 4952)
    assert amount_to_split(f, "fakturerat") == 4953 and amount_to_split(f, "totalt") == 4952
    for grund, amount in (("totalt", 4952), ("fakturerat", 4953)):
        key = parse_key(f'grund = "{grund}"\n[[namnd]]\nnamn = "A"\nandel = 70\n[[namnd]]\nnamn = "B"\nandel = 30\n')
        draft = build_annex(t, f, key)
        assert draft.allocation.amount == amount and draft.allocation.total == amount
        draft.workbook.save(tmp_path / "a.xlsx")
        rows = [r for r in load_workbook(tmp_path / "a.xlsx")["Bilaga"].iter_rows(values_only=True)]
        assert next(r for r in rows if r[0] == "Summa")[1] == amount
        # 70 % of 4 952 is 3 466.4, of 4 953 3 467.1: both round to the same board amounts but the sum
        assert {r[0].strip(): r[1] for r in rows if r[0] in ("A", "B")} == \
               {"A": reference.half_up(Fraction(amount * 7, 10)), "B": amount - reference.half_up(Fraction(amount * 7, 10))}
    with pytest.raises(InvalidArgument, match="Ogiltig grund"):
        amount_to_split(f, "netto")


def test_the_decision_documents_way_rounds_area_shares_to_two_decimals():
    """Göteborg: 10/19.5 = 0.5128… → 0.51, 5/19.5 → 0.26, 4.5/19.5 → 0.23 (the decision's own figures)."""
    from skr_fee.documents.key_files import read_key
    from pathlib import Path
    key = read_key(Path(__file__).resolve().parents[1] / "keys" / "goteborg.toml")
    d = allocate_like_decision(1_000_000, key, P2025)
    amounts = {p.board: p.amount for p in d.parts}
    assert amounts["Äldre- samt vård- och omsorgsnämnden (ÄVO)"] == 510_000 + 76_600
    assert amounts["Nämnden för funktionsstöd (FFS)"] == 130_000 + 76_600
    assert d.lost == 200 and d.unit == 100
    with pytest.raises(InvalidArgument, match="nycklar per område"):
        allocate_like_decision(1000, parse_key(toml_flat(50, 50)), P2025)
