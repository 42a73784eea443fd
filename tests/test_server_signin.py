"""Signing in as IT sets it up (issue 25): a caller without a valid token is refused before its body
is read or any work is done, the log keeps no token or name, and a sign-in service out of reach is a
503 in Swedish. Against ``skr-fee serve`` and the Containerfile's gunicorn command
(tests/test_server_field.py has the rest of the server met by the network)."""

import re
import shutil
import socket
import time

import httpx
import pytest

from conftest import ROOT, free_port, stop_server
from test_server_field import CALL, port_of, server_kind, start  # noqa: F401 (server_kind is a fixture)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def signin_project(tmp_path_factory):
    """The add-in's server project with a sign-in provider for the tests (xlwings Server's
    ``auth/custom``): the token ``Bearer prov-token`` is a signed-in user, any other is not."""
    project = tmp_path_factory.mktemp("signin") / "server"
    shutil.copytree(ROOT / "addin" / "server", project, ignore=shutil.ignore_patterns("certs", "__pycache__"))
    (project / "auth" / "custom").mkdir(parents=True)
    (project / "auth" / "__init__.py").write_text("")
    (project / "auth" / "custom" / "__init__.py").write_text(
        "from fastapi import HTTPException\n"
        "from xlwings_server.models import User\n\n"
        "async def validate_token(token_string):\n"
        "    if token_string == 'Bearer prov-token':\n"
        "        return User(id='u-7f3a', name='Anna Andersson')\n"
        "    raise HTTPException(status_code=401, detail='no')\n")
    return project


def raw_post_head(port: int, length: int, token: str | None, first: bytes) -> tuple[bytes, float]:
    """Headers of a large POST and the first bytes of its body; the answer's status line and the
    time it took, without sending the rest."""
    s = socket.create_connection(("127.0.0.1", port))
    auth = f"Authorization: {token}\r\n".encode() if token else b""
    t = time.monotonic()
    s.sendall(b"POST /xlwings/custom-functions-call HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + auth + f"Content-Length: {length}\r\n\r\n".encode() + first)
    s.settimeout(5)
    answer = s.recv(65536)
    elapsed = time.monotonic() - t  # to the first byte of the answer
    try:
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < int(
                re.search(rb"content-length: (\d+)", answer).group(1)):
            more = s.recv(65536)
            if not more:
                break
            answer += more
    except OSError:
        pass
    s.close()
    return answer, elapsed


def test_sign_in_comes_before_the_body_and_the_work(server_kind, tmp_path, signin_project):
    server = start(server_kind, tmp_path, {"XLWINGS_AUTH_PROVIDERS": '["custom"]'}, project=signin_project)
    try:
        port = port_of(server.url)
        answer, seconds = raw_post_head(port, 5 * 1024 * 1024, None, b"{" + b" " * 65536)
        assert answer.startswith(b"HTTP/1.1 401") and seconds < 0.2, (answer[:200], seconds)
        assert "inte inloggad" in answer.decode("utf-8", "replace")
        t = time.monotonic()
        signed = httpx.post(f"{server.url}/xlwings/custom-functions-call", json=CALL, timeout=10,
                            headers={"Authorization": "Bearer prov-token"})
        assert signed.status_code == 200 and time.monotonic() - t < 2, signed.text
        assert signed.json()["result"] == [[1032899]]  # DOMAIN.md: Göteborg 2025
        rows = {**CALL, "args": [[[f"{i:04d}"] for i in range(10_001)], [[2025]]]}
        assert httpx.post(f"{server.url}/xlwings/custom-functions-call", json=rows, timeout=10).status_code == 401
        wrong = httpx.post(f"{server.url}/xlwings/custom-functions-call", json=CALL, timeout=10,
                           headers={"Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.eyJuYW1lIjoiQW5uYSJ9.c2lnbg"})
        assert wrong.status_code == 401
    finally:
        stop_server(server.proc)
    log = server.log_text()
    assert "eyJhbGciOiJSUzI1NiJ9" not in log and "prov-token" not in log and "Anna Andersson" not in log
    assert "127.0.0.1" not in "".join(line for line in log.splitlines(True) if "Listening at" not in line)  # clients'
    assert re.search(r"\[[0-9a-f]{12}\] skr_fee\.server: avvisat 401", log), log[-2000:]


def test_an_unreachable_sign_in_service_is_503_in_swedish(tmp_path):
    """Entra ID configured, Microsoft's keys out of reach (an HTTPS proxy on a closed loopback
    port: nothing leaves the machine)."""
    closed = free_port()
    env = {"XLWINGS_AUTH_PROVIDERS": '["entraid"]', "XLWINGS_AUTH_ENTRAID_CLIENT_ID": "00000000-0000-0000-0000-000000000001",
           "XLWINGS_AUTH_ENTRAID_TENANT_ID": "00000000-0000-0000-0000-000000000002",
           "HTTPS_PROXY": f"http://127.0.0.1:{closed}", "https_proxy": f"http://127.0.0.1:{closed}"}
    server = start("serve", tmp_path, env)
    try:
        r = httpx.post(f"{server.url}/xlwings/custom-functions-call", json=CALL, timeout=30,
                       headers={"Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.eyJ2ZXIiOiIyLjAifQ.c2lnbg"})
    finally:
        stop_server(server.proc)
    assert r.status_code == 503
    assert "Inloggningstjänsten svarar inte" in r.json()["detail"]
    assert "kontrollera värdena i bladet" not in r.text
