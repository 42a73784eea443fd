"""Many custom-function calls in one: the entry for Python running in the browser (Pyodide).

Excel fires one custom-function call per formula on a recalculation: 1 161 of them for a fee
table written cell by cell (the shipped avgifter.xlsx uses four range formulas). Crossing from JavaScript into Python once per cell costs more than
the fee itself, so the add-in's page queues the calls made in one browser task and hands
them here as one JSON list; each call is checked and answered as on the server route
(``officejs.check_function_call``, ``udf``), and one bad call is one error cell, never a
failed batch. The data files are looked at once per batch, not once per call.
Pure Python: no server, no xlwings.
"""

from __future__ import annotations

import json

from ..data.tables import one_dataset
from .functions import BY_NAME
from .officejs import BadCall, as_cells, check_function_call, compute_cells, oversized
from .udf import CellError

MAX_CALLS = 20_000  # one recalculation of a large workbook; a sheet of every municipality is ~1 200
MAX_BYTES = 32 * 1024 * 1024


def _one(call) -> object:
    """One call's Office.js cells, checked and bounded as the server route checks them."""
    if not isinstance(call, list) or len(call) != 2:
        return as_cells(CellError("#VALUE!", "Anropet ska vara [funktion, argument]."))
    name, args = call
    try:
        check_function_call({"client": "Office.js", "version": "wasm", "func_name": name, "args": args}, BY_NAME)
    except BadCall as e:
        return as_cells(CellError("#N/A" if e.status == 404 else "#VALUE!", e.message))
    too_big = oversized(args)
    return as_cells(too_big) if too_big else compute_cells(BY_NAME[name], args)


def call_many(text: str) -> str:
    """``[[name, [arg, ...]], ...]`` as JSON → a JSON list with one result per call.

    Arguments are as Office.js passes them (a range is a list of rows); results are
    Office.js cells, error cells marked as ``officejs.as_cells`` marks them.
    """
    if not isinstance(text, str) or len(text) > MAX_BYTES:
        raise ValueError(f"Anropen får vara högst {MAX_BYTES // (1024 * 1024)} MB JSON.")
    calls = json.loads(text)
    if not isinstance(calls, list):
        raise ValueError("Anropen ska vara en lista.")
    if len(calls) > MAX_CALLS:
        message = CellError("#VALUE!", f"{len(calls)} anrop på en gång; högst {MAX_CALLS} går. Räkna om bladet "
                                       "i delar eller använd ett område per kolumn.")
        return json.dumps([as_cells(message)] * len(calls), ensure_ascii=False)
    with one_dataset():  # the data files are looked at once for the whole recalculation
        return json.dumps([_one(c) for c in calls], ensure_ascii=False)
