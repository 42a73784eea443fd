"""verify's second finding: the annex's amounts re-derived from the inputs it records.

An annex keeps, in its control sheet, what it was computed from: the
municipality, the fee year, the population date, the participants, the basis
(fakturerat or totalt), the rounding unit and each board's share of the whole.
``check`` computes the fee and the split again with the product's rules and
the population it has for that date, and compares them with the amounts the
annex shows. This is separate from the check code: the code says whether the
file is the one that was decided on; this says whether its figures follow
the rules.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

from ..data.municipalities import registry
from ..data.periods import period_for_year
from ..data.population import population_on
from ..rules.errors import SkrFeeError
from ..rules.fees import amount_to_split, build_table
from ..rules.rounding import largest_remainder
from . import formatting
from .canonical import held_cells
from .layout import ANNEX_SHEET as SHEET

INPUTS_CELL = "B1"  # of the control sheet


def inputs(table, fee, allocation, basis: str, unit: int) -> str:
    return json.dumps({
        "kommunkod": fee.municipality.code, "år": fee.year, "folkmängdsdatum": fee.population_date.isoformat(),
        "deltagare": sorted(table.participants), "grund": basis, "avrunda": unit,
        "nämnder": [[p.board, f"{p.share.numerator}/{p.share.denominator}"] for p in allocation.leaves],
    }, ensure_ascii=False)


def shown_split(ws) -> tuple[object, list[tuple[str, object]]]:
    """(the amount to split, the boards' amounts) as the annex sheet holds them: a number with öre typed
    in stays as it is, never cut to whole kronor; the amount to split is None without its row."""
    cells = {(c.row, c.column): c.value for c in held_cells(ws) if c.column <= 2}
    rows = [[cells.get((r, 1)), cells.get((r, 2))] for r in sorted({r for r, _ in cells})]
    amount = next((r[1] for r in rows if isinstance(r[0], str) and r[0].startswith("Att fördela")), None)
    start = next((i for i, r in enumerate(rows) if r[0] == "Fördelning per nämnd"), None)
    if start is None:
        return amount, []
    out = []
    for r in rows[start + 2:]:
        if r[0] == "Summa":
            break
        if isinstance(r[0], str) and r[1] is not None:  # a text in place of an amount is named as it is
            out.append((r[0].strip(), r[1]))
    return amount, out


def _kr(shown) -> str:
    """An amount as the sheet holds it: whole kronor, with its öre when öre were typed in, or the text
    typed in its place."""
    if isinstance(shown, bool) or not isinstance(shown, (int, float)):
        return f"'{shown}'"
    return formatting.kr(shown) if shown == int(shown) else formatting.kr(shown, 2)


DAMAGED = "Beräkningen kan inte göras om: bilagans uppgifter om hur den räknades är skadade."


def check(wb, control_sheet: str) -> tuple[list[str], bool | None]:
    """The annex's amounts computed again: findings in Swedish and whether the figures follow the rules
    (True: one line that says so; False: what differs; None: why they cannot be computed again, or
    nothing when the workbook is no annex)."""
    raw = wb[control_sheet][INPUTS_CELL].value if control_sheet in wb.sheetnames else None
    if not raw or SHEET not in wb.sheetnames:
        return [], None
    try:
        rec = json.loads(raw)
        shares = [(b, Fraction(s)) for b, s in rec["nämnder"]]
        year, code, day = int(rec["år"]), rec["kommunkod"], date.fromisoformat(rec["folkmängdsdatum"])
        participants, basis, unit = rec["deltagare"], rec["grund"], int(rec["avrunda"])
    except (ValueError, KeyError, TypeError, ZeroDivisionError):
        return [DAMAGED], None
    try:
        table = build_table(year, period_for_year(year), population_on(day), participants, registry())
        fee = table.fee(code)
        amount = amount_to_split(fee, basis)
        expected = largest_remainder(amount, [s for _, s in shares], unit)
    except SkrFeeError as e:
        return [f"Beräkningen kan inte göras om här: {e.message}"], None
    differences = _differences(wb[SHEET], fee, amount, [b for b, _ in shares], expected)
    if differences:
        return differences, False
    return [f"Beräkningen stämmer med reglerna: {fee.municipality.name} {year}, {formatting.kr(amount)} "
            f"på {len(shares)} nämnder (folkmängd per {day.isoformat()})."], True


def _differences(ws, fee, amount: int, boards: list[str], expected: list[int]) -> list[str]:
    shown_amount, shown = shown_split(ws)
    leaves = dict(shown)
    out = []
    if shown_amount is not None and shown_amount != amount:
        out.append(f"Bilagan fördelar {_kr(shown_amount)}, men reglerna ger "
                   f"{fee.municipality.name}s avgift {fee.year} som {formatting.kr(amount)}.")
    for board, want in zip(boards, expected):
        got = leaves.get(board)
        if got is None:
            out.append(f"Nämnden {board} finns inte i bilagans fördelning.")
        elif got != want:
            out.append(f"Bilagan anger {_kr(got)} för {board}; reglerna ger {formatting.kr(want)}.")
    return out
