"""The add-in folder where IT puts it (issue 27): built for an address with a path, served under
that path by Debian's nginx and Apache as Debian configures them (their own MIME types, modules
and defaults) with the common hardening of refusing every dotfile, and run in Chromium with the
office.js stand-in: SKR_FEE("Göteborg"; 2025) and SKR's 288 totals. Also the build's refusals and
what the folder holds (no dotfile, web.config, distinct Ids, the product's version).

Expected figures: DOMAIN.md (Göteborg 1 032 899) and tests/reference.py.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reference
from conftest import ROOT, free_port
from test_addin_browser import CALL, NS, open_page

sys.path.insert(0, str(ROOT / "addin" / "wasm"))
import hosting  # noqa: E402

pytestmark = pytest.mark.slow
APP_PATH = "/skr-avgift"


@pytest.fixture(scope="module")
def port():
    return free_port()


@pytest.fixture(scope="module")
def folder(port, tmp_path_factory):
    """make addin for http://127.0.0.1:PORT/skr-avgift, copied where the servers' own user
    (www-data) can read it, with a dotfile beside it to show that the hardening is on."""
    out = tmp_path_factory.mktemp("dist") / "addin"
    p = subprocess.run(["make", "--no-print-directory", "addin", f"URL=http://127.0.0.1:{port}{APP_PATH}",
                        f"ADDIN_OUT={out}"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    public = Path(tempfile.mkdtemp(prefix="skr-addin-www-"))
    public.chmod(0o755)
    shutil.copytree(out, public / "addin")
    (public / "addin" / ".probe").write_text("a dotfile: the server must refuse it\n")
    subprocess.run(["chmod", "-R", "a+rX", str(public)], check=True)
    yield out, public / "addin"
    shutil.rmtree(public, ignore_errors=True)


def nginx(folder: Path, port: int, run: Path) -> list[str]:
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / sub).mkdir(parents=True, exist_ok=True)
    conf = run / "nginx.conf"
    conf.write_text(f"""
user www-data;
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {run}/access.log;
    client_body_temp_path {run}/body; proxy_temp_path {run}/proxy; fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi; scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location ~ /\\. {{ deny all; }}
        location {APP_PATH}/ {{ alias {folder}/; }}
    }}
}}
""")
    return ["nginx", "-c", str(conf), "-p", str(run)]


def apache(folder: Path, port: int, run: Path) -> list[str]:
    run.mkdir(parents=True, exist_ok=True)
    run.chmod(0o755)
    conf = run / "apache2.conf"
    conf.write_text(f"""
ServerRoot /etc/apache2
ServerName 127.0.0.1
PidFile {run}/apache2.pid
Mutex file:{run} default
DefaultRuntimeDir {run}
User www-data
Group www-data
ErrorLog {run}/error.log
LogLevel warn
IncludeOptional mods-enabled/*.load
IncludeOptional mods-enabled/*.conf
Listen 127.0.0.1:{port}
<Directory />
    Options FollowSymLinks
    AllowOverride None
    Require all denied
</Directory>
<FilesMatch "^\\.">
    Require all denied
</FilesMatch>
Alias {APP_PATH} {folder}
<Directory {folder}>
    Require all granted
</Directory>
""")
    return ["bash", "-c", f". /etc/apache2/envvars && exec apache2 -f {conf} -DFOREGROUND"]


def serving(command, url: str, log: Path):
    out = open(log, "w")
    proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/index.html", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                out.close()
                raise RuntimeError(log.read_text()[-2000:]) from None
            time.sleep(0.2)
    return proc, out


def stop(proc, out):
    os.killpg(proc.pid, 15)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
    out.close()


def status_of(url: str) -> int:
    try:
        return urllib.request.urlopen(url, timeout=5).status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.mark.parametrize("server", ["nginx", "apache"])
def test_served_under_a_path_by_a_hardened_stock_server(server, folder, port, tmp_path, browser):
    _, served = folder
    command = (nginx if server == "nginx" else apache)(served, port, tmp_path / "run")
    url = f"http://127.0.0.1:{port}{APP_PATH}"
    proc, out = serving(command, url, tmp_path / "server.log")
    try:
        assert status_of(f"{url}/.probe") == 403  # the hardening is on
        assert urllib.request.urlopen(f"{url}/static/vendor/pyodide/v0.27.5/full/pyodide.asm.wasm").headers[
            "content-type"] == "application/wasm"
        page = open_page(browser, url)
        try:
            page.wait_for_function("() => window.__customFunctions && window.__customFunctions.SKR_FEE",
                                   timeout=30_000)
            assert page.evaluate(CALL, ["SKR_FEE", ["Göteborg", 2025]]) == {"ok": True, "value": 1032899}
            expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
            codes = sorted(expected)
            column = page.evaluate(CALL, ["SKR_FEE", [[[c] for c in codes], 2025]])
            assert len(codes) == 288 and column == {"ok": True, "value": [[expected[c][2]] for c in codes]}
            assert page.errors == []
            failed = [r for r in page.requests if r.startswith(url) and status_of(r) != 200]
            assert failed == []
        finally:
            page.close()
    finally:
        stop(proc, out)


def test_the_folder_has_nothing_a_stock_server_refuses(folder):
    out, _ = folder
    pane = (out / "taskpane.html").read_text()
    assert "<title>SKR-avgift</title>" in pane and '<html lang="sv">' in pane
    help_page = (out / "static" / "support.html").read_text()
    assert "#SAKNAS!" in help_page and "#VÄRDEFEL!" in help_page and '=SKR_FEE("Göteborg"; 2025)' in help_page
    assert hosting.unservable(out) == []
    assert not [p for p in out.rglob(".*")]
    config = ET.parse(out / "web.config").getroot()
    types = {m.get("fileExtension"): m.get("mimeType") for m in config.iter("mimeMap")}
    assert types[".wasm"] == "application/wasm" and types[".json"] == "application/json"
    headers = {h.get("name"): h.get("value") for h in config.iter("add")}
    assert "'wasm-unsafe-eval'" in headers["Content-Security-Policy"]


def test_the_manifest_names_the_path_the_version_and_its_own_id(folder, port):
    out, _ = folder
    root = ET.parse(out / "manifest.xml").getroot()
    from skr_fee import __version__

    assert root.find("o:Version", NS).text == ".".join((__version__.split(".") + ["0"] * 4)[:4])
    urls = [e.get("DefaultValue") for e in root.iter() if (e.get("DefaultValue") or "").startswith("http")]
    assert urls and all(u.startswith(f"http://127.0.0.1:{port}{APP_PATH}/") for u in urls), urls
    server_project = (ROOT / "addin" / "server" / "pyproject.toml").read_text()
    browser_id = root.find("o:Id", NS).text
    assert browser_id not in server_project
    assert root.find("o:DisplayName", NS).get("DefaultValue") == "SKR-avgift"
    assert 'project_name = "SKR-avgift (server)"' in server_project


def test_an_intranet_https_address_with_a_path_builds(tmp_path):
    out = tmp_path / "addin"
    p = subprocess.run(["make", "--no-print-directory", "addin", "URL=https://intranat.kommun.se/skr-avgift",
                        f"ADDIN_OUT={out}"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    root = ET.parse(out / "manifest.xml").getroot()
    urls = [e.get("DefaultValue") for e in root.iter() if (e.get("DefaultValue") or "").startswith("http")]
    assert urls and all(u.startswith("https://intranat.kommun.se/skr-avgift/") for u in urls)
    assert not (out / "static" / "vendor" / "office-js").exists()  # office.js from Microsoft's CDN


@pytest.mark.parametrize("url", ["http://intranat.kommun.se/x", "http://10.0.0.5/skr"])
def test_plain_http_outside_this_computer_is_refused(url, tmp_path):
    p = subprocess.run(["make", "--no-print-directory", "addin", f"URL={url}", f"ADDIN_OUT={tmp_path / 'a'}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode != 0 and not (tmp_path / "a").exists()
    lines = [line for line in p.stderr.splitlines() if line.startswith("Fel:")]
    assert len(lines) == 1 and "Office kräver https" in lines[0]
