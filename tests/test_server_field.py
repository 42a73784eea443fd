"""The server as IT runs it, met by clients as the network brings them (issue 25): half-sent and
silent connections, unfinished huge headers, callers without a token, and what the log keeps.
Each runs against ``skr-fee serve`` and against the Containerfile's own gunicorn command."""

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import free_port, start_server, stop_server
from test_server_concurrency import containerfile_command, containerfile_env

pytestmark = pytest.mark.slow
CALL = {"client": "Office.js", "func_name": "SKR_FEE", "args": [[["Göteborg"]], [[2025]]],
        "caller_address": "[Bok1.xlsx]Blad1!C5", "session_id": "t", "culture_info_name": "sv-SE",
        "date_format": "yyyy-mm-dd", "version": "0.37.8", "runtime": "1.4"}


class Server:
    def __init__(self, url, proc, log):
        self.url, self.proc, self.log = url, proc, log

    def rss_kib(self) -> int:
        """Resident memory of the server and its workers, from /proc."""
        pids = [self.proc.pid] + [int(p) for p in subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout.split()]
        total = 0
        for pid in pids:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return total

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start(kind: str, folder: Path, env_extra: dict | None = None, project: Path | None = None,
          ready_path: str = "") -> Server:
    """``skr-fee serve`` or the Containerfile's command, with extra environment and another project."""
    if kind == "serve":
        env = dict(os.environ, **(env_extra or {}))
        extra = ["--project", str(project)] if project else []

        def command(port):
            return [sys.executable, "-m", "skr_fee.cli", "serve", "--no-tls", "--port", str(port), *extra]
    else:
        env = dict(containerfile_env(), **(env_extra or {}))
        if project:
            env["XLWINGS_PROJECT_DIR"] = str(project)
        command = containerfile_command
    url, proc = start_server(folder, command, env, ready_path)
    return Server(url, proc, folder / "server.log")


@pytest.fixture(params=["serve", "gunicorn"])
def server_kind(request):
    return request.param


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def normal_call(url: str) -> tuple[int, float]:
    t = time.monotonic()
    r = httpx.post(f"{url}/xlwings/custom-functions-call", json=CALL, timeout=10)
    return r.status_code, time.monotonic() - t


def closed_by_server(sock: socket.socket) -> bool:
    """True once the server has closed (EOF or reset), after any 408 it sent."""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return True
    except BlockingIOError:
        return False
    except OSError:
        return True


def test_half_sent_requests_are_let_go_and_others_are_served(server_kind, tmp_path):
    server = start(server_kind, tmp_path)
    try:
        port = port_of(server.url)
        socks = []
        for i in range(300):  # silent, half a header, or whole headers and half a body
            s = socket.create_connection(("127.0.0.1", port))
            if i % 3 == 1:
                s.sendall(b"POST /xlwings/custom-functions-call HTTP/1.1\r\nHost: x\r\nContent-Ty")
            elif i % 3 == 2:
                s.sendall(b"POST /xlwings/custom-functions-call HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"client\": ")
            s.setblocking(False)
            socks.append(s)
        times = []
        for _ in range(10):
            status, seconds = normal_call(server.url)
            assert status == 200
            times.append(seconds)
        assert max(times) < 2, times
        deadline = time.monotonic() + 45
        open_ = list(socks)
        while open_ and time.monotonic() < deadline:
            open_ = [s for s in open_ if not closed_by_server(s)]
            time.sleep(0.5)
        assert len(open_) <= 30, f"{len(open_)} of 300 half-sent connections still open after 45 s"
        for s in socks:
            s.close()
        assert normal_call(server.url)[0] == 200
    finally:
        stop_server(server.proc)
    log = server.log_text()
    assert "Traceback" not in log
    assert log.count("anslutning stängd") >= 270


def test_unfinished_huge_headers_do_not_grow_the_server(server_kind, tmp_path):
    server = start(server_kind, tmp_path)
    try:
        normal_call(server.url)
        before = server.rss_kib()
        port = port_of(server.url)
        chunk = b"a" * 65536

        def send_8_mb():
            s = socket.create_connection(("127.0.0.1", port))
            try:
                s.sendall(b"POST /xlwings/custom-functions-call HTTP/1.1\r\nHost: x\r\nX-Big: ")
                for _ in range(128):
                    s.sendall(chunk)
            except OSError:
                pass  # refused part way: what the server should do
            finally:
                s.close()

        threads = [threading.Thread(target=send_8_mb) for _ in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        grown = (server.rss_kib() - before) / 1024
        assert grown < 150, f"the server grew by {grown:.0f} MB"
        assert normal_call(server.url)[0] == 200
    finally:
        stop_server(server.proc)


def test_abuse_does_not_flood_the_log(tmp_path):
    server = start("serve", tmp_path)
    try:
        with httpx.Client(timeout=10) as client:
            for _ in range(1500):
                client.post(f"{server.url}/xlwings/custom-functions-call", content=b"x",
                            headers={"content-type": "text/plain"})
        for _ in range(200):  # clients that go away mid-body
            s = socket.create_connection(("127.0.0.1", port_of(server.url)))
            s.sendall(b"POST /skr/kontrollera HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 1000\r\n\r\n{")
            s.close()
        time.sleep(1)
    finally:
        stop_server(server.proc)
    lines = server.log_text().splitlines()
    assert "Traceback" not in "\n".join(lines)
    assert len(lines) < 600, len(lines)
    assert any("rader utelämnade" in line for line in lines)
    assert all(re.search(r"\[(-|[0-9a-f]{12})\]", line) for line in lines if line.strip()), lines[:5]


def test_ready_means_a_pdf_can_be_made(tmp_path):
    """skr-fee serve --kontrollera really converts a Word document with LibreOffice Writer; without
    LibreOffice, or with one that cannot convert, it says so in one line and exits 1, and the
    Containerfile's command then never starts gunicorn."""
    p = subprocess.run([sys.executable, "-m", "skr_fee.cli", "serve", "--kontrollera"], capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.startswith("Servern är redo: LibreOffice Writer gjorde en PDF på "), p.stderr
    assert re.match(r"Servern är redo: LibreOffice Writer gjorde en PDF på \d+,\d s\.$", p.stdout.strip()), p.stdout
    bare = tmp_path / "bin"
    bare.mkdir()
    for name in ("skr-fee", "gunicorn"):
        (bare / name).symlink_to(Path(sys.executable).parent / name)
    (bare / "sh").symlink_to(shutil.which("sh"))
    env = dict(containerfile_env(), PATH=str(bare))
    p = subprocess.run([sys.executable, "-m", "skr_fee.cli", "serve", "--kontrollera"], capture_output=True,
                       text=True, timeout=120, env=env)
    assert p.returncode == 1 and p.stderr.startswith("skr-fee: Servern kan inte skapa bilagans PDF: LibreOffice saknas")
    (bare / "soffice").write_text("#!/bin/sh\necho 'Error: no export filter' >&2\nexit 1\n")
    (bare / "soffice").chmod(0o755)
    p = subprocess.run(containerfile_command(free_port()), capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 1 and "Booting worker" not in p.stdout + p.stderr
    assert p.stderr.strip() == "skr-fee: Servern kan inte skapa bilagans PDF: LibreOffice kunde inte skapa " \
                               "PDF:en (Error: no export filter)."


def test_health_answers_with_a_real_conversion(tmp_path):
    server = start("serve", tmp_path)
    try:
        r = httpx.get(f"{server.url}/health", timeout=90)
    finally:
        stop_server(server.proc)
    assert r.status_code == 200 and r.json()["redo"] is True


def test_the_server_under_a_path_has_its_own_manifest(tmp_path):
    """The add-in server behind a proxy that puts it under /skr-avgift (XLWINGS_APP_PATH): every
    address in its manifest under that path, the product's version, its own Id and name."""
    import xml.etree.ElementTree as ET

    from skr_fee import __version__
    from test_addin_browser import NS

    server = start("serve", tmp_path, {"XLWINGS_APP_PATH": "/skr-avgift",
                                       "XLWINGS_STATIC_URL_PATH": "/skr-avgift/static"}, ready_path="/skr-avgift/taskpane.html")
    try:
        root = ET.fromstring(httpx.get(f"{server.url}/skr-avgift/manifest.xml", timeout=10).content)
        r = httpx.post(f"{server.url}/skr-avgift/xlwings/custom-functions-call", json=CALL, timeout=10)
    finally:
        stop_server(server.proc)
    urls = [e.get("DefaultValue") for e in root.iter() if (e.get("DefaultValue") or "").startswith("http")]
    assert urls and all(u.startswith(f"{server.url}/skr-avgift/") or u == f"{server.url}/skr-avgift"
                        for u in urls), urls
    assert root.find("o:Version", NS).text == ".".join((__version__.split(".") + ["0"] * 4)[:4])
    assert root.find("o:DisplayName", NS).get("DefaultValue") == "SKR-avgift (server)"
    assert root.find("o:Id", NS).text != "76e7c835-97f8-4941-92b9-ca9d4d7851ab"  # the browser add-in's
    assert r.json()["result"] == [[1032899]]  # DOMAIN.md
