"""The add-in's own routes, beside xlwings Server's.

- ``/skr/custom-functions-code.js``: xlwings' custom-functions JavaScript with
  the error-cell conversion appended (``skr_fee.excel.officejs.ERROR_JS``);
- ``/skr/kontrollera``: "Kontrollera bilaga", verify an uploaded annex.
"""

import anyio
from fastapi import APIRouter, HTTPException, UploadFile
from fastapi.responses import Response
from xlwings_server import dependencies as dep
from xlwings_server.config import settings
from xlwings_server.routers.xlwings import custom_functions_code
from xlwings_server.templates import env

from skr_fee import __version__

from skr_fee.rules.errors import SkrFeeError
from skr_fee.documents.check import MAX_UPLOAD_BYTES, check_upload, refusal
from skr_fee.excel.officejs import ERROR_JS

router = APIRouter(prefix=f"{settings.app_path}/skr")
# the manifest's <Version> is the product's, in Office's four numbers: Office caches an add-in by
# its version, so an update reaches the users only when it changes (this module is imported by the
# server and by make addin's build alike)
env.globals["addin_version"] = ".".join((__version__.split(".") + ["0", "0", "0"])[:4])


@router.get("/custom-functions-code.js")
async def skr_custom_functions_code():  # code only, fetched by Excel before any sign-in
    xlwings_js = await custom_functions_code()
    return Response(content=xlwings_js.body.decode() + ERROR_JS, media_type="text/javascript")


@router.post("/kontrollera")
async def check_annex(fil: UploadFile, _signed_in: dep.User):  # signed in, or refused by the dependency
    data = await fil.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail=refusal(len(data), fil.filename))
    try:
        return await anyio.to_thread.run_sync(check_upload, data, fil.filename)  # off the event loop
    except SkrFeeError as e:
        raise HTTPException(status_code=400, detail=e.message) from None
