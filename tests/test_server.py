"""The Office.js route against the running xlwings Server, with the payloads Office.js sends."""

import base64
import io
import json
import re
import sys
from pathlib import Path

import httpx
import pytest

import reference
from openpyxl import load_workbook

from skr_fee.excel import templates
from skr_fee.documents.fingerprint import verify
from skr_fee.excel.functions import REGISTRY
from skr_fee.data.municipalities import registry
from skr_fee.excel.officejs import ERROR_MARK

sys.path.insert(0, str(Path(__file__).parent))
from officejs_payload import XLWINGS_VERSION, book_payload  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def call(server, func, *args):
    body = {"client": "Office.js", "func_name": func, "args": list(args), "caller_address": "[Bok1.xlsx]Blad1!C5",
            "session_id": "test", "culture_info_name": "sv-SE", "date_format": "yyyy-mm-dd",
            "version": XLWINGS_VERSION, "runtime": "1.4"}
    return httpx.post(f"{server}/xlwings/custom-functions-call", json=body, timeout=30)


def error_of(cell):
    assert isinstance(cell, str) and cell.startswith(ERROR_MARK), cell
    _, code, message = cell.split(ERROR_MARK)
    return code, message


def test_metadata_lists_every_function_with_swedish_help(server):
    meta = httpx.get(f"{server}/xlwings/custom-functions-meta.json").json()
    by_id = {f["id"]: f for f in meta["functions"]}
    # bare names, as on the desktop: =SKR_FEE, not =SKR.FEE
    assert set(by_id) == {f"SKR_{fn.name}" for fn in REGISTRY}
    for fn in REGISTRY:
        m = by_id[f"SKR_{fn.name}"]
        assert m["name"] == f"SKR_{fn.name}"
        assert m["description"] == fn.doc
        # what Excel shows while typing: the Swedish labels
        assert [p["name"] for p in m["parameters"]] == [a.label for a in fn.args]
        assert [p["description"] for p in m["parameters"]] == [a.doc for a in fn.args]
        assert [bool(p.get("optional")) for p in m["parameters"]] == [a.optional for a in fn.args]


def test_manifest_and_task_pane(server):
    manifest = httpx.get(f"{server}/manifest.xml").text
    assert "Namespace" not in manifest  # production: no namespace, so Excel shows =SKR_FEE
    # its own Id, not xlwings Server's default production Id that every xlwings add-in shares
    server_id = re.search(r'manifest_id_prod = "([^"]+)"', (ROOT / "addin" / "server" / "pyproject.toml").read_text())[1]
    assert f"<Id>{server_id}</Id>" in manifest and "76e7c835" not in manifest  # not the browser add-in's
    assert "4f342d85-3a49-41cb-90a5-37b1f2219040" not in manifest
    assert "/skr/custom-functions-code.js" in manifest and "<DefaultLocale>sv-SE</DefaultLocale>" in manifest
    assert "Skapa bilaga" in manifest
    pane = httpx.get(f"{server}/taskpane.html").text
    for label in ("Skapa bilaga", "Infoga avgiftsmall", "Kontrollera bilaga"):
        assert label in pane
    assert 'xw-click="skapa_bilaga"' in pane and 'xw-click="infoga_avgiftsmall"' in pane
    js = httpx.get(f"{server}/skr/custom-functions-code.js").text
    assert 'CustomFunctions.associate("SKR_FEE", SKR_FEE)' in js and "new CustomFunctions.Error" in js


def test_fee_of_goteborg(server):
    r = call(server, "SKR_FEE", [["Göteborg"]], [[2025]])
    assert r.status_code == 200 and r.json()["result"] == [[1032899]]
    assert call(server, "SKR_INVOICE", [["Ale"]], [[2]], [[2025]]).json()["result"] == [[42638]]
    assert call(server, "SKR_POPULATION", [[1440]], [[2025]]).json()["result"] == [[32446]]
    assert call(server, "SKR_AREA", [["Tyresö"]], [["kvalitetsregister"]], [[2025]]).json()["result"] == [[47866]]
    rate = call(server, "SKR_RATE", [[2025]]).json()["result"][0][0]
    assert rate == pytest.approx(1.8981723219, abs=1e-10)


def test_290_rows_in_one_call(server):
    codes = [[m.code] for m in registry()]
    r = call(server, "SKR_FEE", codes, [[2025]])
    assert r.status_code == 200
    result = r.json()["result"]
    assert len(result) == 290
    expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
    for (code,), (value,) in zip(codes, result):
        if code in expected:
            assert value == expected[code][2]
        else:
            assert error_of(value)[0] == "#N/A"


def test_unknown_name_is_an_error_cell_not_a_500(server):
    r = call(server, "SKR_FEE", [["Götborg"]], [[None]])
    assert r.status_code == 200
    code, message = error_of(r.json()["result"][0][0])
    assert code == "#N/A" and "Menar du Göteborg" in message
    code, message = error_of(call(server, "SKR_FEE", [["Ale"]], [[2031]]).json()["result"][0][0])
    assert code == "#VALUE!" and "utanför" in message


def test_split_spills_board_and_amount(server):
    key = [["Nämnd", "Andel"], ["Äldre- och omsorgsnämnden", 70], ["Arbetsmarknads- och socialnämnden", 30], [None, None]]
    result = call(server, "SKR_SPLIT", [["Tyresö"]], key, [[2025]]).json()["result"]
    assert result[:3] == [["Äldre- och omsorgsnämnden", 65337], ["Arbetsmarknads- och socialnämnden", 28002], ["", ""]]
    assert len(result) == len(key)


@pytest.mark.parametrize("body,status,text", [
    ({"func_name": "SKR_FEE", "args": [[["Ale"]]]}, 400, "client"),
    ({"client": "Office.js", "version": "1", "func_name": "DROP_TABLE", "args": []}, 404, "Okänd funktion"),
    ({"client": "Office.js", "version": "1", "func_name": "SKR_FEE", "args": "Ale"}, 400, "args"),
    ({"client": "Office.js", "version": "1", "func_name": "SKR_FEE", "args": [[[{"x": 1}]]]}, 400, "cellvärde"),
    ({"client": "Office.js", "version": "1", "func_name": "SKR_FEE", "args": []}, 400, "tar 1–3 argument"),
])
def test_malformed_calls_get_a_4xx_with_a_message(server, body, status, text):
    r = httpx.post(f"{server}/xlwings/custom-functions-call", json=body)
    assert r.status_code == status and text in r.json()["detail"]


def run_script(server, name, payload):
    return httpx.post(f"{server}/xlwings/custom-scripts-call/{name}", json=payload, timeout=120)


def test_skapa_bilaga_adds_the_annex_sheet_and_offers_the_files(server, tmp_path):
    payload = book_payload(ROOT / "workbook_templates" / templates.ALLOCATION_FILE, active="Göteborg")
    r = run_script(server, "skapa_bilaga", payload)
    assert r.status_code == 200, r.text
    actions = r.json()["actions"]
    assert actions[0]["func"] == "addSheet" and actions[0]["args"][1] == "Bilaga Göteborg 2025"
    values = next(a for a in actions if a["func"] == "setValues")["values"]
    amounts = {row[0].strip(): row[1] for row in values if isinstance(row[1], int)}
    assert amounts["Äldre- samt vård- och omsorgsnämnden (ÄVO)"] == 609146
    assert amounts["Summa"] == 1032899
    assert any(a["func"] == "setNumberFormat" and a["args"] == ["#,##0\" kr\""] for a in actions)
    macro = next(a for a in actions if a["func"] == "runMacro")
    name, sheet, password, fingerprint, files, amount = macro["args"]
    assert name == "skrBilagaKlar" and sheet == "Bilaga Göteborg 2025" and amount == "1\u00a0032\u00a0899 kr"
    assert len(password) == 19 and len(fingerprint) == 35
    # the files travel in the response: the server keeps nothing to fetch later
    xlsx = base64.b64decode(files["xlsx"]["data"])
    assert xlsx[:2] == b"PK" and files["xlsx"]["name"] == "bilaga_Göteborg_2025.xlsx"
    downloaded = tmp_path / "bilaga.xlsx"
    downloaded.write_bytes(xlsx)
    verdict = verify(downloaded)
    assert verdict.intact and verdict.code == fingerprint
    assert base64.b64decode(files["pdf"]["data"])[:5] == b"%PDF-" and files["pdf"]["type"] == "application/pdf"
    assert base64.b64decode(files["docx"]["data"])[:2] == b"PK" and "wordprocessingml" in files["docx"]["type"]
    assert httpx.get(f"{server}/skr/bilaga/x/bilaga.xlsx").status_code == 404  # no store to fetch from


def test_skapa_bilaga_on_a_sheet_without_inputs_says_why(server):
    payload = book_payload(ROOT / "workbook_templates" / templates.FEES_FILE, active="Avgifter")
    r = run_script(server, "skapa_bilaga", payload)
    assert r.status_code == 400
    assert "Kommun saknas i Avgifter!B3" in r.text


def test_infoga_avgiftsmall_inserts_the_functions(server):
    payload = book_payload(ROOT / "workbook_templates" / templates.ALLOCATION_FILE, active="Tyresö")
    actions = run_script(server, "infoga_avgiftsmall", payload).json()["actions"]
    assert actions[0]["func"] == "addSheet" and actions[0]["args"][1] == "SKR-avgifter"
    formulas = [a["values"][0][0] for a in actions if a["func"] == "setFormula"]
    assert "=SKR_FEE(A5:A294,$B$2)" in formulas
    assert "=SKR_INVOICE(A5:A294,1,$B$2)" in formulas
    codes = next(a for a in actions if a["func"] == "setValues" and len(a["values"]) == 290)["values"]
    assert codes[0] == ["0114", "Upplands Väsby"]


def test_kontrollera_bilaga(server, tmp_path):
    out = tmp_path / "b.xlsx"
    from skr_fee.cli import main
    assert main(["annex", "Tyresö", "--year", "2025", "--key", str(ROOT / "keys" / "tyreso.toml"), "-o", str(out),
                 "--password", "x"]) == 0
    r = httpx.post(f"{server}/skr/kontrollera", files={"fil": ("bilaga.xlsx", out.read_bytes())})
    assert r.status_code == 200 and r.json()["intakt"] is True
    wb = load_workbook(out)
    cell = next(c for row in wb["Bilaga"].iter_rows() for c in row if c.value == 37335)
    cell.value = 47335
    buf = io.BytesIO()
    wb.save(buf)
    r = httpx.post(f"{server}/skr/kontrollera", files={"fil": ("bilaga.xlsx", buf.getvalue())})
    data = r.json()
    assert data["intakt"] is False and any("37\u00a0335 kr → 47\u00a0335 kr" in c for c in data["andringar"])
    r = httpx.post(f"{server}/skr/kontrollera", files={"fil": ("x.xlsx", b"not a workbook")})
    assert r.status_code == 400 and "ingen läsbar xlsx-fil" in r.json()["detail"]
    assert json.dumps(r.json(), ensure_ascii=False).find("/tmp") == -1  # no server paths in messages


def test_skapa_bilaga_writes_formula_like_names_as_text(server):
    """Issue 12: a board named '=HYPERLINK(...)' reaches Excel as text (the apostrophe Excel keeps for typed text)."""
    payload = book_payload(ROOT / "workbook_templates" / templates.ALLOCATION_FILE, active="Tyresö")
    sheet = payload["sheets"][payload["book"]["active_sheet_index"]]
    sheet["values"][templates.KEY_FIRST_ROW - 1][1] = '=HYPERLINK("http://x","FFS")'
    r = run_script(server, "skapa_bilaga", payload)
    assert r.status_code == 200, r.text
    values = next(a for a in r.json()["actions"] if a["func"] == "setValues")["values"]
    texts = [v for row in values for v in row if isinstance(v, str)]
    assert "'" + '=HYPERLINK("http://x","FFS")' in texts
    assert not any(v.startswith(("=", "+", "@")) for v in texts)


def test_inserted_formulas_name_the_functions_as_the_manifest_does():
    """The manifest's <Namespace> (templates/manifest.xml): none in production, DEV outside it.
    In a process of its own: importing xlwings Server sets XLWINGS_ON_SERVER for the process."""
    import subprocess

    code = """
import sys
from skr_fee.server.run import configure
configure()
from xlwings_server.config import settings
sys.path.insert(0, sys.argv[1])
from custom_scripts import skr
for namespace, environment in [("", "prod"), ("", "dev"), ("SKR", "prod"), ("SKR", "dev")]:
    settings.functions_namespace, settings.environment = namespace, environment
    print(repr(skr._prefix()))
"""
    p = subprocess.run([sys.executable, "-c", code, str(ROOT / "addin" / "server")], capture_output=True,
                       text=True, timeout=60, cwd=ROOT, env={**__import__("os").environ, "PYTHONPATH": str(ROOT / "src")})
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["''", "'DEV.'", "'SKR.'", "'SKR_DEV.'"]
