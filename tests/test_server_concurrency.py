"""Many economists, one server (issue 25): eight *Skapa bilaga* for eight municipalities, each with
its own boards, sent at the same moment, three rounds, under ``skr-fee serve`` and under the
Containerfile's own command (gunicorn with uvicorn workers, read from the Containerfile). Each
response must hold exactly its own municipality, boards, amount and files, and nothing of the
other seven: the server once appended the task pane's callback to whichever book was opened
last, so one user got another's annex, password and check code.

Expected amounts come from tests/reference.py (SKR's rules in plain fractions over SCB's files).
"""

import base64
import copy
import io
import json
import os
import sys
import threading
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

import reference
from conftest import ROOT, start_server, stop_server
from officejs_payload import book_payload

from skr_fee.documents.fingerprint import verify

pytestmark = pytest.mark.slow
YEAR = 2025
# eight municipalities whose names are not part of each other's
MUNICIPALITIES = {"0138": "Tyresö", "1480": "Göteborg", "1384": "Kungsbacka", "2080": "Falun",
                  "2506": "Arjeplog", "2480": "Umeå", "0980": "Gotland", "1280": "Malmö"}
ROUNDS = 3


def expected_amount(code: str) -> int:
    f1, f2, _ = reference.shared_out(reference.population(YEAR - 2), reference.participants_2025_2028())[code]
    return f1 + f2  # the template's key splits faktura 1 + 2


def boards(name: str) -> list[str]:
    return [f"Socialnämnden i {name}", f"Vård- och omsorgsnämnden i {name}"]


@pytest.fixture(scope="module")
def payloads():
    """The allocation template's Tyresö sheet as Office.js sends it, alone in its book and named
    Fördelning, with each municipality's name in its title and B3 and a key of its own (its two
    boards, 60 and 40 %) in A12:C31."""
    base = book_payload(ROOT / "workbook_templates" / "fordelning.xlsx", active="Tyresö")
    out = {}
    for code, name in MUNICIPALITIES.items():
        p = copy.deepcopy(base)
        sheet = p["sheets"][p["book"]["active_sheet_index"]]
        sheet["name"] = "Fördelning"
        p["sheets"], p["book"]["active_sheet_index"], p["book"]["name"] = [sheet], 0, f"{name}.xlsx"
        values = sheet["values"]
        values[0][0] = f"Fördelning av SKR-avgiften per nämnd: {name}"
        values[2][1] = name
        values[3][1] = YEAR
        for row in range(11, 31):
            values[row][0:3] = ["", "", ""]
        values[11][0:3] = ["", boards(name)[0], 60]
        values[12][0:3] = ["", boards(name)[1], 40]
        out[code] = p
    return out


def check_response(code: str, response: httpx.Response) -> None:
    name = MUNICIPALITIES[code]
    assert response.status_code == 200, f"{name}: {response.status_code} {response.text[:300]}"
    text = response.text
    for other in MUNICIPALITIES.values():
        if other != name:
            assert other not in text, f"the answer to {name} mentions {other}"
    actions = response.json()["actions"]
    assert actions[0]["func"] == "addSheet" and actions[0]["args"][1] == f"Bilaga {name} {YEAR}"
    macros = [a for a in actions if a["func"] == "runMacro"]
    assert len(macros) == 1, f"{name}: {len(macros)} callbacks"
    _, sheet, password, fingerprint, files, amount_text = macros[0]["args"]
    amount = expected_amount(code)
    assert sheet == f"Bilaga {name} {YEAR}" and amount_text.replace("\u00a0", "") == f"{amount} kr"
    xlsx = base64.b64decode(files["xlsx"]["data"])
    assert files["xlsx"]["name"] == f"bilaga_{name}_{YEAR}.xlsx"
    cells = [c for row in load_workbook(io.BytesIO(xlsx))["Bilaga"].iter_rows(values_only=True) for c in row]
    assert any(isinstance(c, str) and name in c for c in cells)
    assert set(boards(name)) <= {c.strip() for c in cells if isinstance(c, str)}
    assert amount in cells


def rounds(url: str, payloads: dict) -> int:
    """ROUNDS rounds of all eight at once; the number of responses that held their own annex."""
    good = 0
    for _ in range(ROUNDS):
        start = threading.Barrier(len(payloads))
        answers: dict[str, object] = {}

        def press(code):
            start.wait()
            try:
                answers[code] = httpx.post(f"{url}/xlwings/custom-scripts-call/skapa_bilaga",
                                           json=payloads[code], timeout=180)
            except httpx.HTTPError as e:
                answers[code] = e

        threads = [threading.Thread(target=press, args=(code,)) for code in payloads]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for code, answer in answers.items():
            assert isinstance(answer, httpx.Response), f"{MUNICIPALITIES[code]}: {answer!r}"
            check_response(code, answer)
            good += 1
    return good


def test_eight_at_once_under_skr_fee_serve(payloads, tmp_path):
    url, proc = start_server(tmp_path)
    try:
        assert rounds(url, payloads) == len(MUNICIPALITIES) * ROUNDS
    finally:
        stop_server(proc)


def containerfile_command(port: int) -> list[str]:
    """The Containerfile's CMD as the image runs it (``sh -c``: the readiness check, then gunicorn),
    bound to loopback instead of 0.0.0.0:8000."""
    cmd = next(line for line in (ROOT / "Containerfile").read_text().splitlines() if line.startswith("CMD "))
    shell = json.loads(cmd[4:])
    assert shell[:2] == ["sh", "-c"] and "exec gunicorn " in shell[2] and "-b 0.0.0.0:8000 " in shell[2]
    return ["sh", "-c", shell[2].replace("-b 0.0.0.0:8000 ", f"-b 127.0.0.1:{port} ")]


def containerfile_env() -> dict:
    """The Containerfile's ENV, with this venv's commands (skr-fee, gunicorn) first on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    return dict(os.environ, XLWINGS_PROJECT_DIR=str(ROOT / "addin" / "server"), XLWINGS_LICENSE_KEY="noncommercial",
                FORWARDED_ALLOW_IPS="127.0.0.1", PATH=bin_dir + os.pathsep + os.environ["PATH"])


def test_eight_at_once_under_the_containerfiles_gunicorn(payloads, tmp_path):
    url, proc = start_server(tmp_path, containerfile_command, containerfile_env())
    try:
        assert rounds(url, payloads) == len(MUNICIPALITIES) * ROUNDS
    finally:
        stop_server(proc)
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_a_downloaded_annex_verifies_as_its_own(payloads, tmp_path):
    """One more look at a file as the economist saves it: its check code is the one the pane
    showed, and it names its own municipality."""
    url, proc = start_server(tmp_path)
    try:
        r = httpx.post(f"{url}/xlwings/custom-scripts-call/skapa_bilaga", json=payloads["2080"], timeout=180)
    finally:
        stop_server(proc)
    _, _, _, fingerprint, files, _ = next(a for a in r.json()["actions"] if a["func"] == "runMacro")["args"]
    path = tmp_path / files["xlsx"]["name"]
    path.write_bytes(base64.b64decode(files["xlsx"]["data"]))
    verdict = verify(path)
    assert verdict.intact and verdict.code == fingerprint
