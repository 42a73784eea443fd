"""The workbook templates economists open, built by code (``make templates``).

- ``avgifter.xlsx``: every municipality with population, Faktura 1 and 2 and
  the fee as ``=SKR_*`` formulas, the year in one input cell, totals;
- ``fordelning.xlsx``: municipality, year and key as inputs (Göteborg's and
  Tyresö's keys as example sheets), ``=SKR_SPLIT`` and a check that the split
  sums to what is invoiced;
- ``bilaga.xlsx``: the layout the annex generator fills.

Input cells are yellow and unlocked; formula cells are locked (the sheets are
protected without a password, against slips, not people). The formulas use
the desktop names (``SKR_FEE``); Office.js inserts its own sheet with
``SKR.FEE`` (see the task pane).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Font, NamedStyle, Protection
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.workbook.workbook import Workbook

from . import workbooks as wbk
from ..data.municipalities import registry

REPO_TEMPLATES = Path(__file__).resolve().parents[3] / "workbook_templates"
ANNEX_FILE = "bilaga.xlsx"
FEES_FILE = "avgifter.xlsx"
ALLOCATION_FILE = "fordelning.xlsx"

# fee workbook
YEAR_CELL = "B2"
FEES_HEADER_ROW = 4
# allocation workbook
KOMMUN_CELL = "B3"
AR_CELL = "B4"
KEY_HEADER_ROW = 11
KEY_FIRST_ROW = 12
KEY_ROWS = 20
KEY_LAST_ROW = KEY_FIRST_ROW + KEY_ROWS - 1
KEY_RANGE = f"A{KEY_FIRST_ROW}:C{KEY_LAST_ROW}"
SPLIT_RANGE = f"E{KEY_FIRST_ROW}:F{KEY_LAST_ROW}"

UNLOCKED = Protection(locked=False)

GOTEBORG_KEY = [("kvalitetsregister", "Äldre- samt vård- och omsorgsnämnden (ÄVO)", 100)] + [
    ("uppfoljning", "Nämnden för funktionsstöd (FFS)", 50)] + [
    ("uppfoljning", f"Socialnämnden {sf}", 12.5) for sf in ("Hisingen", "Nordost", "Centrum", "Sydväst")] + [
    ("kunskapsstyrning", "Äldre- samt vård- och omsorgsnämnden (ÄVO)", "=100/3"),
    ("kunskapsstyrning", "Nämnden för funktionsstöd (FFS)", "=100/3")] + [
    ("kunskapsstyrning", f"Socialnämnden {sf}", "=100/12") for sf in ("Hisingen", "Nordost", "Centrum", "Sydväst")]
TYRESO_KEY = [
    (None, "VO äldreomsorg (äldre- och omsorgsnämnden)", 40),
    (None, "VO omsorg om personer med funktionsnedsättning (äldre- och omsorgsnämnden)", 30),
    (None, "Arbetsmarknads- och socialnämnden", 30),
]


def _input(cell, value=None, fmt=None):
    if value is not None:
        cell.value = value
    cell.fill = wbk.INPUT_FILL
    cell.protection = UNLOCKED
    cell.border = wbk.BOTTOM_BORDER
    if fmt:
        cell.number_format = fmt


def _protect(ws) -> None:
    """Against slips: formulas locked, inputs open, no password."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def build_fees_template(year: int = 2025) -> Workbook:
    wb, ws = wbk.new_workbook()
    ws.title = "Avgifter"
    ws["A1"] = "SKR:s tilläggsfinansiering: avgift per kommun"
    ws["A1"].font = wbk.TITLE
    ws["A2"] = "Avgiftsår"
    ws["A2"].font = wbk.BOLD
    _input(ws[YEAR_CELL], year, "0")
    ws["C2"] = "Ändra året i den gula cellen; folkmängden är den 31 december två år före."
    ws["C2"].font = wbk.ITALIC
    labels = ["Kommunkod", "Kommun", "Folkmängd", "Faktura 1, kvalitetsregister",
              "Faktura 2, förfogandemedel", "Totalt"]
    wbk.header_row(ws, FEES_HEADER_ROW, labels)
    y = f"${YEAR_CELL[0]}${YEAR_CELL[1:]}"
    first = FEES_HEADER_ROW + 1
    for r, m in enumerate(registry(), start=first):
        ws.cell(row=r, column=1, value=m.code)
        ws.cell(row=r, column=2, value=m.name)
        ws.cell(row=r, column=3, value=f"=SKR_POPULATION(A{r},{y})").number_format = wbk.INTEGER
        ws.cell(row=r, column=4, value=f"=SKR_INVOICE(A{r},1,{y})").number_format = wbk.INTEGER
        ws.cell(row=r, column=5, value=f"=SKR_INVOICE(A{r},2,{y})").number_format = wbk.INTEGER
        ws.cell(row=r, column=6, value=f"=SKR_FEE(A{r},{y})").number_format = wbk.INTEGER
    last = first + len(registry()) - 1
    total = last + 1
    ws.cell(row=total, column=2, value="Summa, deltagande kommuner").font = wbk.BOLD
    for col in "DEF":
        # SUMIF over ">0" leaves out the #N/A of municipalities that did not join
        c = ws[f"{col}{total}"]
        c.value = f'=SUMIF({col}{first}:{col}{last},">0")'
        c.number_format = wbk.INTEGER
        c.font = wbk.BOLD
        c.border = wbk.TOP_BORDER
    ws.cell(row=total + 1, column=2, value="Antal deltagande kommuner")
    ws.cell(row=total + 1, column=6, value=f'=COUNTIF(F{first}:F{last},">0")')
    ws.cell(row=total + 2, column=2, value="Avgift per viktad invånare, kr")
    ws.cell(row=total + 2, column=6, value=f"=SKR_RATE({y})").number_format = "0.0000000"
    for col, width in {"A": 12, "B": 26, "C": 14, "D": 18, "E": 18, "F": 16}.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"A{first}"
    ws.print_area = f"A1:F{total + 2}"
    wbk.print_setup(ws, "SKR:s tilläggsfinansiering: avgift per kommun", repeat_rows=f"{FEES_HEADER_ROW}:{FEES_HEADER_ROW}")
    wb.defined_names["Avgiftsar"] = DefinedName("Avgiftsar", attr_text=f"Avgifter!{y}")
    _protect(ws)
    return wb


def _allocation_sheet(wb: Workbook, title: str, kommun: str, year: int, key_rows) -> None:
    ws = wb.create_sheet(title)
    ws["A1"] = f"Fördelning av SKR-avgiften per nämnd: {kommun}"
    ws["A1"].font = wbk.TITLE
    for cell, label in (("A3", "Kommun"), ("A4", "Avgiftsår")):
        ws[cell] = label
        ws[cell].font = wbk.BOLD
    _input(ws[KOMMUN_CELL], kommun)
    _input(ws[AR_CELL], year, "0")
    k, y = f"${KOMMUN_CELL[0]}${KOMMUN_CELL[1:]}", f"${AR_CELL[0]}${AR_CELL[1:]}"
    rows = [
        ("A6", "Faktura 1, kvalitetsregister", "B6", f"=SKR_INVOICE({k},1,{y})"),
        ("A7", "Faktura 2, förfogandemedel", "B7", f"=SKR_INVOICE({k},2,{y})"),
        ("A8", "Att fördela (faktura 1 + 2)", "B8", "=B6+B7"),
        ("A9", "Totalt enligt SKR:s tabell", "B9", f"=SKR_FEE({k},{y})"),
    ]
    for lc, label, vc, formula in rows:
        ws[lc] = label
        ws[vc] = formula
        ws[vc].number_format = wbk.KRONOR
    ws["A8"].font = ws["B8"].font = wbk.BOLD
    wbk.header_row(ws, KEY_HEADER_ROW, ["Område", "Nämnd", "Andel, %"])
    ws.cell(row=KEY_HEADER_ROW, column=5, value="Nämnd").font = wbk.BOLD
    ws.cell(row=KEY_HEADER_ROW, column=6, value="Belopp").font = wbk.BOLD
    for col in (5, 6):
        c = ws.cell(row=KEY_HEADER_ROW, column=col)
        c.fill, c.border = wbk.HEADER_FILL, wbk.BOTTOM_BORDER
    for i in range(KEY_ROWS):
        r = KEY_FIRST_ROW + i
        values = key_rows[i] if i < len(key_rows) else (None, None, None)
        for col, value in enumerate(values, start=1):
            _input(ws.cell(row=r, column=col), value, "0.00" if col == 3 else None)
        ws.cell(row=r, column=6).number_format = wbk.KRONOR
    key_ref = f"$A${KEY_FIRST_ROW}:$C${KEY_LAST_ROW}"
    # a legacy array formula over the key's height: SKR_SPLIT pads to it, so no #N/A
    ws[f"E{KEY_FIRST_ROW}"] = ArrayFormula(SPLIT_RANGE, f"=SKR_SPLIT({k},{key_ref},{y})")
    check = KEY_LAST_ROW + 2
    ws[f"E{check}"] = "Summa"
    ws[f"E{check}"].font = wbk.BOLD
    ws[f"F{check}"] = f"=SUM(F{KEY_FIRST_ROW}:F{KEY_LAST_ROW})"
    ws[f"F{check}"].number_format = wbk.KRONOR
    ws[f"F{check}"].font = wbk.BOLD
    ws[f"E{check + 1}"] = "Kontroll"
    ws[f"F{check + 1}"] = f'=IF(F{check}=B8,"Stämmer","Stämmer inte")'
    ws[f"A{check + 3}"] = ("Skriv nyckeln i de gula cellerna: område (kvalitetsregister, uppfoljning, "
                           "kunskapsstyrning; tomt för en nyckel på hela beloppet), nämnd och andel i procent. "
                           "Andelarna i varje område summerar till 100.")
    ws[f"A{check + 3}"].alignment = wbk.WRAP
    ws.merge_cells(f"A{check + 3}:F{check + 3}")
    ws.row_dimensions[check + 3].height = 45
    for col, width in {"A": 30, "B": 52, "C": 10, "D": 3, "E": 52, "F": 16}.items():
        ws.column_dimensions[col].width = width
    ws.print_area = f"A1:F{check + 3}"
    wbk.print_setup(ws, f"Fördelning per nämnd: {kommun}", landscape=True)
    _protect(ws)


def build_allocation_template(year: int = 2025) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    _allocation_sheet(wb, "Göteborg", "Göteborg", year, GOTEBORG_KEY)
    _allocation_sheet(wb, "Tyresö", "Tyresö", year, TYRESO_KEY)
    return wb


def build_annex_template() -> Workbook:
    """The annex layout: styles, column widths, print setup; the generator fills it."""
    wb, ws = wbk.new_workbook()
    ws.title = "Bilaga"
    wb.add_named_style(NamedStyle(name="Rubrik", font=wbk.HEADING))
    ws["A1"] = "Bilaga: avgift till SKR och fördelning per nämnd"
    ws["A1"].font = wbk.TITLE
    ws["A2"] = "Fylls i av skr-fee annex."
    ws["A2"].font = Font(name=wbk.FONT, italic=True, size=10)
    for col, width in {"A": 48, "B": 18, "C": 22, "D": 4}.items():
        ws.column_dimensions[col].width = width
    ws.sheet_view.showGridLines = False
    wbk.print_setup(ws, "Bilaga")
    return wb


def annex_template() -> Workbook:
    """The annex template from ``workbook_templates/`` when it is there, else built."""
    path = REPO_TEMPLATES / ANNEX_FILE
    if path.exists():
        return load_workbook(path)
    return build_annex_template()


BUILDERS = {
    FEES_FILE: build_fees_template,
    ALLOCATION_FILE: build_allocation_template,
    ANNEX_FILE: build_annex_template,
}


def build_all(folder: Path = REPO_TEMPLATES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in BUILDERS.items():
        path = folder / name
        build().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build_all():
        print(p)
