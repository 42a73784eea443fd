"""Classic xlwings UDFs for Excel on Windows: =SKR_FEE(A2), =SKR_SPLIT(...), ...

Point xlwings' "UDF Modules" at this module (``skr_udfs``) and click
"Import Functions". Each function here is a call to its namesake in
``skr_fee.excel.udf``, described by the one registry in ``skr_fee.excel.functions``.

Excel's classic UDF bridge (VBA) cannot hand back a real error value, so an
error shows as text that starts with the error code and carries the Swedish
message: "#N/A Okänd kommun: 'Götborg'. Menar du Göteborg? ...".
"""

from __future__ import annotations

import xlwings as xw

from skr_fee.excel import udf
from skr_fee.excel.functions import BY_NAME
from skr_fee.excel.workbook_inputs import annex_from_book


def shown(value):
    """What a desktop cell shows: error values as their code and message."""
    if isinstance(value, udf.CellError):
        return f"{value.code} {value.message}".strip()
    if isinstance(value, list):
        return [shown(v) for v in value]
    return value


def _desktop(name: str):
    """xlwings' UDF decorators for the registry's function ``name``: its help, its ranges, category SKR."""
    fn = BY_NAME[name]

    def decorate(wrapper):
        wrapper.__doc__ = fn.doc
        for a in fn.args:
            options = {"ndim": 2} if (a.per_row or a.range) else {}
            # err_to_str: an error value in an argument cell (#REF! in the year) reaches the function
            # as its code and gives an error, not None, which would read as "no year given"
            wrapper = xw.arg(a.name, doc=a.doc, err_to_str=True, **options)(wrapper)
        # last: xw.arg re-runs xw.func's defaults and would reset the category to "xlwings"
        return xw.func(category="SKR")(wrapper)

    return decorate


# ASCII parameter names (ar, not år): xlwings writes them into VBA, whose identifiers outside ASCII
# depend on the PC's code page; Office.js shows the Swedish labels (custom_functions/)
@_desktop("SKR_FEE")
def SKR_FEE(kommun, ar=None, preliminar=None):
    return shown(udf.skr_fee(kommun, ar, preliminar))


@_desktop("SKR_INVOICE")
def SKR_INVOICE(kommun, fakturadel, ar=None, preliminar=None):
    return shown(udf.skr_invoice(kommun, fakturadel, ar, preliminar))


@_desktop("SKR_AREA")
def SKR_AREA(kommun, omrade, ar=None, preliminar=None):
    return shown(udf.skr_area(kommun, omrade, ar, preliminar))


@_desktop("SKR_RATE")
def SKR_RATE(ar=None, preliminar=None):
    return shown(udf.skr_rate(ar, preliminar))


@_desktop("SKR_POPULATION")
def SKR_POPULATION(kommun, ar=None, preliminar=None):
    return shown(udf.skr_population(kommun, ar, preliminar))


@_desktop("SKR_SPLIT")
def SKR_SPLIT(kommun, nyckel, ar=None, preliminar=None):
    return shown(udf.skr_split(kommun, nyckel, ar, preliminar))


@xw.sub
def skapa_bilaga():
    """The "Skapa bilaga" button (RunPython): the locked annex for the calling workbook."""
    book = xw.Book.caller()
    path = annex_from_book(book)
    book.app.alert(f"Bilagan är skriven: {path.xlsx}\nLösenord: {path.password}\n"
                   f"Kontrollsumma (citera den i beslutet): {path.fingerprint}", title="Skapa bilaga")
