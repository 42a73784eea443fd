"""Tamper evidence: a SHA-256 fingerprint of a workbook's visible content.

The fingerprint is the SHA-256 of a canonical listing of every non-empty cell
of every visible sheet (sheet, cell, value), leaving out the one cell that
shows the fingerprint itself. It is stored three times: in a custom document
property, in that cell and in the page footer, so that it can be quoted in the
decision text. A very hidden control sheet keeps the listing, so ``verify``
can say which cells changed, and is itself checked against the fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.workbook import Workbook

from ..rules.errors import SkrFeeError

PROPERTY = "Fingeravtryck (SHA-256)"
CELL_PROPERTY = "Fingeravtryckets cell"
CONTROL_SHEET = "Kontroll"


def canonical(value) -> str:
    """One spelling per value: 1032899 whether stored as int, float or Decimal."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, Decimal)):
        return format(Decimal(value).normalize(), "f")
    if isinstance(value, float):
        # Excel keeps 15 significant digits; the xlsx writer may print 16 or 17
        return format(Decimal(format(value, ".15g")).normalize(), "f")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def records(wb: Workbook, skip: str | None) -> list[tuple[str, str, str]]:
    """(sheet, cell, value) for every non-empty cell of the visible sheets."""
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or cell.value == "":
                    continue
                ref = f"{ws.title}!{cell.coordinate}"
                if ref == skip:
                    continue
                out.append((ws.title, cell.coordinate, canonical(cell.value)))
    return out


def digest(recs: list[tuple[str, str, str]]) -> str:
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in recs)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp(wb: Workbook, cell_ref: str) -> str:
    """Compute the fingerprint, write it into ``cell_ref``, the footers, the
    custom property and the control sheet; return it. Call last, before locking."""
    sheet, coord = cell_ref.split("!")
    recs = records(wb, skip=cell_ref)
    fp = digest(recs)
    wb[sheet][coord] = fp
    for ws in wb.worksheets:
        ws.oddFooter.left.text = f"Fingeravtryck (SHA-256): {fp}"
        ws.oddFooter.left.size = 7
    control = wb.create_sheet(CONTROL_SHEET)
    control.sheet_state = "veryHidden"
    control.append(["blad", "cell", "värde"])
    for r in recs:
        control.append(list(r))
    for prop in (StringProperty(name=PROPERTY, value=fp), StringProperty(name=CELL_PROPERTY, value=cell_ref)):
        wb.custom_doc_props.append(prop)
    return fp


@dataclass(frozen=True)
class Verdict:
    intact: bool
    fingerprint: str | None
    computed: str
    changes: tuple[str, ...]  # human lines, Swedish

    def message(self, name: str) -> str:
        if self.intact:
            return f"Oförändrad: {name} stämmer med sitt fingeravtryck {self.fingerprint}."
        lines = [f"Ändrad: {name} stämmer inte med sitt fingeravtryck {self.fingerprint or '(saknas)'}."]
        lines.append(f"  Beräknat nu: {self.computed}")
        lines += [f"  {c}" for c in self.changes]
        return "\n".join(lines)


def verify(path: str | Path) -> Verdict:
    """Recompute a generated workbook's fingerprint and say what changed."""
    path = Path(path)
    try:
        wb = load_workbook(path)
    except FileNotFoundError:
        raise SkrFeeError(f"Filen '{path}' finns inte.") from None
    except Exception:
        raise SkrFeeError(f"'{path}' är ingen läsbar xlsx-fil.") from None
    props = {p.name: p.value for p in wb.custom_doc_props}
    stored = props.get(PROPERTY)
    cell_ref = props.get(CELL_PROPERTY)
    if not stored or not cell_ref or "!" not in cell_ref:
        raise SkrFeeError(f"'{path}' saknar fingeravtryck: den är inte skapad av skr-fee.")
    sheet, coord = cell_ref.split("!", 1)
    changes: list[str] = []
    now = records(wb, skip=cell_ref)
    computed = digest(now)
    shown = wb[sheet][coord].value if sheet in wb.sheetnames else None
    if shown != stored:
        changes.append(f"{cell_ref}: det visade fingeravtrycket är ändrat (är {shown!r}).")
    if CONTROL_SHEET in wb.sheetnames:
        kept = [tuple("" if v is None else str(v) for v in row)
                for row in wb[CONTROL_SHEET].iter_rows(min_row=2, values_only=True)]
        if digest(kept) != stored:
            changes.append("Kontrollbladet är ändrat: cellerna kan inte jämföras en och en.")
        else:
            before = {(s, c): v for s, c, v in kept}
            after = {(s, c): v for s, c, v in now}
            for ref in sorted(set(before) | set(after), key=lambda k: (k[0], _order(k[1]))):
                old, new = before.get(ref), after.get(ref)
                if old != new:
                    changes.append(f"{ref[0]}!{ref[1]}: var {old if old is not None else '(tom)'}, "
                                   f"är {new if new is not None else '(tom)'}")
    else:
        changes.append("Kontrollbladet saknas.")
    intact = computed == stored and not changes
    return Verdict(intact, stored, computed, tuple(changes))


def _order(coord: str) -> tuple[int, str]:
    letters = coord.rstrip("0123456789")
    return int(coord[len(letters):]), letters.rjust(3)
