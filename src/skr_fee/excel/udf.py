"""The Excel functions as plain Python: ``skr_fee``, ``skr_invoice``, ... .

Named exactly like the Excel functions in lower case, made from the registry
in ``functions.py``. They take what Excel passes (scalars, or ranges as lists
of rows) and return what a cell shows: a value, a 2D array with one result
per cell of a ``kommun`` range, or an Excel error value (``CellError``, a
string equal to '#N/A' or '#VALUE!' that carries the Swedish message). Used by
both xlwings routes, and by pycel to evaluate the workbook templates.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from ..data.tables import one_dataset
from ..rules.keys import is_blank
from ..rules.municipalities import suggestion_budget
from ..rules.errors import SkrFeeError
from .functions import BY_NAME, ExcelFunction


MAX_ROWS = 10_000  # rows of municipalities in one call; all of Sweden is 290


class CellError(str):
    """An Excel error value: equal to its code ('#N/A'), with ``message`` in Swedish."""

    message: str

    def __new__(cls, code: str, message: str = ""):
        obj = super().__new__(cls, code)
        obj.message = message
        return obj

    @property
    def code(self) -> str:
        return str.__str__(self)


def too_many_rows(rows: int) -> CellError:
    """The cell error for a range over MAX_ROWS, on both routes (the server answers it before xlwings reads the range)."""
    return CellError("#VALUE!", f"Området har {rows} rader; högst {MAX_ROWS} går i ett anrop "
                                "(alla kommuner är 290). Dela upp området.")


def is_range(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def as_rows(value: Any) -> list[list]:
    """A range as rows: a flat list (a column as xlwings gives it) becomes one column."""
    if not value:
        return []
    if all(is_range(r) for r in value):
        return [list(r) for r in value]
    return [[v] for v in value]


def scalar(value: Any) -> Any:
    """A one-cell range as its value (Office.js and pycel may pass [[x]])."""
    while is_range(value) and len(value) == 1:
        value = value[0]
    return value


def evaluate(fn: ExcelFunction, *args: Any) -> Any:
    """One call of an Excel function, with ranges mapped and errors as values."""
    values = list(args) + [None] * (len(fn.args) - len(args))
    per_row = next((i for i, a in enumerate(fn.args) if a.per_row), None)
    for i, a in enumerate(fn.args):
        if i != per_row and not a.range:
            values[i] = scalar(values[i])

    def one(*vals):
        try:
            return fn.compute(*vals)
        except SkrFeeError as e:
            return CellError(e.excel_error, e.message)

    if per_row is not None and _one_cell(values[per_row]):
        values[per_row] = scalar(values[per_row])
    if per_row is not None and is_range(values[per_row]):
        rows = as_rows(values[per_row])
        if not rows:
            return CellError("#VALUE!", "Området med kommuner är tomt.")
        if len(rows) > MAX_ROWS:
            return too_many_rows(len(rows))
        return [
            ["" if is_blank(v) else one(*values[:per_row], v, *values[per_row + 1:]) for v in row]
            for row in rows
        ]
    if per_row is not None:
        values[per_row] = scalar(values[per_row])
        if is_blank(values[per_row]):
            return CellError("#VALUE!", "Kommun saknas. Ange kommunens namn eller kod, t.ex. Göteborg eller 1480.")
    return one(*values)


def _one_cell(value: Any) -> bool:
    """[x] or [[x]]: a single cell, which Office.js and pycel may send as a range."""
    return is_range(value) and len(value) == 1 and (not is_range(value[0]) or len(value[0]) == 1)


def _call(name: str, *args: Any) -> Any:
    """One call of the registry's function ``name`` on the data of one moment."""
    with one_dataset(), suggestion_budget():
        return evaluate(BY_NAME[name], *args)


def _described(name: str) -> Callable[[Callable], Callable]:
    """Gives a function its help from the registry, and refuses one whose parameters differ from it."""
    fn = BY_NAME[name]

    def describe(f: Callable) -> Callable:
        params = list(inspect.signature(f).parameters.values())
        if [p.name for p in params] != [a.name for a in fn.args] or \
                [p.default is None for p in params] != [a.optional for a in fn.args]:
            raise TypeError(f"{f.__name__}: the parameters differ from the registry's {name}")
        f.__doc__ = fn.doc + "\n\n" + "\n".join(f"{a.label}: {a.doc}" for a in fn.args)
        return f

    return describe


@_described("SKR_FEE")
def skr_fee(kommun, ar=None, preliminar=None):
    return _call("SKR_FEE", kommun, ar, preliminar)


@_described("SKR_INVOICE")
def skr_invoice(kommun, fakturadel, ar=None, preliminar=None):
    return _call("SKR_INVOICE", kommun, fakturadel, ar, preliminar)


@_described("SKR_AREA")
def skr_area(kommun, omrade, ar=None, preliminar=None):
    return _call("SKR_AREA", kommun, omrade, ar, preliminar)


@_described("SKR_RATE")
def skr_rate(ar=None, preliminar=None):
    return _call("SKR_RATE", ar, preliminar)


@_described("SKR_POPULATION")
def skr_population(kommun, ar=None, preliminar=None):
    return _call("SKR_POPULATION", kommun, ar, preliminar)


@_described("SKR_SPLIT")
def skr_split(kommun, nyckel, ar=None, preliminar=None):
    return _call("SKR_SPLIT", kommun, nyckel, ar, preliminar)


# by their Python names; tests/test_udf.py checks that this covers the registry exactly
FUNCTIONS: dict[str, Callable] = {f.__name__: f for f in (skr_fee, skr_invoice, skr_area, skr_rate,
                                                         skr_population, skr_split)}
__all__ = ["CellError", "evaluate", *FUNCTIONS]
