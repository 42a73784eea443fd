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
from .layout import ANNEX_SHEET as SHEET

INPUTS_CELL = "B1"  # of the control sheet


def inputs(table, fee, allocation, basis: str, unit: int) -> str:
    return json.dumps({
        "kommunkod": fee.municipality.code, "år": fee.year, "folkmängdsdatum": fee.population_date.isoformat(),
        "deltagare": sorted(table.participants), "grund": basis, "avrunda": unit,
        "nämnder": [[p.board, f"{p.share.numerator}/{p.share.denominator}"] for p in allocation.leaves],
    }, ensure_ascii=False)


def shown_split(ws) -> tuple[int | None, list[tuple[str, int]]]:
    """(the amount to split, the boards' amounts) as the annex sheet shows them."""
    rows = [[c.value for c in row[:2]] for row in ws.iter_rows()]
    amount = next((r[1] for r in rows if isinstance(r[0], str) and r[0].startswith("Att fördela")), None)
    start = next((i for i, r in enumerate(rows) if r[0] == "Fördelning per nämnd"), None)
    if start is None:
        return amount, []
    out = []
    for r in rows[start + 2:]:
        if r[0] == "Summa":
            break
        if isinstance(r[0], str) and isinstance(r[1], (int, float)):
            out.append((r[0].strip(), int(r[1])))
    return amount, out


def check(wb, control_sheet: str) -> list[str]:
    """Findings in Swedish: one line when the figures follow the rules, else what differs."""
    raw = wb[control_sheet][INPUTS_CELL].value if control_sheet in wb.sheetnames else None
    if not raw or SHEET not in wb.sheetnames:
        return []
    try:
        rec = json.loads(raw)
        shares = [(b, Fraction(s)) for b, s in rec["nämnder"]]
        year, code, day = int(rec["år"]), rec["kommunkod"], rec["folkmängdsdatum"]
    except (ValueError, KeyError, TypeError, ZeroDivisionError):
        return ["Beräkningen kan inte göras om: bilagans uppgifter om hur den räknades är skadade."]
    try:
        period = period_for_year(year)
        table = build_table(year, period, population_on(date.fromisoformat(day)), rec["deltagare"], registry())
        fee = table.fee(code)
        amount = amount_to_split(fee, rec["grund"])
        expected = largest_remainder(amount, [s for _, s in shares], int(rec["avrunda"]))
    except SkrFeeError as e:
        return [f"Beräkningen kan inte göras om här: {e.message}"]
    shown_amount, shown = shown_split(wb[SHEET])
    leaves = {b: a for b, a in shown}
    findings = []
    if shown_amount is not None and int(shown_amount) != amount:
        findings.append(f"Bilagan fördelar {formatting.kr(int(shown_amount))}, men reglerna ger "
                        f"{fee.municipality.name}s avgift {year} som {formatting.kr(amount)}.")
    for (board, _), want in zip(shares, expected):
        got = leaves.get(board)
        if got is None:
            findings.append(f"Nämnden {board} finns inte i bilagans fördelning.")
        elif got != want:
            findings.append(f"Bilagan anger {formatting.kr(got)} för {board}; reglerna ger {formatting.kr(want)}.")
    if not findings:
        findings.append(f"Beräkningen stämmer med reglerna: {fee.municipality.name} {year}, "
                        f"{formatting.kr(amount)} på {len(shares)} nämnder (folkmängd per {day}).")
    return findings
