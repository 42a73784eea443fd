"""One place for each rule (issue 29): figures written once, rounded once, half up; every bound
held on both sides; verify's recomputation of an annex rounded to hundreds; an ambiguous start of
an area's name never guessed.

Expected values: tests/reference.py (SCB's figures and DOMAIN.md's rules in plain fractions) and
second computations in plain fractions here (half up: the integer part of x + 1/2).
"""

import re
from pathlib import Path
from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

import reference
from skr_fee.data.tables import fee_table
from skr_fee.documents import canonical
from skr_fee.documents.annex_files import write_annex
from skr_fee.documents.fingerprint import verify
from skr_fee.documents.key_files import read_key
from skr_fee.excel import udf
from skr_fee.rules import swedish
from skr_fee.rules.errors import InvalidArgument
from skr_fee.rules.keys import KeyFileError, key_from_rows, parse_share

KEYS = Path(__file__).resolve().parents[1] / "keys"
NBSP = "\u00a0"


def written(x: Fraction, places: int) -> str:
    """The test's own Swedish writing of x rounded half away from zero to ``places`` decimals."""
    scaled = abs(x) * 10**places
    whole = floor(scaled + Fraction(1, 2))
    digits = str(whole).rjust(places + 1, "0")
    head, tail = digits[:len(digits) - places], digits[len(digits) - places:]
    groups = []
    while len(head) > 3:
        head, groups = head[:-3], [head[-3:]] + groups
    text = NBSP.join([head] + groups) + ("," + tail if places else "")
    return ("\u2212" if x < 0 and whole else "") + text


@given(st.fractions(min_value=-10**9, max_value=10**9), st.integers(0, 4))
def test_every_figure_is_its_value_rounded_half_up_once(x, places):
    assert swedish.number(x, places) == written(x, places)


@pytest.mark.parametrize("value,places,text", [
    (Fraction(1, 800) * 100, 2, "0,13"),  # 0,125: half up, where half even would give 0,12
    (Decimal("2.5"), 0, "3"), (Decimal("-2.5"), 0, "\u22123"), (0.125, 2, "0,13"),
    (1032899, 0, "1 032 899"), (10**20, 0, "100 000 000 000 000 000 000"), (Decimal("-0.04"), 1, "0,0"),
    (Fraction(2, 3), 7, "0,6666667"), (544154.4, 1, "544 154,4"),
])
def test_figures_in_swedish(value, places, text):
    assert swedish.number(value, places) == text.replace(" ", NBSP)


def test_per_cent_and_changes_are_written_the_same_everywhere():
    assert swedish.percent(Fraction(1, 800), 2) == swedish.points(Fraction(1, 8)) == "0,13 %"
    assert swedish.points(100) == "100 %" and swedish.points(Fraction(100, 3)) == "33,33 %"
    assert swedish.points(Fraction(25, 2)) == "12,5 %"
    assert swedish.signed(Fraction(-7, 10)) == "\u22120,7" and swedish.signed(Fraction(42, 10)) == "+4,2"
    assert swedish.signed(Fraction(-1, 100)) == "0,0"  # rounds to nothing: no sign
    # Norberg 2027 (issue 26): the areas sum to 10 106, the invoices to 10 107
    assert swedish.change_kr(10106, 10107, 2) == "+1 kr (+0,01 %)"
    assert swedish.change_kr(0, 500) == "+500 kr"
    assert swedish.kr(Fraction(189817234, 10**8), 7) == "1,8981723 kr"  # a rate: 7 decimals, once


def test_each_writer_with_its_own_number_of_decimals():
    """The defaults, written out: whole numbers, one decimal for a weighted population with a fraction
    and for per cent, two for a key's per cent; a fall is written with a minus sign, and no change is +0."""
    w = lambda text: text.replace(" ", NBSP)  # noqa: E731
    assert swedish.number(Fraction(5, 4)) == "1" and swedish.kr(Fraction(3, 2)) == "2 kr"
    assert swedish.quantity(49173) == w("49 173") and swedish.quantity(Fraction(10273039 * 10 + 9, 10)) == w("10 273 039,9")
    assert swedish.quantity(Fraction(1, 2)) == "0,5" and swedish.quantity(Fraction(1, 3)) == "0,3"
    assert swedish.percent(Fraction(1, 8)) == "12,5 %" and swedish.percent(Fraction(2, 3)) == "66,7 %"
    assert swedish.points(Fraction(1000, 10)) == "100 %" and swedish.points(Fraction(101, 2)) == "50,5 %"
    assert swedish.change_kr(1000, 950) == "\u221250 kr (\u22125,0 %)" and swedish.change_kr(1000, 1000) == "+0 kr (0,0 %)"
    assert swedish.change_kr(3, 4) == "+1 kr (+33,3 %)"


def test_a_rounded_value_is_never_rounded_again():
    for amount in (0, 1, 999, 1000, 609146, 1032899, 19_500_000):
        assert swedish.kr(amount).replace(NBSP, "") == f"{amount} kr"
    # a share stored to 12 decimals (the annex's cells) reads as its exact value rounded once
    assert canonical.shown("0.00%", "0.51282051282") == "51,28 %"
    assert canonical.shown('#,##0 "kr"', "609146") == f"609{NBSP}146 kr"
    assert canonical.shown('#,##0 "kr"', "1E+999999") == "1E+999999"  # not a figure an annex holds
    assert canonical.shown('#,##0 "kr"', "NaN") == "NaN"


# ------------------------------------------------------------------ bounds, both sides

def test_a_hypothetical_population_is_bounded_at_100_million_inclusive():
    t = fee_table(2025)
    assert t.fee_for_population(100_000_000).population == 100_000_000
    assert t.fee_for_population(0).total == 0
    for bad in (100_000_001, -1):
        with pytest.raises(InvalidArgument, match="0 till 100 000 000"):
            t.fee_for_population(bad)


def test_a_range_of_10000_rows_is_taken_and_one_more_is_not():
    assert len(udf.skr_fee([[""]] * udf.MAX_ROWS, 2025)) == 10_000
    e = udf.skr_fee([[""]] * (udf.MAX_ROWS + 1), 2025)
    assert e == "#VALUE!" and "Området har 10001 rader; högst 10000" in e.message


def test_key_texts_are_bounded_at_200_characters():
    from skr_fee.rules.key_toml import parse_key as key_from_toml_text

    def with_name(n):
        return f'namn = "k"\nkommun = "Tyresö"\nbeslutande = "{"N" * n}"\n[[namnd]]\nnamn = "A"\nandel = 100\n'

    assert key_from_toml_text(with_name(200), "k.toml").deciding_body == "N" * 200
    with pytest.raises(KeyFileError, match="1–200 tecken"):
        key_from_toml_text(with_name(201), "k.toml")


# ------------------------------------------------------------------ verify computes again

def largest_remainder_hundreds(amount: int, shares: list[Fraction]) -> list[int]:
    """The test's own split to whole hundreds: floors, leftover hundreds to the largest remainders
    (the first on a tie), the odd kronor to the largest remainder."""
    units, odd = divmod(amount, 100)
    exact = [units * s / sum(shares) for s in shares]
    parts = [floor(x) for x in exact]
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:units - sum(parts)]:
        parts[i] += 1
    out = [p * 100 for p in parts]
    out[order[0]] += odd
    return out


@pytest.fixture(scope="module")
def tyreso_hundreds(tmp_path_factory):
    key = read_key(KEYS / "tyreso.toml")
    t = fee_table(2025)
    out = tmp_path_factory.mktemp("hundreds") / "tyreso.xlsx"
    write_annex(t, t.fee("Tyresö"), key, out, unit=100, password="x")
    return out


def test_an_annex_rounded_to_hundreds_is_computed_again_as_it_was_made(tyreso_hundreds):
    f1, f2, _ = reference.shared_out(reference.population(2023), reference.participants_2025_2028())["0138"]
    amount = f1 + f2
    expected = largest_remainder_hundreds(amount, [Fraction(40), Fraction(30), Fraction(30)])
    ws = load_workbook(tyreso_hundreds)["Bilaga"]
    rows = [[c.value for c in r[:2]] for r in ws.iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == "Fördelning per nämnd")
    shown = {str(r[0]).strip(): r[1] for r in rows[start + 2:] if isinstance(r[1], int)}
    assert [shown["VO äldreomsorg"], shown["VO omsorg om personer med funktionsnedsättning"],
            shown["Arbetsmarknads- och socialnämnden"]] == expected
    v = verify(tyreso_hundreds)
    assert v.intact and v.follows_rules is True, v.findings
    assert v.findings[0].replace(NBSP, " ") == (
        f"Beräkningen stämmer med reglerna: Tyresö 2025, {swedish.kr(amount).replace(NBSP, ' ')} på 3 nämnder "
        "(folkmängd per 2023-12-31).")


def test_amounts_with_ore_typed_into_the_annex_are_named_as_typed(tyreso_hundreds, tmp_path):
    """A board's amount or the amount to split with öre typed in: never truncated to whole kronor
    (which would let 40 öre pass as the rules' figure), named with its öre."""
    f1, f2, _ = reference.shared_out(reference.population(2023), reference.participants_2025_2028())["0138"]
    amount = f1 + f2
    elderly = largest_remainder_hundreds(amount, [Fraction(40), Fraction(30), Fraction(30)])[0]
    wb = load_workbook(tyreso_hundreds)
    for row in wb["Bilaga"].iter_rows():
        if row[1].value == elderly and str(row[0].value).strip() == "VO äldreomsorg":
            row[1].value = elderly + 0.4
        elif str(row[0].value).startswith("Att fördela"):
            row[1].value = amount + 0.5
    wb.save(tmp_path / "ore.xlsx")
    findings = [f.replace(NBSP, " ") for f in verify(tmp_path / "ore.xlsx").findings]
    kr = lambda n: f"{n:,}".replace(",", " ")  # noqa: E731 (whole kronor as the test writes them)
    assert f"Bilagan fördelar {kr(amount)},50 kr, men reglerna ger Tyresös avgift 2025 som {kr(amount)} kr." in findings
    assert f"Bilagan anger {kr(elderly)},40 kr för VO äldreomsorg; reglerna ger {kr(elderly)} kr." in findings
    wb = load_workbook(tmp_path / "ore.xlsx")
    next(r for r in wb["Bilaga"].iter_rows() if str(r[0].value).startswith("Att fördela"))[1].value = "UTKAST"
    wb.save(tmp_path / "text.xlsx")
    findings = [f.replace(NBSP, " ") for f in verify(tmp_path / "text.xlsx").findings]
    assert f"Bilagan fördelar 'UTKAST', men reglerna ger Tyresös avgift 2025 som {kr(amount)} kr." in findings


# ------------------------------------------------------------------ an area's name

@pytest.mark.parametrize("query,area", [("kv", "kvalitetsregister"), ("ku", "kunskapsstyrning"),
                                        ("KVALITETSREGISTER", "kvalitetsregister"), ("isu", "isu"),
                                        ("Stöd", "uppfoljning")])
def test_a_unique_start_or_an_id_names_an_area(query, area):
    assert fee_table(2025).period.find_area(query).id == area


def test_an_unknown_area_is_refused_with_the_periods_ids():
    """The ids of the 2025–2028 areas, from the period file (read here with tomllib)."""
    import tomllib
    raw = tomllib.loads((Path(__file__).resolve().parents[1] / "src" / "skr_fee" / "data" / "periods"
                         / "2025-2028.toml").read_text(encoding="utf-8"))
    ids = ", ".join(f"'{a['id']}'" for a in raw["areas"])
    with pytest.raises(InvalidArgument) as e:
        fee_table(2025).period.find_area("skola")
    assert str(e.value).startswith(f"Okänt område: 'skola'. Områden för perioden 2025–2028: {ids}.")


def test_an_ambiguous_start_of_an_area_name_is_refused_with_the_candidates():
    period = fee_table(2025).period
    with pytest.raises(InvalidArgument) as e:
        period.find_area("k")
    assert str(e.value) == ("Området 'k' kan vara flera: Kvalitetsregister, Kunskapsstyrning (nationell "
                            "samordning), Kommunal del i hälso- och sjukvårdens system. Skriv mer av namnet "
                            "eller områdets id, t.ex. 'kvalitetsregister'.")
    cell = udf.skr_area("Tyresö", "k", 2025)
    assert cell == "#VALUE!" and "kan vara flera" in cell.message
    with pytest.raises(KeyFileError, match="kan vara flera"):
        from skr_fee.rules.split import allocate
        key = key_from_rows([["Område", "Nämnd", "Andel"], ["k", "A", 100]], "blad")
        allocate(1000, key, period)


def test_verdicts_write_figures_one_way(tyreso_hundreds, tmp_path):
    """issue 29: one verdict mixed '609 146 kr' (a space) with '609 147 kr' (a no-break space)."""
    wb = load_workbook(tyreso_hundreds)
    cell = next(c for row in wb["Bilaga"].iter_rows() for c in row
                if isinstance(c.value, int) and c.value > 1000 and c.column == 2)
    cell.value += 1
    wb.save(tmp_path / "changed.xlsx")
    v = verify(tmp_path / "changed.xlsx")
    text = "\n".join(v.changes + v.findings)
    assert not v.intact and re.search(r"\d \d{3}\b", text) is None, text


# the message promises "ett antal upp till 1 000 000 000": that figure is taken, the next one is not;
# the smallest share other than 0 is 10^-12; a share's text is at most 40 characters
@pytest.mark.parametrize("raw,ok", [(10**9, True), (10**9 + 1, False), ("1000000000", True), ("1000000001", False),
                                    (1e9, True), (1e9 + 1, False), (-(10**9), False),
                                    ("0.000000000001", True), ("0.0000000000009", False), (0, True), ("0", True),
                                    (10**12, False), (" " * 38 + "40", True), (" " * 39 + "40", False),
                                    ("1/1000000000", True), ("1/1000000001", False), ("nan", False), ("inf", False),
                                    ("1e99999999", False), ("-1e99999999", False), ("1e-99999999", False)])
def test_shares_are_bounded_before_arithmetic(raw, ok):
    if ok:
        assert parse_share(raw, "x") >= 0
    else:
        with pytest.raises(KeyFileError, match=r"^x: andelen .* (är orimlig|är inte ett tal|är negativ)"):
            parse_share(raw, "x")


def test_years_are_four_digits_at_most_whatever_their_type():
    from skr_fee.rules.errors import InvalidArgument
    from skr_fee.rules.periods import parse_year

    assert [parse_year(y) for y in (0, 9999, "0", "9999", 2025.0, " 2027 ")] == [0, 9999, 0, 9999, 2025, 2027]
    for bad in (-1, 10000, "10000", "", "20 25", "-1", 1e300, -5.0, 10000.0, 2025.5, True):
        with pytest.raises(InvalidArgument) as e:
            parse_year(bad)
        assert str(e.value).startswith("Ogiltigt år:") and len(str(e.value)) < 90, bad
