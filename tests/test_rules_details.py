"""The details of the rules a user meets: what a key keeps, where a message points, edge inputs.

Written against the survivors of `make mutation`: each test states a
behaviour of the rules (DOMAIN.md, the README's promises), not an
implementation. Expected values are written here by hand or computed in
plain fractions.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import reference
from skr_fee.data.municipalities import lookup, registry
from skr_fee.data.periods import period_for_year, periods
from skr_fee.data.tables import fee, fee_table
from skr_fee.rules.errors import InvalidArgument, UnknownMunicipality
from skr_fee.rules.fees import build_table
from skr_fee.rules.key_toml import parse_key
from skr_fee.rules.keys import KeyFileError, key_from_rows, parse_share
from skr_fee.rules.periods import period_from_dict
from skr_fee.rules.population import Population
from skr_fee.rules.rounding import largest_remainder
from skr_fee.rules.split import allocate, allocate_like_decision

P2025 = period_for_year(2025)
KEYS = Path(__file__).resolve().parents[1] / "keys"


def bad_toml(text):
    with pytest.raises(KeyFileError) as e:
        parse_key(text, "k.toml")
    return e.value.message


def bad_rows(rows, source="nyckelområdet"):
    with pytest.raises(KeyFileError) as e:
        key_from_rows(rows, source)
    return e.value.message


# ------------------------------------------------------------ TOML keys
def test_a_key_keeps_what_it_says():
    key = parse_key('namn = "Exempelby, nyckel"\nkommun = "Tyresö"\nfakturamottagare = "Socialnämnden"\n'
                    '[[namnd]]\nnamn = "Socialnämnden"\nandel = 100\n', "k.toml")
    assert (key.name, key.municipality, key.invoice_recipient, key.source) == \
           ("Exempelby, nyckel", "Tyresö", "Socialnämnden", "k.toml")
    assert parse_key('[[namnd]]\nnamn = "A"\nandel = 100\n', "k.toml").name == "k.toml"  # no namn: the file
    g = parse_key((KEYS / "goteborg.toml").read_text(encoding="utf-8"), "goteborg.toml")
    assert g.municipality == "Göteborg" and g.invoice_recipient == "Äldre- samt vård- och omsorgsnämnden (ÄVO)"


def test_unknown_fields_are_refused_with_the_allowed_ones():
    assert bad_toml('procent = 5\n[[namnd]]\nnamn = "A"\nandel = 100\n') == (
        "k.toml: okänt fält procent. Tillåtna fält: namn, kommun, kommunnamn, beslutande, grund, fakturamottagare, period, namnd, omrade.")
    assert bad_toml('[[omrade]]\nomrade = "kvalitetsregister"\nandel = 5\n') == (
        "k.toml, rad 1: okänt fält andel. Tillåtna fält: omrade, namnd.")


def test_places_without_line_numbers_are_counted():
    """Inline tables have no [[...]] header: the place is the n-th board or area, from 1."""
    assert bad_toml('namnd = [{namn = "A", andel = 50}, {andel = 50}]\n') == (
        'k.toml: nämnd 2: nämnden saknar namn. Skriv namn = "...".')
    assert bad_toml('namnd = [{namn = "A", andel = 50}, {namn = "B"}]\n') == (
        "k.toml: nämnd 2 ('B'): andel saknas. Skriv t.ex. andel = 50.")
    assert bad_toml('omrade = [{omrade = "kvalitetsregister", namnd = [{namn = "A", andel = 50, del = [{namn = "A1"}]}]}]\n') \
        == "k.toml: område 1 ('kvalitetsregister'), nämnd 1 ('A'), del 1 ('A1'): andel saknas. Skriv t.ex. andel = 50."
    assert bad_toml("omrade = [1]\n") == 'k.toml: område 1: ange vilket område, t.ex. omrade = "kvalitetsregister".'
    assert bad_toml('[[omrade]]\nnamnd = []\n') == 'k.toml, rad 1: ange vilket område, t.ex. omrade = "kvalitetsregister".'
    assert bad_toml('[[namnd]]\nnamn = "A"\nandel = 100\n[[namnd.del]]\nnamn = "A1"\nandel = 100\n[[namnd.del]]\n'
                    'andel = 0\n') == 'k.toml, rad 7: nämnden saknar namn. Skriv namn = "...".'
    assert bad_toml('[[namnd]]\nnamn = "  "\nandel = 100\n') == 'k.toml, rad 1: nämnden saknar namn. Skriv namn = "...".'


def test_headers_out_of_order_leave_lines_out_rather_than_guess():
    inline = '[[omrade]]\nomrade = "kvalitetsregister"\nnamnd = [{namn = "A", andel = 60}]\n'
    assert bad_toml(inline).startswith("k.toml, rad 1 ('kvalitetsregister'): andelarna summerar till 60 %")
    # an inline 'del' breaks the order of the [[...]] headers: from there on, places are counted, not guessed
    text = ('[[namnd]]\nnamn = "A"\nandel = 50\ndel = [{namn = "A1", andel = 100}]\n'
            '[[namnd]]\nnamn = "A"\nandel = 50\n')
    assert bad_toml(text) == "k.toml: nämnd 2 ('A'): nämnden står två gånger i samma grupp. Slå ihop raderna."
    spaced = '[[ namnd ]]\nnamn = "A"\nandel = 50\n[[ namnd ]]\nnamn = "a"\nandel = 50\n'
    assert bad_toml(spaced) == "k.toml, rad 4 ('a'): nämnden står två gånger i samma grupp. Slå ihop raderna."


def test_shares_as_people_write_them():
    assert parse_share("12,5", "x") == Fraction(25, 2)
    assert parse_share("33,3 %", "x") == Fraction(333, 10)
    assert parse_share("50%", "x") == 50
    assert parse_share(" 1/3 ", "x") == Fraction(100, 3)
    assert parse_share("2,5/10", "x") == 25
    assert parse_share(12.5, "x") == Fraction(25, 2) and parse_share(40, "x") == 40
    for raw in ("1/0", "hälften", None, [50]):
        with pytest.raises(KeyFileError, match="x: andelen .* är inte ett tal"):
            parse_share(raw, "x")
    with pytest.raises(KeyFileError, match="x: andelen True är inte ett tal"):
        parse_share(True, "x")
    with pytest.raises(KeyFileError, match="x: andelen \u22125 % är negativ"):
        parse_share("-5", "x")


def test_group_sums_name_what_they_should_be():
    nested = '[[namnd]]\nnamn = "A"\nandel = 70\n  [[namnd.del]]\n  namn = "A1"\n  andel = 30\n[[namnd]]\nnamn = "B"\nandel = 30\n'
    assert bad_toml(nested) == ("k.toml, rad 1 ('A'), del: andelarna summerar till 30 %; de ska summera till 100 % "
                                "(av gruppen) eller 70 % (av helheten).")
    assert bad_toml('[[namnd]]\nnamn = "A"\nandel = 60\n') == \
        "k.toml, rad 1 (nämnderna): andelarna summerar till 60 %; de ska summera till 100 %."


def test_a_board_with_a_zero_share_and_parts():
    key = parse_key('[[namnd]]\nnamn = "A"\nandel = 100\n[[namnd]]\nnamn = "B"\nandel = 0\n  [[namnd.del]]\n'
                    '  namn = "B1"\n  andel = 0\n  [[namnd.del]]\n  namn = "B2"\n  andel = 0\n')
    a = allocate(1000, key, P2025)
    assert [(p.board, int(p.amount), p.share) for p in a.parts] == \
           [("A", 1000, 1), ("B", 0, 0), ("B1", 0, 0), ("B2", 0, 0)]
    assert [p.path for p in a.parts] == [(), (), ("B",), ("B",)] and [p.level for p in a.parts] == [0, 0, 1, 1]
    assert [p.leaf for p in a.parts] == [True, False, True, True] and a.unit == 1
    assert allocate(1000, key, P2025, unit=100).unit == 100


# ------------------------------------------------------------ keys typed in a sheet
def test_sheet_rows_shares_written_as_text_are_not_headers():
    for a, b in (("12,5", "87,5"), ("50%", "50%"), ("49.5", "50.5"), ("1/2", "1/2")):
        key = key_from_rows([["A", a], ["B", b]])
        assert [n.name for n in key.boards] == ["A", "B"], (a, b)
    assert [n.name for n in key_from_rows([["Nämnd", "Andel, %"], ["A", 100]]).boards] == ["A"]


def test_sheet_rows_keep_per_cent_and_their_places():
    key = key_from_rows([["A", 0.4], ["B", 0.6]], "blad X")
    assert [n.share for n in key.boards] == [40, 60]  # per cent, as in a TOML key
    assert (key.name, key.source) == ("blad X", "blad X")
    assert [n.where for n in key.boards] == ["blad X, rad 1 ('A')", "blad X, rad 2 ('B')"]
    area = key_from_rows([["kvalitetsregister", "A", 100], ["uppfoljning", "A", 100], ["kunskapsstyrning", "B", 100]], "s")
    assert (area.name, area.source) == ("s", "s")
    assert [(a.area_id, a.where) for a in area.areas] == [("kvalitetsregister", "s, område 'kvalitetsregister'"),
                                                          ("uppfoljning", "s, område 'uppfoljning'"),
                                                          ("kunskapsstyrning", "s, område 'kunskapsstyrning'")]


def test_sheet_row_messages():
    assert bad_rows([["A", 50], [None, 50]]) == "nyckelområdet, rad 2: nämnd saknas."
    assert bad_rows([["kvalitetsregister", "A", 50], [None, "B", 50]]) == \
        "nyckelområdet, rad 2: område saknas. Skriv t.ex. kvalitetsregister."
    assert bad_rows([["A", 50], ["B", None]]) == \
        "nyckelområdet, rad 2: andel saknas. Skriv andelen som ett tal (50 eller 50 %)."
    assert bad_rows([["A", 50], ["a", 50]]) == "nyckelområdet, rad 2 ('a'): nämnden står två gånger."
    assert bad_rows([["x", "A", 50], ["x", "a", 50]]) == "nyckelområdet, rad 2 ('a'): nämnden står två gånger i området 'x'."
    assert bad_rows([["x", "A", 50], ["x", "B", 40]]) == \
        "nyckelområdet, område 'x': andelarna summerar till 90 %; de ska summera till 100 %."
    assert bad_rows([["A", 50], ["B", 40]]) == "nyckelområdet: andelarna summerar till 90 %; de ska summera till 100 %."
    assert bad_rows([["A", 50, 1, 2]]).startswith("nyckelområdet: nyckeln har 4 kolumner")
    assert bad_rows([[None, None]]) == "nyckelområdet: nyckeln är tom. Ange nämnd och andel på varje rad."
    assert bad_rows([["A", -0.5], ["B", 1.5]]).startswith("nyckelområdet, rad 1: andelen \u22120,5 % är negativ")


@pytest.mark.parametrize("b,ok", [("50.0000000005", True), ("50.000000001", False), ("50.0000000001", True)])
def test_sheet_share_tolerance_is_a_billionth(b, ok):
    """Shares as Excel stores them may be off in the 15th digit; a billionth of a per cent is the limit."""
    rows = [["A", "50"], ["B", b]]
    if ok:
        key_from_rows(rows)
    else:
        with pytest.raises(KeyFileError, match="andelarna summerar till 100 %"):
            key_from_rows(rows)


@pytest.mark.parametrize("b,scaled", [("0.5000000000005", True), ("0.500000001", False)])
def test_fractions_of_one_within_a_billionth_are_percentages(b, scaled):
    if scaled:
        assert key_from_rows([["A", "0.5"], ["B", b]]).boards[0].share == 50
    else:
        with pytest.raises(KeyFileError):
            key_from_rows([["A", "0.5"], ["B", b]])


# ------------------------------------------------------------ areas and the decision document's way
def test_area_messages():
    def key(*areas):
        return parse_key("".join(f'[[omrade]]\nomrade = "{a}"\n  [[omrade.namnd]]\n  namn = "A"\n  andel = 100\n'
                                 for a in areas), "k.toml")
    with pytest.raises(KeyFileError) as e:
        allocate(1000, key("skolan"), P2025)
    assert e.value.message == ("k.toml, rad 1 ('skolan'): okänt område 'skolan' för perioden 2025–2028. "
                               "Områden: 'kvalitetsregister', 'uppfoljning', 'kunskapsstyrning'.")
    with pytest.raises(KeyFileError) as e:
        allocate(1000, key("kvalitetsregister", "uppfoljning", "isu", "kunskapsstyrning"), P2025)
    assert e.value.message == ("k.toml: områdena täcker 112,82 % av SKR:s budget för 2025–2028; de ska täcka 100 % "
                               "en gång var (både område och dess delar: uppfoljning).")
    parts = key("kvalitetsregister", "brukarundersokningar", "isu", "halso_sjukvard", "socialtjanst")
    assert allocate(1950, parts, P2025).total == 1950  # the parts of an area cover it as well as the area


def test_the_decision_documents_parts():
    key = parse_key((KEYS / "goteborg.toml").read_text(encoding="utf-8"), "goteborg.toml")
    d = allocate_like_decision(1_000_000, key, P2025)
    rows = {(p.path, p.board): p for p in d.parts}
    sf = rows[((), "Socialnämnderna (SF)")]
    assert (sf.exact, sf.share, sf.level, sf.leaf) == (206_600, Fraction(2066, 10_000), 0, False)
    hisingen = rows[(("Socialnämnderna (SF)",), "Socialnämnden Hisingen")]
    assert (hisingen.exact, hisingen.level, hisingen.leaf) == (51_650, 1, True)
    assert hisingen.share == Fraction(51_650, 1_000_000)
    zero = allocate_like_decision(0, key, P2025)
    assert zero.total == 0 and all(p.share == 0 for p in zero.parts)


def test_odd_kronor_go_to_the_largest_remainder():
    assert largest_remainder(250, [Fraction(1), Fraction(3)], unit=100) == [150, 100]
    # 10 hundreds: 2.5 and 7.5, the tie to the first; the odd 50 kr to the largest remainder, the first
    assert largest_remainder(1050, [Fraction(1), Fraction(3)], unit=100) == [350, 700]


# ------------------------------------------------------------ periods and the fee model
def test_period_files_say_when_and_by_whom():
    old, new = periods()
    assert (old.decided, new.decided) == (date(2018, 12, 14), date(2024, 1, 26))
    assert new.source == "SKR:s styrelse 2024-01-26, rekommendation om tilläggsfinansiering 2025–2028"
    assert new.discount.description == "10 % rabatt för kommuner med fler än 200 000 invånare"
    assert old.discount.description == "10 % rabatt för de fyra största kommunerna"
    assert (old.pricing, new.pricing) == ("per_inhabitant", "shared")
    assert any("påverkas inte av antalet deltagande kommuner" in s for s in old.pricing_sources)


def test_a_period_file_without_pricing_shares_out():
    raw = {"name": "X", "first_year": 2030, "last_year": 2031, "decided": date(2029, 1, 1), "source": "s",
           "total": "10", "cap_per_inhabitant": "1", "population_lag_years": 2, "participants": "all",
           "discount": {"rule": "largest", "count": 1, "factor": "0.9", "description": "d"},
           "areas": [{"id": "a", "name": "A", "amount": "10"}], "invoices": [{"number": 1, "name": "F", "amount": "10"}]}
    p = period_from_dict(raw)
    assert (p.pricing, p.pricing_sources, p.discount.count, p.discount.threshold) == ("shared", (), 1, None)
    for broken in ({"pricing": "auction"}, {"discount": {**raw["discount"], "rule": "lottery"}},
                   {"invoices": [{"number": 1, "name": "F", "amount": "9"}]},
                   {"areas": [{"id": "a", "name": "A", "amount": "10", "parts": [{"id": "b", "name": "B", "amount": "9"}]}]}):
        with pytest.raises(ValueError):
            period_from_dict(raw | broken)


def test_fee_lines_carry_their_level_and_year():
    f = fee("Göteborg", 2025)
    assert f.year == 2025 and f.basis.year == 2025
    assert [i.level for i in f.invoices] == [0, 0]
    assert [(a.id, a.level) for a in f.areas] == [("kvalitetsregister", 0), ("uppfoljning", 0),
                                                  ("brukarundersokningar", 1), ("isu", 1), ("kunskapsstyrning", 0),
                                                  ("halso_sjukvard", 1), ("socialtjanst", 1)]


def test_what_a_table_knows_about_its_discounts():
    t = fee_table(2025)
    assert t.discounted_codes == {"0180", "1480", "1280", "0380"}  # Stockholm, Göteborg, Malmö, Uppsala: > 200 000
    assert t.is_discounted(200_001) and not t.is_discounted(200_000)  # a hypothetical municipality: by size
    t24 = fee_table(2024)
    assert "0380" in t24.discounted_codes and "0580" not in t24.discounted_codes  # by rank: Uppsala, not Linköping
    assert t24.is_discounted(10**7) and not t24.is_discounted(1)
    assert all(f.municipality is not None for f in t.fees)
    assert t.fee_for_population(49_173).municipality is None
    assert t.fee_for_population(0).total == 0
    for bad in (True, -1, 1.5, "100"):
        with pytest.raises(InvalidArgument, match="Ogiltig folkmängd"):
            t.fee_for_population(bad)


def test_column_sums_are_the_sums_of_the_printed_amounts():
    expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
    sums = fee_table(2025).column_sums()
    assert sums == {"faktura_1": sum(r[0] for r in expected.values()), "faktura_2": sum(r[1] for r in expected.values()),
                    "totalt": sum(r[2] for r in expected.values())}
    assert sums["totalt"] == Decimal(19_500_007)


def test_participants_with_no_inhabitants_pay_the_cap_rate():
    counts = dict.fromkeys(registry().by_code, 0)
    t = build_table(2025, P2025, Population(date(2023, 12, 31), counts, "test"), {"0138"}, registry())
    assert t.rate == Fraction(195, 100) and t.fee("Tyresö").total == 0


# ------------------------------------------------------------ municipalities
def test_unknown_municipality_messages():
    with pytest.raises(UnknownMunicipality) as e:
        lookup("Atlantis")
    assert e.value.message == ("Okänd kommun: 'Atlantis'. Ange kommunens namn eller fyrsiffriga kommunkod "
                               "(till exempel Göteborg eller 1480).")
    assert e.value.query == "Atlantis" and e.value.suggestions == () and e.value.args == (e.value.message,)
    with pytest.raises(UnknownMunicipality) as e:
        lookup(None)
    assert e.value.message.startswith("Okänd kommun: ''. Ange") and e.value.query is None
    with pytest.raises(UnknownMunicipality) as e:
        lookup("Tyres")
    assert "Menar du Tyresö" in e.value.message
    with pytest.raises(UnknownMunicipality) as e:
        lookup("Malmo")
    names = [m.name for m in e.value.suggestions]
    assert len(names) >= 2 and f"Menar du {' eller '.join(names)}?" in e.value.message
