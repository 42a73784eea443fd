"""Classic xlwings UDFs for Excel on Windows: =SKR_FEE(A2), =SKR_SPLIT(...), ...

Point xlwings' "UDF Modules" at this module (``skr_udfs``) and click
"Import Functions". Every function here is generated from the one registry in
``skr_fee.functions``; the body of each is a call to ``skr_fee.udf``.

Excel's classic UDF bridge (VBA) cannot hand back a real error value, so an
error shows as text that starts with the error code and carries the Swedish
message: "#N/A Okänd kommun: 'Götborg'. Menar du Göteborg? ...".
"""

from __future__ import annotations

import xlwings as xw

from skr_fee.excel import udf
from skr_fee.excel.functions import REGISTRY, ExcelFunction
from skr_fee.excel.workbook_inputs import annex_from_book


def shown(value):
    """What a desktop cell shows: error values as their code and message."""
    if isinstance(value, udf.CellError):
        return f"{value.code} {value.message}".strip()
    if isinstance(value, list):
        return [shown(v) for v in value]
    return value


def _desktop(fn: ExcelFunction):
    compute = udf.FUNCTIONS[fn.python_name]

    def wrapper(*args):
        return shown(compute(*args))

    # ASCII parameter names (ar, not år): xlwings writes them into VBA, whose identifiers outside
    # ASCII depend on the PC's code page; Office.js shows the Swedish labels (custom_functions/)
    wrapper.__signature__ = compute.__signature__
    wrapper.__name__ = wrapper.__qualname__ = fn.desktop_name
    wrapper.__doc__ = fn.doc
    for a in fn.args:
        options = {"ndim": 2} if (a.per_row or a.range) else {}
        # err_to_str: an error value in an argument cell (#REF! in the year) reaches the function
        # as its code and gives an error, not None, which would read as "no year given"
        wrapper = xw.arg(a.name, doc=a.doc, err_to_str=True, **options)(wrapper)
    # last: xw.arg re-runs xw.func's defaults and would reset the category to "xlwings"
    return xw.func(category="SKR")(wrapper)


for _fn in REGISTRY:
    globals()[_fn.desktop_name] = _desktop(_fn)


@xw.sub
def skapa_bilaga():
    """The "Skapa bilaga" button (RunPython): the locked annex for the calling workbook."""
    book = xw.Book.caller()
    path = annex_from_book(book)
    book.app.alert(f"Bilagan är skriven: {path.xlsx}\nLösenord: {path.password}\n"
                   f"Kontrollsumma (citera den i beslutet): {path.fingerprint}", title="Skapa bilaga")
