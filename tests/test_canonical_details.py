"""The check code's canonical form in detail: numbers as plain decimals, figures and colours as a
reader sees them, what the listing covers, the stamp on every sheet, and files that have no code."""

from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from skr_fee.documents.canonical import CODE_MARK, CONTROL_SHEET, colour, records, shown, value
from skr_fee.documents.fingerprint import stamp, verify


def test_canonical_numbers_are_plain_decimals():
    assert value(1e20) == "100000000000000000000" and value(Decimal("1E+3")) == "1000"
    assert value(1.5e-7) == "0.00000015" and value(12) == "12"


def test_shown_as_a_reader_sees_it():
    assert shown('[$-41D]#,##0" kr"', "37335") == "37\u00a0335 kr"
    assert shown("[$-41D]0.00\\ %", "0.512820512821") == "51,28 %"
    assert shown('[$-41D]0.0000000" kr"', "1.8981723") == "1,8981723 kr"
    assert shown("General", "Tyresö") == "Tyresö" and shown("General", "") == "(tom)"


def test_colours_as_a_reader_sees_them():
    from openpyxl.styles.colors import Color
    assert colour(None) == "000000" and colour(Color(theme=1)) == "000000" and colour(Color(theme=0)) == "FFFFFF"
    assert colour(Color(rgb="FF1F3864")) == "1F3864" and colour(Color(rgb="001F3864")) == "1F3864"
    assert colour(Color(indexed=64)) == "000000" and colour(Color(indexed=9)) == "FFFFFF"


def test_the_listing_covers_what_a_reader_sees():
    wb = Workbook()
    ws = wb.active
    ws.title = "A"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = "x", "", "skip", "after"
    ws.row_dimensions[3].hidden = True
    ws.merge_cells("A5:B5")
    hidden = wb.create_sheet("H")
    hidden["A1"] = "h"
    hidden.sheet_state = "veryHidden"
    wb.create_sheet(CONTROL_SHEET)["A1"] = "never listed"
    recs = records(wb, skip="A!C1")
    assert ["bok", "blad", "A", "visas"] in recs and ["bok", "blad", "H", "dolt"] in recs
    assert not any(CONTROL_SHEET in r for r in recs)
    assert ["blad", "A", "dold rad", 3] in recs and ["blad", "A", "sammanfogat", "A5:B5"] in recs
    cells = [r[2:5] for r in recs if r[0] == "cell" and r[1] == "A"]
    assert cells == [["A1", "text", "x"], ["C1", "text", CODE_MARK], ["D1", "text", "after"]]


def test_stamp_marks_every_sheet_and_verify_lists_changes_in_reading_order(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Bilaga"
    for ref, v in (("A1", "titel"), ("B2", 5), ("AA3", 7), ("B3", 8), ("C10", 9), ("B9", 1)):
        ws[ref] = v
    wb.create_sheet("Andra")["A1"] = "annat"
    code = stamp(wb, "Bilaga!B20")
    assert len(code) == 35 and ws["B20"].value == code
    assert all(s.oddFooter.left.text == f"Kontrollsumma: {code}" and s.oddFooter.left.size == 7
               for s in wb.worksheets if s.title != CONTROL_SHEET)
    control = [r for r in wb[CONTROL_SHEET].iter_rows(values_only=True)]
    assert control[0] == ("post",) and len(control) > 10
    wb.save(tmp_path / "s.xlsx")
    assert verify(tmp_path / "s.xlsx").intact
    wb = load_workbook(tmp_path / "s.xlsx")
    for ref in ("AA3", "B3", "C10", "B9", "B2"):
        wb["Bilaga"][ref] = 0
    wb["Andra"]["A1"] = "ändrat"
    wb.save(tmp_path / "t.xlsx")
    v = verify(tmp_path / "t.xlsx")
    assert [c.split(":")[0] for c in v.changes] == ["Andra!A1", "Bilaga!B2", "Bilaga!B3", "Bilaga!AA3", "Bilaga!B9",
                                                    "Bilaga!C10"]
    assert "Andra!A1: annat → ändrat" in v.changes


def test_files_without_a_code_are_not_from_skr_fee(tmp_path):
    from openpyxl.packaging.custom import StringProperty
    for props in ((("Kontrollsumma", "x"), ("Kontrollsummans cell", "B2")), (("Kontrollsummans cell", "Sheet!B2"),),
                  (("Fingeravtryck (SHA-256)", "ab"),)):
        wb = Workbook()
        for name, v in props:
            wb.custom_doc_props.append(StringProperty(name=name, value=v))
        wb.save(tmp_path / "u.xlsx")
        with pytest.raises(Exception, match="saknar kontrollsumma"):
            verify(tmp_path / "u.xlsx")
    from skr_fee.documents.fingerprint import Verdict
    assert Verdict(False, None, "abc").message("f.xlsx") == "Ändrad: f.xlsx har kontrollsumman abc, inte (saknas)."


def test_shown_writes_up_to_30_digits_and_20_decimals():
    """Beyond 10^30 (or under 10^-30) a number reads as it is stored; a format asks for 20 decimals at most."""
    nbsp = "\u00a0"
    assert shown("General", "1E+30") == "1" + f"{nbsp}000" * 10 and shown("General", "1E+31") == "1E+31"
    assert shown("General", "1E-31") == "1E-31" and shown("General", "NaN") == "NaN"
    assert shown("0." + "0" * 21, "0.5") == "0,5" + "0" * 19


def test_the_control_sheet_is_left_out_wherever_it_stands():
    wb = Workbook()
    wb.active.title = "Före"
    wb.create_sheet(CONTROL_SHEET)["A1"] = "never listed"
    wb.create_sheet("Efter")["A1"] = "efter"
    recs = records(wb)
    assert [r[2] for r in recs if r[:2] == ["bok", "blad"]] == ["Före", "Efter"]
    assert ["blad", "Efter", "skydd", "av"] in recs and not any(CONTROL_SHEET in r for r in recs)


def test_a_validation_without_a_type_or_formula_is_listed_with_empty_strings():
    from openpyxl.worksheet.datavalidation import DataValidation
    wb = Workbook()
    wb.active.add_data_validation(DataValidation(sqref="B2"))
    assert ["blad", "Sheet", "validering", "B2", "", ""] in records(wb)


def test_a_number_past_excels_range_and_an_empty_format_as_the_document_spells_them(tmp_path):
    """A file's XML may hold 1E999 (openpyxl reads infinity) and a number format of "" (openpyxl
    reads ""): the listing spells the number as Decimal does, "Infinity", so that such a file's code
    is the same in every version, and the format as docs/kontrollsumma.md says, "General" when missing."""
    import re
    import zipfile

    wb = Workbook()
    wb.active["A1"] = 1.5
    wb.active["A1"].number_format = "0.000"
    wb.save(tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        parts = {n: z.read(n).decode() for n in z.namelist()}
    parts["xl/styles.xml"] = re.sub(r'formatCode="0\.000"', 'formatCode=""', parts["xl/styles.xml"])
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace("<v>1.5</v>", "<v>1E999</v>")
    with zipfile.ZipFile(tmp_path / "b.xlsx", "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    cell = next(r for r in records(load_workbook(tmp_path / "b.xlsx")) if r[0] == "cell")
    assert cell[:6] == ["cell", "Sheet", "A1", "tal", "Infinity", "General"]
