"""Where the allocation workbook keeps its inputs, and reading them from a live book.

The template (``templates.py``) puts the municipality, the year and the key in
these cells; the annex buttons of both Excel routes read them back through
the xlwings Book API, which is the same for a desktop (COM) book and an
xlwings Server book sent from Office.js.
"""

from __future__ import annotations

from pathlib import Path

from ..rules.keys import key_from_rows
from ..documents.annex_files import AnnexResult, write_annex
from ..rules.errors import InvalidArgument
from ..data.tables import fee_table
from ..documents.layout import AR_CELL, KEY_FIRST_ROW, KEY_RANGE, KOMMUN_CELL


def inputs_from_sheet(sheet):
    """(kommun, år, key) from an allocation sheet of the template (xlwings Sheet)."""
    kommun = sheet[KOMMUN_CELL].value
    ar = sheet[AR_CELL].value
    if kommun is None or str(kommun).strip() == "":
        raise InvalidArgument(f"Kommun saknas i {sheet.name}!{KOMMUN_CELL}. Skriv kommunens namn eller kod.")
    rows = sheet[KEY_RANGE].options(ndim=2).value
    key = key_from_rows(rows, source=f"nyckeln i bladet {sheet.name}", first_row=KEY_FIRST_ROW)
    return kommun, ar, key


def annex_from_book(book, folder: str | Path | None = None, password: str | None = None,
                    pdf: bool = False, sheet: str | None = None, docx: bool = True) -> AnnexResult:
    """Write the locked annex for a sheet's municipality, year and key (the active sheet by default)."""
    sheet = book.sheets[sheet] if sheet else book.sheets.active
    kommun, ar, key = inputs_from_sheet(sheet)
    table = fee_table(ar)
    fee = table.fee(kommun)
    if folder is None:
        folder = Path(book.fullname).parent
    target = Path(folder) / f"bilaga_{fee.municipality.name}_{fee.year}.xlsx".replace(" ", "_")
    return write_annex(table, fee, key, target, pdf=pdf, password=password, docx=docx)
