"""The command line as a user meets it: a real process, Swedish output, exit codes."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import reference


def run(*args, check=False):
    p = subprocess.run([sys.executable, "-m", "skr_fee.cli", *args], capture_output=True, text=True, timeout=60)
    if check:
        assert p.returncode == 0, p.stderr
    return p


def nbsp(s: str) -> str:
    return s.replace("\u00a0", " ").replace("\u202f", " ")


def test_table_csv_reproduces_check_rows():
    p = run("table", "--year", "2025", check=True)
    rows = list(csv.reader(io.StringIO(p.stdout)))
    assert rows[0] == ["kommunkod", "kommun", "folkmangd", "faktura_1", "faktura_2", "totalt"]
    body = {r[0]: r for r in rows[1:]}
    assert len(body) == 288
    assert body["1440"] == ["1440", "Ale", "32446", "18950", "42638", "61588"]
    assert body["1480"] == ["1480", "Göteborg", "604616", "317815", "715084", "1032899"]
    assert body["0138"] == ["0138", "Tyresö", "49173", "28720", "64619", "93339"]
    assert body["2506"] == ["2506", "Arjeplog", "2609", "1524", "3429", "4952"]
    f1 = sum(int(r[3]) for r in rows[1:])
    f2 = sum(int(r[4]) for r in rows[1:])
    assert abs(f1 - 6_000_000) <= 144 and abs(f2 - 13_500_000) <= 144


def test_fee_command_prints_swedish_figures():
    p = run("fee", "Göteborgs Stad", "--year", "2025", check=True)
    out = nbsp(p.stdout)
    assert "Göteborg (1480), avgiftsår 2025" in out
    assert "604 616 invånare" in out
    assert "31 december 2023" in out
    assert "544 154,4" in out
    assert "1,8981723 kr" in out
    assert "317 815 kr" in out and "715 084 kr" in out and "1 032 899 kr" in out
    assert "Kvalitetsregister" in out and "529 692 kr" in out


def test_table_xlsx_is_formatted_for_people(tmp_path):
    out = tmp_path / "avgifter.xlsx"
    run("table", "--year", "2025", "--format", "xlsx", "-o", str(out), check=True)
    wb = load_workbook(out)
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "Kommunkod")
    assert values[header][:3] == ["Kommunkod", "Kommun", "Folkmängd"]
    body = [r for r in values[header + 1:] if isinstance(r[0], str) and r[0].isdigit()]
    assert len(body) == 288
    gbg = next(r for r in body if r[0] == "1480")
    assert gbg[1:6] == ["Göteborg", 604616, 317815, 715084, 1032899]
    total = next(r for r in values if r[1] == "Summa")
    assert total[5] == 19_500_007  # the sum of the 288 Totalt (tests/reference.py)
    # Swedish thousands grouping and columns wide enough for 1 032 899 kr
    cell = ws.cell(row=header + 2, column=6)
    assert "#,##0" in cell.number_format
    assert ws.column_dimensions["F"].width >= len("1 032 899") + 2
    text = " ".join(str(v) for r in values[:header] for v in r if v)
    assert "2025–2028" in text and "31 december 2023" in text and "1,8981723" in text
    assert ws.freeze_panes is not None
    assert int(ws.page_setup.paperSize) == 9  # A4


def test_table_to_csv_file_and_stdout_agree(tmp_path):
    out = tmp_path / "t.csv"
    run("table", "-o", str(out), check=True)
    assert out.read_text(encoding="utf-8") == run("table", check=True).stdout


@pytest.mark.parametrize("args,message", [
    (["fee", "Götborg"], "Okänd kommun: 'Götborg'. Menar du Göteborg?"),
    (["fee", "Karlskoga"], "Karlskoga deltar inte"),
    (["fee", "Ale", "--year", "2031"], "utanför SKR:s rekommendationer"),
    (["fee", "Ale", "--year", "tjugo"], "Ogiltigt år"),
    (["fee", "Ale", "--year", "2028"], "Folkmängd per 2026-12-31 saknas"),
    (["table", "--format", "xlsx"], "Ange en fil med -o"),
    (["table", "-o", "/finns/inte/t.csv"], "Mappen '/finns/inte' finns inte"),
])
def test_errors_are_one_swedish_line_and_nonzero(args, message):
    p = run(*args)
    assert p.returncode == 1
    assert message in p.stderr
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    assert p.stdout == ""


def test_usage_errors_are_swedish():
    p = run("fee")
    assert p.returncode == 2
    assert "argument saknas: kommun" in p.stderr
    p = run("table", "--format", "pdf")
    assert p.returncode == 2 and "ogiltigt val" in p.stderr


def test_what_if_from_the_command_line():
    base = run("fee", "Göteborg", "--year", "2025", check=True).stdout
    what_if = run("fee", "Göteborg", "--year", "2025", "--med", "Karlskoga", "--med", "Ljungby", check=True).stdout
    assert "ändrat deltagande (290 kommuner)" in what_if
    assert base != what_if
    # independent: all 290 share the 19.5 mkr (tests/reference.py, SCB's 2023-12-31)
    everyone = reference.shared_out(reference.population(2023), set(reference.population(2023)))
    expected = everyone["1480"][2]
    assert f"{expected:,}".replace(",", " ") in nbsp(what_if)
    assert expected < 1032899


def test_split_shows_the_decision_documents_way_and_what_it_lost():
    key = str(Path(__file__).resolve().parents[1] / "keys" / "goteborg.toml")
    p = run("split", "Göteborg", "--key", key, "--belopp", "1000000", "--som-beslutet", check=True)
    out = nbsp(p.stdout)
    assert "586 600 kr" in out and "206 600 kr" in out and "51 650 kr" in out
    assert "999 800 kr" in out and "Tappat jämfört med beloppet: 200 kr" in out
    assert "589 744 kr" in out  # the exact split of the same million
