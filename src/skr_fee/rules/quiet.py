"""Warnings of the libraries go to the log, never to a user's screen.

A municipal economist reads the product's own Swedish lines; a library's
``DeprecationWarning`` in English on stderr (or in a server's response) tells
them nothing and looks like a failure. Each entry point (the CLI, the server
app, the browser's start-up) calls :func:`route_warnings_to_log` once, at start:
as the Python documentation advises for applications, unless the interpreter
was started with ``-W`` or ``PYTHONWARNINGS`` (a developer, or the tests, asking
for warnings: then they are left as asked, ``-W error`` included), warnings are
written to the logger ``skr_fee.warnings`` at debug level instead of stderr.

Pure standard library: the same call runs in CPython and in Pyodide.
"""

from __future__ import annotations

import logging
import sys
import warnings

LOGGER = "skr_fee.warnings"


def _to_log(message, category, filename, lineno, file=None, line=None) -> None:
    logging.getLogger(LOGGER).debug("%s:%s: %s: %s", filename, lineno, category.__name__, message)


def route_warnings_to_log() -> None:
    """Once per process, at its entry point (not on a request's path)."""
    if sys.warnoptions:
        return
    warnings.simplefilter("default")  # each warning once per place, and then only to the log
    warnings.showwarning = _to_log
