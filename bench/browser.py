"""The two Office.js routes measured in Debian's Chromium, side by side (part of ``make bench``).

- Browser route: the static add-in (``make_addin.py``) served by ``python -m http.server`` on
  loopback; Python runs in the page (Pyodide).
- Server route: ``skr-fee serve`` on loopback, the same task pane asking the server per call.

office.js is the stand-in tests/js/fake_office.js (no Excel here), which keeps what the page
associates in ``window.__customFunctions``; the calls below are made as Excel makes them (the
arguments, then the invocation), all at once in one browser task for a recalculation.
Timings are taken in the page (``performance.now``); each load is a fresh browser context
(empty HTTP cache).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addin" / "wasm"))
FAKE_OFFICE = (ROOT / "tests" / "js" / "fake_office.js").read_text()
WORKBOOK = {"name": "Bok1.xlsx", "active": 0, "sheets": [{"name": "Blad1", "values": [[""]]}]}

# Both run in the page. FIRST: one call as soon as the functions are associated (Excel
# recalculates on open), timed from the start of navigation. RECALC: N calls fired at once.
FIRST = """async () => {
  const v = await window.__customFunctions.SKR_FEE("Göteborg", 2025, { address: "Blad1!A1" });
  return { value: Array.isArray(v) ? v[0][0] : v, ms: performance.now() };  // the server route answers [[v]]
}"""
RECALC = """async (calls) => {
  const t = performance.now();
  const out = await Promise.all(calls.map(([name, args]) =>
    window.__customFunctions[name](...args, { address: "Blad1!A1" }).catch((e) => ({ error: e.message }))));
  return { ms: performance.now() - t, out };
}"""


def _page(browser, url):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.add_init_script(f"window.__fakeWorkbook = {json.dumps(WORKBOOK)};")
    page.route("**/office.js", lambda route: route.fulfill(status=200, content_type="text/javascript",
                                                           body=FAKE_OFFICE))
    page.goto(url + "/taskpane.html", wait_until="commit")
    page.wait_for_function("() => window.__customFunctions && window.__customFunctions.SKR_FEE", timeout=60_000,
                           polling=5)
    return context, page


def measure(url, codes, loads=5):
    """Per load: first result (s from navigation), one 288-row call (ms) and 1 161 single calls (s)."""
    from playwright.sync_api import sync_playwright

    column = [["SKR_FEE", [[[c] for c in codes], 2025]]]
    cells = [["SKR_FEE", [codes[i % len(codes)], 2025]] for i in range(1161)]
    expected = None
    first, rng, many = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        try:
            for _ in range(loads):
                context, page = _page(browser, url)
                r = page.evaluate(FIRST)
                assert r["value"] == 1032899, r  # DOMAIN.md: Göteborg 2025
                first.append(r["ms"] / 1e3)
                for _ in range(5):
                    r = page.evaluate(RECALC, column)
                    expected = expected or r["out"][0]
                    assert r["out"][0] == expected and len(expected) == len(codes)
                    rng.append(r["ms"])
                r = page.evaluate(RECALC, cells)
                values = [v[0][0] if isinstance(v, list) else v for v in r["out"]]
                assert values == [expected[i % len(codes)][0] for i in range(1161)], values[:3]
                many.append(r["ms"] / 1e3)
                context.close()
        finally:
            browser.close()
    return statistics.median(first), statistics.median(rng), statistics.median(many)


def bench_browser(tmp: Path, record, free_port, wait_until_up, codes):
    import make_addin

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = make_addin.build(url, tmp / "addin")
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(url, server)
        first, rng, many = measure(url, codes)
    finally:
        server.terminate()
        server.wait(10)
    record("browser_first_s", "Webbläsarvägen (Pyodide i Chromium): första resultat",
           first, "s", 5.0)
    record("browser_range_288_ms", f"  ett anrop med {len(codes)} rader (median)", rng, "ms", 10.0)
    record("browser_singles_1161_s", "  1 161 enskilda anrop på en gång (omräkning)", many, "s", 0.3)


def bench_server_in_browser(url: str, record, codes, workers: int):
    """The server route in the same browser: the page asks ``skr-fee serve`` (at ``url``) once per cell."""
    first, rng, many = measure(url, codes, loads=3)
    record("server_browser_first_s", f"Servervägen ({workers} arbetsprocesser), samma webbläsare: första resultat",
           first, "s")
    record("server_browser_range_288_ms", f"  ett anrop med {len(codes)} rader (median)", rng, "ms")
    record("server_browser_singles_1161_s", "  1 161 enskilda anrop på en gång (omräkning; ett HTTP-anrop per cell)",
           many, "s")
