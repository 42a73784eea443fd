"""The gunicorn worker the Containerfile runs: ``-k skr_fee.server.worker.Worker``.

uvicorn's worker for gunicorn (the ``uvicorn-worker`` package) builds uvicorn's Config from its
own few settings, so what ``skr-fee server`` passes to uvicorn (timeouts, the bounded protocol,
the connection cap) would not apply under gunicorn, nor do gunicorn's ``--limit-request-*``
settings (uvicorn parses the requests, not gunicorn). This worker gives uvicorn the same
settings as ``skr-fee server`` (protocol.uvicorn_settings).
"""

from __future__ import annotations

from uvicorn_worker import UvicornWorker

from .protocol import uvicorn_settings


class Worker(UvicornWorker):
    CONFIG_KWARGS = {**UvicornWorker.CONFIG_KWARGS, **uvicorn_settings()}
