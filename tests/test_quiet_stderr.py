"""A quiet stderr by design (issue 24): every command a user runs, with Python's warnings turned
into errors (``python -W error``), writes nothing to stderr when it succeeds and exactly one Swedish
line when it refuses. A library warning would fail here, with the locked versions (make test) and
with the newest ones (make test-latest), instead of reaching an economist's screen in English.

Without ``-W``, the entry points send any warning to the log at debug level (skr_fee.rules.quiet):
that is tested too, with a warning raised on purpose.
"""

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_signing import PASSWORD, certs  # noqa: F401  (the throwaway CA and organisation certificate)

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "keys"
SHARED = ROOT.parent / "shared" / "data"


def run(*args, warnings="error", password=PASSWORD, cwd=None):
    env = dict(os.environ, SKR_FEE_SIGN_PASSWORD=password)
    env.pop("PYTHONWARNINGS", None)
    flags = ["-W", warnings] if warnings else []
    return subprocess.run([sys.executable, *flags, "-m", "skr_fee.cli", *args], capture_output=True, text=True,
                          timeout=240, env=env, stdin=subprocess.DEVNULL, cwd=cwd)


# what Python or a library writes: a warning or traceback, a source position, an English class name
NOT_OURS = re.compile(r"Warning|Traceback|Error\b|site-packages|\.py:\d+|^\s+\^")


def quiet(p):
    """Success, and stderr holds at most the product's own Swedish lines ("Skrev diagrammet …")."""
    assert p.returncode == 0, p.stderr
    assert not [line for line in p.stderr.splitlines() if NOT_OURS.search(line)], p.stderr


def one_swedish_line(p):
    assert p.returncode in (1, 2), p.stdout + p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("skr-fee: "), p.stderr
    assert not NOT_OURS.search(lines[0]), p.stderr


@pytest.fixture(scope="module")
def annex_set(certs, tmp_path_factory):  # noqa: F811
    p12, ca, _ = certs
    out = tmp_path_factory.mktemp("quiet") / "bilaga.xlsx"
    p = run("annex", "Tyresö", "--year", "2025", "--key", str(KEYS / "tyreso.toml"), "-o", str(out),
            "--pdf", "--docx", "--utkast", "--sign", str(p12))
    quiet(p)
    code = re.search(r"Kontrollsumma: ([A-Z0-9-]+)", p.stdout).group(1)
    return out, code, ca


def test_the_annex_with_pdf_word_draft_and_signature_is_quiet(annex_set):
    out, _, _ = annex_set
    for suffix in (".xlsx", ".pdf", ".docx"):
        assert out.with_suffix(suffix).stat().st_size > 0


def test_verify_of_each_file_is_quiet(annex_set):
    out, code, ca = annex_set
    quiet(run("verify", str(out), "--kontrollsumma", code))
    quiet(run("verify", str(out.with_suffix(".pdf")), "--ca", str(ca)))
    one_swedish_line(run("verify", str(out.with_suffix(".docx"))))  # Word is checked through its xlsx


def test_a_wrong_signing_password_is_one_swedish_line(certs, tmp_path):  # noqa: F811
    p12, _, _ = certs
    p = run("annex", "Tyresö", "--year", "2025", "--key", str(KEYS / "tyreso.toml"), "-o",
            str(tmp_path / "b.xlsx"), "--pdf", "--sign", str(p12), password="fel-lösenord")
    one_swedish_line(p)
    assert "fel lösenord" in p.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ("fee", "Göteborg", "--year", "2025"),
    ("table", "--year", "2025"),
    ("split", "Göteborg", "--key", str(KEYS / "goteborg.toml")),
    ("compare", "Tyresö", "--period"),
    ("data",),
], ids=lambda a: a[0])
def test_the_everyday_commands_are_quiet(args):
    quiet(run(*args))


def test_files_and_the_chart_are_quiet(tmp_path):
    quiet(run("table", "--year", "2025", "-o", str(tmp_path / "avgifter.xlsx")))
    quiet(run("compare", "Ale", "--from", "2025", "--to", "2026", "--chart", str(tmp_path / "ale.png")))
    assert (tmp_path / "ale.png").read_bytes()[:4] == b"\x89PNG"


def test_an_import_is_quiet(tmp_path):
    """SCB's own 2025 figures written as SCB's CSV export for a coming year, imported into a data
    folder of the test's own."""
    with open(SHARED / "folkmangd_2025-12-31.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    path = tmp_path / "folkmangd.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL)
        w.writerow(["region", "2026"])
        w.writerows([f"{r['kommunkod']} {r['kommun']}", r["folkmangd"]] for r in rows)
    quiet(run("--data", str(tmp_path / "data"), "import-scb", str(path)))


@pytest.mark.parametrize("command", ["fee", "table", "compare", "annex", "split", "verify", "import-scb",
                                     "hämta-scb", "import-deltagare", "data", "serve"])
def test_every_help_is_quiet(command):
    quiet(run(command, "--help"))


def test_refusals_are_one_swedish_line(tmp_path):
    one_swedish_line(run("fee", "Götebrg", "--year", "2025"))
    one_swedish_line(run("fee", "Göteborg", "--year", "1999"))
    one_swedish_line(run("annex", "Tyresö", "--key", str(tmp_path / "saknas.toml"), "-o", str(tmp_path / "b.xlsx")))


def test_without_minus_w_a_library_warning_goes_to_the_log_not_to_stderr():
    code = ("import logging, sys, warnings\n"
            "from skr_fee.rules.quiet import route_warnings_to_log\n"
            "logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format='%(name)s %(message)s')\n"
            "route_warnings_to_log()\n"
            "warnings.warn('DSA is deprecated', DeprecationWarning)\n"
            "warnings.warn('a library speaks English', UserWarning)\n")
    env = dict(os.environ)
    env.pop("PYTHONWARNINGS", None)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert p.stdout.count("skr_fee.warnings ") == 2 and "a library speaks English" in p.stdout
