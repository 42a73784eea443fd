"""The JavaScript the server serves for the custom functions, executed in Node against the live server."""

import json
import shutil
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parent / "js" / "custom_functions.mjs"


def run_cases(server, cases):
    node = shutil.which("node")
    assert node, "Node.js is needed (make test installs it)"
    p = subprocess.run([node, str(SCRIPT), server, json.dumps(cases)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return {r["name"]: r for r in map(json.loads, p.stdout.splitlines())}


def test_custom_functions_in_node(server):
    out = run_cases(server, [
        {"name": "fee", "func": "SKR_FEE", "args": [[["Göteborg"]], [[2025]]]},
        {"name": "invoice", "func": "SKR_INVOICE", "args": [[["Ale"]], [[1]], [[2025]]]},
        {"name": "unknown", "func": "SKR_FEE", "args": [[["Götborg"]], [[None]]]},
        {"name": "badyear", "func": "SKR_FEE", "args": [[["Ale"]], [["tjugo"]]]},
        {"name": "range", "func": "SKR_FEE", "args": [[["Ale"], ["Götborg"], ["Karlskoga"], [None]], [[2025]]]},
        {"name": "split", "func": "SKR_SPLIT", "args": [[["Tyresö"]], [["A", 70], ["B", 30]], [[2025]]]},
    ])
    assert out["associated"]["value"] == ["SKR_AREA", "SKR_FEE", "SKR_INVOICE", "SKR_POPULATION", "SKR_RATE", "SKR_SPLIT"]
    assert out["fee"]["value"] == [[1032899]]
    assert out["invoice"]["value"] == [[18950]]
    # a single error is thrown as CustomFunctions.Error: Excel shows #N/A, the message on hover
    assert out["unknown"]["ok"] is False
    assert out["unknown"]["error"]["code"] == "#N/A" and "Menar du Göteborg" in out["unknown"]["error"]["message"]
    assert out["badyear"]["error"]["code"] == "#VALUE!" and "Ogiltigt år" in out["badyear"]["error"]["message"]
    # in a range, each bad row is its own error cell and the rest compute
    rows = out["range"]["value"]
    assert rows[0] == [61588]
    assert rows[1][0]["error"]["code"] == "#N/A" and "Göteborg" in rows[1][0]["error"]["message"]
    assert rows[2][0]["error"]["code"] == "#N/A" and "deltar inte" in rows[2][0]["error"]["message"]
    assert rows[3] == [""]
    assert out["split"]["value"] == [["A", 65337], ["B", 28002]]
