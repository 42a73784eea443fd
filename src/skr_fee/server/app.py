"""The ASGI app of the Office.js add-in: xlwings Server, guarded.

Import string ``skr_fee.server.app:main_app`` (uvicorn, gunicorn). Before
xlwings Server sees a call, the payload is checked (``officejs.check_*``): a
malformed call is answered with a 4xx and a Swedish message, never with a 500.
"""

from __future__ import annotations

import json
import logging
import secrets

from ..rules.quiet import route_warnings_to_log
from .logs import REQUEST_ID, configure_logging
from .run import configure

route_warnings_to_log()  # gunicorn imports this module without the CLI's entry point
configure_logging()
configure()  # xlwings Server reads its project folder and licence when imported

from fastapi import Request  # noqa: E402
from fastapi.responses import JSONResponse, Response  # noqa: E402
from starlette.requests import ClientDisconnect  # noqa: E402
from xlwings_server.config import settings  # noqa: E402
from xlwings_server.main import app, main_app  # noqa: E402,F401

from ..excel.functions import BY_NAME  # noqa: E402
from ..excel.officejs import BadCall, as_cells, check_function_call, check_script_call, oversized  # noqa: E402
from .limits import TooLarge, limit_for, read_bounded  # noqa: E402
from .health import router as health_router  # noqa: E402
from .signin import refused_before_signin  # noqa: E402

logger = logging.getLogger("skr_fee.server")
import custom_scripts  # noqa: E402  (the project's scripts, on the path xlwings Server set up)

# the scripts the add-in has: those its module marks with xlwings' @script
SCRIPTS = {name for name in dir(custom_scripts) if getattr(getattr(custom_scripts, name), "__xlscript__", None)}
FUNCTIONS_PATH = "/xlwings/custom-functions-call"
SCRIPTS_PATH = "/xlwings/custom-scripts-call/"


def _is_call(path: str) -> bool:
    return path.endswith(FUNCTIONS_PATH) or SCRIPTS_PATH in path


def _refuse(status: int, detail: str, why: str) -> JSONResponse:
    """One log line per refused request (what, not who), and the user's Swedish line."""
    logger.info("avvisat %s: %s", status, why)
    return JSONResponse({"detail": detail}, status_code=status)


@app.middleware("http")
async def check_calls(request: Request, call_next):
    """Every request gets an id (on each of its log lines and in its error messages); a POST is
    signed in (when the server requires it), then its body read within its bounds, then checked,
    before xlwings Server sees it."""
    token = REQUEST_ID.set(secrets.token_hex(6))
    try:
        if request.method == "POST":
            refused = await _checked(request)
            if refused is not None:
                return refused
        return await call_next(request)
    except ClientDisconnect:  # the client went away: nothing to answer, one line, no traceback
        logger.info("klienten avbröt anropet innan det var läst")
        return Response(status_code=400)
    except Exception as exc:  # answered here: re-raised, it would also drop the client's connection
        return await _unexpected(request, exc)
    finally:
        REQUEST_ID.reset(token)


async def _checked(request: Request):
    path = request.url.path
    call = _is_call(path)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if call and kind != "application/json":
        return _refuse(415, "Anropet ska vara JSON (Content-Type: application/json), som Excel skickar det.",
                       "inte JSON")
    refused = await refused_before_signin(request)  # before a byte of the body is read
    if refused is not None:
        return refused
    try:
        request._body = await read_bounded(request, limit_for(path))  # replayed to what follows
    except TooLarge as e:
        return _refuse(413, e.message, "för stort")
    if not call:
        return None
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
        return _refuse(e.status, e.message, "felaktigt anrop")
    return None


async def _unexpected(request: Request, exc: Exception):
    """A call that got past the checks and still failed: logged here with the request's id; the
    client gets the id and one Swedish line, never the exception."""
    request_id = REQUEST_ID.get()
    if request_id == "-":
        request_id = secrets.token_hex(6)
    logger.error("anropet till %s misslyckades", request.url.path, exc_info=exc)
    if _is_call(request.url.path):
        return JSONResponse({"detail": f"Anropet kunde inte behandlas: kontrollera värdena i bladet "
                                       f"(ärende {request_id})."}, status_code=400)
    return JSONResponse({"detail": f"Ett fel uppstod i servern (ärende {request_id})."}, status_code=500)


app.add_exception_handler(Exception, _unexpected)
app.include_router(health_router(settings.app_path))
