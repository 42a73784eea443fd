"""The add-in's own routes, beside xlwings Server's.

- ``/skr/custom-functions-code.js``: xlwings' custom-functions JavaScript with
  the error-cell conversion appended (``skr_fee.officejs.ERROR_JS``);
- ``/skr/bilaga/{token}/{file}``: download an annex made by "Skapa bilaga";
- ``/skr/kontrollera``: "Kontrollera bilaga", verify an uploaded annex.
"""

import tempfile
from pathlib import Path

from fastapi import APIRouter, HTTPException, UploadFile
from fastapi.responses import FileResponse, Response
from xlwings_server.config import settings
from xlwings_server.routers.xlwings import custom_functions_code

import annex_store
from skr_fee.rules.errors import SkrFeeError
from skr_fee.documents.fingerprint import verify
from skr_fee.excel.officejs import ERROR_JS

router = APIRouter(prefix=f"{settings.app_path}/skr")

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MEDIA = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@router.get("/custom-functions-code.js")
async def skr_custom_functions_code():
    xlwings_js = await custom_functions_code()
    return Response(content=xlwings_js.body.decode() + ERROR_JS, media_type="text/javascript")


@router.get("/bilaga/{token}/{filename}")
async def download_annex(token: str, filename: str):
    path = annex_store.find(token, filename)
    if path is None or path.suffix not in MEDIA:
        raise HTTPException(status_code=404, detail="Bilagan finns inte längre. Skapa den igen.")
    return FileResponse(path, media_type=MEDIA[path.suffix], filename=path.name)


@router.post("/kontrollera")
async def check_annex(fil: UploadFile):
    data = await fil.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail="Filen är större än 20 MB; en bilaga är mycket mindre.")
    if not data:
        raise HTTPException(status_code=400, detail="Filen är tom. Välj bilagans xlsx-fil.")
    name = Path(fil.filename or "bilaga.xlsx").name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bilaga.xlsx"
        path.write_bytes(data)
        try:
            verdict = verify(path)
        except SkrFeeError as e:
            raise HTTPException(status_code=400, detail=e.message.replace(str(path), name)) from None
    return {
        "intakt": verdict.intact,
        "kontrollsumma": verdict.code,
        "beraknat": verdict.computed,
        "andringar": list(verdict.changes),
        "meddelande": verdict.message(name),
    }
