"""uvicorn's HTTP/1.1 protocol (h11) with the deadlines it lacks (issue 25).

uvicorn closes an idle kept-alive connection, but holds a connection that sends nothing, sends
its headers a byte at a time or its body a byte a second, for as long as the client likes: 520
such connections once made every normal call answer 503. Here each connection has one deadline
at a time, set by what the client owes next:

- the headers of a request: ``HEADER_TIMEOUT_S`` from the connection, or from the first byte of
  a next request on a kept-alive connection;
- its body: ``BODY_TIMEOUT_S`` from the end of the headers.

A client that misses its deadline is let go: one log line (no address: a municipality's logs keep
no personal data), a 408 where no response has started, and the connection closed. Between
requests uvicorn's own keep-alive timer applies. The incomplete request line and headers are
bounded by ``h11_max_incomplete_event_size`` (limits.MAX_INCOMPLETE_BYTES).
"""

from __future__ import annotations

import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from .limits import BODY_TIMEOUT_S, HEADER_TIMEOUT_S, KEEP_ALIVE_S, MAX_CONNECTIONS, MAX_INCOMPLETE_BYTES

logger = logging.getLogger("skr_fee.server")
TIMEOUT_408 = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
               b"connection: close\r\ncontent-length: 33\r\n\r\n" + "Anropet kom inte fram i tid.\n".encode())


class BoundedH11Protocol(H11Protocol):
    _deadline = None
    _owed = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._expect("headers", HEADER_TIMEOUT_S)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def connection_lost(self, exc) -> None:
        self._cancel()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self._cancel()  # between requests: uvicorn's keep-alive timer
        super().on_response_complete()

    def _follow(self) -> None:
        state = self.conn.their_state
        if state is h11.IDLE and self.conn.trailing_data[0]:
            self._expect("headers", HEADER_TIMEOUT_S)  # part of a request line or header has come
        elif state is h11.SEND_BODY:
            self._expect("body", BODY_TIMEOUT_S)
        elif state is not h11.IDLE:
            self._cancel()  # the request is in: the app's own time limits apply

    def _expect(self, what: str, seconds: float) -> None:
        if self._owed == what:
            return
        self._cancel()
        self._owed = what
        self._deadline = self.loop.call_later(seconds, self._too_slow, what, seconds)

    def _cancel(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self._owed = None

    def _too_slow(self, what: str, seconds: float) -> None:
        self._deadline = self._owed = None
        if self.transport.is_closing():
            return
        logger.warning("anslutning stängd: %s kom inte inom %g s", "huvudet" if what == "headers" else "innehållet",
                       seconds)
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(TIMEOUT_408)
        if self.cycle is not None:
            self.cycle.keep_alive = False
        self.transport.close()


def uvicorn_settings() -> dict:
    """The settings of uvicorn's Config that bound a connection, for both ways of running it."""
    return {"http": BoundedH11Protocol, "h11_max_incomplete_event_size": MAX_INCOMPLETE_BYTES,
            "timeout_keep_alive": KEEP_ALIVE_S, "limit_concurrency": MAX_CONNECTIONS,
            "log_config": None, "access_log": False, "server_header": False}
