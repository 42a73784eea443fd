"""Fee years 2023–2028 out of the box, from SCB's figures as shipped (issue 14).

Expected figures: DOMAIN.md's check rows for 2026 and 2027 (computed there from
SCB's files), SKR's published table for 2025, and tests/reference.py (plain
fractions over ../shared/data) for every row of every year.
"""

import csv
import io
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

import pictures
import reference
from skr_fee.data.population import population_on
from skr_fee.data.tables import fee, fee_table

# DOMAIN.md, "Checks for the coming fee years": Göteborg F1 / F2 / Totalt, Tyresö Totalt, the rate's digits
DOMAIN_CHECKS = {
    2026: (date(2024, 12, 31), 608_993, (319_048, 717_858, 1_036_905), 93_039, "1.89183968"),
    2027: (date(2025, 12, 31), 613_278, (320_769, 721_731, 1_042_501), 93_767, "1.88875827"),
}


@pytest.mark.parametrize("year", sorted(DOMAIN_CHECKS))
def test_domain_check_rows_for_the_coming_years(year):
    day, population, (f1, f2, total), tyreso, rate = DOMAIN_CHECKS[year]
    g = fee("Göteborg", year)
    assert g.population_date == day and g.population == population
    assert [line.amount for line in g.invoices] == [Decimal(f1), Decimal(f2)]
    assert g.total == total and fee("Tyresö", year).total == tyreso
    t = fee_table(year)
    assert not t.preliminary
    digits = str(t.rate.numerator * 10**8 // t.rate.denominator)
    assert f"{digits[0]}.{digits[1:]}" == rate


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_every_row_equals_the_independent_computation(year):
    pop = reference.population(year - 2)
    expected = reference.shared_out(pop, reference.participants_2025_2028())
    t = fee_table(year)
    got = {c: (int(f.invoices[0].amount), int(f.invoices[1].amount), int(f.total)) for c, f in t.by_code.items()}
    assert got == expected
    assert t.rate == reference.rate_2025_2028(pop, reference.participants_2025_2028())


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025])
def test_shipped_population_is_scbs_file(year):
    assert dict(population_on(date(year, 12, 31)).counts) == reference.population(year)


def test_shipped_population_says_where_it_comes_from():
    assert population_on(date(2025, 12, 31)).source == "SCB, Folkmängd efter region (TAB5557, 000007ME), 31 december 2025"
    assert population_on(date(2024, 12, 31)).source == "SCB, Folkmängd efter region (TAB638, BE0101N1), 31 december 2024"


def run(*args):
    return subprocess.run([sys.executable, "-m", "skr_fee.cli", *args], capture_output=True, text=True,
                          timeout=60, env=dict(os.environ))


@pytest.mark.parametrize("year", [2026, 2027])
def test_fee_for_the_budget_years_from_the_command_line(year):
    p = run("fee", "Göteborg", "--year", str(year))
    assert p.returncode == 0, p.stderr
    assert "PRELIMINÄR" not in p.stdout
    total = DOMAIN_CHECKS[year][2][2]
    assert f"{total:,}".replace(",", " ") + " kr" in p.stdout.replace("\u00a0", " ")


def test_2028_needs_2026_and_says_how_to_fetch_it_or_is_preliminary():
    p = run("fee", "Göteborg", "--year", "2028")
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1
    assert "Folkmängd per 2026-12-31 saknas" in p.stderr and "'skr-fee hämta-scb --år 2026'" in p.stderr
    p = run("fee", "Göteborg", "--year", "2028", "--preliminär")
    assert p.returncode == 0
    assert "PRELIMINÄR: folkmängd per 2026-12-31 saknas; beräknat med folkmängd per 2025-12-31." in p.stdout
    assert "1 042 501 kr" in p.stdout.replace("\u00a0", " ")  # 2025-12-31's figures, as 2027


def test_the_default_year_is_the_latest_with_published_population():
    p = run("table")
    rows = {r["kommunkod"]: r for r in csv.DictReader(io.StringIO(p.stdout))}
    assert rows["1480"]["totalt"] == "1042501"  # fee year 2027


def test_the_period_view():
    p = run("compare", "Tyresö", "--period", "2025-2028")
    assert p.returncode == 0, p.stderr
    lines = p.stdout.replace("\u00a0", " ").splitlines()
    assert lines[0] == "Tyresö: avgift till SKR per år, rekommendation 2025–2028"
    by_year = {line.split()[0]: line for line in lines if line.strip()[:4].isdigit()}
    assert "93 339 kr" in by_year["2025"] and "PRELIMINÄR" not in by_year["2025"]  # SKR's table
    assert "93 039 kr" in by_year["2026"] and "−300 kr" in by_year["2026"]  # DOMAIN.md
    assert "93 767 kr" in by_year["2027"] and "PRELIMINÄR" not in by_year["2027"]
    assert "2025-12-31" in by_year["2028"] and by_year["2028"].endswith("PRELIMINÄR")
    p = run("compare", "Tyresö", "--period", "2020-2024", "--format", "csv")
    n2021, n2022 = reference.population(2021)["0138"], reference.population(2022)["0138"]
    assert (n2021, n2022) == (49062, 49214)  # SCB's files
    assert p.stdout.splitlines() == ["ar,folkmangd_per,folkmangd,avgift,preliminar",
                                     f"2023,2021-12-31,{n2021},95671,0", f"2024,2022-12-31,{n2022},95967,0"]
    assert abs(Fraction(n2021) * Fraction(195, 100) - 95671) < Fraction(1, 2)  # 95 670,9: 1.95 kr each


def test_the_period_chart(tmp_path):
    png = tmp_path / "tyreso.png"
    p = run("compare", "Tyresö", "--period", "--chart", str(png))
    assert p.returncode == 0, p.stderr
    seen = pictures.look(png.read_bytes())
    assert seen["size"] == (960, 540)
    assert 0.10 < seen["inked"] < 0.6  # four bars, labels and axes; not blank, not a solid block
    assert pictures.near(seen["colours"], "#1F4E79") and pictures.near(seen["colours"], "#9DB4D3")  # final, preliminary


def test_2024_table_after_importing_a_population_for_2022(tmp_path):
    """Issue 14: after importing any valid 2022-12-31, every row of the 2024 table is
    round-half-up(population × 1.95 × (0.9 for the four largest))."""
    pop = {c: n + (int(c) % 17) for c, n in reference.population(2022).items()}  # a valid, different population
    names = reference.names()
    path = tmp_path / "folkmangd_2022.csv"
    path.write_text("kommunkod,kommun,folkmangd\n" + "".join(f"{c},{names[c]},{pop[c]}\n" for c in sorted(pop)),
                    encoding="utf-8")
    env = dict(os.environ, SKR_FEE_DATA=str(tmp_path / "data"))
    p = subprocess.run([sys.executable, "-m", "skr_fee.cli", "import-scb", str(path), "--date", "2022-12-31"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    p = subprocess.run([sys.executable, "-m", "skr_fee.cli", "table", "--year", "2024", "--format", "csv"],
                       capture_output=True, text=True, env=env, timeout=60)
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert len(rows) == 290 and list(rows[0]) == ["kommunkod", "kommun", "folkmangd", "faktura_1", "totalt"]
    expected = reference.flat(pop)
    assert {r["kommunkod"]: int(r["totalt"]) for r in rows} == expected
    assert all(r["faktura_1"] == r["totalt"] for r in rows)  # one invoice
