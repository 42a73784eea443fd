"""The server's log, fit for a municipality (issue 25).

- every line carries the request's id (``[a1b2c3d4e5f6]``, ``[-]`` outside a request), the same
  id the user is shown in an error message, so IT can find the line without personal data;
- no personal data and no tokens: no client addresses or user names (uvicorn's access log is
  off; xlwings Server's own loggers, which log the user's name at INFO and the whole token at
  DEBUG, are kept at WARNING), and anything that looks like a bearer token or a JWT is replaced
  by ``[token]`` whatever logger writes it;
- bounded volume: at most ``BURST`` lines at once and ``PER_SECOND`` lines a second after that;
  what is left out is counted and said on the next line that is written.

One call, :func:`configure_logging`, at the app's import (``skr-fee server`` and gunicorn's
workers both import it): logging is set up once per process, never on a request's path.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import threading
import time

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("skr_fee_request_id", default="-")
FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
BURST = 200
PER_SECOND = 20.0
TOKEN = re.compile(r"(?i)(bearer\s+)\S+|eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
QUIET_LOGGERS = ("xlwings_server", "xlwings", "httpx", "httpcore", "uvicorn.access", "pyhanko", "multipart")
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "gunicorn.error")


def _redact(text: str) -> str:
    return TOKEN.sub(lambda m: f"{m.group(1)}[token]" if m.group(1) else "[token]", text)


class Bounded(logging.Filter):
    """Request id, redaction and the volume bound, on the one handler every server line passes."""

    def __init__(self, burst: int = BURST, per_second: float = PER_SECOND, clock=time.monotonic):
        super().__init__()
        self.capacity, self.rate, self.clock = burst, per_second, clock
        self.tokens, self.last, self.dropped = float(burst), clock(), 0
        self.lock = threading.Lock()

    def _admit(self) -> int | None:
        """None if this line is left out, else how many were left out before it."""
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens < 1:
                self.dropped += 1
                return None
            self.tokens -= 1
            dropped, self.dropped = self.dropped, 0
            return dropped

    def filter(self, record: logging.LogRecord) -> bool:
        dropped = self._admit()
        if dropped is None:
            return False
        record.request_id = REQUEST_ID.get()
        message = _redact(record.getMessage())
        if record.exc_info and record.exc_info[1] is not None:
            message += " | " + _redact(f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}")
        if dropped:
            message = f"({dropped} rader utelämnade) {message}"
        record.msg, record.args = message, None
        return True


class _NoTokenFormatter(logging.Formatter):
    def formatException(self, ei) -> str:  # a traceback's frames can quote a token too
        return _redact(super().formatException(ei))


def configure_logging(stream=None) -> logging.Handler:
    """Once per process: one handler on the root logger (stderr), the server's loggers sent to it."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_NoTokenFormatter(FORMAT))
    handler.addFilter(Bounded())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("skr_fee").setLevel(logging.INFO)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in SERVER_LOGGERS:  # gunicorn's worker gives uvicorn's loggers handlers of its own
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate = [], True
    return handler
