"""The annex as its readers meet it (issue 26): an auditor typing the code from a decision, someone
hiding a figure by its layout, a board reading the PDF and the draft."""

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from skr_fee.data.tables import fee_table
from skr_fee.documents import fingerprint
from skr_fee.documents.annex import build_annex
from skr_fee.documents.annex_files import write_annex
from skr_fee.documents.fingerprint import verify
from skr_fee.rules.key_toml import parse_key

ROOT = Path(__file__).resolve().parents[1]
from reference import SHARED  # noqa: E402  (found above the checkout, also from mutmut's copy)
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
KUNGSBACKA = """namn = "Kungsbacka kommun, fördelning 2027"
kommun = "Kungsbacka"
[[namnd]]
namn = "Socialnämnden"
andel = 60
  [[namnd.del]]
  namn = "Individ- och familjeomsorg"
  andel = 40
  [[namnd.del]]
  namn = "Funktionsstöd"
  andel = 20
[[namnd]]
namn = "Vård- och omsorgsnämnden"
andel = 30
[[namnd]]
namn = "Förskole- och grundskolenämnden"
andel = 10
"""


@pytest.fixture(scope="module")
def kungsbacka(tmp_path_factory):
    t = fee_table(2027)
    out = tmp_path_factory.mktemp("kb") / "bilaga.xlsx"
    r = write_annex(t, t.fee("Kungsbacka"), parse_key(KUNGSBACKA, "kungsbacka.toml"), out, password="x")
    return out, r.fingerprint


def test_one_wrong_character_anywhere_is_mistyped_never_another_annex(kungsbacka):
    path, code = kungsbacka
    raw = code.replace("-", "")
    for i in range(len(raw)):
        wrong = CROCKFORD[(CROCKFORD.index(raw[i]) + 7) % 32]
        typed = raw[:i] + wrong + raw[i + 1:]
        v = verify(path, typed)
        assert v.mistyped and not v.ok, typed
        assert v.message("bilaga.xlsx").startswith("Felskriven kontrollsumma") and "annan bilaga" not in \
            v.message("bilaga.xlsx")
    for i in range(len(raw) - 1):
        if raw[i] != raw[i + 1]:
            v = verify(path, raw[:i] + raw[i + 1] + raw[i] + raw[i + 2:])
            assert v.mistyped, i


def test_the_code_as_people_type_and_paste_it(kungsbacka):
    path, code = kungsbacka
    looks = code.replace("0", "O").replace("1", "l").lower()
    for typed in (code, looks, code.replace("-", " "), code.replace("-", "\u2011"),
                  f"Bilagan har kontrollsumman {code}.", f"\u201d{code}\u201d", f"kod: {code.replace('-', '')}"):
        assert verify(path, typed).ok, typed
    short = verify(path, code[:-4])
    assert short.mistyped.startswith("den har 24 tecken")


def test_a_code_of_another_annex_is_another_annex(kungsbacka, tmp_path):
    path, code = kungsbacka
    t = fee_table(2027)
    other = write_annex(t, t.fee("Kungsbacka"), parse_key(KUNGSBACKA.replace('"Funktionsstöd"', '"Funktionsstödet"'), "k.toml"),
                        tmp_path / "annan.xlsx", password="x").fingerprint
    v = verify(path, other)
    assert not v.ok and not v.mistyped
    assert v.changes[-1] == f"Filen anger kontrollsumman {code}: det är en annan bilaga än den i beslutet."


def test_codes_issued_before_keep_verifying_and_their_typos_are_typos(tmp_path):
    """An annex made as versions before 0.2 made them: 32 characters of RFC 4648 base32, no check symbol."""
    t = fee_table(2025)
    draft = build_annex(t, t.fee("Tyresö"), parse_key((ROOT / "keys" / "tyreso.toml").read_text(), "tyreso.toml"))
    from skr_fee.documents import protection
    protection.lock(draft.workbook, "x")
    old = fingerprint.stamp(draft.workbook, draft.fingerprint_cell, form=1)
    draft.workbook.save(tmp_path / "gammal.xlsx")
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}", old)
    assert verify(tmp_path / "gammal.xlsx", old.lower()).ok
    assert verify(tmp_path / "gammal.xlsx").ok
    i = 5
    typo = old[:i] + ("A" if old[i] != "A" else "B") + old[i + 1:]
    assert verify(tmp_path / "gammal.xlsx", typo).mistyped


def edit(src: Path, dst: Path, changes: dict) -> Path:
    """A copy of ``src`` with parts rewritten as text: an editor's tamper, not the product's."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename).decode("utf-8", "replace") if item.filename.endswith(".xml") else None
            if item.filename in changes:
                new = changes[item.filename](data)
                assert new != data, f"the tamper of {item.filename} changed nothing"
                zout.writestr(item, new.encode("utf-8"))
            else:
                zout.writestr(item, zin.read(item.filename))
    return dst


SHEET, STYLES, THEME = "xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/theme/theme1.xml"


def _largest_row(xml: str) -> str:
    return re.search(r'<row r="(\d+)"[^>]*>(?:(?!</row>).)*<v>\d{5,}</v>', xml)[1]


HIDDEN_LAYOUT = {
    "column B narrowed to ###": {SHEET: lambda x: re.sub(r'<col ([^>]*)min="2" max="2"([^>]*)/>', lambda m: re.sub(
        r'width="[\d.]+"', 'width="3"', m[0]), x, 1)},
    "a row one point high": {SHEET: lambda x: re.sub(rf'<row r="{_largest_row(x)}"',
                                                     f'<row r="{_largest_row(x)}" ht="1" customHeight="1"', x, 1)},
    "every row zero high by default": {SHEET: lambda x: re.sub(r"<sheetFormatPr", '<sheetFormatPr zeroHeight="1"', x, 1)},
    "a note indented out of sight": {STYLES: lambda x: x.replace('indent="2"', 'indent="250"', 1)},
    "shrunk to fit": {STYLES: lambda x: re.sub(r"<xf ([^>]*)/>", r'<xf \1 applyAlignment="1"><alignment '
                                               r'shrinkToFit="1"/></xf>', x, 3)},
    "font of one point": {STYLES: lambda x: re.sub(r'<sz val="11(\.0)?"', '<sz val="1"', x, 1)},
    "dark text made white in the theme": {THEME: lambda x: x.replace('lastClr="000000"', 'lastClr="FFFFFF"', 1)},
    "zoomed to 10 %": {SHEET: lambda x: x.replace("<sheetView ", '<sheetView zoomScale="10" ', 1)},
    "printed at 10 %": {SHEET: lambda x: re.sub(r"<pageSetup ", '<pageSetup scale="10" ', x.replace(
        'fitToPage="1"', 'fitToPage="0"'), 1)},
}


@pytest.mark.parametrize("name", sorted(HIDDEN_LAYOUT))
def test_a_figure_hidden_by_its_layout_fails_against_the_quoted_code(kungsbacka, tmp_path, name):
    path, code = kungsbacka
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
    changes = {part: f for part, f in HIDDEN_LAYOUT[name].items() if part in names}
    assert changes, f"{name}: the annex has no {list(HIDDEN_LAYOUT[name])}"
    tampered = edit(path, tmp_path / "dold.xlsx", changes)
    v = verify(tampered, code)
    assert not v.ok and not v.mistyped, name


def test_the_shipped_names_are_shareds_and_a_key_may_override(tmp_path):
    shipped = (ROOT / "src" / "skr_fee" / "data" / "kommunnamn.csv").read_bytes()
    assert shipped == (SHARED / "kommunnamn.csv").read_bytes()
    names = {r["kommunkod"]: r["eget_namn"] for r in csv.DictReader((SHARED / "kommunnamn.csv").open(encoding="utf-8"))}
    assert len(names) == 290 and names["1480"] == "Göteborgs Stad" and names["1384"] == "Kungsbacka kommun"
    t = fee_table(2027)
    key = parse_key('kommunnamn = "Kungsbacka kommun (Halland)"\n' + KUNGSBACKA, "k.toml")
    draft = build_annex(t, t.fee("Kungsbacka"), key)
    assert draft.workbook["Bilaga"]["A1"].value == \
        "Bilaga: Kungsbacka kommun (Halland)s avgift till SKR 2027 och fördelning per nämnd"
    draft = build_annex(t, t.fee("Region Gotland"), parse_key('[[namnd]]\nnamn = "SN"\nandel = 100\n', "g.toml"))
    assert draft.workbook["Bilaga"]["A1"].value.startswith("Bilaga: Region Gotlands avgift")


def test_fee_says_when_the_areas_differ_from_the_total_by_rounding(capsys):
    from skr_fee.cli import main
    for kommun in ("Norberg", "Lekeberg", "Timrå", "Göteborg"):
        assert main(["avgift", kommun, "--år", "2027"]) == 0
        out = capsys.readouterr().out.replace("\u00a0", " ")
        total = int(re.search(r"Totalt\s+([\d ]+) kr", out)[1].replace(" ", ""))
        areas = out.split("Per område:")[1].splitlines()
        tops = [int(re.search(r"([\d ]+) kr$", line)[1].replace(" ", "")) for line in areas
                if re.match(r"    \S", line) and line.endswith(" kr")]
        if sum(tops) != total:
            assert f"områdena summerar till {sum(tops):,} kr".replace(",", " ") in out, kommun
        else:
            assert "områdena summerar" not in out, kommun


def test_a_reimported_date_shows_its_new_source(tmp_path, monkeypatch):
    """The population's description is read by content: a re-import with other metadata is seen."""
    from skr_fee.data import population, store
    monkeypatch.setenv(store.ENV, str(tmp_path))
    shipped = population.files()[-1]
    text = shipped.path.read_text(encoding="utf-8")
    store.write("population", "2030-12-31", text, {"källa": "Egen fil", "fil": "a.csv"})
    first = population.population_on(population.date(2030, 12, 31)).source
    store.write("population", "2030-12-31", text, {"källa": "Annan fil", "fil": "b.csv"})
    assert "Egen fil" in first and "Annan fil" in population.population_on(population.date(2030, 12, 31)).source


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\u00a0", " ")


@pytest.mark.slow
def test_what_the_board_reads(tmp_path):
    """Kungsbacka's and Göteborg's annexes as PDF, the xlsx printed by LibreOffice, and the draft."""
    from skr_fee.cli import main
    from skr_fee.documents.pdf import convert_to_pdf
    out = tmp_path / "kb" / "bilaga.xlsx"
    out.parent.mkdir()
    (tmp_path / "k.toml").write_text(KUNGSBACKA, encoding="utf-8")
    assert main(["bilaga", "Kungsbacka", "--år", "2027", "--nyckel", str(tmp_path / "k.toml"), "-o", str(out),
                 "--pdf", "--utkast", "--lösenord", "x"]) == 0
    code = fingerprint.stamped_code(out)
    text = pdf_text(out.with_suffix(".pdf"))
    flowing = re.sub(r"\s+", " ", text)
    assert "skr-fee" not in text and "Skriv i" not in text and "TAB" not in text
    assert "Bilaga: Kungsbacka kommuns avgift till SKR 2027" in text and "Kungsbacka kommun, kommunkod 1384" in flowing
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(out.with_suffix(".pdf"))],
                                                                capture_output=True, text=True).stdout)[1])
    assert all(f"Sida {n} av {pages}" in text for n in range(1, pages + 1))
    assert f"Kontrollsumma: {code}" in text  # on one line, whole
    fonts = subprocess.run(["pdffonts", str(out.with_suffix(".pdf"))], capture_output=True, text=True).stdout
    assert "Carlito" in fonts and "Serif" not in fonts and "DejaVu" not in fonts
    convert_to_pdf(out, tmp_path / "xlsx.pdf")
    assert f"Kontrollsumma {code}" in re.sub(r" +", " ", pdf_text(tmp_path / "xlsx.pdf"))  # its cell shows it all
    from docx import Document
    draft = "\n".join(p.text for p in Document(out.with_name("bilaga_utkast.docx")).paragraphs).replace("\u00a0", " ")
    assert not re.search(r"faktura \d \d", draft)
    assert "Socialnämnden:" in draft and "Individ- och familjeomsorg:" in draft and "fördelas på 3 nämnder" in draft
    assert "Kungsbacka kommun deltar" in draft and "Kommunstyrelsen beslutar\n1. att fördela" in draft
    assert all(line.endswith((".", ":", "varav", "beslutar")) or line.startswith("UTKAST") or not line or
               len(line) < 80 for line in draft.splitlines()), draft
    gbg = tmp_path / "gbg" / "bilaga.xlsx"
    gbg.parent.mkdir()
    assert main(["bilaga", "Göteborg", "--år", "2025", "--nyckel", str(ROOT / "keys" / "goteborg.toml"), "-o",
                 str(gbg), "--pdf", "--lösenord", "x"]) == 0
    assert "Göteborgs Stads avgift" in pdf_text(gbg.with_suffix(".pdf"))
    shutil.rmtree(tmp_path / "gbg")


def test_a_workbook_keys_municipality_and_year_are_used_as_a_toml_keys(tmp_path, capsys):
    """The allocation workbook's Kommun (B3) and Avgiftsår (B4) hold as `kommun =` does in TOML."""
    from skr_fee.cli import main
    path = ROOT / "workbook_templates" / "fordelning.xlsx"
    base = ["bilaga", "Göteborg", "--nyckel", f"{path}#Tyresö", "-o", str(tmp_path / "b.xlsx"), "--lösenord", "x"]
    assert main(base + ["--år", "2025"]) == 1
    assert "är skriven för Tyresö, inte Göteborg" in capsys.readouterr().err
    tyreso = ["bilaga", "Tyresö", "--nyckel", f"{path}#Tyresö", "-o", str(tmp_path / "t.xlsx"), "--lösenord", "x"]
    assert main(tyreso + ["--år", "2026"]) == 1
    assert "gäller avgiftsår 2025 (cellen Avgiftsår), inte 2026. Ange --år 2025" in capsys.readouterr().err
    assert main(tyreso + ["--år", "2025"]) == 0
