"""Helpers for the annex tests: the command line as a user runs it, and an annex sheet read back."""

import subprocess
import sys
from pathlib import Path

KEYS = Path(__file__).resolve().parents[1] / "keys"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "skr_fee.cli", *args], capture_output=True, text=True, timeout=180)


def goteborg_annex(folder: Path, *extra: str):
    """Göteborg's 2025 annex made through the command line, with the password hemligt-lösen."""
    out = folder / "bilaga_goteborg_2025.xlsx"
    p = cli("annex", "Göteborg", "--year", "2025", "--key", str(KEYS / "goteborg.toml"),
            "-o", str(out), "--password", "hemligt-lösen", *extra)
    assert p.returncode == 0, p.stderr
    return out, p.stdout


def values(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def find(ws, label):
    for row in ws.iter_rows():
        if row[0].value is not None and str(row[0].value).strip() == label:
            return [c.value for c in row]
    raise AssertionError(f"no row {label!r}")
