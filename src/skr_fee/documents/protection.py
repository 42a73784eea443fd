"""Locking workbooks the way Excel does it: SHA-512 password hashes (ECMA-376 agile).

openpyxl's own ``password=`` writes the legacy 16-bit hash, which anyone can
reverse in a moment; here the sheets and the workbook structure get
``algorithmName="SHA-512"`` with a random salt and 100 000 spins, as Excel
2013 and later write them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets

from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.workbook.workbook import Workbook

ALGORITHM = "SHA-512"
SPIN_COUNT = 100_000
_WORDS_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def password_hash(password: str, salt: bytes, spin_count: int = SPIN_COUNT) -> bytes:
    """H0 = SHA-512(salt + password as UTF-16LE); Hn = SHA-512(Hn-1 + n as 4-byte LE)."""
    digest = hashlib.sha512(salt + password.encode("utf-16-le")).digest()
    for i in range(spin_count):
        digest = hashlib.sha512(digest + i.to_bytes(4, "little")).digest()
    return digest


def generate_password() -> str:
    """A password to print once: four groups of four, easy to read aloud."""
    chars = "".join(secrets.choice(_WORDS_ALPHABET) for _ in range(16))
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def _hashed(password: str) -> tuple[str, str]:
    salt = os.urandom(16)
    digest = password_hash(password, salt)
    return base64.b64encode(salt).decode(), base64.b64encode(digest).decode()


def lock(wb: Workbook, password: str) -> None:
    """Protect every sheet and the workbook structure with ``password``.

    The hash is computed once and shared: 100 000 spins take a noticeable
    fraction of a second, and every sheet uses the same password anyway.
    """
    salt, digest = _hashed(password)
    for ws in wb.worksheets:
        p = ws.protection
        p.sheet = True
        p.algorithmName = ALGORITHM
        p.saltValue = salt
        p.hashValue = digest
        p.spinCount = SPIN_COUNT
        # a reader may still select and copy, but not change
        p.selectLockedCells = False
        p.selectUnlockedCells = False
        p.formatCells = p.formatColumns = p.formatRows = True
        p.insertRows = p.insertColumns = p.deleteRows = p.deleteColumns = True
        p.sort = p.autoFilter = True
    wb.security = WorkbookProtection(
        lockStructure=True,
        workbookAlgorithmName=ALGORITHM,
        workbookSaltValue=salt,
        workbookHashValue=digest,
        workbookSpinCount=SPIN_COUNT,
    )
