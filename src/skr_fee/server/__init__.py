"""The Office.js add-in's server: xlwings Server with the project in ``addin/server``.

``run`` starts it (``skr-fee server``); ``app`` is the guarded ASGI app
(``skr_fee.server.app:main_app`` for uvicorn and gunicorn).

May import: ``excel``, ``documents``, ``data`` and ``rules``.
"""
