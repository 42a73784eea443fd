"""The Excel functions as Python (skr_fee.excel.udf) and the classic xlwings module that wraps them."""

import importlib.util
import inspect
from pathlib import Path

import pytest

import reference

from skr_fee.excel import udf
from skr_fee.excel.functions import REGISTRY

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def desktop():
    """addin/desktop/skr_udfs.py with xlwings' real Windows decorators.

    On Linux ``xw.func`` is a no-op, and xlwings.udfs imports pywin32 at the
    top although only a running Excel uses it. Empty stand-ins for those three
    pywin32 modules let the real decorators (and the VBA writer) run here.
    """
    import sys
    import types

    import xlwings

    stand_ins = {"pythoncom": types.ModuleType("pythoncom"), "pywintypes": types.ModuleType("pywintypes"),
                 "win32com": types.ModuleType("win32com"), "win32com.client": types.ModuleType("win32com.client")}
    stand_ins["win32com.client"].Dispatch = None
    stand_ins["pythoncom"].CoInitialize = lambda: None  # the COM thread pool's initializer, never run here
    saved = {name: sys.modules.get(name) for name in stand_ins}
    sys.modules.update(stand_ins)
    original = xlwings.func, xlwings.arg, getattr(xlwings, "sub", None)
    try:
        from xlwings import udfs

        xlwings.func, xlwings.arg, xlwings.sub = udfs.xlfunc, udfs.xlarg, udfs.xlsub
        spec = importlib.util.spec_from_file_location("skr_udfs", ROOT / "addin" / "desktop" / "skr_udfs.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module._udfs = udfs
        yield module
    finally:
        xlwings.func, xlwings.arg = original[0], original[1]
        if original[2] is None:
            del xlwings.sub
        else:
            xlwings.sub = original[2]
        for name, mod in saved.items():
            if mod is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = mod
        sys.modules.pop("xlwings.udfs", None)


def test_names_match_the_excel_functions():
    assert sorted(udf.FUNCTIONS) == ["skr_area", "skr_fee", "skr_invoice", "skr_population", "skr_rate", "skr_split"]
    for name in udf.FUNCTIONS:
        assert getattr(udf, name) is udf.FUNCTIONS[name]


def test_single_values():
    assert udf.skr_fee("Göteborg", 2025) == 1032899
    assert udf.skr_fee(1480.0, 2025.0) == 1032899  # Excel passes numbers as floats
    assert udf.skr_fee("0138", 2025) == 93339
    assert udf.skr_invoice("Ale", 1, 2025) == 18950
    assert udf.skr_invoice("Ale", 2.0, 2025) == 42638
    assert udf.skr_area("Göteborg", "kvalitetsregister", 2025) == 529692  # SKR's 10/19.5 of 1 032 899
    assert udf.skr_population("Arjeplog", 2025) == 2609
    assert udf.skr_rate(2025) == pytest.approx(1.8981723219, abs=1e-10)


def test_population_number_as_kommun():
    assert udf.skr_fee(32446, 2025) == 61588  # a municipality the size of Ale pays what Ale pays
    assert udf.skr_population(250000.0, 2025) == 250000
    e = udf.skr_fee(9999)
    assert e == "#N/A" and "ingen kommunkod" in e.message


def test_a_range_gives_one_result_per_row():
    column = [["Ale"], ["Götborg"], [None], ["Göteborg"], [1440.0]]
    out = udf.skr_fee(column, 2025)
    assert out[0] == [61588] and out[3] == [1032899] and out[4] == [61588]
    assert out[1] == ["#N/A"] and "Menar du Göteborg" in out[1][0].message
    assert out[2] == [""]
    assert udf.skr_fee(["Ale", "Tyresö"], 2025) == [[61588], [93339]]  # a flat column as xlwings gives it
    assert udf.skr_fee((("Ale", "Tyresö"),), 2025) == [[61588, 93339]]  # a row as pycel gives it
    expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
    codes = sorted(expected)
    assert [r[0] for r in udf.skr_fee([[c] for c in codes], 2025)] == [expected[c][2] for c in codes]


@pytest.mark.parametrize("call,code,text", [
    (lambda: udf.skr_fee("Götborg"), "#N/A", "Menar du Göteborg"),
    (lambda: udf.skr_fee("Karlskoga"), "#N/A", "deltar inte"),
    (lambda: udf.skr_fee("Ale", 2031), "#VALUE!", "utanför"),
    (lambda: udf.skr_fee("Ale", 2028), "#N/A", "2026-12-31 saknas"),
    (lambda: udf.skr_fee(None), "#VALUE!", "Kommun saknas"),
    (lambda: udf.skr_fee("Ale", "tjugo"), "#VALUE!", "Ogiltigt år"),
    (lambda: udf.skr_invoice("Ale", 3), "#VALUE!", "ange 1 eller 2"),
    (lambda: udf.skr_invoice("Ale", "första"), "#VALUE!", "Ogiltig fakturadel"),
    (lambda: udf.skr_area("Ale", "skolan"), "#VALUE!", "Okänt område"),
    (lambda: udf.skr_split("Ale", "inte ett område"), "#VALUE!", "Nyckeln ska vara"),
    (lambda: udf.skr_split("Ale", [["A", 60], ["B", 30]]), "#VALUE!", "summerar till 90 %"),
])
def test_bad_input_gives_excel_errors_with_swedish_messages(call, code, text):
    result = call()
    assert isinstance(result, udf.CellError)
    assert result == code and result.code == code
    assert text in result.message


def test_split_with_a_key_range():
    key = [["Område", "Nämnd", "Andel"],
           ["kvalitetsregister", "ÄVO", 100],
           ["uppfoljning", "FFS", 50], ["uppfoljning", "SF", 50],
           ["kunskapsstyrning", "ÄVO", 100 / 3], ["kunskapsstyrning", "FFS", 100 / 3], ["kunskapsstyrning", "SF", 100 / 3],
           [None, None, None]]
    out = udf.skr_split("Göteborg", key, 2025)
    assert len(out) == len(key)
    boards = [r for r in out if r[0]]
    # exact: ÄVO 609 145,56, FFS and SF 211 876,72 each; the two kronor left go to the largest remainders
    assert boards == [["ÄVO", 609145], ["FFS", 211877], ["SF", 211877]]
    assert sum(r[1] for r in boards) == 1032899
    assert out[-1] == ["", ""]
    # shares as Excel stores percentage cells (0.4 for 40 %) work too
    assert udf.skr_split("Tyresö", [["A", 0.4], ["B", 0.3], ["C", 0.3]], 2025)[0] == ["A", 37335]


def test_signatures_come_from_the_registry():
    for fn in REGISTRY:
        params = list(inspect.signature(udf.FUNCTIONS[fn.python_name]).parameters.values())
        assert [p.name for p in params] == [a.name for a in fn.args]
        assert [p.default is None for p in params] == [a.optional for a in fn.args]
        assert fn.doc in udf.FUNCTIONS[fn.python_name].__doc__


def test_desktop_module_exposes_every_function(desktop):
    for fn in REGISTRY:
        f = getattr(desktop, fn.desktop_name)
        meta = f.__xlfunc__
        assert meta["name"] == fn.desktop_name
        assert meta["ret"]["doc"] == fn.doc
        assert meta["category"] == "SKR"  # Excel's function wizard lists them under SKR, not xlwings
        assert [a["name"] for a in meta["args"]] == [a.name for a in fn.args]
        for xa, ra in zip(meta["args"], fn.args):
            assert xa["doc"] == ra.doc
            if ra.per_row or ra.range:
                assert xa["options"]["ndim"] == 2
            assert xa["options"]["err_to_str"] is True  # an error cell arrives as "#REF!", not None
    assert hasattr(desktop.skapa_bilaga, "__xlfunc__") and desktop.skapa_bilaga.__xlfunc__["sub"]


def test_desktop_functions_compute_like_the_core(desktop):
    assert desktop.SKR_FEE("Göteborg", 2025) == 1032899
    assert desktop.SKR_FEE([["Ale"], ["Tyresö"]], 2025) == [[61588], [93339]]
    assert desktop.SKR_INVOICE([["Ale"]], 1, 2025) == 18950  # one cell, one value
    text = desktop.SKR_FEE("Götborg")
    assert text.startswith("#N/A Okänd kommun: 'Götborg'. Menar du Göteborg?")
    assert desktop.SKR_FEE([["Götborg"], ["Ale"]])[0][0].startswith("#N/A")
    assert desktop.SKR_SPLIT("Tyresö", [["A", 70], ["B", 30]], 2025)[1] == ["B", 28002]
    # an error value in an argument cell, as xlwings hands it over with err_to_str: an error shown
    assert desktop.SKR_FEE("Ale", "#REF!").startswith("#VALUE! Ogiltigt år")
    assert desktop.SKR_FEE("#REF!", 2025).startswith("#N/A")


def test_desktop_vba_wrappers(desktop, tmp_path):
    """The VBA xlwings writes into the workbook on "Import Functions"."""
    out = tmp_path / "udfs.bas"
    with open(out, "w") as f:
        workbook = type("Workbook", (), {"Name": "avgifter.xlsm"})()  # what COM would pass
        desktop._udfs.generate_vba_wrapper("skr_udfs", desktop, f, workbook)
    vba = out.read_text()
    assert "Function SKR_FEE(kommun, Optional ar, Optional preliminar)" in vba
    assert "Function SKR_INVOICE(kommun, fakturadel, Optional ar, Optional preliminar)" in vba
    assert "Function SKR_SPLIT(kommun, nyckel, Optional ar, Optional preliminar)" in vba
    assert "Sub skapa_bilaga()" in vba


def test_desktop_module_imports_on_linux_as_it_is():
    """No stand-ins: the module as a user's PYTHONPATH would find it."""
    import os
    import subprocess
    import sys
    env = dict(os.environ, PYTHONPATH=str(ROOT / "addin" / "desktop"))
    p = subprocess.run([sys.executable, "-c", "import skr_udfs; print(skr_udfs.SKR_FEE('Göteborg', 2025))"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "1032899"


def test_call_many_bounds_the_batch():
    import json

    from skr_fee.excel import batch

    too_many = json.dumps([["SKR_FEE", [[["Ale"]], [[2025]]]]] * (batch.MAX_CALLS + 1))
    out = json.loads(batch.call_many(too_many))
    assert len(out) == batch.MAX_CALLS + 1 and "högst 20000 går" in out[0]
    with pytest.raises(ValueError, match="högst 32 MB"):
        batch.call_many(" " * (batch.MAX_BYTES + 1))
    assert json.loads(batch.call_many('[["SKR_FEE", [[["Ale"]], [[2025]]]]]')) == [61588]


def test_a_batch_is_one_dataset(monkeypatch):
    """A block inside another (each call inside excel.batch's batch) uses the outer dataset:
    the data files are looked at once for the whole batch."""
    from skr_fee.data import tables

    looked = []
    resolve = tables._resolve_table
    monkeypatch.setattr(tables, "_resolve_table", lambda *a: looked.append(a) or resolve(*a))
    with tables.one_dataset():
        for _ in range(3):
            with tables.one_dataset():
                tables.fee_table(2025)
    assert len(looked) == 1
    from skr_fee.excel import batch

    looked.clear()
    batch.call_many('[["SKR_FEE", [[["Ale"]], [[2025]]]], ["SKR_FEE", [[["Tyresö"]], [[2025]]]]]')
    assert len(looked) == 1
