"""The workbook templates economists open, built by code (``make templates``).

- ``avgifter.xlsx``: every municipality with population, Faktura 1 and 2 and
  the fee as ``=SKR_*`` formulas, the year in one input cell, totals;
- ``fordelning.xlsx``: municipality, year and key as inputs (Göteborg's and
  Tyresö's keys as example sheets, nested boards written ``grupp / nämnd``),
  the split and a check that it sums to what is invoiced.

Written with XlsxWriter, so that every formula carries its computed value
(from the product's own functions): LibreOffice, a mail preview and Excel
before the add-in has loaded show the figures, and the add-in recalculates
them. Input cells are yellow and unlocked; formula cells are locked (the
sheets are protected without a password, against slips, not people). The
cells the annex buttons read are in ``documents/layout.py``; the annex is laid
out in code (``documents/annex.py``) and needs no template file.
"""

from __future__ import annotations

from pathlib import Path

from ..data.municipalities import registry
from ..documents import workbooks as wbk
from ..documents.layout import (AR_CELL, FEES_HEADER_ROW, KEY_FIRST_ROW, KEY_HEADER_ROW, KEY_LAST_ROW,  # noqa: F401
                                KEY_RANGE, KEY_ROWS, KOMMUN_CELL, YEAR_CELL)

REPO_TEMPLATES = Path(__file__).resolve().parents[3] / "workbook_templates"
FEES_FILE = "avgifter.xlsx"
ALLOCATION_FILE = "fordelning.xlsx"

SF = ("Hisingen", "Nordost", "Centrum", "Sydväst")
AVO, FFS, SFG = ("Äldre- samt vård- och omsorgsnämnden (ÄVO)", "Nämnden för funktionsstöd (FFS)",
                 "Socialnämnderna (SF)")

GOTEBORG_KEY = [("kvalitetsregister", AVO, 100)] + [("uppfoljning", FFS, 50)] + [
    ("uppfoljning", f"{SFG} / Socialnämnden {sf}", 12.5) for sf in SF] + [
    ("kunskapsstyrning", AVO, "=100/3"), ("kunskapsstyrning", FFS, "=100/3")] + [
    ("kunskapsstyrning", f"{SFG} / Socialnämnden {sf}", "=100/12") for sf in SF]
TYRESO_KEY = [
    (None, "Äldre- och omsorgsnämnden / VO äldreomsorg", 40),
    (None, "Äldre- och omsorgsnämnden / VO omsorg om personer med funktionsnedsättning", 30),
    (None, "Arbetsmarknads- och socialnämnden", 30),
]
SHARE_FORMAT = '[$-41D]0.0" %"'


def _cell(ref: str) -> tuple[int, int]:
    from xlsxwriter.utility import xl_cell_to_rowcol

    return xl_cell_to_rowcol(ref)


class _Formats:
    """The product's look (workbooks.py) as XlsxWriter formats."""

    def __init__(self, wb):
        base = {"font_name": wbk.FONT, "font_size": 11}
        add = lambda **k: wb.add_format({**base, **k})  # noqa: E731
        self.title = add(bold=True, font_size=14)
        self.bold = add(bold=True)
        self.italic = add(italic=True)
        self.header = add(bold=True, bg_color="#DDEBF7", pattern=1, bottom=1, bottom_color="#808080", text_wrap=True)
        self.input = add(bg_color="#FFF2CC", pattern=1, bottom=1, bottom_color="#808080", locked=False)
        self.input_year = add(bg_color="#FFF2CC", pattern=1, bottom=1, bottom_color="#808080", locked=False, num_format="0")
        self.input_text = add(bg_color="#FFF2CC", pattern=1, bottom=1, bottom_color="#808080", locked=False,
                              text_wrap=True, valign="top")
        self.input_share = add(bg_color="#FFF2CC", pattern=1, bottom=1, bottom_color="#808080", locked=False,
                               num_format=SHARE_FORMAT, valign="top")
        self.integer = add(num_format=wbk.INTEGER)
        self.kronor = add(num_format=wbk.KRONOR, valign="top")
        self.kronor_bold = add(num_format=wbk.KRONOR, bold=True)
        self.total = add(num_format=wbk.INTEGER, bold=True, top=1, top_color="#808080")
        self.rate = add(num_format="0.0000000")
        self.wrap = add(text_wrap=True, valign="top")
        self.text = add(text_wrap=True, valign="top")


def _stored(value):
    """A formula's stored result as a reader without the add-in should see it. LibreOffice
    computes again a formula whose stored result is an error or empty (and then shows #NAME?),
    so a municipality that did not join reads "deltar inte" and an unused row a no-break space."""
    from . import udf

    if isinstance(value, udf.CellError):
        return "deltar inte" if "deltar inte" in value.message else str.__str__(value) + " "
    return "\u00a0" if value == "" else value


def _workbook(path: Path):
    """An XlsxWriter workbook whose formulas' stored results are shown as they are: no full
    recalculation on load (XlsxWriter's default), which would turn them into #NAME? wherever
    the add-in is not loaded."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.calc_on_load = False
    return wb


def _print_setup(ws, title: str, landscape: bool = False, repeat: int | None = None) -> None:
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    ws.set_header(f"&C&10{title.replace('&', '&&')}")
    ws.set_footer("&R&9Sida &P av &N")
    if landscape:
        ws.set_landscape()
    if repeat is not None:
        ws.repeat_rows(repeat)


def _protect(ws) -> None:
    """Against slips: formulas locked, inputs open, no password; columns may be widened."""
    ws.protect("", {"format_columns": True, "select_locked_cells": True, "select_unlocked_cells": True})


def build_fees_template(path: Path, year: int = 2025) -> None:
    from . import udf

    wb = _workbook(path)
    f = _Formats(wb)
    ws = wb.add_worksheet("Avgifter")
    ws.write("A1", "SKR:s tilläggsfinansiering: avgift per kommun", f.title)
    ws.write("A2", "Avgiftsår", f.bold)
    ws.write_number(YEAR_CELL, year, f.input_year)
    ws.write("C2", "Ändra året i den gula cellen; folkmängden är den 31 december två år före.", f.italic)
    labels = ["Kommunkod", "Kommun", "Folkmängd", "Faktura 1, kvalitetsregister", "Faktura 2, förfogandemedel", "Totalt"]
    for col, label in enumerate(labels):
        ws.write(FEES_HEADER_ROW - 1, col, label, f.header)
    y = f"${YEAR_CELL[0]}${YEAR_CELL[1:]}"
    first = FEES_HEADER_ROW + 1
    municipalities = list(registry())
    last = first + len(municipalities) - 1
    for r, m in enumerate(municipalities, start=first):
        ws.write_string(f"A{r}", m.code)
        ws.write_string(f"B{r}", m.name)
    # one formula per column over all municipalities (a range call: four calls in all, not
    # 1 160), spilling where Excel has dynamic arrays and an array formula where it has not;
    # every cell of the range stores its result
    codes = f"A{first}:A{last}"
    columns = {"C": (f"=SKR_POPULATION({codes},{y})", lambda c: udf.skr_population(c, year)),
               "D": (f"=SKR_INVOICE({codes},1,{y})", lambda c: udf.skr_invoice(c, 1, year)),
               "E": (f"=SKR_INVOICE({codes},2,{y})", lambda c: udf.skr_invoice(c, 2, year)),
               "F": (f"=SKR_FEE({codes},{y})", lambda c: udf.skr_fee(c, year))}
    values = {}
    for col, (formula, compute) in columns.items():
        values[col] = [compute(m.code) for m in municipalities]
        stored = [_stored(v) for v in values[col]]
        ws.write_dynamic_array_formula(f"{col}{first}:{col}{last}", formula, f.integer, stored[0])
        for r, value in enumerate(stored[1:], start=first + 1):
            (ws.write_string if isinstance(value, str) else ws.write_number)(f"{col}{r}", value, f.integer)
    total = last + 1
    ws.write(f"B{total}", "Summa, deltagande kommuner", f.bold)
    for col in "DEF":
        # SUMIF over ">0" leaves out the #N/A of municipalities that did not join
        ws.write_formula(f"{col}{total}", f'=SUMIF({col}{first}:{col}{last},">0")', f.total,
                         sum(v for v in values[col] if isinstance(v, int)))
    ws.write(f"B{total + 1}", "Antal deltagande kommuner")
    ws.write_formula(f"F{total + 1}", f'=COUNTIF(F{first}:F{last},">0")', None,
                     sum(1 for v in values["F"] if isinstance(v, int)))
    ws.write(f"B{total + 2}", "Avgift per viktad invånare, kr")
    ws.write_formula(f"F{total + 2}", f"=SKR_RATE({y})", f.rate, udf.skr_rate(year))
    for col, width in {"A": 12, "B": 26, "C": 14, "D": 18, "E": 18, "F": 16}.items():
        ws.set_column(f"{col}:{col}", width)
    ws.freeze_panes(first - 1, 0)
    ws.print_area(f"A1:F{total + 2}")
    _print_setup(ws, "SKR:s tilläggsfinansiering: avgift per kommun", repeat=FEES_HEADER_ROW - 1)
    wb.define_name("Avgiftsar", f"=Avgifter!{y}")
    _protect(ws)
    wb.close()


def _key_inputs(ws, f: _Formats, key_rows) -> list[list]:
    """The example key in the yellow input cells; its rows as Excel will read them back."""
    rows = []
    for i in range(KEY_ROWS):
        r = KEY_FIRST_ROW + i
        area, board, share = key_rows[i] if i < len(key_rows) else (None, None, None)
        ws.write_string(f"A{r}", area or "", f.input_text)  # data, never a formula
        ws.write_string(f"B{r}", board or "", f.input_text)
        if isinstance(share, str) and share.startswith("="):  # "=100/3": a division, written as such
            num, den = share[1:].split("/")
            value = int(num) / int(den)
            ws.write_formula(f"C{r}", share, f.input_share, value)
        elif share is None:
            ws.write_blank(f"C{r}", None, f.input_share)
            value = None
        else:
            ws.write_number(f"C{r}", share, f.input_share)
            value = share
        rows.append([area, board, value])
    return rows


def _allocation_sheet(wb, f: _Formats, title: str, kommun: str, year: int, key_rows) -> None:
    from . import udf

    ws = wb.add_worksheet(title)
    ws.write("A1", f"Fördelning av SKR-avgiften per nämnd: {kommun}", f.title)
    ws.write("A3", "Kommun", f.bold)
    ws.write("A4", "Avgiftsår", f.bold)
    ws.write_string(KOMMUN_CELL, kommun, f.input)
    ws.write_number(AR_CELL, year, f.input_year)
    k, y = f"${KOMMUN_CELL[0]}${KOMMUN_CELL[1:]}", f"${AR_CELL[0]}${AR_CELL[1:]}"
    f1, f2, fee = udf.skr_invoice(kommun, 1, year), udf.skr_invoice(kommun, 2, year), udf.skr_fee(kommun, year)
    for r, label, formula, value, fmt in (
            (6, "Faktura 1, kvalitetsregister", f"=SKR_INVOICE({k},1,{y})", f1, f.kronor),
            (7, "Faktura 2, förfogandemedel", f"=SKR_INVOICE({k},2,{y})", f2, f.kronor),
            (8, "Att fördela (faktura 1 + 2)", "=B6+B7", f1 + f2, f.kronor_bold),
            (9, "Totalt enligt SKR:s tabell", f"=SKR_FEE({k},{y})", fee, f.kronor)):
        ws.write(f"A{r}", label, f.bold if r == 8 else None)
        ws.write_formula(f"B{r}", formula, fmt, value)
    for col, label in enumerate(["Område", "Nämnd (grupp / nämnd för en nämnd i en grupp)", "Andel, %", "",
                                 "Nämnd", "Belopp"]):
        if label:
            ws.write(KEY_HEADER_ROW - 1, col, label, f.header)
    rows = _key_inputs(ws, f, key_rows)
    key_ref = f"$A${KEY_FIRST_ROW}:$C${KEY_LAST_ROW}"
    split = udf.skr_split(kommun, rows, year)
    for i in range(KEY_ROWS):
        r = KEY_FIRST_ROW + i
        board, amount = split[i]
        call = f"SKR_SPLIT({k},{key_ref},{y})"
        ws.write_formula(f"E{r}", f'=INDEX({call},{i + 1},1)', f.text, _stored(board))
        ws.write_formula(f"F{r}", f'=INDEX({call},{i + 1},2)', f.kronor, _stored(amount))
    check = KEY_LAST_ROW + 2
    ws.write(f"E{check}", "Summa", f.bold)
    ws.write_formula(f"F{check}", f"=SUM(F{KEY_FIRST_ROW}:F{KEY_LAST_ROW})", f.kronor_bold,
                     sum(a for _, a in split if isinstance(a, int)))
    ws.write(f"E{check + 1}", "Kontroll")
    ws.write_formula(f"F{check + 1}", f'=IF(F{check}=B8,"Stämmer","Stämmer inte")', None, "Stämmer")
    ws.merge_range(f"A{check + 3}:F{check + 3}",
                   "Skriv nyckeln i de gula cellerna: område (kvalitetsregister, uppfoljning, kunskapsstyrning; "
                   "tomt för en nyckel på hela beloppet), nämnd och andel i procent; en nämnd inom en grupp skrivs "
                   "'grupp / nämnd'. Andelarna i varje område summerar till 100.", f.wrap)
    ws.set_row(check + 2, 45)
    for col, width in {"A": 30, "B": 60, "C": 10, "D": 2, "E": 60, "F": 14}.items():
        ws.set_column(f"{col}:{col}", width)
    ws.print_area(f"A1:F{check + 3}")
    _print_setup(ws, f"Fördelning per nämnd: {kommun}", landscape=True)
    _protect(ws)


def build_allocation_template(path: Path, year: int = 2025) -> None:
    wb = _workbook(path)
    f = _Formats(wb)
    _allocation_sheet(wb, f, "Göteborg", "Göteborg", year, GOTEBORG_KEY)
    _allocation_sheet(wb, f, "Tyresö", "Tyresö", year, TYRESO_KEY)
    wb.close()


BUILDERS = {FEES_FILE: build_fees_template, ALLOCATION_FILE: build_allocation_template}


def build_all(folder: Path = REPO_TEMPLATES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in BUILDERS.items():
        build(folder / name)
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for p in build_all():
        print(p)
