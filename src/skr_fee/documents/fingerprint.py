"""The check code (kontrollsumma) of a workbook, stamped into it, and ``verify``.

The code is the SHA-256 of the canonical listing of what a reader sees
(form 2: ``canonical_layout.records``, which adds the layout to form 1's
``canonical.records``), written as check_code.py says: 130 bits and a check
symbol, ``7KQ-F2M-…`` (35 characters), short enough to quote in a decision
text and read aloud, long enough that no one can make another file with the
same code. It is stored in a cell, in every footer, in a document property
and, with the listing itself, in a very hidden control sheet, so that
``verify`` can say what changed. A code inside a file only shows that the
file agrees with itself: the code quoted in the decision (``--kontrollsumma``)
is what proves that a file is the one the board decided on. Codes of form 1
(issued before, 32 characters) keep verifying against form 1's listing.
"""

from __future__ import annotations

from copy import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.constants import MAX_COLUMN, MAX_ROW

from ..rules.errors import SkrFeeError
from . import canonical, canonical_layout, check_code, recompute
from .changes import describe
from .canonical import CODE_MARK, CONTROL_SHEET

PROPERTY = "Kontrollsumma"
CELL_PROPERTY = "Kontrollsummans cell"
LABEL = "Kontrollsumma"


def records(wb: Workbook, skip: str | None = None, code: str | None = None,
            form: int = check_code.CURRENT_FORM) -> list[list]:
    """The canonical listing of the form a code is of."""
    return (canonical.records if form == 1 else canonical_layout.records)(wb, skip, code)


def line(record: list) -> str:
    """One record as the code covers it and the control sheet keeps it: JSON, letters as they are."""
    return json.dumps(record, ensure_ascii=False)


def code_of(recs: list[list], form: int = check_code.CURRENT_FORM) -> str:
    text = "\n".join(line(r) for r in recs)
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return check_code.encode_old(digest) if form == 1 else check_code.encode(digest)


def stamp(wb: Workbook, cell_ref: str, form: int = check_code.CURRENT_FORM) -> str:
    """Compute the code of the finished, locked workbook; write it into ``cell_ref``, every
    footer, a property and the control sheet; return it. Call after locking. (``form=1`` makes
    an annex as versions before 0.2 did, for the tests that old codes keep verifying.)"""
    sheet, coord = cell_ref.split("!")
    wb[sheet][coord].value = None  # the cell exists from now on, and is listed as the code's place
    for ws in wb.worksheets:
        ws.oddFooter.left.text = f"{LABEL}: {CODE_MARK}"
        ws.oddFooter.left.size = 7
    recs = records(wb, skip=cell_ref, form=form)
    code = code_of(recs, form)
    wb[sheet][coord] = code
    for ws in wb.worksheets:
        ws.oddFooter.left.text = f"{LABEL}: {code}"
    control = wb.create_sheet(CONTROL_SHEET)
    control.sheet_state = "veryHidden"
    control.protection = copy(wb.worksheets[0].protection)
    control.append(["post"])
    for r in recs:
        control.append([line(r)])
    for prop in (StringProperty(name=PROPERTY, value=code), StringProperty(name=CELL_PROPERTY, value=cell_ref)):
        wb.custom_doc_props.append(prop)
    return code


@dataclass(frozen=True)
class Verdict:
    intact: bool
    code: str | None  # the code the file states
    computed: str  # the code of the file as it is now
    quoted: str | None = None  # the code from the decision, when given
    changes: tuple[str, ...] = ()  # what a reader now sees differently, in Swedish
    notes: tuple[str, ...] = field(default_factory=tuple)
    findings: tuple[str, ...] = ()  # the amounts computed again with the rules (annexes only)
    follows_rules: bool | None = None  # None: not an annex, or nothing to compute from
    mistyped: str = ""  # what is wrong with the quoted code as typed (then nothing was compared)

    @property
    def ok(self) -> bool:
        return self.intact and self.follows_rules is not False

    def message(self, name: str) -> str:
        if self.mistyped:
            own = "och stämmer med den" if self.computed == self.code else "men stämmer inte med den"
            return (f"Felskriven kontrollsumma: det du angav är inte en giltig kod ({self.mistyped}). "
                    "Skriv av koden igen från beslutet: O läses som 0, I och L som 1, och mellanslag, "
                    f"bindestreck och små bokstäver spelar ingen roll.\n  Filen {name} anger själv "
                    f"kontrollsumman {self.code} {own}.")
        if self.intact and self.quoted:
            lines = [f"Oförändrad: {name} har kontrollsumman {self.computed}, samma som i beslutet."]
        elif self.intact:
            lines = [f"Oförändrad: {name} stämmer med kontrollsumman den själv anger, {self.computed}.",
                     "  Det visar bara att filen stämmer med sig själv. Jämför med kontrollsumman i beslutet: "
                     f"skr-fee kontrollera {name} --kontrollsumma KOD"]
        else:
            expected = self.quoted or self.code or "(saknas)"
            lines = [f"Ändrad: {name} har kontrollsumman {self.computed}, inte {expected}"
                     + (" som i beslutet." if self.quoted else ".")]
            lines += [f"  {c}" for c in self.changes]
        lines += [f"  Beräkning: {f}" for f in self.findings]
        return "\n".join(lines + [f"  Obs: {n}" for n in self.notes])


def stamped_code(path: Path) -> str | None:
    """The check code a workbook says it has (its document property), or None for any file that
    is no readable annex."""
    try:
        wb = load_workbook(path, read_only=True)
        try:
            return {p.name: p.value for p in wb.custom_doc_props}.get(PROPERTY)
        finally:
            wb.close()
    except Exception:
        return None


def verify(path: str | Path, quoted: str | None = None) -> Verdict:
    """Recompute a workbook's code; compare it with ``quoted`` (from the decision) or its own."""
    path = Path(path)
    if not path.is_file():
        raise SkrFeeError(f"Filen '{path}' finns inte.")
    canonical.refuse_what_cannot_be_covered(path)
    try:
        wb = load_workbook(path)
    except Exception:
        raise SkrFeeError(f"'{path}' är ingen läsbar xlsx-fil.") from None
    props = {p.name: p.value for p in wb.custom_doc_props}
    stored, cell_ref = props.get(PROPERTY), props.get(CELL_PROPERTY)
    if not stored or not cell_ref or "!" not in cell_ref:
        raise SkrFeeError(f"'{path}' saknar kontrollsumma: den är inte skapad av skr-fee (eller av en äldre "
                          "version, som angav ett fingeravtryck i stället).")
    if _place(cell_ref) is None:
        raise SkrFeeError(f"'{path}' anger kontrollsummans cell som '{str(cell_ref)[:40]}', som inte är en cell: "
                          "filen är ändrad och kan inte kontrolleras.")
    form = check_code.form_of(stored)
    now = records(wb, skip=cell_ref, code=stored, form=form)
    computed = code_of(now, form)  # in the form of the file's own code
    expected = stored
    if quoted is not None:
        reading = check_code.read(quoted, form)
        if reading.code is None or (reading.code != stored and check_code.form_of(reading.code) == form == 1
                                    and check_code.near(reading.code, stored)):
            problem = reading.problem or "ett tecken skiljer från filens kod, eller två tecken har bytt plats"
            return Verdict(False, stored, computed, mistyped=problem)
        expected = reading.code
    matches = computed == expected
    if check_code.form_of(expected) != form:  # the decision's code decides what it covers
        matches = code_of(records(wb, skip=cell_ref, code=stored, form=3 - form), 3 - form) == expected
    changes = _changes(wb, cell_ref, stored, now, form)
    findings, follows = _recomputed(wb, props)
    notes = []
    if wb.security is None or not wb.security.lockStructure:
        notes.append("arbetsbokens strukturskydd saknas (det tas bort när filen sparas i t.ex. LibreOffice); "
                     "bladen är skyddade och innehållet täcks av kontrollsumman.")
    if quoted is not None and expected != stored and computed == stored:
        changes.append(f"Filen anger kontrollsumman {stored}: det är en annan bilaga än den i beslutet.")
    return Verdict(matches and _shown(wb, cell_ref) == stored, stored, computed,
                   expected if quoted is not None else None, tuple(changes), tuple(notes), tuple(findings), follows)


def _place(cell_ref: object) -> tuple[str, str] | None:
    """(sheet, cell) of a reference such as 'Bilaga!B46' (a sheet's name may hold a '!'), or None when
    it names no single cell within Excel's bounds."""
    sheet, _, coord = str(cell_ref).rpartition("!")
    try:
        column, row = coordinate_from_string(coord)
        ok = column_index_from_string(column) <= MAX_COLUMN and 1 <= row <= MAX_ROW
    except (ValueError, CellCoordinatesException):
        return None
    return (sheet, coord) if sheet and ok else None


def _shown(wb: Workbook, cell_ref: str):
    sheet, coord = _place(cell_ref)
    return wb[sheet][coord].value if sheet in wb.sheetnames else None


def _changes(wb: Workbook, cell_ref: str, stored: str, now: list[list], form: int) -> list[str]:
    changes: list[str] = []
    shown_code = _shown(wb, cell_ref)
    if shown_code != stored:
        changes.append(f"{cell_ref}: den visade kontrollsumman är ändrad (är {shown_code or '(tom)'}).")
    kept = _kept(wb)
    if kept is None:
        changes.append("Kontrollbladet saknas eller är ändrat: ändringarna kan inte visas en och en.")
    elif code_of(kept, form) == stored:
        changes += describe(kept, now)
    return changes


def _recomputed(wb: Workbook, props: dict) -> tuple[list[str], bool | None]:
    if not props.get("Kommunkod"):
        return [], None
    return recompute.check(wb, CONTROL_SHEET)


def _kept(wb: Workbook) -> list[list] | None:
    if CONTROL_SHEET not in wb.sheetnames:
        return None
    try:
        return [json.loads(v) for (v,) in wb[CONTROL_SHEET].iter_rows(min_row=2, min_col=1, max_col=1,
                                                                       values_only=True) if v]
    except (ValueError, TypeError):
        return None
