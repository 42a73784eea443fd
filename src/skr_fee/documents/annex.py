"""The annex (bilaga): the fee, the key and each board's amount, locked.

A workbook of values, not formulas (it must open in any Excel without the
add-in), laid out on the annex template of ``workbook_templates/``, with
Swedish number formats, A4 print setup, document properties, sheet and
structure protection (SHA-512) and a SHA-256 fingerprint of its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.workbook.workbook import Workbook

from .. import __version__
from . import formatting, wording
from . import workbooks as wbk
from .layout import ANNEX_SHEET as SHEET
from .recompute import inputs
from ..rules.keys import Key
from ..rules.split import Allocation, allocate
from ..rules.fees import Fee, FeeTable, amount_to_split
from ..rules.rounding import decimals


@dataclass(frozen=True)
class Draft:
    """An annex built in memory, not yet sealed."""

    workbook: Workbook
    allocation: Allocation
    fingerprint_cell: str  # "Bilaga!B40": where the check code is shown
    properties: dict[str, str]
    generated: datetime
    inputs: str = ""  # what it was computed from, for verify to compute again (recompute.py)


def _frac(x: Fraction) -> float:
    """A share for a cell, to 12 decimals (half up): Excel stores floats, and a value this short is
    written back the same by every spreadsheet program; exact values stay in the core."""
    return float(decimals(x, 12))


def annex_template():
    """The annex layout: styles, column widths, print setup; the generator fills it."""
    wb, ws = wbk.new_workbook()
    ws.title = SHEET
    wb.add_named_style(NamedStyle(name="Rubrik", font=wbk.HEADING))
    ws["A1"].font = wbk.TITLE
    ws["A2"].font = Font(name=wbk.FONT, italic=True, size=10)
    for col, width in {"A": 48, "B": 18, "C": 22, "D": 4}.items():
        ws.column_dimensions[col].width = width
    ws.sheet_view.showGridLines = False
    wbk.print_setup(ws, SHEET)
    return wb


class _Writer:
    """Writes the annex sheet from the top, one row after the other."""

    def __init__(self, ws, row: int):
        self.ws, self.row = ws, row

    def section(self, label: str) -> None:
        self.row += 1
        self.ws.cell(row=self.row, column=1, value=label).style = "Rubrik"
        self.row += 1

    def header(self, labels: list[str]) -> None:
        wbk.header_row(self.ws, self.row, labels)
        self.row += 1

    def line(self, label, value, fmt=None, note=None, bold=False) -> int:
        """Label, value and a note in A, B and C; returns the row written."""
        ws, row = self.ws, self.row
        ws.cell(row=row, column=1, value=label)
        c = ws.cell(row=row, column=2, value=value)
        if fmt:
            c.number_format = fmt
        if note:
            ws.cell(row=row, column=3, value=note).alignment = Alignment(horizontal="left", indent=2)
        if bold:
            ws.cell(row=row, column=1).font = wbk.BOLD
            c.font = wbk.BOLD
        self.row += 1
        return row

    def row_of(self, label: str, amount: int, share: Fraction | None, font=None) -> None:
        """A name, an amount in kronor and a share of the whole in A, B and C."""
        ws, row = self.ws, self.row
        ws.cell(row=row, column=1, value=label)
        if amount is not None:
            ws.cell(row=row, column=2, value=amount).number_format = wbk.KRONOR
        if share is not None:
            ws.cell(row=row, column=3, value=_frac(share)).number_format = wbk.PERCENT
        if font is not None:
            for col in (1, 2, 3):
                ws.cell(row=row, column=col).font = font
        self.row += 1


def build_annex(table: FeeTable, fee: Fee, key: Key, basis: str | None = None, unit: int = 1,
                generated: datetime | None = None) -> Draft:
    """The unlocked annex workbook and its allocation (pure: no files written)."""
    basis = basis or key.basis
    allocation = allocate(amount_to_split(fee, basis), key, fee.period, unit)
    generated = generated or datetime.now().replace(microsecond=0)
    name = wording.own_name(fee.municipality, key)
    wb = annex_template()
    ws = wb[SHEET]
    title = wording.title(name, fee.year, table.preliminary)
    ws["A1"] = title
    ws["A2"] = wording.intro(name, fee.municipality.code, fee.period.name)
    out = _Writer(ws, 4)
    _calculation(out, table, fee, allocation, basis)
    _areas(out, fee)
    _key(out, key, fee.period)
    _allocation(out, allocation, unit)
    fp_row = _sources(out, table, fee, key, generated)
    _set_properties(wb, title, table, fee, key)
    properties = {
        "Kommun": fee.municipality.name, "Kommunens namn": name, "Kommunkod": fee.municipality.code,
        "Avgiftsår": str(fee.year), "Rekommendationsperiod": fee.period.name,
        "Folkmängdsdatum": fee.population_date.isoformat(), "Nyckel": key.name,
        "Preliminär": "ja" if table.preliminary else "nej",
    }
    return Draft(wb, allocation, f"{SHEET}!B{fp_row}", properties, generated,
                 inputs(table, fee, allocation, basis, unit))


def _calculation(out: _Writer, table: FeeTable, fee: Fee, allocation: Allocation, basis: str) -> None:
    """The population, the weighted population, the rate, the invoices and the amount to split."""
    p = fee.period
    if table.preliminary:
        out.ws["A3"] = (f"PRELIMINÄR: folkmängd per {p.population_date(fee.year).isoformat()} saknas; beräknat med "
                        f"folkmängd per {fee.population_date.isoformat()}. Ersätt bilagan när SCB:s siffror finns.")
        out.ws["A3"].font = wbk.BOLD
    out.section("Beräkning")
    out.line(f"Folkmängd {formatting.long_date(fee.population_date)}", fee.population, wbk.INTEGER,
             wording.population_source(table, fee).split(",")[0])
    out.line("Viktad folkmängd", _frac(fee.weighted), wbk.DECIMAL_1,
             p.discount.description if fee.discounted else "ingen rabatt")
    out.line("Viktad folkmängd, alla deltagande kommuner", _frac(table.weighted_sum), wbk.DECIMAL_1,
             f"{len(table.participants)} kommuner")
    out.line("Avgift per viktad invånare", float(decimals(fee.rate, 7)), wbk.RATE,
             f"{formatting.kr(p.total)} / viktad folkmängd, högst {formatting.kr(p.cap_per_inhabitant, 2)}")
    for inv in fee.invoices:
        out.line(inv.name, inv.amount, wbk.KRONOR)
    out.line("Totalt enligt SKR:s tabell", fee.total, wbk.KRONOR,
             "avrundat för sig; kan skilja 1 kr från fakturornas summa" if fee.total != fee.invoiced else None)
    out.line(f"Att fördela ({wording.basis(basis)})", allocation.amount, wbk.KRONOR, bold=True)


def _areas(out: _Writer, fee: Fee) -> None:
    """SKR's areas: the municipality's amount of each and the area's share of SKR's budget."""
    p = fee.period
    out.section("SKR:s områden")
    out.header(["Område", "Belopp", "Andel av SKR:s budget"])
    budget = {a.id: a.amount for a in p.all_areas()}
    for a in fee.areas:
        out.row_of(("    " * a.level) + a.name, a.amount, Fraction(budget[a.id], p.total))


def _key(out: _Writer, key: Key, period) -> None:
    """The key as decided: each board's share within its group and of the whole."""
    out.section("Fördelningsnyckel")
    if key.by_area:
        out.header(["Område och nämnd", "Andel inom området", "Andel av beloppet"])
        for ak in key.areas:
            area = period.find_area(ak.area_id)  # as the allocation resolved it: id or name
            weight = Fraction(area.amount, period.total)
            out.row_of(area.name, None, weight)
            out.ws.cell(row=out.row - 1, column=1).font = wbk.BOLD
            _key_rows(out, ak.boards, weight, 1)
    else:
        out.header(["Nämnd", "Andel inom gruppen", "Andel av beloppet"])
        _key_rows(out, key.boards, Fraction(1), 0)


def _key_rows(out: _Writer, nodes, weight: Fraction, level: int) -> None:
    total = sum((n.share for n in nodes), Fraction(0))
    for n in nodes:
        within = n.share / total
        out.row_of(("    " * level) + n.name, None, weight * within)
        out.ws.cell(row=out.row - 1, column=2, value=_frac(within)).number_format = wbk.PERCENT
        if n.children:
            _key_rows(out, n.children, weight * within, level + 1)


def _allocation(out: _Writer, allocation: Allocation, unit: int) -> None:
    """Each board's amount, the sum, and how the amounts were rounded."""
    out.section("Fördelning per nämnd")
    out.header(["Nämnd", "Belopp", "Andel av beloppet"])
    for part in allocation.parts:
        out.row_of(("    " * part.level) + part.board, part.amount, part.share,
                   None if part.leaf else wbk.ITALIC)
    sum_row = out.row
    out.row_of("Summa", allocation.total, Fraction(1), wbk.BOLD)
    for col in (1, 2, 3):
        out.ws.cell(row=sum_row, column=col).border = wbk.TOP_BORDER
    note = wording.rounding(unit) + (" " + wording.SUMS if any(not p_.leaf for p_ in allocation.parts) else "")
    out.ws.cell(row=out.row, column=1, value=note).alignment = wbk.WRAP
    out.ws.merge_cells(start_row=out.row, start_column=1, end_row=out.row, end_column=3)
    out.ws.row_dimensions[out.row].height = 15 * (len(note) // 80 + 1)  # 88 characters a line across A:C
    out.row += 1


def _sources(out: _Writer, table: FeeTable, fee: Fee, key: Key, generated: datetime) -> int:
    """The key, the sources, when it was made, and the row of the check code (returned)."""
    out.section("Underlag")
    out.line("Nyckel", key.name)
    if key.invoice_recipient:
        out.line("Fakturamottagare", key.invoice_recipient)
    out.line("Källa, folkmängd", wording.population_source(table, fee))
    out.line("Källa, regler", fee.period.source)
    out.line("Skapad", generated.strftime("%Y-%m-%d %H:%M"), note=f"skr-avgift {__version__}")
    fp_row = out.line("Kontrollsumma", "")
    # the whole code in one line: B and C together hold 40 characters, the code has 35
    out.ws.merge_cells(start_row=fp_row, start_column=2, end_row=fp_row, end_column=3)
    out.ws.cell(row=fp_row, column=2).font = Font(name=wbk.FONT, size=11, bold=True)
    out.ws.cell(row=fp_row, column=2).alignment = Alignment(horizontal="left")
    wbk.print_setup(out.ws, out.ws["A1"].value)
    return fp_row


def _set_properties(wb: Workbook, title: str, table: FeeTable, fee: Fee, key: Key) -> None:
    m, p = fee.municipality, fee.period
    wb.properties.title = title
    wb.properties.subject = f"Tilläggsfinansiering {p.name}, avgiftsår {fee.year}"
    wb.properties.keywords = f"SKR; {m.name}; {fee.year}; bilaga"
    wb.properties.description = f"Nyckel: {key.name}. Källa, folkmängd: {table.population.source}"
