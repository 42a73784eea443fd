"""Starting the Office.js add-in: xlwings Server with the project in ``addin/server``.

``skr-fee server`` (and ``make serve``) run this; production runs the same app
under several workers (``--arbetsprocesser``) or gunicorn, see the README.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..rules.errors import SkrFeeError

REPO_SERVER = Path(__file__).resolve().parents[3] / "addin" / "server"
APP = "skr_fee.server.app:main_app"


def project_dir(project: str | os.PathLike | None = None) -> Path:
    path = Path(project) if project else Path(os.environ.get("XLWINGS_PROJECT_DIR") or REPO_SERVER)
    if not (path / "custom_functions").is_dir() or not (path / "custom_scripts").is_dir():
        raise SkrFeeError(
            f"'{path}' är inget xlwings Server-projekt (custom_functions/ och custom_scripts/ saknas). "
            "Ange --projekt eller kör från repots rot."
        )
    return path.resolve()


def configure(project: str | os.PathLike | None = None) -> Path:
    """The environment xlwings Server reads when it is imported."""
    path = project_dir(project)
    os.environ["XLWINGS_PROJECT_DIR"] = str(path)
    # PolyForm Noncommercial 1.0.0 covers government institutions such as municipalities.
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    return path


def serve(host: str = "127.0.0.1", port: int = 8000, tls: bool = True, cert: str | None = None,
          cert_key: str | None = None, workers: int = 1, project: str | None = None) -> None:
    import uvicorn

    path = configure(project)
    ssl = {}
    if tls:
        cert_path = Path(cert) if cert else path / "certs" / "localhost+2.pem"
        key_path = Path(cert_key) if cert_key else path / "certs" / "localhost+2-key.pem"
        if not cert_path.is_file() or not key_path.is_file():
            raise SkrFeeError(
                f"Certifikat saknas ({cert_path}). Office kräver HTTPS: skapa utvecklingscertifikat med "
                "'make certs', ange --cert och --cert-nyckel, eller kör med --utan-tls bakom en TLS-proxy."
            )
        ssl = {"ssl_certfile": str(cert_path), "ssl_keyfile": str(key_path)}
    if workers < 1:
        raise SkrFeeError(f"Ogiltigt antal arbetsprocesser: {workers}. Ange 1 eller fler.")
    from .protocol import uvicorn_settings

    # slow, idle and oversized clients are let go (limits.py, protocol.py: the same settings as the
    # gunicorn worker's); forwarded headers only from the configured proxy
    uvicorn.run(APP, host=host, port=port, workers=workers, proxy_headers=True,
                forwarded_allow_ips=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                timeout_graceful_shutdown=10, **uvicorn_settings(), **ssl)


def wait_until_up(url: str, process=None, timeout: float = 60) -> None:
    """Wait for a started server to answer ``url``/ (for tests, benchmarks and scripts)."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url if "/" in url.split("://", 1)[-1] else url + "/", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if (process is not None and process.poll() is not None) or time.monotonic() > deadline:
            raise RuntimeError(f"the server at {url} did not start")
        time.sleep(0.2)
