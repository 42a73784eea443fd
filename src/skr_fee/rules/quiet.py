"""Warnings of the libraries go to the log, never to a user's screen.

A municipal economist reads the product's own Swedish lines; a library's
``DeprecationWarning`` in English on stderr (or in a server's response) tells
them nothing and looks like a failure. Each entry point (the CLI, the server
app, the browser's start-up) calls :func:`route_warnings_to_log` once, at start:
as the Python documentation advises for applications, unless the interpreter
was started with ``-W`` or ``PYTHONWARNINGS`` (a developer, or the tests, asking
for warnings: then they are left as asked, ``-W error`` included), warnings are
written to the logger ``skr_fee.warnings`` at debug level instead of stderr.
The loggers of libraries whose failures the product reports itself
(``REPORTED_BY_US``) are set to critical there too, once, not per call.

Pure standard library: the same call runs in CPython and in Pyodide.
"""

from __future__ import annotations

import logging
import sys
import warnings

LOGGER = "skr_fee.warnings"
# libraries whose failures the product reports itself, in Swedish: pyHanko logs every failed search
# for a certificate path with a traceback, in English, which would be a second report of the same
REPORTED_BY_US = ("pyhanko", "pyhanko_certvalidator")


def _to_log(message, category, filename, lineno, file=None, line=None) -> None:
    logging.getLogger(LOGGER).debug("%s:%s: %s: %s", filename, lineno, category.__name__, message)


def route_warnings_to_log() -> None:
    """Once per process, at its entry point (not on a request's path)."""
    for name in REPORTED_BY_US:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if sys.warnoptions:
        return
    warnings.simplefilter("default")  # each warning once per place, and then only to the log
    warnings.showwarning = _to_log
