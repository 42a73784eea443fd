"""docs/kontrollsumma.md re-implemented from the document alone, as a third party would: its code for
real annexes and tables must be the product's. The re-implementation is tests/kontrollsumma_doc.py,
which imports nothing of skr_fee."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.styles.colors import Color
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from kontrollsumma_doc import CROCKFORD, code_of, code_of_form_1, listing, listing2, stated

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("kommun,key", [("Göteborg", "goteborg.toml"), ("Tyresö", "tyreso.toml")])
def test_the_documented_code_is_the_products(tmp_path, kommun, key):
    from skr_fee.cli import main
    out = tmp_path / "b.xlsx"
    assert main(["annex", kommun, "--year", "2025", "--key", str(ROOT / "keys" / key), "-o", str(out),
                 "--password", "x"]) == 0
    wb = load_workbook(out)
    cell, code = stated(wb)
    assert code_of(listing2(wb, cell, code)) == code
    assert len(code) == 35 and all(ch in CROCKFORD + "-" for ch in code)


def test_the_documented_code_of_the_national_table(tmp_path):
    from skr_fee.cli import main
    out = tmp_path / "t.xlsx"
    assert main(["table", "--year", "2025", "-o", str(out), "--password", "x"]) == 0
    wb = load_workbook(out)
    cell, code = stated(wb)
    assert code_of(listing2(wb, cell, code)) == code


def every_kind_of_record() -> Workbook:
    """A workbook with each thing the document lists."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bilaga"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = "text", 12, 0.1 + 0.2, True
    ws["A2"], ws["B2"] = datetime(2025, 1, 2, 3, 4), Decimal("1E+3")
    ws["A3"] = "=1+1"
    ws["B3"].fill = PatternFill("solid", fgColor="FF00FF00")
    ws["C3"].border = Border(top=Side(style="thin"))
    ws["D3"].comment = Comment("anm", "x")
    ws["A4"].hyperlink = "http://x"
    ws["A5"] = "färg"
    ws["A5"].font = Font(name="Arial", sz=9, b=True, i=True, u="single", strike=True, color=Color(theme=0))
    ws["B5"] = "index"
    ws["B5"].font = Font(color=Color(indexed=9))
    ws["C5"] = "tema 4"
    ws["C5"].font = Font(color=Color(theme=4))
    ws["D5"] = 0.5
    ws["D5"].number_format = "0.00%"
    ws.merge_cells("A7:B7")
    ws.row_dimensions[8].hidden = True
    ws.column_dimensions["F"].hidden = True
    ws.add_data_validation(DataValidation(type="whole", sqref="E1", formula1="1"))
    ws.conditional_formatting.add("E2", CellIsRule(operator="greaterThan", formula=["0"], font=Font(color="FFFFFF")))
    ws.print_area = "A1:E9"
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = "Rubrik"
    ws.evenFooter.right.text = "jämn"
    ws.protection.sheet = True
    hidden = wb.create_sheet("Dold")
    hidden["A1"] = "h"
    hidden.sheet_state = "hidden"
    wb.defined_names.add(DefinedName("Namn", attr_text="Bilaga!$A$1"))
    ws["E5"] = "index 20"
    ws["E5"].font = Font(color=Color(indexed=20))
    ws["E6"] = "ingen fyllning"
    ws["E6"].fill = PatternFill("darkGrid", fgColor="FF0000FF")
    ws["A6"], ws["B6"] = 1032899, 1.5e-7
    return wb


@pytest.mark.parametrize("form", [1, 2])
def test_the_documented_code_covers_every_kind_of_record(tmp_path, form):
    """The workbook of every kind stamped by the product, checked by the document: form 2 as annexes are
    stamped now, form 1 as annexes issued before were (they must keep verifying)."""
    from skr_fee.documents.fingerprint import stamp
    wb = every_kind_of_record()
    code = stamp(wb, "Bilaga!B12", form=form)
    wb.save(tmp_path / "alla.xlsx")
    wb = load_workbook(tmp_path / "alla.xlsx")
    recs = (listing if form == 1 else listing2)(wb, "Bilaga!B12", code)
    assert (code_of_form_1 if form == 1 else code_of)(recs) == code
    kinds = {tuple(r[:3]) if r[0] != "cell" else ("cell", r[3]) for r in recs}
    for expected in [("bok", "blad", "Bilaga"), ("bok", "blad", "Dold"), ("bok", "namn", "Namn"),
                     ("blad", "Bilaga", "sammanfogat"), ("blad", "Bilaga", "dold rad"), ("blad", "Bilaga", "dold kolumn"),
                     ("blad", "Bilaga", "validering"), ("blad", "Bilaga", "villkorsformat"), ("blad", "Bilaga", "oddHeader"),
                     ("blad", "Bilaga", "evenFooter"), ("cell", "formel"), ("cell", "tal"), ("cell", "text")]:
        assert expected in kinds, expected
    colours = {r[2]: r[6][6] for r in recs if r[0] == "cell"}
    # form 1 names a theme colour by its number; form 2 looks it up in the file's theme (4: accent1)
    assert (colours["A5"], colours["B5"], colours["C5"]) == (("FFFFFF", "FFFFFF", "tema 4") if form == 1
                                                             else ("FFFFFF", "FFFFFF", "4F81BD"))
