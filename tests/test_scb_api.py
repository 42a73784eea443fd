"""`skr-fee hämta-scb`: SCB's PxWeb API replayed from a loopback server, never the real one.

Responses: SCB's own recording for 2025 (../shared/data/scb, JSON-stat2, keys
re-saved out of order), and responses built in the exact shape of the
recorded TAB638 file (Region × Civilstand × Alder × Kon × ContentsCode × Tid,
no totals, cells to be summed) and of PxWeb's CSV from SCB's published
figures in ../shared/data. Expected figures are SCB's files, never the
product's output.
"""

import csv
import hashlib
import json
import os
import subprocess
import sys
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from skr_fee.data.population import population_on
from skr_fee.data.scb_api import FetchError, fetch_and_store, latest_published

SHARED = next(p / "shared" / "data" for p in Path(__file__).resolve().parents if (p / "shared" / "data").is_dir())
SCB = SHARED / "scb"
ROOT = Path(__file__).resolve().parents[1]


def published(year):
    with open(SHARED / f"folkmangd_{year}-12-31.csv", encoding="utf-8", newline="") as f:
        return {r["kommunkod"]: int(r["folkmangd"]) for r in csv.DictReader(f)}


NATIONAL = {2023: 10_551_707, 2024: 10_587_710, 2025: 10_605_529}  # SCB's national figures (shared/data/README.md)
CIVIL = ["OG", "G", "SK", "ÄNKL"]


def tab638(counts: dict, year: int, scramble=True) -> bytes:
    """JSON-stat2 in the shape of SCB's recorded TAB638 response: every region split over sex and marital status."""
    regions = sorted(counts)
    index = {c: i for i, c in enumerate(regions)}
    if scramble:  # as the recorder's JSON writer did: keys out of order, positions still right
        index = dict(sorted(index.items(), key=lambda kv: kv[0][::-1]))
    values = []
    for c in regions:
        n = counts[c]
        parts = [n // 8] * 8
        parts[0] += n - sum(parts)
        values += parts  # Civilstand (4) × Alder (1) × Kon (2), row-major
    doc = json.loads((SCB / "TAB638_1989-1994_tre_kommuner.json-stat2.json").read_text(encoding="utf-8"))
    doc["size"] = [len(regions), 4, 1, 2, 1, 1]
    doc["dimension"]["Region"]["category"] = {"index": index, "label": {c: c for c in regions}}
    doc["dimension"]["Tid"]["category"] = {"index": {str(year): 0}, "label": {str(year): str(year)}}
    doc["value"] = values
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def tab5557_national(year: int) -> bytes:
    doc = json.loads((SCB / "TAB5557_2025_alla_kommuner.json-stat2.json").read_text(encoding="utf-8"))
    doc["size"] = [1, 1, 1, 1, 1, 1]
    doc["dimension"]["Region"]["category"] = {"index": {"00": 0}, "label": {"00": "Riket"}}
    doc["value"] = [NATIONAL[year]]
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def pxweb_csv(counts: dict, year: int) -> bytes:
    """PxWeb's CSV: region as "code name", one row per sex, the value column headed with the year."""
    names = {}
    with open(SHARED / "folkmangd_2023-12-31.csv", encoding="utf-8") as f:
        names = {r["kommunkod"]: r["kommun"] for r in csv.DictReader(f)}
    names["00"] = "Riket"
    lines = [f'"region","civilstånd","ålder","kön","Folkmängd {year}"']
    for c in sorted(counts):
        men = counts[c] // 2
        for sex, n in (("män", men), ("kvinnor", counts[c] - men)):
            lines.append(f'"{c} {names[c]}","totalt","totalt ålder","{sex}",{n}')
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


class Replay:
    """A loopback PxWeb: answers by (path, region count) from a table of responses, logs every request."""

    def __init__(self):
        self.routes = {}  # (path prefix, "all" | "00") -> (status, headers, body)
        self.log = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                replay.log.append((self.path, body))
                regions = next((s.get("valueCodes") or s["selection"]["values"]
                                for s in body.get("selection", body.get("query", []))
                                if s.get("variableCode", s.get("code")) == "Region"), [])
                which = "00" if regions == ["00"] else "all"
                for (prefix, kind), (status, headers, data) in replay.routes.items():
                    if self.path.startswith(prefix) and kind == which:
                        break
                else:
                    status, headers, data = 404, {}, b'{"title":"Not found"}'
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def v2(self, table, kind, status=200, body=b"", headers=None):
        self.routes[(f"/v2/tables/{table}/data", kind)] = (status, headers or {}, body)

    def v1(self, path, kind, status=200, body=b"", headers=None):
        self.routes[(f"/v1/{path}", kind)] = (status, headers or {}, body)


@pytest.fixture()
def scb(monkeypatch, tmp_path):
    r = Replay()
    monkeypatch.setenv("SKR_FEE_SCB_API", r.url + "/v2")
    monkeypatch.setenv("SKR_FEE_SCB_API_V1", r.url + "/v1")
    monkeypatch.setenv("SKR_FEE_DATA", str(tmp_path / "store"))
    yield r
    r.httpd.shutdown()


def snapshot(folder: Path):
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


RECORDED_2025 = (SCB / "TAB5557_2025_alla_kommuner.json-stat2.json").read_bytes()


def test_2025_from_scbs_own_recorded_response(scb, tmp_path):
    scb.v2("TAB5557", "all", body=RECORDED_2025)
    scb.v2("TAB5557", "00", body=tab5557_national(2025))
    stored = fetch_and_store(2025)
    assert dict(population_on(date(2025, 12, 31)).counts) == published(2025)
    # the request is the one SCB's recorder sent (the selection, in any order)
    recorded = json.loads((SCB / "TAB5557_2025_request.json").read_text(encoding="utf-8"))
    sent = scb.log[0][1]
    as_sets = lambda b: {s["variableCode"]: sorted(s["valueCodes"]) for s in b["selection"]}  # noqa: E731
    assert as_sets(sent) == as_sets(recorded)
    assert scb.log[0][0] == "/v2/tables/TAB5557/data?lang=sv&outputFormat=json-stat2"
    # SCB's noise from 2025: 10 605 520 against 10 605 529, a note and not an error
    assert any("Cell Key Method" in n and "(\u22129)" in n for n in stored.notes)
    meta = json.loads((tmp_path / "store" / "population" / "2025-12-31.json").read_text(encoding="utf-8"))
    assert meta["tabell"] == "TAB5557" and meta["innehåll"] == "000007ME" and meta["riket"] == 10_605_529
    assert meta["sha256"] == hashlib.sha256(RECORDED_2025).hexdigest()
    assert meta["url"].endswith("/tables/TAB5557/data?lang=sv&outputFormat=json-stat2")
    assert meta["hämtad"][:4].isdigit()


def test_2024_from_tab638_cells_summed(scb):
    scb.v2("TAB638", "all", body=tab638(published(2024), 2024))
    scb.v2("TAB638", "00", body=tab638({"00": NATIONAL[2024]}, 2024))
    stored = fetch_and_store(2024)
    assert dict(population_on(date(2024, 12, 31)).counts) == published(2024)
    assert stored.notes == ()  # up to 2024 the sum is exact
    body = scb.log[0][1]
    assert {s["variableCode"]: s["valueCodes"] for s in body["selection"]}["Civilstand"] == CIVIL


def test_v1_csv_when_v2_does_not_answer(scb):
    scb.v2("TAB638", "all", status=503, body=b'{"title":"Service unavailable"}')
    scb.v1("BE/BE0101/BE0101A/BefolkningNy", "all", body=pxweb_csv(published(2024), 2024))
    scb.v1("BE/BE0101/BE0101A/BefolkningNy", "00", body=pxweb_csv({"00": NATIONAL[2024]}, 2024))
    fetch_and_store(2024)
    assert dict(population_on(date(2024, 12, 31)).counts) == published(2024)
    assert scb.log[-1][1]["response"] == {"format": "csv"}


def test_the_replayed_api_gives_the_same_figures_as_the_file_import(scb, tmp_path):
    """PxWeb JSON-stat2, PxWeb CSV and SCB's file all store the same 2024."""
    from skr_fee.data.scb_import import import_file
    scb.v2("TAB638", "all", body=tab638(published(2024), 2024))
    scb.v2("TAB638", "00", body=tab638({"00": NATIONAL[2024]}, 2024))
    fetch_and_store(2024)
    from_api = (tmp_path / "store" / "population" / "2024-12-31.csv").read_bytes()
    import_file(SHARED / "folkmangd_2024-12-31.csv", date(2024, 12, 31))
    assert (tmp_path / "store" / "population" / "2024-12-31.csv").read_bytes() == from_api


BROKEN = {
    "429": (dict(status=429, headers={"Retry-After": "60"}, body=b'{"title":"Too many requests"}'),
            "för många anrop just nu (HTTP 429); försök igen om 60 sekunder"),
    "500_both": (dict(status=500, body=b'{"title":"Internal error"}'), "SCB svarade HTTP 500"),
    "not_json": (dict(body=b"<html>maintenance</html>"), "inte den väntade tabellen"),
    "layout": (dict(body=json.dumps({"id": ["Region", "Year"], "size": [1, 1], "value": [1],
                                     "dimension": {"Region": {"category": {"index": {"0114": 0}}},
                                                   "Year": {"category": {"index": {"2025": 0}}}}}).encode()),
               "har ändrat utseende: dimensionerna är Region, Year"),
    "other_year": (dict(body=RECORDED_2025.replace(b'"2025"', b'"2024"')), "gäller inte år 2025"),
    "missing_value": (dict(body=RECORDED_2025.replace(b"[50495,", b"[null,")), "saknar ett helt antal för region 0114"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_failures_are_one_swedish_line_and_store_nothing(scb, tmp_path, case):
    response, message = BROKEN[case]
    scb.v2("TAB5557", "all", **response)
    scb.v2("TAB5557", "00", body=tab5557_national(2025))
    if case == "500_both":
        scb.v1("BE/BE0101/BE0101A/BefolkningCKM", "all", status=500, body=b"")
    before = snapshot(tmp_path / "store")
    with pytest.raises(FetchError) as e:
        fetch_and_store(2025)
    assert message in e.value.message and "Inget sparades" in e.value.message
    assert "\n" not in e.value.message and "Traceback" not in e.value.message
    assert snapshot(tmp_path / "store") == before


def test_checks_before_storing(scb, tmp_path):
    """A national figure that does not match (before 2025), a missing municipality, an implausible change."""
    wrong = tab638({"00": NATIONAL[2024] + 1}, 2024)
    scb.v2("TAB638", "all", body=tab638(published(2024), 2024))
    scb.v2("TAB638", "00", body=wrong)
    with pytest.raises(FetchError, match="men raden 00 Riket säger 10\u00a0587\u00a0711"):
        fetch_and_store(2024)
    fewer = dict(published(2024))
    del fewer["1480"]
    scb.v2("TAB638", "all", body=tab638(fewer, 2024))
    with pytest.raises(FetchError, match="1 kommuner saknas: 1480 Göteborg"):
        fetch_and_store(2024)
    jump = dict(published(2024))
    jump["1440"] = int(jump["1440"] * 1.5)
    scb.v2("TAB638", "all", body=tab638(jump, 2024))
    scb.v2("TAB638", "00", body=tab638({"00": sum(jump.values())}, 2024))
    with pytest.raises(FetchError, match="orimlig förändring: Ale: 32"):
        fetch_and_store(2024)
    assert snapshot(tmp_path / "store") == {}


def test_a_short_retry_after_is_honoured(scb):
    calls = []

    def post(url, body):
        calls.append(url)
        if len(calls) == 1:
            return 429, {"Retry-After": "2"}, b""
        regions = json.loads(body)["selection"]
        only = next(s["valueCodes"] for s in regions if s["variableCode"] == "Region")
        return 200, {}, tab5557_national(2025) if only == ["00"] else RECORDED_2025

    slept = []
    fetch_and_store(2025, post=post, sleep=slept.append)
    assert slept == [2] and len(calls) == 3


def test_latest_published_follows_scbs_calendar():
    assert latest_published(date(2026, 12, 1)) == 2025
    assert latest_published(date(2027, 2, 10)) == 2025
    assert latest_published(date(2027, 3, 1)) == 2026


def test_the_command_line(scb, tmp_path):
    scb.v2("TAB5557", "all", body=RECORDED_2025)
    scb.v2("TAB5557", "00", body=tab5557_national(2025))
    env = dict(os.environ)
    run = lambda *a: subprocess.run([sys.executable, "-m", "skr_fee.cli", *a], capture_output=True,  # noqa: E731
                                    text=True, env=env, timeout=60)
    p = run("hämta-scb", "--år", "2025")
    assert p.returncode == 0, p.stderr
    assert "Hämtade folkmängd per 2025-12-31 från SCB (TAB5557, API v2 (JSON-stat2)): 290 kommuner" in p.stdout
    assert "Cell Key Method" in p.stdout
    p = run("data")
    assert "2025-12-31  SCB, Folkmängd efter region (TAB5557, 000007ME), 31 december 2025, hämtad" in p.stdout
    assert "/tables/TAB5557/data" in p.stdout
    scb.v2("TAB5557", "all", status=429, headers={"Retry-After": "30"})
    p = run("hamta-scb", "--ar", "2025")
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and "HTTP 429" in p.stderr
