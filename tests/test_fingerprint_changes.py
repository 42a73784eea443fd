"""Each thing a reader of the annex sees, changed with openpyxl: the check code changes and verify names
the change in the words a board secretary reads (tests/test_fingerprint.py has the code and the rest)."""

from copy import copy

import pytest
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from test_fingerprint import annex, changed  # noqa: F401 (annex is a fixture)


def restyle_font(cell, **changes):
    font = copy(cell.font)
    for name, value in changes.items():
        setattr(font, name, value)
    cell.font = font


def set_to(attr, value):
    return lambda ws, c: setattr(c, attr, value)


# case: (the change made to the annex's cell of 37 335 kr, the line verify writes for it);
# REF is that cell, ROW its row
VISIBLE = {
    "number format": (set_to("number_format", "0.00%"), "REF: talformatet ändrat: visas nu 3 733 500,00 %, var 37 335 kr"),
    "white font": (lambda ws, c: restyle_font(c, color="FFFFFFFF"), "REF: färg FFFFFF (var 000000)"),
    "bigger font": (lambda ws, c: restyle_font(c, sz=20), "REF: storlek 20.0 (var 11.0)"),
    "bold": (lambda ws, c: restyle_font(c, b=True), "REF: fet True (var False)"),
    "italic": (lambda ws, c: restyle_font(c, i=True), "REF: kursiv True (var False)"),
    "underline": (lambda ws, c: restyle_font(c, u="single"), "REF: understruken single (var )"),
    "strike": (lambda ws, c: restyle_font(c, strike=True), "REF: genomstruken True (var False)"),
    "font name": (lambda ws, c: restyle_font(c, name="Wingdings"), "REF: typsnitt Wingdings (var Calibri)"),
    "fill": (set_to("fill", PatternFill("solid", fgColor="FFFF0000")), "REF: fyllning FF0000 (var ingen)"),
    "border": (set_to("border", Border(left=Side(style="thick"))), "REF: kantlinjerna ändrade"),
    "comment": (set_to("comment", Comment("utkast", "x")), "REF: kommentar 'utkast'"),
    "link": (set_to("hyperlink", "http://x"), "REF: länk http://x"),
    "formula": (set_to("value", "=37000+335"), "REF: 37 335 kr → =37000+335 (nu en formel)"),
    "hidden row": (lambda ws, c: setattr(ws.row_dimensions[c.row], "hidden", True), "Blad Bilaga: rad ROW är dold."),
    "hidden column": (lambda ws, c: setattr(ws.column_dimensions["B"], "hidden", True), "Blad Bilaga: kolumn B är dold."),
    "merge": (lambda ws, c: ws.merge_cells("D1:E1"), "Blad Bilaga: sammanfogat är ändrat: D1:E1."),
    "protection": (lambda ws, c: setattr(ws.protection, "sheet", False), "Blad Bilaga: bladskyddet är borttaget."),
    "header": (lambda ws, c: setattr(ws.oddHeader.center, "text", "UTKAST"),
               "Blad Bilaga: sidhuvudet är ändrat: 'UTKAST' (var 'Bilaga: Tyresö kommuns avgift till SKR 2025 och "
               "fördelning per nämnd')."),
    "footer": (lambda ws, c: setattr(ws.oddFooter.center, "text", "UTKAST"), "Blad Bilaga: sidfoten är ändrad: 'UTKAST' (var '')."),
    "even footer": (lambda ws, c: setattr(ws.evenFooter.right, "text", "X"), "Blad Bilaga: sidfoten är ändrad: 'X' (var '')."),
    "print area": (lambda ws, c: setattr(ws, "print_area", "A1:B5"),
                   "Blad Bilaga: utskriftsområde är ändrat: 'Bilaga'!$A$1:$B$5."),
    "print titles": (lambda ws, c: setattr(ws, "print_title_rows", "1:2"), "Blad Bilaga: utskriftsrubriker är ändrat: $1:$2."),
    "validation": (lambda ws, c: ws.add_data_validation(DataValidation(type="whole", sqref="B2")),
                   "Blad Bilaga: validering är ändrat: B2, whole."),
    "conditional": (lambda ws, c: ws.conditional_formatting.add("B2", CellIsRule(operator="greaterThan", formula=["0"],
                                                                                   font=Font(color="FFFFFF"))),
                    "Blad Bilaga: villkorsstyrd formatering ny på B2 (cellIs, greaterThan, 0, text FFFFFF)."),
    "defined name": (lambda ws, c: ws.parent.defined_names.add(DefinedName("Hemlig", attr_text="Bilaga!$A$1")),
                     "Namnet Hemlig är nytt."),
    # these two change the sheets themselves: verify also lists what follows from it
    "new sheet": (lambda ws, c: ws.parent.create_sheet("Ny"), "Bladet Ny är nytt."),
    "renamed sheet": (lambda ws, c: setattr(ws, "title", "Annan"), "Bladet Bilaga finns inte längre."),
}


@pytest.mark.parametrize("case", sorted(VISIBLE))
def test_every_visible_change_is_named_as_written(annex, tmp_path, case):
    path, code = annex
    change, line = VISIBLE[case]
    where = {}

    def edit(wb):
        ws = wb["Bilaga"]
        cell = next(c for row in ws.iter_rows() for c in row if c.value == 37335)
        where["ref"], where["row"] = f"Bilaga!{cell.coordinate}", cell.row
        change(ws, cell)
    v = changed(path, tmp_path, edit)
    assert not v.intact and v.computed != code, case
    expected = line.replace("REF", where["ref"]).replace("ROW", str(where["row"]))
    changes = [c.replace("\u00a0", " ") for c in v.changes]
    if case in ("new sheet", "renamed sheet"):
        assert expected in changes
    else:
        assert changes == [expected]  # the one change, named once (old and new paired)


def test_a_restored_cell_and_removed_things_read_as_written(annex, tmp_path):
    path, code = annex
    def unhide(wb):
        wb["Bilaga"].oddFooter.left.text = ""
    v = changed(path, tmp_path, unhide)
    assert v.changes == ("Blad Bilaga: sidfoten är ändrad: '' (var 'Kontrollsumma: <KONTROLLSUMMA>').",)
    v = changed(path, tmp_path, lambda wb: setattr(wb["Bilaga"], "print_area", None) or wb["Bilaga"].merge_cells("A1:A2"))
    assert "Blad Bilaga: sammanfogat är ändrat: A1:A2." in v.changes
