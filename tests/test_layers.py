"""The layers of docs/design.md, enforced: lint-imports passes on the tree and fails on a bad import.

The tree is copied to a temporary folder with one rules module importing
openpyxl (and, separately, one importing a higher layer); lint-imports run
on the copy with the project's own contracts must report the contract broken.
"""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).parent / "lint-imports"
LAYERS = ("rules", "data", "documents", "excel", "cli", "server")


def lint(src: Path, config: Path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(src), "HOME": str(config.parent)}
    return subprocess.run([str(LINT), "--config", str(config), "--no-cache"], capture_output=True, text=True,
                          cwd=config.parent, env=env, timeout=120)


@pytest.fixture()
def copy(tmp_path):
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_has_the_layer_packages_each_saying_what_it_may_import():
    pkg = ROOT / "src" / "skr_fee"
    for layer in LAYERS:
        doc = (pkg / layer / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""') and "May import" in doc, layer
    loose = sorted(p.name for p in pkg.glob("*.py") if p.name != "__init__.py")
    assert loose == []


def our_python():
    """Every Python file of ours: the product, the add-in's Python, the benchmarks and the tests."""
    for base in ("src", "addin", "bench", "tests"):
        for p in (ROOT / base).rglob("*.py"):
            if not {"node_modules", "vendor", "dist", "__pycache__"} & set(p.parts):
                yield p


def test_no_module_over_300_lines():
    long = {str(p.relative_to(ROOT)): n for p in our_python()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}


def test_no_function_over_60_lines():
    long = {f"{p.relative_to(ROOT)}:{node.name}": node.end_lineno - node.lineno + 1 for p in our_python()
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60}
    assert long == {}


def test_the_contracts_hold_on_the_tree(copy):
    p = lint(copy / "src", copy / "pyproject.toml")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "4 kept, 0 broken" in p.stdout


def test_a_rules_module_importing_openpyxl_breaks_the_contract(copy):
    fees = copy / "src" / "skr_fee" / "rules" / "fees.py"
    fees.write_text(fees.read_text(encoding="utf-8").replace(
        "from __future__ import annotations\n", "from __future__ import annotations\n\nimport openpyxl  # noqa\n", 1),
        encoding="utf-8")
    p = lint(copy / "src", copy / "pyproject.toml")
    assert p.returncode == 1
    assert "The rules are pure Python: nothing that keeps them out of Pyodide BROKEN" in p.stdout
    assert "skr_fee.rules.fees -> openpyxl" in p.stdout


def test_a_rules_module_importing_upward_breaks_the_layers(copy):
    split = copy / "src" / "skr_fee" / "rules" / "split.py"
    split.write_text(split.read_text(encoding="utf-8") + "\nfrom ..documents import formatting  # noqa\n",
                     encoding="utf-8")
    p = lint(copy / "src", copy / "pyproject.toml")
    assert p.returncode == 1
    assert "Layers: cli and server over excel over documents over data over rules BROKEN" in p.stdout
