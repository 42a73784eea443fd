"""Sign-in before work (issue 25): where the server requires sign-in (xlwings Server's
``XLWINGS_AUTH_PROVIDERS``, e.g. Entra ID), a POST without a valid token is refused with 401
before a byte of its body is read, and before any check or computation.

The token is checked by xlwings Server's own ``authenticate`` (the same function its routes
depend on, which caches a checked token for an hour, so the route's own check costs nothing).
Checking an Entra ID token needs Microsoft's signing keys (``login.microsoftonline.com``, fetched
once a day): when they cannot be fetched, the answer is 503 with a Swedish line saying so, not a
message about the values in the sheet.
"""

from __future__ import annotations

import logging

import anyio
import httpx
from fastapi import HTTPException
from fastapi.responses import JSONResponse
from xlwings_server.config import settings
from xlwings_server.dependencies import authenticate

logger = logging.getLogger("skr_fee.server")
SIGNIN_TIME_LIMIT_S = 15
NOT_SIGNED_IN = "Du är inte inloggad, eller inloggningen har gått ut: logga in i Excel med ditt arbetskonto och försök igen."
IDP_DOWN = ("Inloggningstjänsten svarar inte (Microsofts inloggning kunde inte nås från servern), så anropet "
            "kunde inte kontrolleras. Försök igen om en stund; kvarstår felet, kontakta IT.")


def _answer(status: int, detail: str, why: str) -> JSONResponse:
    logger.info("avvisat %s: %s", status, why)
    return JSONResponse({"detail": detail}, status_code=status, headers={"connection": "close"})


async def refused_before_signin(request) -> JSONResponse | None:
    """None when the request may go on (signed in, or no sign-in configured); else the answer."""
    if not settings.auth_providers:
        return None
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer ") or len(header) > 16_384:
        return _answer(401, NOT_SIGNED_IN, "ingen token")
    try:
        with anyio.fail_after(SIGNIN_TIME_LIMIT_S):
            await authenticate(token_string=header, auth_provider=request.headers.get("auth-provider"))
    except HTTPException as e:
        if e.status_code == 401:
            return _answer(401, NOT_SIGNED_IN, "ogiltig token")
        return _answer(e.status_code, "Inloggningen kunde inte kontrolleras: servern är fel inställd. Kontakta IT.",
                       f"inloggning {e.status_code}")
    except (httpx.HTTPError, OSError, TimeoutError, ValueError, KeyError):
        # Microsoft's keys could not be fetched or read (no route, DNS, timeout, a proxy's error page)
        return _answer(503, IDP_DOWN, "inloggningstjänsten nås inte")
    return None
