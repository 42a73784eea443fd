"""The ASGI app of the Office.js add-in: xlwings Server, guarded.

Import string ``skr_fee.server_app:main_app`` (uvicorn, gunicorn). Before
xlwings Server sees a call, the payload is checked (``officejs.check_*``): a
malformed call is answered with a 4xx and a Swedish message, never with a 500.
"""

from __future__ import annotations

import json
import logging

from .run import configure

configure()  # xlwings Server reads its project folder and licence when imported

from fastapi import Request  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402
from xlwings_server.main import app, main_app  # noqa: E402,F401

from ..excel.functions import BY_NAME  # noqa: E402
from ..excel.officejs import BadCall, check_function_call, check_script_call  # noqa: E402

logger = logging.getLogger("skr_fee.server")
SCRIPTS = {"skapa_bilaga", "infoga_avgiftsmall"}
FUNCTIONS_PATH = "/xlwings/custom-functions-call"
SCRIPTS_PATH = "/xlwings/custom-scripts-call/"


def _is_call(path: str) -> bool:
    return path.endswith(FUNCTIONS_PATH) or SCRIPTS_PATH in path


@app.middleware("http")
async def check_calls(request: Request, call_next):
    path = request.url.path
    if request.method == "POST" and _is_call(path):
        try:
            try:
                data = json.loads(await request.body() or b"null")
            except (ValueError, UnicodeDecodeError):
                raise BadCall(400, "Anropet är inte giltig JSON.") from None
            if path.endswith(FUNCTIONS_PATH):
                check_function_call(data, BY_NAME)
            else:
                check_script_call(path.rsplit("/", 1)[-1], data, SCRIPTS)
        except BadCall as e:
            return JSONResponse({"detail": e.message}, status_code=e.status)
    return await call_next(request)


async def _unexpected(request: Request, exc: Exception):
    """A call that got past the checks and still failed: the payload, not the server."""
    logger.exception("call failed: %s", request.url.path, exc_info=exc)
    if _is_call(request.url.path):
        return JSONResponse({"detail": "Anropet kunde inte behandlas: kontrollera värdena i bladet."},
                            status_code=400)
    return JSONResponse({"detail": "Ett fel uppstod i servern."}, status_code=500)


app.add_exception_handler(Exception, _unexpected)
