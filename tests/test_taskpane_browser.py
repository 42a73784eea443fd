"""The task pane in a real headless Chromium (Debian's), against the live server.

There is no Excel here, so office.js is replaced by tests/js/fake_office.js, a
small model of the workbook that xlwings' own task pane code reads and
changes; everything else is the real page, the real xlwings JavaScript and
the real requests to the server.
"""

import json
import os
import sys
from pathlib import Path

import pytest

from skr_fee.excel import templates
from skr_fee.documents.fingerprint import verify

sys.path.insert(0, str(Path(__file__).parent))
from officejs_payload import book_payload  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FAKE_OFFICE = (Path(__file__).parent / "js" / "fake_office.js").read_text()
@pytest.fixture()
def taskpane(browser, server):
    def open_with(active):
        payload = book_payload(ROOT / "workbook_templates" / templates.ALLOCATION_FILE, active=active)
        fake = {"name": payload["book"]["name"], "active": payload["book"]["active_sheet_index"],
                "sheets": [{"name": s["name"], "values": s["values"]} for s in payload["sheets"]]}
        page = browser.new_page(viewport={"width": 380, "height": 900}, locale="sv-SE")
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.add_init_script(f"window.__fakeWorkbook = {json.dumps(fake)};")
        page.route("**/office.js", lambda route: route.fulfill(status=200, content_type="text/javascript",
                                                               body=FAKE_OFFICE))
        page.goto(server + "/taskpane.html")
        # xlwings' init() marks each xw-click button it has wired
        page.wait_for_function("() => window.xlwings && document.querySelector('#skapa-bilaga[xw-click-initialized]')"
                               " && document.querySelector('#infoga-avgiftsmall[xw-click-initialized]')",
                               timeout=30_000)
        page.errors = errors
        return page

    pages = []

    def make(active="Göteborg"):
        page = open_with(active)
        pages.append(page)
        return page

    yield make
    for p in pages:
        p.close()


def shot(page, name):
    """A screenshot of the task pane, always taken; kept in SKR_FEE_SCREENSHOTS to look at."""
    png = page.screenshot(full_page=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    folder = os.environ.get("SKR_FEE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(png)


def test_skapa_bilaga_from_the_task_pane(taskpane, server, tmp_path):
    page = taskpane("Göteborg")
    with page.expect_request(lambda r: r.url.endswith("/xlwings/custom-scripts-call/skapa_bilaga")) as req, \
            page.expect_response(lambda r: r.url.endswith("/xlwings/custom-scripts-call/skapa_bilaga")) as resp:
        page.click("#skapa-bilaga")
    sent = req.value.post_data_json
    assert sent["client"] == "Office.js"
    assert [s["name"] for s in sent["sheets"]] == ["Göteborg", "Tyresö"]
    assert sent["sheets"][0]["values"][2][1] == "Göteborg"  # B3, as the workbook holds it
    assert resp.value.status == 200
    page.wait_for_selector("#bilaga-resultat:not(.d-none)")
    excel = page.evaluate("window.__excel")
    assert excel["added"] == ["Bilaga Göteborg 2025"]
    password = excel["protected"]["Bilaga Göteborg 2025"]["password"]
    assert page.inner_text("#bilaga-losenord") == password
    assert page.inner_text("#bilaga-belopp").replace("\u00a0", " ") == "1 032 899 kr"
    # the annex's values landed in the new sheet
    values = page.evaluate("""() => {
        const s = Excel.run(async (c) => c.workbook.worksheets.getItem('Bilaga Göteborg 2025').getRange('A1:C90').values);
        return s; }""")
    flat = {str(r[0]).strip(): r[1] for r in values if r[0]}
    assert flat["Äldre- samt vård- och omsorgsnämnden (ÄVO)"] == 609146 and flat["Summa"] == 1032899
    fingerprint = page.inner_text("#bilaga-fingeravtryck")
    assert flat["Kontrollsumma"] == fingerprint
    # the offered downloads are blobs the response carried: the locked annex with that code, its PDF and Word file
    def download(selector):
        return bytes(page.evaluate("""async (s) => {
            const r = await fetch(document.querySelector(s).href);
            return Array.from(new Uint8Array(await r.arrayBuffer())); }""", selector))
    xlsx = tmp_path / "bilaga.xlsx"
    xlsx.write_bytes(download("#bilaga-xlsx"))
    verdict = verify(xlsx)
    assert verdict.intact and verdict.code == fingerprint
    assert page.get_attribute("#bilaga-xlsx", "download") == "bilaga_Göteborg_2025.xlsx"
    assert download("#bilaga-pdf")[:5] == b"%PDF-"
    assert download("#bilaga-docx")[:2] == b"PK" and page.is_visible("#bilaga-docx")
    shot(page, "taskpane_skapa_bilaga.png")
    assert page.errors == []


def test_infoga_avgiftsmall_from_the_task_pane(taskpane):
    page = taskpane("Tyresö")
    with page.expect_response(lambda r: r.url.endswith("/custom-scripts-call/infoga_avgiftsmall")) as resp:
        page.click("#infoga-avgiftsmall")
    assert resp.value.status == 200
    page.wait_for_function("() => window.__excel.added.length === 1")
    excel = page.evaluate("window.__excel")
    assert excel["added"] == ["SKR-avgifter"]
    formulas = page.evaluate("""() => Excel.run(async (c) =>
        c.workbook.worksheets.getItem('SKR-avgifter').getRange('C5:F5').values)""")
    assert formulas == [["=SKR_POPULATION(A5:A294,$B$2)", "=SKR_INVOICE(A5:A294,1,$B$2)",
                         "=SKR_INVOICE(A5:A294,2,$B$2)", "=SKR_FEE(A5:A294,$B$2)"]]
    assert page.errors == []


def test_an_error_is_shown_in_swedish(taskpane):
    page = taskpane("Tyresö")
    page.evaluate("window.__excel")  # loaded
    # empty the municipality cell: the script answers 400 with the reason
    page.evaluate("""() => Excel.run(async (c) => {
        c.workbook.worksheets.getItem('Tyresö').getRange('B3').values = [['']]; })""")
    with page.expect_response(lambda r: r.url.endswith("/custom-scripts-call/skapa_bilaga")) as resp:
        page.click("#skapa-bilaga")
    assert resp.value.status == 400
    page.wait_for_selector("#global-error-alert:not(.d-none)")
    assert "Kommun saknas i Tyresö!B3" in page.inner_text("#global-error-alert")
    shot(page, "taskpane_fel.png")


def test_kontrollera_bilaga_from_the_task_pane(taskpane, tmp_path):
    from skr_fee.cli import main
    out = tmp_path / "bilaga.xlsx"
    assert main(["annex", "Tyresö", "--year", "2025", "--key", str(ROOT / "keys" / "tyreso.toml"), "-o", str(out),
                 "--password", "x"]) == 0
    page = taskpane("Tyresö")
    page.set_input_files("#kontroll-fil", str(out))
    with page.expect_response(lambda r: r.url.endswith("/skr/kontrollera")) as resp:
        page.click("#kontrollera-bilaga")
    assert resp.value.status == 200
    page.wait_for_selector("#kontroll-resultat:not(.d-none)")
    page.wait_for_function("() => document.querySelector('#kontroll-resultat').textContent.length > 0")
    assert page.inner_text("#kontroll-resultat").startswith("Oförändrad: bilaga.xlsx")


@pytest.mark.parametrize("answer,expected", [
    ("abort", "Kontrollen kunde inte göras: servern gick inte att nå. Kontrollera nätverket och försök igen."),
    ("html", "Kontrollen kunde inte göras: servern svarade 502 med något annat än ett svar från SKR-avgift. "
             "Försök igen, eller kontakta IT."),
])
def test_a_check_that_cannot_reach_the_server_says_so_in_swedish(taskpane, tmp_path, answer, expected):
    """Issue 29: a network error or a proxy's HTML page left the pane blank."""
    out = tmp_path / "bilaga.xlsx"
    out.write_bytes(b"PK\x03\x04 not looked at")
    page = taskpane("Tyresö")

    def route(r):
        if answer == "abort":
            r.abort("connectionrefused")
        else:
            r.fulfill(status=502, content_type="text/html", body="<html><body>Bad Gateway</body></html>")

    page.route("**/skr/kontrollera", route)
    page.set_input_files("#kontroll-fil", str(out))
    page.click("#kontrollera-bilaga")
    page.wait_for_function("() => document.querySelector('#kontroll-resultat').textContent.length > 0")
    assert page.inner_text("#kontroll-resultat") == expected
    assert "text-danger" in page.get_attribute("#kontroll-resultat", "class")
    assert page.errors == []


def test_a_second_annex_lets_the_first_ones_files_go(taskpane):
    """The download links' object URLs are released when the next annex replaces them."""
    page = taskpane("Göteborg")
    page.evaluate("""() => { window.__revoked = [];
        const revoke = URL.revokeObjectURL.bind(URL);
        URL.revokeObjectURL = (u) => { window.__revoked.push(u); revoke(u); }; }""")
    for round_ in (1, 2):
        with page.expect_response(lambda r: r.url.endswith("/custom-scripts-call/skapa_bilaga")) as resp:
            page.click("#skapa-bilaga")
        assert resp.value.status == 200
        page.wait_for_function(f"() => window.__excel.added.length === {round_}")
        page.wait_for_function("() => document.querySelector('#bilaga-xlsx').href.startsWith('blob:')")
        if round_ == 1:
            first = page.get_attribute("#bilaga-xlsx", "href")
    page.wait_for_function("(u) => window.__revoked.includes(u)", arg=first)
    assert page.errors == []
