"""The workbook templates, evaluated headless with pycel and the SKR_* functions bound to skr_fee.excel.udf."""

import shutil
from pathlib import Path

import pytest

import reference
from openpyxl import load_workbook
from pycel import ExcelCompiler
from pycel.excelformula import UnknownFunction

from skr_fee.excel import templates
from skr_fee.rules.keys import key_from_rows
from skr_fee.rules.split import allocate
from skr_fee.data.tables import fee_table
from skr_fee.data.municipalities import registry
from skr_fee.data.periods import period_for_year

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "workbook_templates"
PLUGIN = ["skr_fee.excel.pycel_functions"]
FIRST = templates.FEES_HEADER_ROW + 1


def compiler(path):
    """pycel over a copy without the stored results (openpyxl writes none), so that every
    formula is computed by the SKR_* functions and none is read from what the file stored."""
    import tempfile
    folder = Path(tempfile.mkdtemp(prefix="skr-fee-pycel-"))
    copy = folder / Path(path).name
    wb = load_workbook(path)
    for ws in wb:  # an array formula's other cells hold only their stored results: drop them too
        for anchor, ref in ws.array_formulae.items():
            for row in ws[ref]:
                for cell in row:
                    if cell.coordinate != anchor:
                        cell.value = None
    wb.save(copy)
    return ExcelCompiler(filename=str(copy), plugins=PLUGIN)


def test_every_formula_stores_its_result():
    """What LibreOffice, a preview or Excel before the add-in shows: the stored results."""
    for name in templates.BUILDERS:
        formulas = load_workbook(FOLDER / name)
        stored = load_workbook(FOLDER / name, data_only=True)
        for ws in formulas.worksheets:
            cells = [c.coordinate for row in ws.iter_rows() for c in row
                     if isinstance(c.value, str) and c.value.startswith("=")]
            assert cells, (name, ws.title)
            assert all(stored[ws.title][c].value is not None for c in cells), (name, ws.title)
    gbg = load_workbook(FOLDER / templates.ALLOCATION_FILE, data_only=True)["Göteborg"]
    assert gbg["B9"].value == 1032899 and gbg[f"F{templates.KEY_LAST_ROW + 2}"].value == 1032899


@pytest.fixture(scope="module")
def fees_xl():
    return compiler(FOLDER / templates.FEES_FILE)


def cells(ws):
    return {c.coordinate: (c.value.text if hasattr(c.value, "text") else c.value)
            for row in ws.iter_rows() for c in row if c.value is not None}


@pytest.mark.parametrize("name", sorted(templates.BUILDERS))
def test_committed_templates_are_what_the_code_builds(name, tmp_path):
    """`make templates` was run: the files in workbook_templates/ match the code."""
    committed = load_workbook(FOLDER / name)
    templates.BUILDERS[name](tmp_path / name)
    built = load_workbook(tmp_path / name)
    assert committed.sheetnames == built.sheetnames
    for ws in built.worksheets:
        assert cells(committed[ws.title]) == cells(ws)


def test_fee_template_gives_the_national_table(fees_xl):
    table = fee_table(2025)
    ws = load_workbook(FOLDER / templates.FEES_FILE)["Avgifter"]
    assert ws[templates.YEAR_CELL].value == 2025
    totals = {}
    for r, m in enumerate(registry(), start=FIRST):
        assert ws[f"A{r}"].value == m.code
        values = [fees_xl.evaluate(f"Avgifter!{c}{r}") for c in "CDEF"]
        if m.code in table.by_code:
            f = table.by_code[m.code]
            assert values == [f.population, int(f.invoices[0].amount), int(f.invoices[1].amount), int(f.total)]
            totals[m.code] = values[3]
        else:
            assert values == ["#N/A"] * 4  # Karlskoga and Ljungby did not join
    assert len(totals) == 288
    expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
    assert totals == {c: v[2] for c, v in expected.items()}  # plain fractions over SCB's file
    last = FIRST + 289
    assert fees_xl.evaluate(f"Avgifter!D{last + 1}") == sum(v[0] for v in expected.values())
    assert fees_xl.evaluate(f"Avgifter!E{last + 1}") == sum(v[1] for v in expected.values())
    assert fees_xl.evaluate(f"Avgifter!F{last + 1}") == sum(v[2] for v in expected.values()) == 19_500_007
    assert fees_xl.evaluate(f"Avgifter!F{last + 2}") == 288
    assert fees_xl.evaluate(f"Avgifter!F{last + 3}") == pytest.approx(float(table.rate), rel=1e-15)


def test_changing_the_year_cell_changes_the_results_as_the_core_says():
    xl = compiler(FOLDER / templates.FEES_FILE)
    upplands_vasby = reference.shared_out(reference.population(2023), reference.participants_2025_2028())["0114"][2]
    assert xl.evaluate(f"Avgifter!F{FIRST}") == upplands_vasby == 95117
    xl.set_value(f"Avgifter!{templates.YEAR_CELL}", 2028)  # no population for 2026-12-31 yet
    assert xl.evaluate(f"Avgifter!F{FIRST}") == "#N/A"
    xl.set_value(f"Avgifter!{templates.YEAR_CELL}", 2031)  # outside every period
    assert xl.evaluate(f"Avgifter!F{FIRST}") == "#VALUE!"
    xl.set_value(f"Avgifter!{templates.YEAR_CELL}", 2025)
    assert xl.evaluate(f"Avgifter!F{FIRST}") == 95117


def split_of(xl, sheet):
    rows = xl.evaluate(f"'{sheet}'!E12:F31")
    return {b: a for b, a in rows if b}


def test_allocation_template_gives_goteborgs_split():
    xl = compiler(FOLDER / templates.ALLOCATION_FILE)
    split = split_of(xl, "Göteborg")
    assert split["Äldre- samt vård- och omsorgsnämnden (ÄVO)"] == 609146
    assert split["Nämnden för funktionsstöd (FFS)"] == 211877
    sf = [split[f"Socialnämnderna (SF) / Socialnämnden {s}"] for s in ("Hisingen", "Nordost", "Centrum", "Sydväst")]
    assert sf == [52969] * 4
    assert sum(split.values()) == 1032899
    check = templates.KEY_LAST_ROW + 2
    assert xl.evaluate(f"Göteborg!F{check}") == 1032899 == xl.evaluate("Göteborg!B8")
    assert xl.evaluate(f"Göteborg!F{check + 1}") == "Stämmer"
    tyreso = split_of(xl, "Tyresö")
    assert sum(tyreso.values()) == 93339 and xl.evaluate(f"Tyresö!F{check + 1}") == "Stämmer"


def test_changing_a_key_share_changes_the_split_as_the_core_says():
    xl = compiler(FOLDER / templates.ALLOCATION_FILE)
    before = split_of(xl, "Göteborg")  # places the key's cells in pycel's map
    first = templates.KEY_FIRST_ROW
    # Göteborg's key, row 2 is FFS's 50 % of "uppfoljning"; rows 3-6 the four SF at 12.5 %
    xl.set_value(f"Göteborg!C{first + 1}", 70)
    for r in range(first + 2, first + 6):
        xl.set_value(f"Göteborg!C{r}", 7.5)
    split = split_of(xl, "Göteborg")
    rows = [[a, b, xl.evaluate(f"Göteborg!C{r}")] for r, (a, b, _) in
            enumerate(templates.GOTEBORG_KEY, start=first)]
    expected = allocate(1032899, key_from_rows(rows), period_for_year(2025))
    assert split == {" / ".join((*p.path, p.board)): int(p.amount) for p in expected.leaves}
    assert split["Nämnden för funktionsstöd (FFS)"] > before["Nämnden för funktionsstöd (FFS)"]
    assert sum(split.values()) == 1032899


def test_prefixes_excel_writes_for_add_in_functions(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad"
    ws["A1"] = "Göteborg"
    ws["B1"] = "=_xludf.SKR_FEE(A1,2025)"
    ws["B2"] = "=_xll.SKR_FEE(A1,2025)"
    ws["B3"] = "=SKR.FEE(A1,2025)"  # the older Office.js name, in workbooks saved with the earlier add-in
    ws["B4"] = "=SKR_FEE(A1,2025)"
    wb.save(tmp_path / "prefix.xlsx")
    xl = compiler(tmp_path / "prefix.xlsx")
    assert [xl.evaluate(f"Blad!B{r}") for r in range(1, 5)] == [1032899] * 4


def test_an_unknown_function_in_a_template_fails(tmp_path):
    path = tmp_path / "avgifter.xlsx"
    shutil.copy(FOLDER / templates.FEES_FILE, path)
    wb = load_workbook(path)
    wb["Avgifter"][f"F{FIRST}"] = f"=SKR_FEES(A{FIRST})"
    wb.save(path)
    with pytest.raises(UnknownFunction):
        compiler(path).evaluate(f"Avgifter!F{FIRST}")


def test_inputs_are_marked_and_unlocked_formulas_locked():
    for name in (templates.FEES_FILE, templates.ALLOCATION_FILE):
        wb = load_workbook(FOLDER / name)
        for ws in wb.worksheets:
            assert ws.protection.sheet
            assert ws.print_area
            formulas = [c for row in ws.iter_rows() for c in row
                        if isinstance(c.value, str) and c.value.startswith("=") and "SKR_" in c.value]
            assert formulas
            assert all(c.protection.locked for c in formulas)
            inputs = [c for row in ws.iter_rows() for c in row if not c.protection.locked]
            assert inputs and all(c.fill.fgColor.rgb.endswith("FFF2CC") for c in inputs)
    alloc = load_workbook(FOLDER / templates.ALLOCATION_FILE)["Göteborg"]
    assert not alloc[templates.KOMMUN_CELL].protection.locked and not alloc[templates.AR_CELL].protection.locked


def test_the_desktop_annex_button_reads_the_workbook(tmp_path):
    """skapa_bilaga's core, through the xlwings Book API (calamine engine reads the file)."""
    import xlwings as xw
    from skr_fee.documents.fingerprint import verify
    from skr_fee.excel.workbook_inputs import annex_from_book
    book = xw.Book(str(FOLDER / templates.ALLOCATION_FILE), mode="r")
    result = annex_from_book(book, folder=tmp_path, sheet="Tyresö")
    assert result.xlsx == tmp_path / "bilaga_Tyresö_2025.xlsx"
    assert result.allocation.total == 93339
    assert verify(result.xlsx).intact


def test_the_fee_template_computes_its_rows_with_four_range_formulas():
    """Issue 11: a column of all municipalities is one call, not 290; every cell of each range
    stores SKR's figure (tests/reference.py, in fractions), so it reads right before any add-in."""
    import reference

    expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
    formulas = load_workbook(FOLDER / "avgifter.xlsx")["Avgifter"]
    stored = load_workbook(FOLDER / "avgifter.xlsx", data_only=True)["Avgifter"]
    calls = [c.value for row in formulas.iter_rows() for c in row
             if isinstance(getattr(c.value, "text", c.value), str) and "SKR_" in getattr(c.value, "text", c.value)]
    assert len(calls) == 5  # four columns and the rate
    last = FIRST + 289
    assert formulas.array_formulae == {f"{c}{FIRST}": f"{c}{FIRST}:{c}{last}" for c in "CDEF"}
    assert formulas[f"F{FIRST}"].value.text == f"=SKR_FEE(A{FIRST}:A{last},$B$2)"
    for r in range(FIRST, last + 1):
        code = formulas[f"A{r}"].value
        row = [stored[f"{c}{r}"].value for c in "DEF"]
        assert row == (list(expected[code]) if code in expected else ["deltar inte"] * 3), code
