"""The ASGI app of the Office.js add-in: xlwings Server, guarded.

Import string ``skr_fee.server_app:main_app`` (uvicorn, gunicorn). Before
xlwings Server sees a call, the payload is checked (``officejs.check_*``): a
malformed call is answered with a 4xx and a Swedish message, never with a 500.
"""

from __future__ import annotations

import json
import logging
import secrets

from ..rules.quiet import route_warnings_to_log
from .run import configure

route_warnings_to_log()  # gunicorn imports this module without the CLI's entry point
configure()  # xlwings Server reads its project folder and licence when imported

from fastapi import Request  # noqa: E402
from fastapi.responses import JSONResponse  # noqa: E402
from xlwings_server.main import app, main_app  # noqa: E402,F401

from ..excel.functions import BY_NAME  # noqa: E402
from ..excel.officejs import BadCall, as_cells, check_function_call, check_script_call, oversized  # noqa: E402
from .limits import TooLarge, limit_for, read_bounded  # noqa: E402

logger = logging.getLogger("skr_fee.server")
import custom_scripts  # noqa: E402  (the project's scripts, on the path xlwings Server set up)

# the scripts the add-in has: those its module marks with xlwings' @script
SCRIPTS = {name for name in dir(custom_scripts) if getattr(getattr(custom_scripts, name), "__xlscript__", None)}
FUNCTIONS_PATH = "/xlwings/custom-functions-call"
SCRIPTS_PATH = "/xlwings/custom-scripts-call/"


def _is_call(path: str) -> bool:
    return path.endswith(FUNCTIONS_PATH) or SCRIPTS_PATH in path


@app.middleware("http")
async def check_calls(request: Request, call_next):
    path = request.url.path
    if request.method == "POST":
        call = _is_call(path)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if call and kind != "application/json":
            return JSONResponse({"detail": "Anropet ska vara JSON (Content-Type: application/json), som Excel "
                                           "skickar det."}, status_code=415)
        try:
            request._body = await read_bounded(request, limit_for(path))  # replayed to what follows
        except TooLarge as e:
            return JSONResponse({"detail": e.message}, status_code=413)
        if call:
            try:
                try:
                    data = json.loads(request._body or b"null")
                except (ValueError, UnicodeDecodeError):
                    raise BadCall(400, "Anropet är inte giltig JSON.") from None
                if path.endswith(FUNCTIONS_PATH):
                    check_function_call(data, BY_NAME)
                    too_big = oversized(data["args"])
                    if too_big:  # answered here, before xlwings converts a huge range in the event loop
                        return JSONResponse({"result": [[as_cells(too_big)]]})
                else:
                    check_script_call(path.rsplit("/", 1)[-1], data, SCRIPTS)
            except BadCall as e:
                return JSONResponse({"detail": e.message}, status_code=e.status)
    try:
        return await call_next(request)
    except Exception as exc:  # answered here: re-raised, it would also drop the client's connection
        return await _unexpected(request, exc)


async def _unexpected(request: Request, exc: Exception):
    """A call that got past the checks and still failed: logged here with a request id; the
    client gets the id and one Swedish line, never the exception."""
    request_id = secrets.token_hex(6)
    logger.error("request %s to %s failed", request_id, request.url.path, exc_info=exc)
    if _is_call(request.url.path):
        return JSONResponse({"detail": f"Anropet kunde inte behandlas: kontrollera värdena i bladet "
                                       f"(ärende {request_id})."}, status_code=400)
    return JSONResponse({"detail": f"Ett fel uppstod i servern (ärende {request_id})."}, status_code=500)


app.add_exception_handler(Exception, _unexpected)
