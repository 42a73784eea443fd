"""The task pane's buttons: "Skapa bilaga" and "Infoga avgiftsmall".

Each script gets the workbook from Office.js as an xlwings Book and answers
with actions that Office.js carries out (add a sheet, write values, call a
JavaScript callback). Errors the user can fix are raised as XlwingsError with
a Swedish message, which the task pane shows; xlwings Server answers them
with 400, never 500.
"""

import base64
import os
import sys
import tempfile

import xlwings as xw
from xlwings.server import script

from skr_fee.rules import swedish
from skr_fee.rules.errors import SkrFeeError
from skr_fee.server.limits import SCRIPT_TIME_LIMIT_S
from skr_fee.data.tables import default_year
from skr_fee.data.municipalities import registry
from skr_fee.excel.workbook_inputs import annex_from_book

# In the browser build (addin/wasm) these scripts run in the page, in Pyodide: no threads, no
# LibreOffice and no lxml there, so the annex is the locked xlsx (PDF and Word stay on the
# server and the command line), and xlwings Server's settings come from its wasm/config.py.
IN_BROWSER = sys.platform == "emscripten"
if IN_BROWSER:
    from config import settings
else:
    from xlwings_server.config import settings

__all__ = ["skapa_bilaga", "infoga_avgiftsmall"]


def _prefix() -> str:
    """What goes before SKR_FEE in a formula, as the manifest names it: nothing in production,
    ``DEV.`` (or ``NS_DEV.`` with a namespace) outside it."""
    ns = settings.functions_namespace.upper()
    if settings.environment != "prod":
        ns = f"{ns}_{settings.environment.upper()}" if ns else settings.environment.upper()
    return f"{ns}." if ns else ""


def _as_text(value):
    """A cell value for Office.js: a text that Excel would take as a formula (=, +, -, @) gets the
    apostrophe that makes Excel keep it as text, as when typed; data never becomes a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _free_name(book: xw.Book, wanted: str) -> str:
    names = {s.name for s in book.sheets}
    name, n = wanted[:31], 2
    while name in names:
        suffix = f" ({n})"
        name, n = wanted[: 31 - len(suffix)] + suffix, n + 1
    return name


MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".pdf": "application/pdf",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _file(path) -> dict | None:
    """A made file for the task pane to offer as a download: nothing is kept on the server."""
    if path is None:
        return None
    return {"name": path.name, "type": MEDIA[path.suffix], "data": base64.b64encode(path.read_bytes()).decode()}


def _has_libreoffice() -> bool:
    from skr_fee.documents.pdf import soffice

    try:
        soffice()
        return True
    except SkrFeeError:
        return False  # a server without LibreOffice still makes the xlsx and the Word file


def _skapa_bilaga(book: xw.Book) -> None:
    pdf = not IN_BROWSER and _has_libreoffice()
    with tempfile.TemporaryDirectory(prefix="skr-fee-bilaga-") as folder:
        os.chmod(folder, 0o700)
        try:
            result = annex_from_book(book, folder=folder, pdf=pdf, docx=not IN_BROWSER)
        except SkrFeeError as e:
            raise xw.XlwingsError(e.message) from None
        files = {"xlsx": _file(result.xlsx), "pdf": _file(result.pdf), "docx": _file(result.docx)}
    made = result.workbook["Bilaga"]
    rows = [[_as_text(v) for v in row] for row in made.iter_rows(values_only=True)]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    sheet = book.sheets.add(_free_name(book, f"Bilaga {result.fee.municipality.name} {result.fee.year}"))
    sheet["A1"].value = rows
    for r, row in enumerate(made.iter_rows(), start=1):
        for c, cell in enumerate(row, start=1):
            if isinstance(cell.value, (int, float)) and cell.number_format != "General":
                sheet.range((r, c)).number_format = cell.number_format.replace("[$-41D]", "")
    sheet.range((1, 1), (len(rows), width)).autofit()
    _call_back(book, "skrBilagaKlar", sheet.name, result.password, result.fingerprint, files,
               swedish.kr(result.allocation.total))


def _call_back(book: xw.Book, name: str, *args) -> None:
    """Asks the task pane to run its JavaScript ``name(*args)`` when this response arrives.

    Not ``book.app.macro(name)(...)``: xlwings' remote engine has one App per process, and its
    ``App.run`` appends the action to ``app.books.active``, the book most recently opened by any
    request. Two economists pressing *Skapa bilaga* at once then each got the other's password,
    check code and files (issue 25). The same action, appended to this request's own book."""
    book.impl.append_json_action(func="runMacro", args=[name, *args])


@script
async def skapa_bilaga(book: xw.Book):
    """The locked annex for the active sheet's kommun (B3), år (B4) and key (A12:C31), returned to
    the task pane in the response (xlsx, Word, PDF): the server keeps nothing."""
    if IN_BROWSER:
        _skapa_bilaga(book)
        return
    import anyio

    try:
        with anyio.fail_after(SCRIPT_TIME_LIMIT_S):
            await anyio.to_thread.run_sync(_skapa_bilaga, book, abandon_on_cancel=True)
    except TimeoutError:
        raise xw.XlwingsError(f"Bilagan tog längre än {SCRIPT_TIME_LIMIT_S:g} s och avbröts. Försök igen.") from None


@script
def infoga_avgiftsmall(book: xw.Book):
    """A sheet with every municipality and its fee as SKR_* formulas, the year in B2."""
    ns = _prefix()
    sheet = book.sheets.add(_free_name(book, "SKR-avgifter"))
    municipalities = list(registry())
    first, last = 5, 4 + len(municipalities)
    sheet["A1"].value = "SKR:s tilläggsfinansiering: avgift per kommun"
    sheet["A2"].value = ["Avgiftsår", default_year()]
    sheet["A4"].value = ["Kommunkod", "Kommun", "Folkmängd", "Faktura 1, kvalitetsregister",
                         "Faktura 2, förfogandemedel", "Totalt"]
    sheet[f"A{first}:A{last}"].number_format = "@"
    sheet[f"A{first}"].value = [[m.code, m.name] for m in municipalities]
    codes = f"A{first}:A{last}"
    sheet[f"C{first}"].formula = f"={ns}SKR_POPULATION({codes},$B$2)"
    sheet[f"D{first}"].formula = f"={ns}SKR_INVOICE({codes},1,$B$2)"
    sheet[f"E{first}"].formula = f"={ns}SKR_INVOICE({codes},2,$B$2)"
    sheet[f"F{first}"].formula = f"={ns}SKR_FEE({codes},$B$2)"
    total = last + 1
    sheet[f"B{total}"].value = "Summa, deltagande kommuner"
    for col in "DEF":
        sheet[f"{col}{total}"].formula = f'=SUMIF({col}{first}:{col}{last},">0")'
    sheet[f"C{first}:F{total}"].number_format = "#,##0"
    sheet.activate()
