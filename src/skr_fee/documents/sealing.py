"""Sealing a finished workbook: document properties, fingerprint, then the lock.

Shared by the annex and SKR's national table, so both carry the same
properties, the same check code (kontrollsumma) and the same SHA-512 protection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.workbook import Workbook

from .. import __version__
from . import fingerprint, protection, workbooks
from ..rules.errors import InvalidArgument


@dataclass(frozen=True)
class Sealed:
    password: str
    password_generated: bool
    fingerprint: str  # the check code (kontrollsumma)


def seal(wb: Workbook, fingerprint_cell: str, password: str | None,
         properties: dict[str, str], generated: datetime | None = None) -> Sealed:
    """Write the properties, lock, stamp the check code into ``fingerprint_cell``.

    The order matters: the code covers the finished, locked content. Without
    ``password`` one is generated (print it once).
    """
    if password is not None and not password.strip():
        raise InvalidArgument("Lösenordet är tomt. Ange ett lösenord eller utelämna --lösenord så skapas ett.")
    generated = generated or datetime.now().replace(microsecond=0)
    wb.properties.creator = f"skr-avgift {__version__}"
    wb.properties.lastModifiedBy = f"skr-avgift {__version__}"
    merged = {**properties, "Skapad": generated.isoformat(), "Produktversion": __version__}
    for name, value in merged.items():
        wb.custom_doc_props.append(StringProperty(name=name, value=str(value)))
    workbooks.as_data(wb)  # no formula, link or hyperlink from what a user typed
    chosen = password or protection.generate_password()
    protection.lock(wb, chosen)  # first: the protection itself is part of what the code covers
    code = fingerprint.stamp(wb, fingerprint_cell)
    return Sealed(chosen, password is None, code)
