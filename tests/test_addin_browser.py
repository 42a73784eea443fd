"""The static add-in (``make addin``) served by a plain static file server and run in Debian's
Chromium: real Pyodide, real wheels, the real functions page and task pane. Only office.js is
a stand-in (tests/js/fake_office.js), since there is no Excel here.

Every expected figure comes from DOMAIN.md or from tests/reference.py (SKR's rules in plain
fractions over SCB's file), never from the product.
"""

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import reference
from conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
FAKE_OFFICE = (Path(__file__).parent / "js" / "fake_office.js").read_text()
pytestmark = pytest.mark.slow
NS = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1",
      "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
      "ov": "http://schemas.microsoft.com/office/taskpaneappversionoverrides"}


@pytest.fixture(scope="module")
def addin(tmp_path_factory):
    """``make addin URL=http://127.0.0.1:PORT`` into a folder, served by ``python -m http.server``."""
    out = tmp_path_factory.mktemp("dist") / "addin"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    p = subprocess.run(["make", "--no-print-directory", "addin", f"URL={url}", f"ADDIN_OUT={out}"], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    log = open(out.parent / "http.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(out)], stdout=log, stderr=subprocess.STDOUT)
    try:
        from skr_fee.server.run import wait_until_up

        wait_until_up(url, server)  # index.html
        yield url, out
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def open_page(browser, url, workbook=None):
    page = browser.new_page(locale="sv-SE")
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    fake = workbook or {"name": "Bok1.xlsx", "active": 0, "sheets": [{"name": "Blad1", "values": [[""]]}]}
    page.add_init_script(f"window.__fakeWorkbook = {json.dumps(fake)};")
    page.route("**/office.js", lambda route: route.fulfill(status=200, content_type="text/javascript",
                                                           body=FAKE_OFFICE))
    page.goto(url + "/taskpane.html")
    return page


CALL = """async ([name, args]) => {
  const invocation = { address: "Blad1!A1" };
  try {
    return { ok: true, value: await window.__customFunctions[name](...args, invocation) };
  } catch (e) {
    return { ok: false, code: e.code, message: e.message };
  }
}"""


def test_the_manifest_is_the_products_own_and_names_nothing_elsewhere(addin):
    url, out = addin
    root = ET.parse(out / "manifest.xml").getroot()
    assert root.find("o:Id", NS).text == "76e7c835-97f8-4941-92b9-ca9d4d7851ab"
    assert root.find("o:DisplayName", NS).get("DefaultValue") == "SKR-avgift"
    assert root.find(".//ov:Namespace", NS) is None
    sets = {s.get("Name"): s.get("MinVersion") for s in root.iter(f"{{{NS['o']}}}Set")}
    assert sets == {"SharedRuntime": "1.1", "CustomFunctionsRuntime": "1.4"}
    urls = [e.get("DefaultValue") for e in root.iter() if (e.get("DefaultValue") or "").startswith("http")]
    assert urls and all(u.startswith(url + "/") for u in urls), urls
    for u in urls:  # every address in the manifest is a file in the folder
        assert (out / u[len(url) + 1:]).is_file(), u
    meta = json.loads((out / "xlwings" / "custom-functions-meta.json").read_text())
    names = {f["name"]: [p["name"] for p in f["parameters"]] for f in meta["functions"]}
    assert names["SKR_FEE"][:2] == ["kommun", "år"]
    assert set(names) == {"SKR_FEE", "SKR_INVOICE", "SKR_AREA", "SKR_RATE", "SKR_POPULATION", "SKR_SPLIT"}


def test_functions_in_chromium_with_python_in_the_page(addin, browser):
    url, out = addin
    page = open_page(browser, url)
    try:
        # Excel recalculates as soon as the functions are associated: these calls come before
        # Python is ready and must wait for it, not fail
        page.wait_for_function("() => window.__customFunctions && window.__customFunctions.SKR_FEE", timeout=30_000)
        early = page.evaluate(CALL, ["SKR_FEE", ["Göteborg", 2025]])
        assert early == {"ok": True, "value": 1032899}  # DOMAIN.md
        assert sorted(page.evaluate("Object.keys(window.__customFunctions)")) == [
            "SKR_AREA", "SKR_FEE", "SKR_INVOICE", "SKR_POPULATION", "SKR_RATE", "SKR_SPLIT"]

        expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
        codes = sorted(expected)
        column = page.evaluate(CALL, ["SKR_FEE", [[[c] for c in codes], 2025]])
        assert len(codes) == 288 and column == {"ok": True, "value": [[expected[c][2]] for c in codes]}

        invoice = page.evaluate(CALL, ["SKR_INVOICE", ["Ale", 2, 2025]])
        assert invoice == {"ok": True, "value": 42638}  # DOMAIN.md: Ale, faktura 2, 2025

        wrong = page.evaluate(CALL, ["SKR_FEE", ["Götborg", 2025]])
        assert wrong["ok"] is False and wrong["code"] == "#N/A" and "Menar du Göteborg" in wrong["message"]

        unknown = page.evaluate("""async () => {
          try { return await window.skrPython.ready.then((callMany) =>
                  JSON.parse(callMany(JSON.stringify([["SKR_NOPE", [[[1]]]]])))); }
          catch (e) { return String(e); }
        }""")
        assert "Okänd funktion 'SKR_NOPE'" in unknown[0]

        bad_year = page.evaluate(CALL, ["SKR_FEE", ["Ale", "tjugo"]])
        assert bad_year["ok"] is False and bad_year["code"] == "#VALUE!" and "Ogiltigt år" in bad_year["message"]

        assert page.errors == []
        foreign = [r for r in page.requests if not r.startswith(url + "/")]
        assert foreign == []
        assert any("/static/wheels/skr_avgift-" in r for r in page.requests)
        assert any(r.endswith("/pyodide.asm.wasm") for r in page.requests)
    finally:
        page.close()
