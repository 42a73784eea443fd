import os

# xlwings and xlwings Server read their licence key when imported. Municipalities
# are government institutions: PolyForm Noncommercial 1.0.0 covers them.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

# Every run is on its own: a HOME and XDG folders of its own (LibreOffice's profile,
# the user data folder), removed at the end; the tests see only the data that ships
# with the product and what they import themselves, never a developer's own imports.
# Subprocesses import the checkout the tests run in (PYTHONPATH), not an installed copy.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

_HOME = tempfile.mkdtemp(prefix="skr-fee-test-home-")
atexit.register(shutil.rmtree, _HOME, True)
os.environ["HOME"] = _HOME
for _var, _sub in (("XDG_CACHE_HOME", ".cache"), ("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config")):
    os.environ[_var] = os.path.join(_HOME, _sub)
os.environ["SKR_FEE_DATA"] = os.path.join(_HOME, "skr-fee-data")
_SRC = str(Path(__file__).resolve().parents[1] / "src")
os.environ["PYTHONPATH"] = os.pathsep.join([_SRC] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])

from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


import socket
import subprocess
import sys

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SLOW_MODULES = {"test_server", "test_taskpane_browser", "test_officejs_node", "test_robustness", "test_annex",
                "test_layers"}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES or "server" in item.fixturenames:
            item.add_marker(pytest.mark.slow)


def start_server(folder: Path, command=None, env: dict | None = None, ready_path: str = ""):
    """``skr-fee serve`` as a user starts it (or ``command(port)``, e.g. the Containerfile's), on
    loopback, its output in folder/server.log; returns (url, process)."""
    from skr_fee.server.run import wait_until_up

    port = free_port()
    argv = command(port) if command else [sys.executable, "-m", "skr_fee.cli", "serve", "--no-tls", "--port", str(port)]
    log = open(folder / "server.log", "w")
    proc = subprocess.Popen(argv, cwd=ROOT, env=dict(env or os.environ, PYTHONUNBUFFERED="1"), stdout=log,
                            stderr=subprocess.STDOUT)
    proc.log = log
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + ready_path, proc)
    except RuntimeError:
        log.close()
        raise RuntimeError("the server did not start:\n" + (folder / "server.log").read_text()[-3000:]) from None
    return url, proc


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    proc.log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The add-in's xlwings Server, started as a user would (skr-fee serve), on loopback."""
    url, proc = start_server(tmp_path_factory.mktemp("server"))
    yield url
    stop_server(proc)


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    assert chromium, "Chromium is needed (make test installs Debian's chromium)"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()
