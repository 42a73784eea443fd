"""Workbooks as Office.js sends them to xlwings Server (getBookData's payload).

The values are what Excel shows: formula cells are evaluated with pycel and
the SKR_* functions, as the add-in would compute them in Excel.
"""

from pathlib import Path

from openpyxl import load_workbook
from pycel import ExcelCompiler

XLWINGS_VERSION = "0.37.8"


def _value(v):
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):  # a spilled or array result: its first cell
        return _value(v[0][0] if isinstance(v[0], (list, tuple)) else v[0])
    return v


def book_payload(path: Path, active: str) -> dict:
    wb = load_workbook(path)
    xl = ExcelCompiler(filename=str(path), plugins=["skr_fee.excel.pycel_functions"])
    sheets = []
    for ws in wb.worksheets:
        rows = []
        for r in range(1, ws.max_row + 1):
            row = []
            for c in range(1, ws.max_column + 1):
                cell = ws.cell(row=r, column=c)
                raw = cell.value
                formula = isinstance(raw, str) and raw.startswith("=") or type(raw).__name__ == "ArrayFormula"
                row.append(_value(xl.evaluate(f"'{ws.title}'!{cell.coordinate}")) if formula else _value(raw))
            rows.append(row)
        sheets.append({
            "name": ws.title, "values": rows, "pictures": [], "tables": [], "names": [], "charts": [],
            "shapes": [], "pivot_tables": [], "visibility": "Visible", "show_gridlines": True,
            "print_area": None, "notes": [],
        })
    return {
        "client": "Office.js",
        "version": XLWINGS_VERSION,
        "book": {"name": path.name, "active_sheet_index": wb.sheetnames.index(active),
                 "selection": "A1", "calculation": "Automatic"},
        "names": [],
        "sheets": sheets,
    }
