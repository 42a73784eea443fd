"""The fee functions in real Pyodide (npm ``pyodide`` 0.27.5, the version xlwings Server's Wasm
page pins) under Node: the wheels the static add-in ships (the project's own and pure-Python
ones; no pandas, matplotlib or LibreOffice) unpacked as the add-in unpacks them, and every call
of a recalculation handed to ``skr_fee.excel.batch.call_many`` at once."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reference
from skr_fee.excel.officejs import ERROR_MARK

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addin" / "wasm"))
import make_addin  # noqa: E402

JS = ROOT / "tests" / "js"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """The wheels the static add-in ships (make_addin.collect_wheels), as it collects them."""
    assert (JS / "node_modules" / "pyodide" / "pyodide.asm.wasm").is_file(), "make test installs npm pyodide"
    out = tmp_path_factory.mktemp("wheels")
    names, _ = make_addin.collect_wheels(out, make_addin.source_date_epoch())
    assert any(n.startswith("skr_avgift-") for n in names) and all(n.endswith("none-any.whl") for n in names)
    return out


def call_many(wheels, tmp_path, calls):
    node = shutil.which("node")
    assert node, "Node.js is needed (make test installs it)"
    path = tmp_path / "calls.json"
    path.write_text(json.dumps(calls), encoding="utf-8")
    p = subprocess.run([node, str(JS / "pyodide_batch.mjs"), str(wheels), str(path)], capture_output=True,
                       text=True, timeout=120, cwd=JS)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout)


def error_of(cell):
    assert isinstance(cell, str) and cell.startswith(ERROR_MARK), cell
    _, code, message = cell.split(ERROR_MARK)
    return code, message


def test_one_recalculation_in_pyodide(wheels, tmp_path):
    expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
    codes = sorted(expected)
    singles = [["SKR_FEE", [[[c]], [[2025]]]] for c in codes]
    out = call_many(wheels, tmp_path, [
        ["SKR_FEE", [[["Göteborg"]], [[2025]]]],
        ["SKR_FEE", [[[c] for c in codes], [[2025]]]],
        ["SKR_FEE", [[["Götborg"]], [[2025]]]],
        ["SKR_NOPE", [[[1]]]],
        ["SKR_FEE", [[["Ale"]], [["tjugo"]]]],
        "inte ett anrop",
        *singles,
    ])
    assert out[0] == 1032899  # DOMAIN.md: Göteborg 2025
    assert len(codes) == 288 and out[1] == [[expected[c][2]] for c in codes]  # SKR's table, in fractions
    code, message = error_of(out[2])
    assert code == "#N/A" and "Menar du Göteborg" in message
    code, message = error_of(out[3])
    assert code == "#N/A" and "Okänd funktion 'SKR_NOPE'" in message and "SKR_FEE" in message
    assert error_of(out[4])[0] == "#VALUE!" and "Ogiltigt år" in error_of(out[4])[1]
    assert error_of(out[5]) == ("#VALUE!", "Anropet ska vara [funktion, argument].")
    assert out[6:] == [expected[c][2] for c in codes]


@pytest.fixture(scope="module")
def functions_js(tmp_path_factory):
    """The functions page as make_addin.py writes it, with the registry's names filled in."""
    path = tmp_path_factory.mktemp("js") / "custom-functions-code.js"
    path.write_text(make_addin.functions_js())
    return path


def test_calls_fired_before_python_is_ready_wait_and_compute(wheels, functions_js, tmp_path):
    """What Excel does on open: every cell calls at once, before Pyodide has started."""
    expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
    codes = sorted(expected)
    singles = [codes[i % len(codes)] for i in range(1161)]  # a fee table written cell by cell
    cases = [
        {"func": "SKR_FEE", "args": ["Göteborg", 2025]},  # Office.js passes a single cell as a scalar
        {"func": "SKR_FEE", "args": [[[c] for c in codes], 2025]},
        {"func": "SKR_FEE", "args": ["Götborg", 2025]},
        {"func": "SKR_INVOICE", "args": ["Ale", 2, 2025, None]},
        {"func": "SKR_FEE", "args": [[["Ale"], ["Götborg"]], 2025]},
        *({"func": "SKR_FEE", "args": [c, 2025]} for c in singles),
    ]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases), encoding="utf-8")
    p = subprocess.run([shutil.which("node"), str(JS / "wasm_functions.mjs"), str(functions_js), str(wheels),
                        str(path)], capture_output=True, text=True, timeout=120, cwd=JS)
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout)
    assert out["associated"] == ["SKR_AREA", "SKR_FEE", "SKR_INVOICE", "SKR_POPULATION", "SKR_RATE", "SKR_SPLIT"]
    r = out["results"]
    assert r[0] == {"ok": True, "value": 1032899}
    assert r[1] == {"ok": True, "value": [[expected[c][2]] for c in codes]}
    # a single error is thrown as CustomFunctions.Error: Excel shows #N/A, the message on hover
    assert r[2]["ok"] is False and r[2]["error"]["code"] == "#N/A" and "Menar du Göteborg" in r[2]["error"]["message"]
    assert r[3] == {"ok": True, "value": 42638}  # DOMAIN.md: Ale, faktura 2, 2025
    assert r[4]["value"][0] == [61588] and r[4]["value"][1][0]["code"] == "#N/A"
    assert [x["value"] for x in r[5:]] == [expected[c][2] for c in singles]
