"""What every workbook the product writes has in common: styles, widths, print setup.

openpyxl is imported here and only here, so the command line starts fast when
no workbook is written.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from . import formatting

# Format codes are stored locale-neutral ("," groups thousands) and shown by
# Excel with the reader's separators; [$-41D] tells LibreOffice the cells are
# Swedish, so its PDF prints 1 032 899 as Excel in Sweden does.
INTEGER = "[$-41D]#,##0"
KRONOR = '[$-41D]#,##0" kr"'
DECIMAL_1 = "[$-41D]#,##0.0"
RATE = '[$-41D]0.0000000" kr"'
# a literal space before %: a plain one is read back by LibreOffice (Swedish locale) as a
# thousands separator, which scales by 1 000 (shared/notes/annex-roundtrip.md)
PERCENT = "[$-41D]0.00\\ %"

# Calibri is Excel's default; LibreOffice prints it with the metric-compatible Carlito.
FONT = "Calibri"
TITLE = Font(name=FONT, bold=True, size=14)
BOLD = Font(name=FONT, bold=True)
ITALIC = Font(name=FONT, italic=True)
HEADING = Font(name=FONT, bold=True, size=12, color="1F3864")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
TOP_BORDER = Border(top=THIN)
BOTTOM_BORDER = Border(bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def display_width(value, number_format: str) -> int:
    """Characters a value needs when shown with ``number_format``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "0.0000000" in number_format:
            text = formatting.number(value, 7) + " kr"
        elif "0.0" in number_format:
            text = formatting.number(value, 1)
        else:
            text = formatting.number(value) + (" kr" if "kr" in number_format else "")
        return len(text)
    return len(str(value)) if value is not None else 0


def fit_columns(ws: Worksheet, first_row: int = 1, minimum: int = 8, maximum: int = 60) -> None:
    """Columns wide enough that no number prints as ####### (with a margin)."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is None or cell.coordinate in ws.merged_cells:
                continue
            w = display_width(cell.value, cell.number_format)
            if isinstance(cell.value, str) and cell.alignment and cell.alignment.wrap_text:
                # a wrapping header may take two lines, but no word is broken
                w = max(max(len(word) for word in cell.value.split()), (w + 1) // 2)
            if cell.font and cell.font.b:
                w = int(w * 1.15) + 1
            widths[cell.column] = max(widths.get(cell.column, 0), w)
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(w + 3, minimum), maximum)


def print_setup(ws: Worksheet, title: str, landscape: bool = False, repeat_rows: str | None = None) -> None:
    """A4, fit to page width, title in the header, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.8
    ws.oddHeader.center.text = title
    ws.oddHeader.center.size = 10
    ws.oddFooter.right.text = "Sida &P av &N"
    ws.oddFooter.right.size = 9
    if repeat_rows:
        ws.print_title_rows = repeat_rows


def header_row(ws: Worksheet, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.border = BOTTOM_BORDER
        cell.alignment = Alignment(horizontal="left" if col <= 2 else "right", wrap_text=True)


def as_data(wb: Workbook) -> None:
    """Every text is data: a name from a key that begins with '=' is shown, never run
    (openpyxl would otherwise write it as a formula)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"


def new_workbook() -> tuple[Workbook, Worksheet]:
    wb = Workbook()
    return wb, wb.active
