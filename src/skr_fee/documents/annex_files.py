"""Writing an annex's files: the locked xlsx, its Word version, the draft text, the (signed) PDF.

All or nothing: each file is written to a temporary name beside its target and
all are moved into place together, or, on any error, none, the files that were
there put back (data/atomic.py, atomic_files). An existing annex with another
check code is not replaced unless asked (``replace``, the CLI's --ersätt).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..data.atomic import atomic_files
from ..rules.errors import InvalidArgument
from ..rules.fees import Fee, FeeTable
from ..rules.keys import Key
from ..rules.split import Allocation
from .annex import build_annex
from .canonical import CONTROL_SHEET
from .sealing import Sealed, seal


@dataclass(frozen=True)
class AnnexResult:
    xlsx: Path
    pdf: Path | None
    sealed: Sealed
    allocation: Allocation
    fee: Fee
    workbook: Workbook  # the sealed workbook as written, for shells that show it
    docx: Path | None = None
    draft: Path | None = None

    @property
    def password(self) -> str:
        return self.sealed.password

    @property
    def password_generated(self) -> bool:
        return self.sealed.password_generated

    @property
    def fingerprint(self) -> str:
        return self.sealed.fingerprint


def write_annex(table: FeeTable, fee: Fee, key: Key, xlsx: str | Path, *, pdf: bool = False,
                password: str | None = None, basis: str | None = None, unit: int = 1,
                signer=None, docx: bool = False, draft: bool = False, replace: bool = False) -> AnnexResult:
    """Write the locked annex; with ``docx`` its Word version (FIL.docx), with ``draft`` a draft of
    the decision text (FIL_utkast.docx), with ``pdf`` its PDF (made from the Word version: tagged,
    PDF/UA and PDF/A), signed with ``signer`` if given. All or nothing."""
    xlsx = Path(xlsx)
    if xlsx.suffix.lower() != ".xlsx":
        raise InvalidArgument(f"Bilagan skrivs som .xlsx: ange ett filnamn som slutar på .xlsx, inte '{xlsx.name}'.")
    annex = build_annex(table, fee, key, basis, unit)
    sealed = seal(annex.workbook, annex.fingerprint_cell, password, annex.properties, annex.generated)
    from .recompute import INPUTS_CELL

    annex.workbook[CONTROL_SHEET][INPUTS_CELL] = annex.inputs
    annex.workbook[CONTROL_SHEET][INPUTS_CELL].data_type = "s"
    basis = basis or key.basis
    word = None
    if docx or pdf:
        from .annex_docx import build_docx

        word = build_docx(table, fee, key, annex.allocation, sealed.fingerprint, basis, unit, annex.generated)
    paths = {"xlsx": xlsx, "docx": xlsx.with_suffix(".docx") if docx else None,
             "draft": xlsx.with_name(xlsx.stem + "_utkast.docx") if draft else None,
             "pdf": xlsx.with_suffix(".pdf") if pdf else None}
    writers = {"xlsx": annex.workbook.save, "docx": lambda p: word.save(p),
               "draft": lambda p: _draft(table, fee, key, annex, sealed, basis).save(p),
               "pdf": lambda p: _pdf(word, p, signer, fee, sealed)}
    wanted = [kind for kind, target in paths.items() if target is not None]
    if not replace:
        _refuse_another_annex(xlsx, [paths[k] for k in wanted], sealed.fingerprint)
    with atomic_files([paths[k] for k in wanted]) as staged:  # all moved into place together, or none
        for kind, tmp in zip(wanted, staged):
            writers[kind](tmp)
    return AnnexResult(xlsx, paths["pdf"], sealed, annex.allocation, fee, annex.workbook, paths["docx"],
                       paths["draft"])


def _refuse_another_annex(xlsx: Path, targets: list[Path], code: str) -> None:
    """An annex already at ``xlsx`` (or any file of the set) is not silently replaced by another:
    the same annex again (the same check code) is fine, anything else needs ``replace``."""
    existing = [t for t in targets if t.is_file()]  # a folder in the way: atomic_files says so
    if not existing:
        return
    from .fingerprint import stamped_code

    if xlsx.is_file() and stamped_code(xlsx) == code:
        return
    names = ", ".join(t.name for t in existing)
    raise InvalidArgument(f"{names} finns redan och hör till en annan bilaga (eller är ingen bilaga från skr-fee). Ange --ersätt för att "
                          "ersätta filerna, eller ett annat filnamn med -o.")


def _draft(table, fee, key, annex, sealed, basis):
    from .annex_docx import build_draft

    return build_draft(table, fee, key, annex.allocation, sealed.fingerprint, basis, annex.generated)


def _pdf(word, target: Path, signer, fee, sealed) -> None:
    from .pdf import convert_to_pdf

    with tempfile.TemporaryDirectory(prefix="skr-fee-docx-") as folder:
        source = Path(folder) / "bilaga.docx"
        word.save(source)
        convert_to_pdf(source, target)
    if signer is not None:
        from . import signing

        signing.sign(target, target, signer, reason=f"Bilaga till beslut om SKR-avgiften {fee.year}, "
                     f"kontrollsumma {sealed.fingerprint}", location=fee.municipality.name)
