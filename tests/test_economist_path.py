"""The economist's own path (issue 19): keys written the Swedish way, Swedish help everywhere,
outputs for people, and imports of the obvious files."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

import reference
from skr_fee.cli import build_parser
from skr_fee.rules.key_toml import parse_key
from skr_fee.rules.keys import KeyFileError

ROOT = Path(__file__).resolve().parents[1]
SHARED = next(p / "shared" / "data" for p in Path(__file__).resolve().parents if (p / "shared" / "data").is_dir())
TYRESO = (ROOT / "keys" / "tyreso.toml").read_text(encoding="utf-8")


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "skr_fee.cli", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def leaves(text):
    from skr_fee.data.periods import period_for_year
    from skr_fee.rules.split import allocate
    return [(p.board, int(p.amount)) for p in allocate(93339, parse_key(text, "k.toml"), period_for_year(2025)).leaves]


@pytest.mark.parametrize("variant", ["bom", "crlf", "comma", "percent", "umlauts"])
def test_keys_written_the_swedish_way_give_the_same_split(variant):
    text = {
        "bom": "\ufeff" + TYRESO,
        "crlf": TYRESO.replace("\n", "\r\n"),
        "comma": TYRESO.replace("andel = 40", "andel = 40,0").replace("andel = 30\n", "andel = 30,0\n"),
        "percent": TYRESO.replace("andel = 70", "andel = 70 %").replace("andel = 40", "andel = 40%"),
        "umlauts": TYRESO.replace("[[namnd]]", "[[nämnd]]").replace("[[namnd.del]]", "[[nämnd.del]]"),
    }[variant]
    assert text != TYRESO
    assert leaves(text) == leaves(TYRESO) == [("VO äldreomsorg", 37335),
                                             ("VO omsorg om personer med funktionsnedsättning", 28002),
                                             ("Arbetsmarknads- och socialnämnden", 28002)]


MISTAKES = {
    "text without quotes": ('[[namnd]]\nnamn = Socialnämnden\nandel = 100\n', "k.toml, rad 2: värdet kan inte läsas"),
    "two commas": ('[[namnd]]\nnamn = "A"\nandel = 12,5,5\n', "k.toml, rad 3: efter värdet står mer på raden"),
    "broken header": ('[[namnd]\nnamn = "A"\nandel = 100\n', "k.toml, rad 1: rubriken ska sluta med ]]"),
    "no equals": ('[[namnd]]\nnamn "A"\n', "k.toml, rad 2: ett likhetstecken saknas"),
    "twice": ('[[namnd]]\nnamn = "A"\nnamn = "B"\nandel = 100\n', "k.toml, rad 3: fältet står två gånger"),
    "sum 99": ('[[namnd]]\nnamn = "A"\nandel = 69\n\n[[namnd]]\nnamn = "B"\nandel = 30\n',
               "k.toml, rad 1, 5 (nämnderna): andelarna summerar till 99 %"),
}
ENGLISH = ("Expected", "Invalid", "Cannot", "statement", "line ", "column")


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_key_mistakes_are_one_swedish_line_with_the_line(case):
    text, message = MISTAKES[case]
    with pytest.raises(KeyFileError) as e:
        parse_key(text, "k.toml")
    assert e.value.message.startswith(message), e.value.message
    assert "\n" not in e.value.message and not any(w in e.value.message for w in ENGLISH)


def test_a_key_for_another_municipality_needs_to_be_asked_for(tmp_path):
    p = cli("split", "Göteborg", "--year", "2025", "--key", str(ROOT / "keys" / "tyreso.toml"))
    assert p.returncode == 1 and p.stderr.strip() == (
        "skr-fee: Nyckeln tyreso.toml är skriven för Tyresö, inte Göteborg. Välj Göteborgs nyckel, "
        "eller ange --annan-kommun för att ändå använda den.")
    p = cli("split", "Göteborg", "--year", "2025", "--key", str(ROOT / "keys" / "tyreso.toml"), "--annan-kommun")
    assert p.returncode == 0 and "1 032 899 kr" in p.stdout.replace("\u00a0", " ")


def commands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return [None] + sorted(set(sub.choices))


@pytest.mark.parametrize("command", commands())
def test_help_is_swedish_and_every_option_explained(command):
    p = cli(*([command] if command else []), "--help")
    assert p.returncode == 0
    for english in ("usage:", "positional arguments", "options:", "show this help message", "show program's"):
        assert english not in p.stdout, (command, english)
    assert p.stdout.startswith("användning: skr-fee")
    parser = build_parser()
    if command:
        sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
        parser = sub.choices[command]
    assert all(a.help for a in parser._actions), [a.dest for a in parser._actions if not a.help]


def test_a_csv_a_swedish_excel_opens_by_double_click():
    p = subprocess.run([sys.executable, "-m", "skr_fee.cli", "table", "--year", "2025", "--format", "excel-csv"],
                       capture_output=True, timeout=60)
    data = p.stdout
    assert data.startswith("\ufeff".encode("utf-8")) and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kommunkod", "Kommun", "Folkmängd", "Faktura 1, kvalitetsregister", "Faktura 2, förfogandemedel",
                       "Totalt"]
    assert ["1480", "Göteborg", "604616", "317815", "715084", "1032899"] in rows  # SKR's table
    assert "Avgiftsår 2025" not in p.stderr.decode()  # the year was given: no note


def test_the_year_used_is_said_when_not_given():
    p = cli("table")
    assert "Avgiftsår 2027 (det senaste med folkmängd, per 2025-12-31); ange --år" in p.stderr


def test_import_scbs_noisy_2025_in_the_products_own_shape(tmp_path):
    import os
    env = dict(os.environ, SKR_FEE_DATA=str(tmp_path / "data"))
    p = subprocess.run([sys.executable, "-m", "skr_fee.cli", "import-scb", str(SHARED / "folkmangd_2025-12-31.csv"),
                        "--date", "2025-12-31"], capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "Importerade folkmängd per 2025-12-31: 290 kommuner, 10 605 520 invånare" in p.stdout.replace("\u00a0", " ")
    stored = (tmp_path / "data" / "population" / "2025-12-31.csv").read_text(encoding="utf-8")
    assert stored == (SHARED / "folkmangd_2025-12-31.csv").read_text(encoding="utf-8")
    assert sum(reference.population(2025).values()) == 10_605_520


def test_split_in_hundreds_is_headed_as_it_is():
    p = cli("split", "Tyresö", "--year", "2025", "--key", str(ROOT / "keys" / "tyreso.toml"), "--avrunda", "100")
    out = p.stdout.replace("\u00a0", " ")
    assert "exakt" not in out and "fördelat i hundratal; de udda kronorna ligger på nämnden med störst rest" in out
    assert "Summa" in out and "93 339 kr" in out
