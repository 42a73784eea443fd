"""The SKR_* functions for pycel, so the workbook templates evaluate headless.

pycel looks a formula's function up by its lower-case name with dots made
underscores: ``SKR_FEE`` → ``skr_fee``, ``SKR.FEE`` (the Office.js name before the namespace was dropped) → ``skr_fee``,
and the prefixes Excel writes for add-in functions, ``_xludf.SKR_FEE`` →
``_xludf_skr_fee`` and ``_xll.SKR_FEE`` → ``_xll_skr_fee``. Pass this module
as a pycel plugin: ``ExcelCompiler(path, plugins=["skr_fee.pycel_functions"])``.
"""

from __future__ import annotations

from .udf import FUNCTIONS, CellError

PREFIXES = ("", "_xludf_", "_xll_")


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


for _name, _f in FUNCTIONS.items():
    for _prefix in PREFIXES:
        globals()[_prefix + _name] = _for_pycel(_f)
