"""The SKR_* functions for pycel, so the workbook templates evaluate headless.

pycel looks a formula's function up by its lower-case name with dots made
underscores: ``SKR_FEE`` → ``skr_fee``, ``SKR.FEE`` (the Office.js name before the namespace was dropped) → ``skr_fee``,
and the prefixes Excel writes for add-in functions, ``_xludf.SKR_FEE`` →
``_xludf_skr_fee`` and ``_xll.SKR_FEE`` → ``_xll_skr_fee``. Pass this module
as a pycel plugin: ``ExcelCompiler(path, plugins=["skr_fee.excel.pycel_functions"])``.
"""

from __future__ import annotations

from . import udf
from .udf import CellError



def _cell(value):
    # pycel knows an error by its string code; keep the message on the side
    return value if not isinstance(value, CellError) else str.__str__(value)


def _for_pycel(f):
    def call(*args):
        result = f(*args)
        if isinstance(result, list):  # a range: one result per row (an array formula's cells)
            return tuple(tuple(_cell(v) for v in row) if isinstance(row, list) else (_cell(row),)
                         for row in result)
        return _cell(result)

    call.__name__ = f.__name__
    call.__doc__ = f.__doc__
    return call


# each function under the three names pycel may look it up by (tests/test_udf.py checks the registry's)
skr_fee = _xludf_skr_fee = _xll_skr_fee = _for_pycel(udf.skr_fee)
skr_invoice = _xludf_skr_invoice = _xll_skr_invoice = _for_pycel(udf.skr_invoice)
skr_area = _xludf_skr_area = _xll_skr_area = _for_pycel(udf.skr_area)
skr_rate = _xludf_skr_rate = _xll_skr_rate = _for_pycel(udf.skr_rate)
skr_population = _xludf_skr_population = _xll_skr_population = _for_pycel(udf.skr_population)
skr_split = _xludf_skr_split = _xll_skr_split = _for_pycel(udf.skr_split)
