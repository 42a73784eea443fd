"""What the server accepts, bounded before it is read: request size, content type, time.

``read_bounded`` is used by the server's guard on every POST: a request whose
Content-Length is over the limit is answered 413 before a byte of the body is
read, and one that streams more than the limit is cut off at the limit (the
body is never held whole). Calls from Excel are JSON (``application/json``);
anything else is 415, which also stops a cross-site form or ``text/plain``
POST, the only kind a browser sends without asking the server first (CORS).
"""

from __future__ import annotations

import os

from ..documents.check import MAX_UPLOAD_BYTES

BODY_LIMIT = int(os.environ.get("SKR_FEE_MAX_BODY_BYTES", 5 * 1024 * 1024))  # a call with 10 000 rows is ~300 kB
UPLOAD_LIMIT = MAX_UPLOAD_BYTES  # "Kontrollera bilaga"
UPLOAD_PATH = "/skr/kontrollera"
CALL_TIME_LIMIT_S = float(os.environ.get("SKR_FEE_CALL_TIME_LIMIT_S", 10))
SCRIPT_TIME_LIMIT_S = float(os.environ.get("SKR_FEE_SCRIPT_TIME_LIMIT_S", 90))

# Connections (server/protocol.py, for skr-fee server and the gunicorn worker alike): a request's
# headers must be complete within HEADER_TIMEOUT_S of the connection or of its first byte, its body
# within BODY_TIMEOUT_S of the headers (5 MB at 1.4 Mbit/s), and an unfinished request line or
# header may not grow past MAX_INCOMPLETE_BYTES; an idle kept-alive connection closes after
# KEEP_ALIVE_S. A worker answers a quick 503 to requests beyond MAX_CONNECTIONS open connections.
HEADER_TIMEOUT_S = float(os.environ.get("SKR_FEE_HEADER_TIMEOUT_S", 10))
BODY_TIMEOUT_S = float(os.environ.get("SKR_FEE_BODY_TIMEOUT_S", 30))
MAX_INCOMPLETE_BYTES = 64 * 1024
KEEP_ALIVE_S = 5
MAX_CONNECTIONS = int(os.environ.get("SKR_FEE_MAX_CONNECTIONS", 1000))


class TooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(limit)
        self.message = f"Anropet är större än {limit // (1024 * 1024)} MB och togs inte emot."


def limit_for(path: str) -> int:
    return UPLOAD_LIMIT if path.endswith(UPLOAD_PATH) else BODY_LIMIT


async def read_bounded(request, limit: int) -> bytes:
    """The body, read chunk by chunk and refused at ``limit``: never held whole when too large."""
    length = request.headers.get("content-length", "")
    if length and (not length.isdigit() or int(length) > limit):
        raise TooLarge(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)

