"""Is this server ready to make an annex? (issue 25)

The annex PDF comes from the Word annex through LibreOffice Writer; a server with Calc only, or
without LibreOffice, would fail at the first economist's *Skapa bilaga*. :func:`pdf_ready` really
converts a one-paragraph Word document with the LibreOffice the server uses (documents/pdf.py, the
same function, profile and lock as an annex). ``skr-fee server --kontrollera`` runs it and exits 0
or 1 (the Containerfile runs it before starting and as its HEALTHCHECK); ``GET /health`` answers
200 or 503 with the same sentence, for a load balancer.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import anyio
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..documents.pdf import convert_to_pdf
from ..rules import swedish
from ..rules.errors import SkrFeeError


def pdf_ready() -> tuple[bool, str]:
    """(ready, a Swedish sentence saying so or why not)."""
    from docx import Document

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="skr-fee-kontroll-") as folder:
        source, target = Path(folder) / "kontroll.docx", Path(folder) / "kontroll.pdf"
        document = Document()
        document.add_paragraph("Kontroll av PDF-tjänsten för SKR-avgiftens bilaga.")
        document.save(source)
        try:
            convert_to_pdf(source, target)
        except SkrFeeError as e:
            return False, f"Servern kan inte skapa bilagans PDF: {e.message}"
        if target.read_bytes()[:5] != b"%PDF-":
            return False, "Servern kan inte skapa bilagans PDF: LibreOffice gav ingen PDF."
    return True, f"Servern är redo: LibreOffice Writer gjorde en PDF på {swedish.number(time.monotonic() - started, 1)} s."


def router(app_path: str) -> APIRouter:
    routes = APIRouter()

    @routes.get(f"{app_path}/health")
    async def health():
        ready, sentence = await anyio.to_thread.run_sync(pdf_ready)
        return JSONResponse({"redo": ready, "status": sentence}, status_code=200 if ready else 503)

    return routes
