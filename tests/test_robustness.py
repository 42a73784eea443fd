"""Robustness: fuzzed calls and files, faults while writing, and tampering.

Bounded in time: a few hundred generated inputs per target, derandomized so
that every run tests the same inputs (hypothesis' database is off).
"""

import hashlib
import json
import random
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from skr_fee.rules.key_toml import parse_key
from skr_fee.excel.officejs import ERROR_MARK
from skr_fee.rules.split import allocate
from skr_fee.documents.annex_files import write_annex
from skr_fee.rules.errors import SkrFeeError
from skr_fee.documents.fingerprint import verify
from skr_fee.data.periods import period_for_year
from skr_fee.data.scb_import import import_file
from test_annex_faults import annex_inputs  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parents[1]
FUZZ = settings(max_examples=300, derandomize=True, database=None, deadline=None,
                suppress_health_check=list(HealthCheck))
COUNTS: dict[str, int] = {}


def count(name):
    COUNTS[name] = COUNTS.get(name, 0) + 1


# How many generated inputs each target must have met; a run that met fewer fails.
AT_LEAST = {"custom-functions-call": 300, "custom-functions-call (raw bytes)": 40, "custom-scripts-call": 150,
            "import-scb": 300, "key parser": 300, "tampered cells": 100}


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    print("\nfuzzed and tampered inputs per target:", dict(sorted(COUNTS.items())))
    short = {k: (COUNTS.get(k, 0), n) for k, n in AT_LEAST.items() if COUNTS.get(k, 0) < n}
    assert not short, f"fewer inputs than required (got, required): {short}"


SWEDISH = ("å", "ä", "ö", " inte", " ska ", " tar ", "saknas", "Ange", "Okänd", "Fältet", "Anropet")
ENGLISH = ("Not Found", "Internal Server Error", "Method Not Allowed", "field required", "Field required",
           "Expecting value", "Traceback", "value is not", "Input should")


def assert_a_message_not_internals(r):
    """A 4xx answers with a Swedish detail; nothing of Python's insides reaches the client."""
    assert r.status_code < 500, r.text
    assert "Traceback" not in r.text and 'File "' not in r.text
    if r.status_code >= 400:
        detail = r.json().get("detail")
        assert isinstance(detail, str) and detail.strip() and any(w in detail for w in SWEDISH), r.text
        assert not any(w in detail for w in ENGLISH), r.text


def assert_cells(result):
    assert isinstance(result, list) and all(isinstance(row, list) for row in result)
    for row in result:
        for v in row:
            if isinstance(v, str) and v.startswith(ERROR_MARK):
                _, code, message = v.split(ERROR_MARK)
                assert code in ("#N/A", "#VALUE!") and message.strip() and "Traceback" not in message


# ------------------------------------------------------------ endpoints
def post_json(url, body):
    """As a client would send it, NaN and Infinity included (Python's json writes them)."""
    return httpx.post(url, content=json.dumps(body), headers={"Content-Type": "application/json"}, timeout=60)


cell = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(["Göteborg", "1480", "Götborg", "", " ", "\u2063#N/A\u2063x", "😀", "\x00"]),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    st.fixed_dictionaries({"type": st.sampled_from(["Error", "Double", "String", "Entity"])}),
)
matrix = st.lists(st.lists(cell, max_size=4), max_size=6)
arg = st.one_of(cell, matrix, st.lists(cell, max_size=3))
payload = st.one_of(
    st.fixed_dictionaries(
        {"client": st.sampled_from(["Office.js", "x"]), "version": st.sampled_from(["0.37.8", "1"]),
         "func_name": st.sampled_from(["SKR_FEE", "SKR_INVOICE", "SKR_AREA", "SKR_RATE", "SKR_POPULATION", "SKR_SPLIT", "FEE", "NOPE", "__class__", ""]),
         "args": st.lists(arg, max_size=5)},
        optional={"caller_address": st.one_of(st.none(), st.text(max_size=20)), "runtime": st.text(max_size=5),
                  "date_format": st.text(max_size=5)}),
    st.dictionaries(st.text(max_size=8), cell, max_size=4),
    st.lists(cell, max_size=3), cell,
)


@FUZZ
@given(body=payload)
def test_fuzz_custom_function_endpoint(server, body):
    count("custom-functions-call")
    r = post_json(f"{server}/xlwings/custom-functions-call", body)
    assert_a_message_not_internals(r)
    if r.status_code == 200:
        assert_cells(r.json()["result"])


@settings(max_examples=40, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(raw=st.binary(max_size=200))
def test_fuzz_custom_function_endpoint_raw_bytes(server, raw):
    count("custom-functions-call (raw bytes)")
    r = httpx.post(f"{server}/xlwings/custom-functions-call", content=raw,
                   headers={"Content-Type": "application/json"}, timeout=30)
    assert_a_message_not_internals(r)


sheet = st.fixed_dictionaries({"name": st.one_of(st.text(max_size=10), st.integers()),
                               "values": st.one_of(matrix, st.text(max_size=5))})
book = st.one_of(
    st.fixed_dictionaries({"client": st.just("Office.js"), "version": st.just("0.37.8"),
                           "book": st.fixed_dictionaries({"name": st.text(max_size=8),
                                                          "active_sheet_index": st.one_of(st.integers(-2, 3), st.text(max_size=2))}),
                           "sheets": st.lists(sheet, max_size=3), "names": st.just([])}),
    st.dictionaries(st.text(max_size=8), cell, max_size=3), cell,
)


@settings(max_examples=150, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=st.sampled_from(["skapa_bilaga", "infoga_avgiftsmall", "nope", "..%2F"]), body=book)
def test_fuzz_script_endpoint(server, name, body):
    count("custom-scripts-call")
    r = post_json(f"{server}/xlwings/custom-scripts-call/{name}", body)
    assert r.status_code < 500, r.text
    assert "Traceback" not in r.text and 'File "' not in r.text


def test_huge_and_empty_ranges(server):
    body = {"client": "Office.js", "version": "0.37.8", "func_name": "SKR_FEE", "caller_address": None,
            "session_id": "t", "culture_info_name": "sv-SE", "date_format": "yyyy-mm-dd", "runtime": "1.4"}
    r = httpx.post(f"{server}/xlwings/custom-functions-call", json=body | {"args": [[["Ale"]] * 100_001]}, timeout=60)
    assert r.status_code == 413 and "högst 100000" in r.json()["detail"]
    r = httpx.post(f"{server}/xlwings/custom-functions-call", json=body | {"args": [[["Ale"]] * 10_000]}, timeout=60)
    assert r.status_code == 200 and len(r.json()["result"]) == 10_000  # the most rows one call takes
    r = httpx.post(f"{server}/xlwings/custom-functions-call", json=body | {"args": [[["Ale"]] * 10_001]}, timeout=60)
    assert r.status_code == 200 and "högst 10000 går i ett anrop" in r.json()["result"][0][0]
    r = httpx.post(f"{server}/xlwings/custom-functions-call", json=body | {"args": [[]]}, timeout=60)
    assert r.status_code < 500


def test_server_keeps_serving_after_the_fuzzing(server):
    body = {"client": "Office.js", "version": "0.37.8", "func_name": "SKR_FEE", "args": [[["Göteborg"]], [[2025]]],
            "caller_address": None, "session_id": "t", "culture_info_name": "sv-SE",
            "date_format": "yyyy-mm-dd", "runtime": "1.4"}
    assert httpx.get(server + "/").status_code == 200
    assert httpx.post(f"{server}/xlwings/custom-functions-call", json=body).json()["result"] == [[1032899]]


# ------------------------------------------------------------ files
VALID_CSV = None


def valid_scb_csv() -> bytes:
    global VALID_CSV
    if VALID_CSV is None:
        from skr_fee.data.population import population_on
        from datetime import date
        from skr_fee.data.municipalities import registry
        counts = population_on(date(2023, 12, 31)).counts
        lines = ['"Folkmängd efter region och år"', "", '"region";"2024"', f'"00 Riket";"{sum(counts.values())}"']
        lines += [f'"{m.code} {m.name}";"{counts[m.code]}"' for m in registry()]
        lines += ["", '"Källa: SCB"']
        VALID_CSV = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return VALID_CSV


def mutate(data: bytes, rng: random.Random, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        op = rng.randrange(6)
        i = rng.randrange(max(1, len(b)))
        if op == 0 and b:
            b[i] = rng.randrange(256)
        elif op == 1:
            del b[i:i + rng.randrange(1, 40)]
        elif op == 2:
            b[i:i] = rng.choice([b";", b",", b"\t", b'"', b"\n", b" ", b"..", b"-", b"\xff", "ö".encode()])
        elif op == 3:
            lines = bytes(b).split(b"\n")
            j = rng.randrange(len(lines))
            lines.insert(j, lines[rng.randrange(len(lines))])
            b = bytearray(b"\n".join(lines))
        elif op == 4:
            b = b[: rng.randrange(len(b) + 1)]
        else:
            b = bytearray(bytes(b).replace(b";", b",", rng.randrange(1, 50)))
    return bytes(b)


def snapshot(folder: Path):
    return {p.as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()} \
        if folder.exists() else {}


@settings(max_examples=300, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4))
def test_fuzz_scb_importer(tmp_path_factory, monkeypatch, seed, n):
    count("import-scb")
    folder = tmp_path_factory.mktemp("store")
    monkeypatch.setenv("SKR_FEE_DATA", str(folder))
    path = folder.parent / f"mut{seed}.csv"
    path.write_bytes(mutate(valid_scb_csv(), random.Random(seed), n))
    before = snapshot(folder)
    try:
        results = import_file(path)
    except SkrFeeError as e:
        assert e.message and "Traceback" not in e.message
        assert snapshot(folder) == before
        count("import-scb: rejected with a message, store unchanged")
        return
    count("import-scb: still valid, imported")
    for r in results:  # a mutation that left the data valid: what is stored is complete
        from skr_fee.data.population import population_on
        stored = population_on(r.date).counts
        assert len(stored) == 290 and all(isinstance(v, int) and v >= 0 for v in stored.values())


KEY_TEXT = (ROOT / "keys" / "goteborg.toml").read_text(encoding="utf-8")


@settings(max_examples=300, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 4))
def test_fuzz_key_parser(seed, n):
    count("key parser")
    rng = random.Random(seed)
    text = mutate(KEY_TEXT.encode("utf-8"), rng, n).decode("utf-8", errors="replace")
    try:
        key = parse_key(text, "nyckel.toml")
        a = allocate(1032899, key, period_for_year(2025))
    except SkrFeeError as e:
        assert e.message.startswith("nyckel.toml") or "Nyckel" in e.message or "Beloppet" in e.message \
            or "andel" in e.message, e.message
        count("key parser: rejected with a message")
        return
    assert a.total == 1032899
    count("key parser: still valid, sums exactly")


# ------------------------------------------------------------ tampering
def test_every_single_cell_change_is_detected(tmp_path, annex_inputs):
    original = tmp_path / "bilaga.xlsx"
    write_annex(*annex_inputs, original, password="x")
    wb = load_workbook(original)
    ws = wb["Bilaga"]
    targets = [c.coordinate for row in ws.iter_rows() for c in row if c.value not in (None, "")]
    targets += ["D5", "A80", "E1"]  # empty cells given a value
    fp_cell = {p.name: p.value for p in wb.custom_doc_props}["Kontrollsummans cell"].split("!")[1]
    changed = tmp_path / "andrad.xlsx"
    for coord in targets:
        count("tampered cells")
        wb = load_workbook(original)
        cell = wb["Bilaga"][coord]
        v = cell.value
        cell.value = v + 1 if isinstance(v, int) else (v * 1.001 + 0.01 if isinstance(v, float) else f"{v or ''}x")
        wb.save(changed)
        verdict = verify(changed)
        assert not verdict.intact, coord
        if coord != fp_cell:
            assert any(ch.startswith(f"Bilaga!{coord}:") for ch in verdict.changes), (coord, verdict.changes)
    assert len(targets) > 100
    assert verify(original).intact
