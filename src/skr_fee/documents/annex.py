"""The annex (bilaga): the fee, the key and each board's amount, locked.

A workbook of values, not formulas (it must open in any Excel without the
add-in), laid out on the annex template of ``workbook_templates/``, with
Swedish number formats, A4 print setup, document properties, sheet and
structure protection (SHA-512) and a SHA-256 fingerprint of its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.workbook.workbook import Workbook

from .. import __version__
from . import formatting, wording
from . import workbooks as wbk
from ..rules.keys import Key
from ..rules.split import Allocation, allocate
from ..rules.errors import InvalidArgument
from ..rules.fees import Fee, FeeTable
from ..rules.rounding import decimals

SHEET = "Bilaga"


@dataclass(frozen=True)
class Draft:
    """An annex built in memory, not yet sealed."""

    workbook: Workbook
    allocation: Allocation
    fingerprint_cell: str  # "Bilaga!B40": where the check code is shown
    properties: dict[str, str]
    generated: datetime
    inputs: str = ""  # what it was computed from, for verify to compute again (recompute.py)


def amount_to_split(fee: Fee, basis: str) -> Decimal:
    if basis == "fakturerat":
        return fee.invoiced
    if basis == "totalt":
        return fee.total
    raise InvalidArgument(f"Ogiltig grund: '{basis}'. Välj 'fakturerat' eller 'totalt'.")


def _frac(x: Fraction) -> float:
    """A share for a cell, to 12 decimals: Excel stores floats, and a value this short is written
    back the same by every spreadsheet program; exact values stay in the core."""
    return round(x.numerator / x.denominator, 12)


def annex_template():
    """The annex layout: styles, column widths, print setup; the generator fills it."""
    wb, ws = wbk.new_workbook()
    ws.title = "Bilaga"
    wb.add_named_style(NamedStyle(name="Rubrik", font=wbk.HEADING))
    ws["A1"].font = wbk.TITLE
    ws["A2"].font = Font(name=wbk.FONT, italic=True, size=10)
    for col, width in {"A": 48, "B": 18, "C": 22, "D": 4}.items():
        ws.column_dimensions[col].width = width
    ws.sheet_view.showGridLines = False
    wbk.print_setup(ws, "Bilaga")
    return wb



def build_annex(table: FeeTable, fee: Fee, key: Key, basis: str | None = None, unit: int = 1,
                generated: datetime | None = None) -> Draft:
    """The unlocked annex workbook and its allocation (pure: no files written)."""
    basis = basis or key.basis
    amount = amount_to_split(fee, basis)
    allocation = allocate(amount, key, fee.period, unit)
    generated = generated or datetime.now().replace(microsecond=0)
    m = fee.municipality
    p = fee.period
    name = wording.own_name(m, key)

    wb = annex_template()
    ws = wb[SHEET]
    title = wording.title(name, fee.year, table.preliminary)
    ws["A1"] = title
    ws["A2"] = wording.intro(name, m.code, p.name)
    row = 4

    def section(label: str):
        nonlocal row
        row += 1
        ws.cell(row=row, column=1, value=label).style = "Rubrik"
        row += 1

    def line(label, value, fmt=None, note=None, bold=False):
        nonlocal row
        ws.cell(row=row, column=1, value=label)
        c = ws.cell(row=row, column=2, value=value)
        if fmt:
            c.number_format = fmt
        if note:
            ws.cell(row=row, column=3, value=note).alignment = Alignment(horizontal="left", indent=2)
        if bold:
            ws.cell(row=row, column=1).font = wbk.BOLD
            c.font = wbk.BOLD
        row += 1

    if table.preliminary:
        ws["A3"] = (f"PRELIMINÄR: folkmängd per {p.population_date(fee.year).isoformat()} saknas; beräknat med "
                    f"folkmängd per {fee.population_date.isoformat()}. Ersätt bilagan när SCB:s siffror finns.")
        ws["A3"].font = wbk.BOLD
    section("Beräkning")
    line(f"Folkmängd {formatting.long_date(fee.population_date)}", fee.population, wbk.INTEGER,
         wording.population_source(table, fee).split(",")[0])
    line("Viktad folkmängd", _frac(fee.weighted), wbk.DECIMAL_1,
         p.discount.description if fee.discounted else "ingen rabatt")
    line("Viktad folkmängd, alla deltagande kommuner", _frac(table.weighted_sum), wbk.DECIMAL_1,
         f"{len(table.participants)} kommuner")
    line("Avgift per viktad invånare", float(decimals(fee.rate, 7)), wbk.RATE,
         f"{formatting.kr(p.total)} / viktad folkmängd, högst {formatting.kr(p.cap_per_inhabitant, 2)}")
    for inv in fee.invoices:
        line(inv.name, int(inv.amount), wbk.KRONOR)
    line("Totalt enligt SKR:s tabell", int(fee.total), wbk.KRONOR,
         "avrundat för sig; kan skilja 1 kr från fakturornas summa" if fee.total != fee.invoiced else None)
    line(f"Att fördela ({wording.basis(basis)})", int(allocation.amount), wbk.KRONOR, bold=True)

    section("SKR:s områden")
    wbk.header_row(ws, row, ["Område", "Belopp", "Andel av SKR:s budget"])
    row += 1
    budget = {a.id: a.amount for a in p.all_areas()}
    for a in fee.areas:
        ws.cell(row=row, column=1, value=("    " * a.level) + a.name)
        ws.cell(row=row, column=2, value=int(a.amount)).number_format = wbk.KRONOR
        ws.cell(row=row, column=3, value=_frac(Fraction(budget[a.id]) / Fraction(p.total))).number_format = wbk.PERCENT
        row += 1

    section("Fördelningsnyckel")
    if key.by_area:
        wbk.header_row(ws, row, ["Område och nämnd", "Andel inom området", "Andel av beloppet"])
        row += 1
        for ak in key.areas:
            area = p.find_area(ak.area_id)  # as the allocation resolved it: id or name
            ws.cell(row=row, column=1, value=area.name).font = wbk.BOLD
            ws.cell(row=row, column=3, value=_frac(Fraction(area.amount) / Fraction(p.total))).number_format = wbk.PERCENT
            row += 1
            row = _key_rows(ws, row, ak.boards, Fraction(area.amount) / Fraction(p.total), 1)
    else:
        wbk.header_row(ws, row, ["Nämnd", "Andel inom gruppen", "Andel av beloppet"])
        row += 1
        row = _key_rows(ws, row, key.boards, Fraction(1), 0)

    section("Fördelning per nämnd")
    wbk.header_row(ws, row, ["Nämnd", "Belopp", "Andel av beloppet"])
    row += 1
    for part in allocation.parts:
        label = ("    " * part.level) + part.board
        ws.cell(row=row, column=1, value=label)
        c = ws.cell(row=row, column=2, value=int(part.amount))
        c.number_format = wbk.KRONOR
        ws.cell(row=row, column=3, value=_frac(part.share)).number_format = wbk.PERCENT
        if not part.leaf:
            for col in (1, 2, 3):
                ws.cell(row=row, column=col).font = wbk.ITALIC
        row += 1
    ws.cell(row=row, column=1, value="Summa").font = wbk.BOLD
    c = ws.cell(row=row, column=2, value=int(allocation.total))
    c.number_format = wbk.KRONOR
    c.font = wbk.BOLD
    for col in (1, 2, 3):
        ws.cell(row=row, column=col).border = wbk.TOP_BORDER
    ws.cell(row=row, column=3, value=1.0).number_format = wbk.PERCENT
    row += 1
    note = wording.rounding(unit) + (" " + wording.SUMS if any(not p_.leaf for p_ in allocation.parts) else "")
    ws.cell(row=row, column=1, value=note).alignment = wbk.WRAP
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    ws.row_dimensions[row].height = 15 * (len(note) // 80 + 1)  # 88 characters a line across A:C
    row += 1

    section("Underlag")
    line("Nyckel", key.name)
    if key.invoice_recipient:
        line("Fakturamottagare", key.invoice_recipient)
    line("Källa, folkmängd", wording.population_source(table, fee))
    line("Källa, regler", p.source)
    line("Skapad", generated.strftime("%Y-%m-%d %H:%M"), note=f"skr-avgift {__version__}")
    fp_row = row
    line("Kontrollsumma", "")
    # the whole code in one line: B and C together hold 40 characters, the code has 35
    ws.merge_cells(start_row=fp_row, start_column=2, end_row=fp_row, end_column=3)
    ws.cell(row=fp_row, column=2).font = Font(name=wbk.FONT, size=11, bold=True)
    ws.cell(row=fp_row, column=2).alignment = Alignment(horizontal="left")

    wbk.print_setup(ws, title)
    wb.properties.title = title
    wb.properties.subject = f"Tilläggsfinansiering {p.name}, avgiftsår {fee.year}"
    wb.properties.keywords = f"SKR; {m.name}; {fee.year}; bilaga"
    wb.properties.description = f"Nyckel: {key.name}. Källa, folkmängd: {table.population.source}"
    properties = {
        "Kommun": m.name, "Kommunens namn": name, "Kommunkod": m.code, "Avgiftsår": str(fee.year),
        "Rekommendationsperiod": p.name, "Folkmängdsdatum": fee.population_date.isoformat(),
        "Nyckel": key.name, "Preliminär": "ja" if table.preliminary else "nej",
    }
    from .recompute import inputs

    return Draft(wb, allocation, f"{SHEET}!B{fp_row}", properties, generated,
                 inputs(table, fee, allocation, basis, unit))


def _key_rows(ws, row: int, nodes, weight: Fraction, level: int) -> int:
    total = sum((n.share for n in nodes), Fraction(0))
    for n in nodes:
        within = n.share / total
        ws.cell(row=row, column=1, value=("    " * level) + n.name)
        ws.cell(row=row, column=2, value=_frac(within)).number_format = wbk.PERCENT
        ws.cell(row=row, column=3, value=_frac(weight * within)).number_format = wbk.PERCENT
        row += 1
        if n.children:
            row = _key_rows(ws, row, n.children, weight * within, level + 1)
    return row
