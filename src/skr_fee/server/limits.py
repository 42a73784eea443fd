"""What the server accepts, bounded before it is read: request size, content type, time.

``BodyLimit`` is plain ASGI and sits outside everything else: a request whose
Content-Length is over the limit is answered 413 before a byte of the body is
read, and one that streams more than the limit is cut off at the limit (the
body is never held whole). Calls from Excel are JSON (``application/json``);
anything else is 415, which also stops a cross-site form or ``text/plain``
POST, the only kind a browser sends without asking the server first (CORS).
"""

from __future__ import annotations

import json
import os

BODY_LIMIT = int(os.environ.get("SKR_FEE_MAX_BODY_BYTES", 5 * 1024 * 1024))  # a call with 10 000 rows is ~300 kB
UPLOAD_LIMIT = 20 * 1024 * 1024  # "Kontrollera bilaga": an annex is about 20 kB
UPLOAD_PATH = "/skr/kontrollera"
CALL_TIME_LIMIT_S = float(os.environ.get("SKR_FEE_CALL_TIME_LIMIT_S", 10))
SCRIPT_TIME_LIMIT_S = float(os.environ.get("SKR_FEE_SCRIPT_TIME_LIMIT_S", 90))


class _TooLarge(Exception):
    pass


async def _answer(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _too_large_message(limit: int) -> str:
    return f"Anropet är större än {limit // (1024 * 1024)} MB och togs inte emot."


class BodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = UPLOAD_LIMIT if scope["path"].endswith(UPLOAD_PATH) else BODY_LIMIT
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length and (not length.isdigit() or int(length) > limit):
            return await _answer(send, 413, _too_large_message(limit))
        received = 0
        started = False

        async def limited():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracking(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except _TooLarge:
            if not started:
                await _answer(send, 413, _too_large_message(limit))
