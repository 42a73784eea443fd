"""The add-in's JavaScript fails loudly and leaves nothing pending (issue 29), under Node with
stand-ins for Office and Python (tests/js/failures.mjs): every custom-function call of a
recalculation is settled with a Swedish #VALUE! when Python's answer is short, is no list, fails,
or holds a value Excel will not show; the ribbon's command completes when its script fails."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JS = Path(__file__).parent / "js"
pytestmark = pytest.mark.slow  # Node

sys.path.insert(0, str(ROOT / "addin" / "wasm"))


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    import make_addin
    from skr_fee.excel.officejs import ERROR_MARK

    functions_js = tmp_path_factory.mktemp("js") / "functions.js"
    functions_js.write_text(make_addin.functions_js())
    p = subprocess.run([shutil.which("node"), str(JS / "failures.mjs"), str(functions_js),
                        str(ROOT / "addin" / "server" / "static" / "js" / "ribbon.js"), json.dumps(ERROR_MARK)],
                       capture_output=True, text=True, timeout=60, cwd=JS)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout)


def test_a_short_answer_settles_every_call(result):
    r = result["short"]
    assert [c["settled"] for c in r] == [True, True, True]
    assert [c.get("value") for c in r[:2]] == [1, 2]
    assert r[2] == {"settled": True, "ok": False, "code": "#VALUE!",
                    "message": "SKR-avgift kunde inte visa svaret: svar saknas för anrop 3 av 3"}


def test_an_answer_that_is_no_list_or_a_failing_python_settles_every_call(result):
    for case, reason in (("notAList", "svaret är ingen lista"), ("throws", "Python föll")):
        assert result[case] == [{"settled": True, "ok": False, "code": "#VALUE!",
                                 "message": f"SKR-avgift kunde inte räkna: {reason}"}] * 3


def test_a_value_excel_will_not_show_fails_that_call_only(result):
    r = result["cannotShow"]
    assert r[0]["value"] == 1 and r[2]["value"] == 3
    assert r[1] == {"settled": True, "ok": False, "code": "#VALUE!",
                    "message": "SKR-avgift kunde inte visa svaret: Excel vägrade felvärdet"}


def test_failures_reach_the_console_and_the_ribbon_completes(result):
    assert result["ribbonCompleted"] == 1
    assert any(line.startswith("Skapa bilaga misslyckades:") and "servern svarar inte" in line
               for line in result["logged"])
    assert any(line.startswith("SKR-avgift: beräkningen misslyckades") for line in result["logged"])


def test_python_reaches_the_functions_in_either_order_and_a_failed_start_is_said(tmp_path):
    """wasm.js's handOver and functions.js, in the two orders Excel may load them (tests/js/handover.mjs)."""
    import make_addin

    functions_js = tmp_path / "functions.js"
    functions_js.write_text(make_addin.functions_js())
    p = subprocess.run([shutil.which("node"), str(JS / "handover.mjs"), str(functions_js),
                        str(ROOT / "addin" / "wasm" / "wasm.js")], capture_output=True, text=True, timeout=60, cwd=JS)
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout)
    assert out["functionsFirst"] == out["pythonFirst"] == {"ok": True, "value": 1032899}
    failed = {"ok": False, "code": "#VALUE!",
              "message": "Python kunde inte startas i tillägget (nätet svarar inte). Ladda om tillägget."}
    assert out["failedFirst"] == out["failedAfter"] == failed
