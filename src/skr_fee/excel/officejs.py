"""What the Office.js route sends back for a cell, and what its JavaScript makes of it.

Office.js custom functions show a real error value only when the JavaScript
returns a ``CustomFunctions.Error``; JSON from the server cannot carry one.
So an error cell is sent as a string that starts with an invisible mark, its
code and its message, and ``ERROR_JS`` (appended to the custom-functions
JavaScript) turns each such string into ``new CustomFunctions.Error(code,
message)``: ``#N/A`` for notAvailable, ``#VALUE!`` for invalidValue. A client
without that script shows the code and message as text.
"""

from __future__ import annotations

import logging

from .functions import ExcelFunction
from .udf import FUNCTIONS, MAX_ROWS, CellError, too_many_rows

ERROR_MARK = "\u2063"  # INVISIBLE SEPARATOR
OFFICE_CODES = {"#N/A": "notAvailable", "#VALUE!": "invalidValue"}


def as_cells(value):
    """A udf result as cells for Office.js: error values become marked strings."""
    if isinstance(value, CellError):
        return f"{ERROR_MARK}{value.code}{ERROR_MARK}{value.message}"
    if isinstance(value, list):
        return [as_cells(v) for v in value]
    return value


ERROR_JS = """
// --- skr-avgift: error cells -------------------------------------------------
// Our server marks an error cell as "\\u2063#N/A\\u2063message"; Excel shows a real
// error value only for a CustomFunctions.Error, so turn each mark into one.
(function () {
  const MARK = "\\u2063";
  const CODES = %(codes)s;
  function toError(value) {
    if (typeof value !== "string" || !value.startsWith(MARK)) return value;
    const end = value.indexOf(MARK, 1);
    const code = value.slice(1, end);
    const message = value.slice(end + 1);
    const errorCode = CustomFunctions.ErrorCode[CODES[code] || "invalidValue"];
    return new CustomFunctions.Error(errorCode, message);
  }
  const xlwingsBase = base;
  base = async function (...args) {
    const result = await xlwingsBase(...args);
    if (Array.isArray(result)) {
      const cells = result.map((row) => (Array.isArray(row) ? row.map(toError) : toError(row)));
      // a single error cell is thrown, so Excel shows the message on hover
      if (cells.length === 1 && cells[0].length === 1 && cells[0][0] instanceof CustomFunctions.Error) {
        throw cells[0][0];
      }
      return cells;
    }
    const single = toError(result);
    if (single instanceof CustomFunctions.Error) throw single;
    return single;
  };
})();
""" % {"codes": str(OFFICE_CODES).replace("'", '"')}


def oversized(args: list) -> CellError | None:
    """The cell error for a checked call whose longest range (any argument) has more than
    MAX_ROWS rows, answered before the range is converted; None when it is within bounds."""
    rows = max((len(a) for a in args if isinstance(a, list)), default=0)
    return too_many_rows(rows) if rows > MAX_ROWS else None


LOG = logging.getLogger("skr_fee.excel")


def compute_cells(fn: ExcelFunction, args: list, logger: logging.Logger = LOG):
    """One checked call as Office.js cells. A value no check foresaw fails this call only: its
    cell says so, ``logger`` gets the exception (on the server its log; in the browser the
    console, through Python's stderr), and the other calls go on."""
    try:
        return as_cells(FUNCTIONS[fn.python_name](*args))
    except Exception:
        logger.exception("%s kunde inte räkna", fn.officejs_name)
        return as_cells(CellError("#VALUE!", f"{fn.officejs_name} kunde inte räkna med de här värdena."))


# ------------------------------------------------------- checking calls from Office.js

MAX_CELLS = 100_000  # per argument: a whole column of every municipality is 290


class BadCall(Exception):
    """A request the server answers with a 4xx and a Swedish message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _cell_ok(v) -> bool:
    if v is None or isinstance(v, (str, bool, int)):
        return True
    if isinstance(v, float):
        return v == v and v not in (float("inf"), float("-inf"))
    # Office.js sends typed cells (errors, entities) as objects with a "type"
    return isinstance(v, dict) and isinstance(v.get("type"), str)


def check_function_call(data, functions: dict) -> None:
    """Raise BadCall unless ``data`` is a custom-function call the server can answer.

    ``functions`` maps the Excel name (SKR_FEE) to its registry entry.
    """
    if not isinstance(data, dict):
        raise BadCall(400, "Anropet ska vara ett JSON-objekt med func_name och args.")
    for field in ("client", "version"):
        if not isinstance(data.get(field), str):
            raise BadCall(400, f"Fältet '{field}' saknas i anropet. Ladda om tillägget i Excel.")
    if data["client"] != "Office.js":
        raise BadCall(400, f"Klienten '{data['client']}' stöds inte: funktionerna anropas från Excel via Office.js.")
    name = data.get("func_name")
    if not isinstance(name, str) or name not in functions:
        known = ", ".join(sorted(functions))
        raise BadCall(404, f"Okänd funktion '{name}'. Tillägget har: {known}.")
    args = data.get("args")
    if not isinstance(args, list):
        raise BadCall(400, "Fältet 'args' ska vara en lista med ett värde per argument.")
    fn = functions[name]
    required = sum(1 for a in fn.args if not a.optional)
    if not required <= len(args) <= len(fn.args):
        raise BadCall(400, f"{fn.officejs_name} tar {required}–{len(fn.args)} argument, inte {len(args)}.")
    for i, arg in enumerate(args, start=1):
        rows = arg if isinstance(arg, list) else [[arg]]
        if not all(isinstance(r, list) for r in rows):
            raise BadCall(400, f"Argument {i} till {fn.officejs_name} ska vara ett värde eller ett område (lista av rader).")
        if not rows or len({len(r) for r in rows}) > 1 or not rows[0]:
            raise BadCall(400, f"Argument {i} till {fn.officejs_name} ska vara ett rektangulärt område (lika många celler "
                               "på varje rad), som Excel skickar det.")
        cells = sum(len(r) for r in rows)
        if cells > MAX_CELLS:
            raise BadCall(413, f"Argument {i} till {fn.officejs_name} har {cells} celler; högst {MAX_CELLS} går i ett anrop.")
        if not all(_cell_ok(v) for r in rows for v in r):
            raise BadCall(400, f"Argument {i} till {fn.officejs_name} innehåller ett värde som inte är ett cellvärde.")


def check_script_call(name: str, data, scripts: set[str]) -> None:
    """Raise BadCall unless ``data`` looks like a workbook sent by Office.js for a known script."""
    if name not in scripts:
        raise BadCall(404, f"Okänt skript '{name}'. Tillägget har: {', '.join(sorted(scripts))}.")
    if not isinstance(data, dict):
        raise BadCall(400, "Anropet ska vara arbetsboken som JSON-objekt.")
    book, sheets = data.get("book"), data.get("sheets")
    if not isinstance(book, dict) or not isinstance(sheets, list) or not sheets:
        raise BadCall(400, "Arbetsboken saknas i anropet (book och sheets). Ladda om tillägget i Excel.")
    if not isinstance(book.get("active_sheet_index"), int) or not 0 <= book["active_sheet_index"] < len(sheets):
        raise BadCall(400, "Arbetsbokens aktiva blad saknas eller är ogiltigt i anropet.")
    for s in sheets:
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not isinstance(s.get("values"), list):
            raise BadCall(400, "Ett blad i anropet saknar namn eller värden.")
        if not all(isinstance(r, list) and all(_cell_ok(v) for v in r) for r in s["values"]):
            raise BadCall(400, f"Bladet '{s['name']}' innehåller värden som inte är cellvärden.")
