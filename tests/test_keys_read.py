"""A key as people write it, read whole (issue 29: what the mutation run found untested): line
endings from any editor, Swedish field names, the optional texts and their bound, where `kommun`
stands, TOML's own errors in Swedish with their line and column, shares typed in a sheet.

Expected values: the key texts written here; shares as the user meant them (Excel's 15 significant
digits of =100/3).
"""

import tomllib
from fractions import Fraction

import pytest

from skr_fee.rules.key_toml import parse_key, toml_error
from skr_fee.rules.keys import KeyFileError, key_from_rows, parse_share

BODY = '[[namnd]]\nnamn = "A"\nandel = 60\n[[namnd]]\nnamn = "B"\nandel = 40\n'


def refused(text: str, **kw) -> str:
    with pytest.raises(KeyFileError) as e:
        parse_key(text, **kw)
    return e.value.message


def test_windows_and_old_mac_line_endings_and_a_byte_order_mark_read_as_lines():
    text = '\ufeffnamn = "a"\r\nkommun = "Tyresö"\r[[namnd]]\r\nnamn = "A"\randel = 101\n'
    assert refused(text) == "nyckeln, rad 3 (nämnderna): andelarna summerar till 101 %; de ska summera till 100 %."
    key = parse_key(text.replace("101", "100"))
    assert [b.name for b in key.boards] == ["A"] and key.municipality_line == 2


def test_swedish_field_names_are_read_as_the_ascii_ones():
    key = parse_key('namn = "a"\nkommun = "Tyresö"\nnämnd = [{namn = "A", andel = 70}, {namn = "B", andel = 30}]\n')
    assert [(b.name, b.share) for b in key.boards] == [("A", 70), ("B", 30)]


def test_the_optional_texts_are_kept_trimmed_and_bounded():
    key = parse_key('namn = "a"\nkommun = "Kungsbacka"\nkommunnamn = "  Kungsbacka kommun "\n'
                    'beslutande = " Kommunstyrelsen"\nfakturamottagare = "Socialnämnden "\n' + BODY)
    assert (key.own_name, key.deciding_body, key.invoice_recipient) == (
        "Kungsbacka kommun", "Kommunstyrelsen", "Socialnämnden")
    plain = parse_key('namn = "a"\nkommun = "Kungsbacka"\n' + BODY)
    assert (plain.own_name, plain.deciding_body, plain.invoice_recipient) == (None, None, None)
    for field, example in (("kommunnamn", "Kungsbacka kommun"), ("beslutande", "Kommunstyrelsen"),
                           ("fakturamottagare", "Socialnämnden")):
        assert parse_key(f'{field} = "{"x" * 200}"\n' + BODY, source="k.toml")  # 200 characters are taken
        for bad in (f'"{"x" * 201}"', '""', '"   "', "12"):
            assert refused(f"{field} = {bad}\n" + BODY, source="k.toml") == (
                f'k.toml: {field} ska vara en text på 1–200 tecken, t.ex. {field} = "{example}".')


def test_where_kommun_stands_is_remembered_for_the_messages_about_it():
    assert parse_key('namn = "a"\n\n   kommun = "Tyresö"\n' + BODY).municipality_line == 3
    assert parse_key('kommun = "Tyresö"\n' + BODY).municipality_line == 1
    assert parse_key(BODY).municipality_line is None


def test_an_unknown_field_is_named_with_the_fields_there_are():
    assert refused('namn = "a"\nkommuner = "x"\n' + BODY) == (
        "nyckeln: okänt fält kommuner. Tillåtna fält: namn, kommun, kommunnamn, beslutande, grund, "
        "fakturamottagare, period, namnd, omrade.")


@pytest.mark.parametrize("message,expected", [
    ("Something new (at line 3, column 7)", "k.toml, rad 3: raden kan inte läsas som en nyckel, kolumn 7. "
                                            "Jämför med keys/tyreso.toml."),
    ("Something new (at end of document)", "k.toml, i slutet av filen: raden kan inte läsas som en nyckel. "
                                           "Jämför med keys/tyreso.toml."),
    ("Unterminated string (at line 2, column 9)", "k.toml, rad 2: ett citattecken saknas i slutet av texten."),
])
def test_tomls_own_errors_in_swedish_with_line_and_column(message, expected):
    assert toml_error(tomllib.TOMLDecodeError(message), "k.toml").message == expected


def test_headers_written_with_spaces_still_give_the_line():
    text = 'namn = "a"\n[[ namnd ]]\nnamn = "A"\nandel = 60\n[[ namnd ]]\nnamn = ""\nandel = 40\n'
    assert refused(text).startswith("nyckeln, rad 5")
    parts = ('namn = "a"\n[[namnd]]\nnamn = "A"\nandel = 100\n[[ namnd . del ]]\nnamn = "x"\nandel = 60\n'
             '[[namnd.del]]\nnamn = ""\nandel = 40\n')
    assert refused(parts).startswith("nyckeln, rad 8")


def test_a_field_is_named_as_written_from_its_first_letter():
    """Only a byte order mark is taken off the start of a file, nothing of what is written there."""
    assert refused('XXnamn = "a"\n' + BODY).startswith("nyckeln: okänt fält XXnamn.")


# ------------------------------------------------------------------ shares typed in a sheet

def test_a_third_typed_as_100_over_3_is_what_excel_shows():
    key = key_from_rows([["Nämnd", "Andel"], ["A", 100 / 3], ["B", 100 / 3], ["C", 100 / 3]], "blad")
    assert [b.share for b in key.boards] == [Fraction("33.3333333333333")] * 3


def test_a_share_of_nothing_is_taken_in_a_sheet_and_a_negative_one_is_not():
    """The message names the sheet's row: the header is row 1 of these rows, B stands in row 3."""
    key = key_from_rows([["Nämnd", "Andel"], ["A", 100.0], ["B", 0.0]], "blad")
    assert [b.share for b in key.boards] == [100, 0]
    with pytest.raises(KeyFileError) as e:
        key_from_rows([["Nämnd", "Andel"], ["A", 100.5], ["B", -0.5]], "blad")
    assert e.value.message == "blad, rad 3: andelen \u22120,5 % är negativ. En andel är 0 eller mer."


@pytest.mark.parametrize("raw,message", [
    (1e300, "x: andelen '1e+300' är orimlig."), ("1/1e300", "x: andelen '1/1e300' är orimlig."),
    ("1e300/1", "x: andelen '1e300/1' är orimlig."), ("5e-13", "x: andelen '5e-13' är orimlig."),
    (10**12, "x: andelen '1000000000000' är orimlig."), (10**12 - 1, "x: andelen '999999999999' är orimlig."),
])
def test_an_unreasonable_share_is_quoted_where_it_stands(raw, message):
    with pytest.raises(KeyFileError) as e:
        parse_share(raw, "x")
    assert e.value.message.startswith(message)


def test_shares_written_with_spaces_a_comma_or_a_slash():
    assert parse_share("1 000", "x") == 1000
    assert parse_share("12,5 %", "x") == Fraction(25, 2)
    assert parse_share("1/3", "x") == Fraction(100, 3)
    with pytest.raises(KeyFileError, match="är inte ett tal"):
        parse_share("1/2/3", "x")


def test_a_sheet_key_names_the_sheets_own_rows():
    """The template's key starts in row 12 (A12:C31): the row a message names is the one the user sees."""
    rows = [["Nämnd", "Andel"], [None, None], ["A", 60], ["A", 40]]
    with pytest.raises(KeyFileError) as e:
        key_from_rows(rows, "blad Tyresö", first_row=12)
    assert e.value.message == "blad Tyresö, rad 15 ('A'): nämnden står två gånger."


def test_a_sheet_key_of_one_column_or_with_no_source_says_so():
    with pytest.raises(KeyFileError) as e:
        key_from_rows(["Socialnämnden", "Kulturnämnden"])  # a single column: each row is one value
    assert str(e.value) == ("nyckelområdet: nyckeln har en kolumn. Använd två (nämnd, andel) eller tre "
                            "(område, nämnd, andel).")
    with pytest.raises(KeyFileError, match=r"^blad: nyckeln har 4 kolumner\. "):
        key_from_rows([["a", "b", "c", 1]], "blad")


def test_an_unreasonable_float_share_in_a_sheet_is_quoted_at_its_row():
    with pytest.raises(KeyFileError) as e:
        key_from_rows([["Nämnd", "Andel"], ["A", 1e10], ["B", 50]], "blad", first_row=12)
    assert str(e.value) == ("blad, rad 13: andelen '10000000000.0' är orimlig. En andel är en procentsats (0–100) "
                            "eller ett antal upp till 1\u00a0000\u00a0000\u00a0000, t.ex. andel = 40.")
    with pytest.raises(KeyFileError, match=r"^blad, rad 14: andelen '1/0' är inte ett tal\."):
        key_from_rows([["Nämnd", "Andel"], ["A", 50], ["B", "1/0"]], "blad", first_row=12)


def test_groups_in_a_sheet_are_written_with_a_slash_and_names_keep_their_spaces():
    key = key_from_rows([["Social nämnd / Individ och familj", 30], ["Social nämnd / Funktions stöd", 20],
                         ["Kultur / Bibliotek / Barn", 10], ["Kultur / Bibliotek / Vuxna", 15], ["Kultur / Konst", 25]])

    def shape(nodes):
        return [(n.name, n.share, shape(n.children)) for n in nodes]
    assert shape(key.boards) == [
        ("Social nämnd", 50, [("Individ och familj", 30, []), ("Funktions stöd", 20, [])]),
        ("Kultur", 50, [("Bibliotek", 25, [("Barn", 10, []), ("Vuxna", 15, [])]), ("Konst", 25, [])])]


def test_a_board_that_is_also_a_group_is_refused_at_its_row():
    with pytest.raises(KeyFileError) as e:
        key_from_rows([["A", 50], ["A / x", 50]], "blad", first_row=12)
    assert str(e.value) == "blad, rad 13 ('A / x'): 'A' står både som nämnd och som grupp. Skriv den på ett sätt."


def test_an_area_written_twice_is_refused_at_its_second_place():
    text = ('[[omrade]]\nomrade = "kvalitetsregister"\n  [[omrade.namnd]]\n  namn = "A"\n  andel = 100\n'
            '[[omrade]]\nomrade = "kvalitetsregister"\n  [[omrade.namnd]]\n  namn = "B"\n  andel = 100\n')
    assert refused(text) == "nyckeln, rad 6 ('kvalitetsregister'): området 'kvalitetsregister' står två gånger."


def test_a_group_whose_lines_are_not_all_known_is_named_without_lines():
    """An inline 'del' breaks the order of the headers: the boards' sum is refused, named by place only."""
    text = '[[namnd]]\nnamn = "A"\nandel = 50\ndel = [{namn = "A1", andel = 100}]\n[[namnd]]\nnamn = "B"\nandel = 40\n'
    assert refused(text) == "nyckeln: nämnd: andelarna summerar till 90 %; de ska summera till 100 %."
