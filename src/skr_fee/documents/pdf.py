"""PDF/A of a workbook through LibreOffice headless, for the decision document."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..rules.errors import SkrFeeError

# PDF/A-2b (SelectPdfVersion 2), as LibreOffice's JSON filter options write it; a Word document
# (the annex) also tagged for PDF/UA-1, with its title shown instead of the file name.
_ACCESSIBLE = ('"UseTaggedPDF":{"type":"boolean","value":"true"},"PDFUACompliance":{"type":"boolean","value":"true"},'
               '"DisplayPDFDocumentTitle":{"type":"boolean","value":"true"},')
FILTERS = {
    ".xlsx": 'pdf:calc_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}',
    ".docx": 'pdf:writer_pdf_Export:{' + _ACCESSIBLE + '"SelectPdfVersion":{"type":"long","value":"2"}}',
}
TIMEOUT_S = 60
QUEUE_WAIT_S = 60


def _wait_for(lock) -> None:
    deadline = time.monotonic() + QUEUE_WAIT_S
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise SkrFeeError(f"PDF-tjänsten är upptagen sedan {QUEUE_WAIT_S} s; ingen PDF skapades. "
                                  "Försök igen om en stund.") from None
            time.sleep(0.1)


def soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise SkrFeeError(
        "LibreOffice saknas, så ingen PDF kan skapas. Installera det (Debian/Ubuntu: "
        "apt-get install libreoffice-writer-nogui libreoffice-calc-nogui) eller skapa bilagan utan --pdf."
    )


def _profile() -> Path:
    """A LibreOffice profile of our own, kept between runs (its first start is slow)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "skr-fee"
    base.mkdir(parents=True, exist_ok=True)
    return base / "libreoffice-profile"


def convert_to_pdf(xlsx: str | Path, pdf: str | Path) -> None:
    """Convert ``xlsx`` (or a .docx) to PDF/A at ``pdf``; raise SkrFeeError if LibreOffice fails."""
    binary = soffice()
    profile = _profile()
    lock_path = profile.with_suffix(".lock")
    with tempfile.TemporaryDirectory(prefix="skr-fee-pdf-") as out, open(lock_path, "w") as lock:
        # one LibreOffice at a time per profile (two would fight over it), waiting a bounded time
        _wait_for(lock)
        src = Path(out) / ("bilaga" + Path(xlsx).suffix.lower())
        shutil.copyfile(xlsx, src)
        try:
            proc = subprocess.run(
                [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                 "--convert-to", FILTERS[src.suffix], "--outdir", out, str(src)],
                capture_output=True, text=True, timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            raise SkrFeeError(f"LibreOffice svarade inte inom {TIMEOUT_S} s; ingen PDF skapades.") from None
        produced = Path(out) / "bilaga.pdf"
        if proc.returncode != 0 or not produced.exists() or produced.stat().st_size == 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["okänt fel"]
            raise SkrFeeError(f"LibreOffice kunde inte skapa PDF:en ({detail[0]}).")
        shutil.copyfile(produced, pdf)
