"""'Kontrollera bilaga' for a file a user has chosen: the server's upload and the browser's
task pane (Pyodide) give the same answer from the same code.

``check_upload`` takes the file's bytes and the name the user sees; it verifies the annex
(``fingerprint.verify``) in a private temporary folder that is removed at once, and answers
with what the task pane shows. A file that cannot be an annex raises ``SkrFeeError`` with a
Swedish message naming the file, never the temporary path.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..rules.errors import SkrFeeError
from .fingerprint import verify

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # an annex is about 20 kB


def shown_name(name: str | None) -> str:
    """The file's own name as the user chose it, printable and short, never a path."""
    shown = "".join(ch for ch in Path(name or "").name if ch.isprintable())[:200].strip()
    return "bilaga.xlsx" if shown.strip(".") == "" else shown


def refusal(size: int, name: str | None) -> str | None:
    """Why a file of this size is refused before it is read, or None: the server's upload and the
    browser's task pane (which asks before it reads the file into the page) use the same bound."""
    if size > MAX_UPLOAD_BYTES:
        return f"{shown_name(name)} är större än 20 MB; en bilaga är mycket mindre."
    if size == 0:
        return f"{shown_name(name)} är tom. Välj bilagans xlsx-fil."
    return None


def check_upload(data: bytes, name: str | None) -> dict:
    shown = shown_name(name)
    refused = refusal(len(data), name)
    if refused:
        raise SkrFeeError(refused)
    with tempfile.TemporaryDirectory(prefix="skr-fee-kontroll-") as folder:
        os.chmod(folder, 0o700)
        path = Path(folder) / shown  # so that every message names the file as the user chose it
        path.write_bytes(data)
        try:
            verdict = verify(path)
        except SkrFeeError as e:
            raise SkrFeeError(e.message.replace(str(path), shown)) from None
    return {
        "intakt": verdict.intact,
        "kontrollsumma": verdict.code,
        "beraknat": verdict.computed,
        "andringar": list(verdict.changes),
        "meddelande": verdict.message(shown),
    }


def check_upload_json(data, name: str | None) -> str:
    """For the browser: the answer as JSON, or ``{"detail": message}`` for a file that is not an annex."""
    try:
        data = data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)  # a JavaScript Uint8Array
        return json.dumps(check_upload(data, name), ensure_ascii=False)
    except SkrFeeError as e:
        return json.dumps({"detail": e.message}, ensure_ascii=False)
