"""A server that holds (issue 13): each hostile case of the issue against a fresh `skr-fee serve`,
with a normal call made while it runs, and thousands of fuzzed payloads.

Every answer must come within the issue's time (5 s; 10 s for the upload and the 50 000-name call),
be a 4xx with a Swedish detail or a cell error, never a 5xx or a hang; a normal FEE call made
during each attack must answer within 2 s.
"""

import json
import random
import threading
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from conftest import start_server, stop_server
from skr_fee.excel.officejs import ERROR_MARK

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow
BASE = {"client": "Office.js", "version": "0.37.8", "caller_address": None, "session_id": "t",
        "culture_info_name": "sv-SE", "date_format": "yyyy-mm-dd", "runtime": "1.4"}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    url, proc = start_server(folder)
    yield url, proc
    stop_server(proc)


def call(url, func, *args, timeout=30):
    return httpx.post(f"{url}/xlwings/custom-functions-call", json=BASE | {"func_name": func, "args": list(args)},
                      timeout=timeout)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def while_attacked(url, attack, limit_s):
    """Run ``attack`` in a thread; meanwhile a normal FEE call must answer within 2 s."""
    result = {}

    def run():
        t = time.monotonic()
        result["response"] = attack()
        result["seconds"] = time.monotonic() - t

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.2)
    t = time.monotonic()
    normal = call(url, "SKR_FEE", [["Göteborg"]], [[2025]], timeout=5)
    normal_s = time.monotonic() - t
    thread.join(timeout=limit_s + 5)
    assert not thread.is_alive(), "the attack did not finish"
    assert normal.status_code == 200 and normal.json()["result"] == [[1032899]]
    assert normal_s < 2, f"a normal call took {normal_s:.2f} s during the attack"
    assert result["seconds"] < limit_s, f"the attack took {result['seconds']:.1f} s"
    return result["response"]


def cell_error(r):
    assert r.status_code == 200, r.text
    value = r.json()["result"][0][0]
    assert isinstance(value, str) and value.startswith(ERROR_MARK), value
    return value.split(ERROR_MARK)[2]


def test_a_share_of_1e99999999(fresh):
    url, _ = fresh
    key = [["Nämnd", "Andel"], ["Socialnämnden", "1e99999999"], ["Vård", "1"]]
    r = while_attacked(url, lambda: call(url, "SKR_SPLIT", [["Tyresö"]], key, [[2025]]), 5)
    assert "andelen '1e99999999' är orimlig" in cell_error(r)


def test_a_share_of_1e300(fresh):
    url, _ = fresh
    r = call(url, "SKR_SPLIT", [["Tyresö"]], [["Nämnd", "Andel"], ["A", 1e300], ["B", 1]], [[2025]])
    assert "är orimlig" in cell_error(r)


def test_50000_unknown_names(fresh):
    url, _ = fresh
    names = [[f"Okänd{i}"] for i in range(50_000)]
    r = while_attacked(url, lambda: call(url, "SKR_FEE", names, [[2025]], timeout=20), 10)
    assert "högst 10000 går i ett anrop" in cell_error(r)
    names = [[f"Okänd{i}"] for i in range(10_000)]  # at the bound: answered, suggestions capped
    r = while_attacked(url, lambda: call(url, "SKR_FEE", names, [[2025]], timeout=20), 10)
    assert r.status_code == 200 and len(r.json()["result"]) == 10_000


def test_a_60_mb_body_is_refused_before_it_is_read(fresh):
    url, _ = fresh
    body = b"[" + b"0," * (30 * 1024 * 1024) + b"0]"
    r = while_attacked(url, lambda: httpx.post(f"{url}/xlwings/custom-functions-call", content=body,
                                               headers={"Content-Type": "application/json"}, timeout=30), 5)
    assert r.status_code == 413 and "större än 5 MB" in r.json()["detail"]

    def chunks():  # no Content-Length: cut off while streaming
        for _ in range(60):
            yield b" " * (1024 * 1024)

    r = httpx.post(f"{url}/xlwings/custom-functions-call", content=chunks(),
                   headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 413


def zip_bomb(path: Path) -> Path:
    """A real annex package with 2 GB of whitespace in one sheet, about 2 MB on disk."""
    from skr_fee.cli import main
    annex = path.with_name("bilaga.xlsx")
    assert main(["annex", "Tyresö", "--year", "2025", "--key", str(ROOT / "keys" / "tyreso.toml"), "-o", str(annex),
                 "--password", "x"]) == 0
    with zipfile.ZipFile(annex) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with out.open(item.filename, "w", force_zip64=True) as f:
                    f.write(src.read(item.filename)[:-len(b"</worksheet>")])
                    block = b" " * (8 * 1024 * 1024)
                    for _ in range(256):
                        f.write(block)
                    f.write(b"</worksheet>")
            else:
                out.writestr(item, src.read(item.filename))
    return path


def test_a_zip_bomb_upload(fresh, tmp_path):
    url, proc = fresh
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 3 * 1024 * 1024
    before = rss_mb(proc.pid)
    r = while_attacked(url, lambda: httpx.post(f"{url}/skr/kontrollera", files={"fil": ("bilaga.xlsx", bomb.read_bytes())},
                                               timeout=30), 10)
    assert r.status_code == 400 and "packas upp till 2048 MB" in r.json()["detail"]
    assert rss_mb(proc.pid) - before < 300


def test_a_cross_site_text_plain_post_does_not_run_the_script(fresh):
    url, _ = fresh
    r = httpx.post(f"{url}/xlwings/custom-scripts-call/skapa_bilaga", content=json.dumps({"book": {}}),
                   headers={"Content-Type": "text/plain", "Origin": "https://evil.example"}, timeout=5)
    assert r.status_code == 415 and "JSON" in r.json()["detail"]
    assert "access-control-allow-origin" not in {k.lower() for k in r.headers}


def test_nothing_is_stored_on_the_server(tmp_path):
    """A server of its own, with a temporary folder of its own: after an annex, that folder is as empty
    as before (the machine's /tmp is shared with every other process and proves nothing)."""
    import os
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from officejs_payload import book_payload
    own_tmp = tmp_path / "tmp"
    own_tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(own_tmp), TEMP=str(own_tmp), TMP=str(own_tmp))
    url, proc = start_server(tmp_path, env=env)
    try:
        payload = book_payload(ROOT / "workbook_templates" / "fordelning.xlsx", active="Tyresö")
        r = httpx.post(f"{url}/xlwings/custom-scripts-call/skapa_bilaga", json=payload, timeout=120)
        assert r.status_code == 200
        assert sorted(p.name for p in own_tmp.rglob("*")) == []
        assert httpx.get(f"{url}/skr/bilaga/abc/bilaga.xlsx").status_code == 404
    finally:
        stop_server(proc)


def fuzzed(rng: random.Random):
    cells = [None, True, 0, -1, 10**12, 1e308, float("nan"), "", " ", "Göteborg", "1480", "Götborg", "1e99999999",
             "x" * 5000, "\u2063#N/A\u2063x", "😀", "\x00", {"type": "Error"}, {"type": "Double", "basicValue": 1},
             [1], {"a": []}]
    def cell():
        return rng.choice(cells)
    def matrix():
        return [[cell() for _ in range(rng.randrange(4))] for _ in range(rng.randrange(5))]
    kind = rng.randrange(10)
    if kind < 6:
        body = BASE | {"func_name": rng.choice(["SKR_FEE", "SKR_INVOICE", "SKR_AREA", "SKR_RATE", "SKR_POPULATION", "SKR_SPLIT", "FEE", "X", ""]),
                       "args": [rng.choice([cell(), matrix(), [cell()]]) for _ in range(rng.randrange(6))]}
        if rng.random() < 0.2:
            body.pop(rng.choice(list(body)))
        return "/xlwings/custom-functions-call", body
    if kind < 8:
        return "/xlwings/custom-scripts-call/" + rng.choice(["skapa_bilaga", "infoga_avgiftsmall", "x", "..%2F"]), \
            rng.choice([{"book": {"active_sheet_index": rng.randrange(-2, 3)}, "sheets": [{"name": "B", "values": matrix()}]},
                        cell(), matrix()])
    return "/xlwings/custom-functions-call", rng.choice([cell(), matrix(), {"args": matrix()}])


def test_5000_fuzzed_payloads_never_get_a_5xx(fresh):
    url, _ = fresh
    rng = random.Random(13)
    statuses = {}
    with httpx.Client(base_url=url, timeout=30) as client:
        for _ in range(5000):
            path, body = fuzzed(rng)
            r = client.post(path, content=json.dumps(body), headers={"Content-Type": "application/json"})
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            assert r.status_code < 500, (path, body, r.text)
            assert "Traceback" not in r.text and 'File "' not in r.text
    print("\n5000 fuzzed payloads, responses by status:", dict(sorted(statuses.items())))
    assert sum(statuses.values()) == 5000 and not any(s >= 500 for s in statuses)
    assert call(url, "SKR_FEE", [["Göteborg"]], [[2025]]).json()["result"] == [[1032899]]
