"""The static add-in (``make addin``) served by a plain static file server and run in Debian's
Chromium: real Pyodide, real wheels, the real functions page and task pane. Only office.js is
a stand-in (tests/js/fake_office.js), since there is no Excel here.

Every expected figure comes from DOMAIN.md or from tests/reference.py (SKR's rules in plain
fractions over SCB's file), never from the product.
"""

import json
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
# the one address outside the folder: Microsoft's office.js (make addin's default, as Microsoft
# advises), which the tests answer with the stand-in
OFFICEJS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js"
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


def open_page(browser, url, workbook=None, unsupported=()):
    page = browser.new_page(locale="sv-SE")
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    fake = workbook or {"name": "Bok1.xlsx", "active": 0, "sheets": [{"name": "Blad1", "values": [[""]]}]}
    page.add_init_script(f"window.__fakeWorkbook = {json.dumps(fake)}; window.__unsupported = {json.dumps(unsupported)};")
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
    # the order and the limits of Microsoft's add-in-only manifest schema (TaskPaneApp, as documented:
    # learn.microsoft.com/office/dev/add-ins/reference/manifest): Microsoft's XSDs are in no package
    # this machine can install, and its online validator is out of reach
    order = ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl",
             "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts", "Requirements", "DefaultSettings",
             "Permissions", "VersionOverrides"]
    assert [child.tag.split("}")[1] for child in root] == order
    assert len(root.find("o:DisplayName", NS).get("DefaultValue")) <= 125
    assert len(root.find("o:Description", NS).get("DefaultValue")) <= 250
    for kind, limit in (("ShortStrings", 125), ("LongStrings", 250)):
        for s in root.iter(f"{{{NS['bt']}}}{kind}"):
            assert all(len(e.get("DefaultValue")) <= limit for e in s)
    assert all(len(e.get("resid")) <= 32 for e in root.iter() if e.get("resid"))
    assert all(len(e.get("id")) <= 32 for e in root.iter() if e.get("id") and e.tag.endswith("}Image"))
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

        # an error value as input (#REF! in the year cell), as a page may see it: an error cell
        ref = page.evaluate("""async () => {
          try { return { ok: true, value: await window.__customFunctions.SKR_FEE("Ale",
                  new CustomFunctions.Error("#REF!", ""), { address: "Blad1!A1" }) }; }
          catch (e) { return { ok: false, code: e.code, message: e.message }; }
        }""")
        assert ref["ok"] is False and ref["code"] == "#VALUE!" and ref["message"], ref

        assert page.errors == []
        foreign = [r for r in page.requests if not r.startswith(url + "/") and r != OFFICEJS_CDN]
        assert foreign == []
        assert any("/static/wheels/skr_avgift-" in r for r in page.requests)
        assert any(r.endswith("/pyodide.asm.wasm") for r in page.requests)
    finally:
        page.close()


def allocation_workbook(active):
    """The shipped fordelning.xlsx as the stand-in's workbook (as Excel would hand it to the page)."""
    from officejs_payload import book_payload
    from skr_fee.excel import templates

    payload = book_payload(ROOT / "workbook_templates" / templates.ALLOCATION_FILE, active=active)
    return {"name": payload["book"]["name"], "active": payload["book"]["active_sheet_index"],
            "sheets": [{"name": s["name"], "values": s["values"]} for s in payload["sheets"]]}


def ready_pane(browser, url, active="Göteborg"):
    page = open_page(browser, url, allocation_workbook(active))
    page.wait_for_function("() => document.querySelector('#skapa-bilaga[xw-click-initialized]')"
                           " && window.skrPyodide", timeout=60_000)
    return page


def test_skapa_bilaga_in_the_page(addin, browser, tmp_path):
    from skr_fee.documents.fingerprint import verify

    url, out = addin
    page = ready_pane(browser, url)
    try:
        page.click("#skapa-bilaga")
        page.wait_for_selector("#bilaga-resultat:not(.d-none)", timeout=60_000)
        excel = page.evaluate("window.__excel")
        assert excel["added"] == ["Bilaga Göteborg 2025"]
        assert excel["protected"]["Bilaga Göteborg 2025"]["password"] == page.inner_text("#bilaga-losenord")
        assert page.inner_text("#bilaga-belopp").replace("\u00a0", " ") == "1 032 899 kr"  # DOMAIN.md
        values = page.evaluate("""() => Excel.run(async (c) =>
            c.workbook.worksheets.getItem('Bilaga Göteborg 2025').getRange('A1:C90').values)""")
        flat = {str(r[0]).strip(): r[1] for r in values if r[0]}
        assert flat["Äldre- samt vård- och omsorgsnämnden (ÄVO)"] == 609146 and flat["Summa"] == 1032899
        xlsx = tmp_path / "bilaga.xlsx"
        xlsx.write_bytes(bytes(page.evaluate("""async () => {
            const r = await fetch(document.querySelector('#bilaga-xlsx').href);
            return Array.from(new Uint8Array(await r.arrayBuffer())); }""")))
        verdict = verify(xlsx)  # the file made in the browser, read back here
        assert verdict.intact and verdict.code == page.inner_text("#bilaga-fingeravtryck") == flat["Kontrollsumma"]
        assert not page.is_visible("#bilaga-pdf") and not page.is_visible("#bilaga-docx")
        assert "skr-fee bilaga" in page.inner_text("#bilaga-pdf-anm")
        assert page.errors == []
        assert [r for r in page.requests if not r.startswith(url + "/") and r != OFFICEJS_CDN] == []
        assert not any("custom-scripts-call" in r for r in page.requests)  # no server: it ran in the page
    finally:
        page.close()


def test_infoga_avgiftsmall_in_the_page_writes_range_formulas(addin, browser):
    url, out = addin
    page = ready_pane(browser, url, "Tyresö")
    try:
        page.click("#infoga-avgiftsmall")
        page.wait_for_function("() => window.__excel.added.length === 1", timeout=60_000)
        assert page.evaluate("window.__excel.added") == ["SKR-avgifter"]
        formulas = page.evaluate("""() => Excel.run(async (c) =>
            c.workbook.worksheets.getItem('SKR-avgifter').getRange('C5:F5').values)""")
        # written through range.formulas, so Excel binds them to the add-in (no namespace)
        assert formulas == [["=SKR_POPULATION(A5:A294,$B$2)", "=SKR_INVOICE(A5:A294,1,$B$2)",
                             "=SKR_INVOICE(A5:A294,2,$B$2)", "=SKR_FEE(A5:A294,$B$2)"]]
        assert any(line.startswith("formulas SKR-avgifter!") for line in page.evaluate("window.__excel.log"))
        assert page.errors == []
    finally:
        page.close()


def test_kontrollera_bilaga_in_the_page(addin, browser, tmp_path):
    from skr_fee.cli import main

    url, out = addin
    annex = tmp_path / "bilaga.xlsx"
    assert main(["annex", "Tyresö", "--year", "2025", "--key", str(ROOT / "keys" / "tyreso.toml"), "-o", str(annex),
                 "--password", "x"]) == 0
    junk = tmp_path / "inte en bilaga.xlsx"
    junk.write_bytes(b"inte en arbetsbok")
    empty = tmp_path / "tom.xlsx"
    empty.write_bytes(b"")
    page = ready_pane(browser, url, "Tyresö")
    try:
        for path, expected in ((annex, "Oförändrad: bilaga.xlsx"), (junk, "inte en bilaga.xlsx"),
                               (empty, "tom.xlsx är tom. Välj bilagans xlsx-fil.")):
            page.evaluate("document.querySelector('#kontroll-resultat').textContent = ''")
            page.set_input_files("#kontroll-fil", str(path))
            page.click("#kontrollera-bilaga")
            page.wait_for_function("() => document.querySelector('#kontroll-resultat').textContent.length > 0")
            text = page.inner_text("#kontroll-resultat")
            assert expected in text, text
        assert "Traceback" not in text
        assert not any("/skr/kontrollera" in r for r in page.requests)  # checked in the page, never sent
        assert page.errors == []
    finally:
        page.close()


def test_an_excel_without_custom_functions_is_told_so(addin, browser):
    url, out = addin
    page = open_page(browser, url, unsupported=["CustomFunctionsRuntime"])
    try:
        page.wait_for_selector("#krav-saknas:not(.d-none)", timeout=30_000)
        assert "volymlicensierad Excel 2021 och äldre räcker inte" in page.inner_text("#krav-saknas")
    finally:
        page.close()
    page = open_page(browser, url)
    try:
        page.wait_for_function("() => window.skrPyodide", timeout=60_000)
        assert not page.is_visible("#krav-saknas")
    finally:
        page.close()


def test_the_wheels_are_pure_python_and_babel_carries_swedish_only(addin):
    import zipfile

    url, out = addin
    wheels = sorted(p.name.removesuffix(".zip") for p in (out / "static" / "wheels").glob("*.whl.zip"))
    assert [w.split("-")[0] for w in wheels] == ["babel", "et_xmlfile", "openpyxl", "platformdirs", "skr_avgift",
                                                 "xlwings"]
    assert all(w.endswith("-none-any.whl") for w in wheels)
    with zipfile.ZipFile(next((out / "static" / "wheels").glob("babel-*.whl.zip"))) as z:
        names = set(z.namelist())
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        listed = {line.split(",", 1)[0] for line in z.read(record).decode().splitlines() if line}
    assert {n for n in names if n.startswith("babel/locale-data/")} == {
        "babel/locale-data/root.dat", "babel/locale-data/sv.dat", "babel/locale-data/sv_SE.dat"}
    assert listed == names  # RECORD lists what the wheel holds, no more, no less
