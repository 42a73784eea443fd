"""The annex in Word for the decision text, the draft, and an annex PDF everyone can read (issue 18).

Read back with python-docx and pikepdf; printed by a real LibreOffice.
"""

import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "keys"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "skr_fee.cli", *args], capture_output=True, text=True, timeout=240)


@pytest.fixture(scope="module")
def goteborg(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docx")
    out = folder / "bilaga.xlsx"
    p = cli("annex", "Göteborg", "--year", "2025", "--key", str(KEYS / "goteborg.toml"), "-o", str(out),
            "--docx", "--utkast", "--pdf", "--password", "x")
    assert p.returncode == 0, p.stderr
    code = re.search(r"Kontrollsumma: (\S+)", p.stdout)[1]
    return out, code


def kronor(text: str) -> list[int]:
    return [int(m.replace(" ", "").replace("\u00a0", "")) for m in re.findall(r"(\d{1,3}(?:[ \u00a0]\d{3})*)[ \u00a0]kr", text)]


def test_the_word_tables_hold_every_amount_of_the_xlsx_annex(goteborg):
    out, code = goteborg
    doc = Document(out.with_suffix(".docx"))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    in_word = Counter(n for text in cells for n in kronor(text))
    ws = load_workbook(out)["Bilaga"]
    in_xlsx = Counter(int(c.value) for row in ws.iter_rows() for c in row
                      if isinstance(c.value, int) and "kr" in c.number_format)
    assert in_xlsx and all(in_word[n] >= k for n, k in in_xlsx.items()), (in_xlsx, in_word)
    split = next(t for t in doc.tables if t.rows[0].cells[0].text == "Nämnd" and t.rows[0].cells[1].text == "Belopp")
    rows = {r.cells[0].text: kronor(r.cells[1].text)[0] for r in split.rows[1:]}
    leaves = ["Äldre- samt vård- och omsorgsnämnden (ÄVO)", "Nämnden för funktionsstöd (FFS)"] + \
        [f"Socialnämnden {s}" for s in ("Hisingen", "Nordost", "Centrum", "Sydväst")]
    assert [rows[n] for n in leaves] == [609146, 211877, 52969, 52969, 52969, 52969]  # SKR's fee, split exactly
    assert sum(rows[n] for n in leaves) == rows["Summa"] == 1032899
    assert any(code in p.text for p in doc.paragraphs)
    assert any(p.text == f"Kontrollsumma: {code}" for p in doc.paragraphs)


def test_word_structure_title_language_and_no_fields(goteborg):
    out, _ = goteborg
    path = out.with_suffix(".docx")
    doc = Document(path)
    assert doc.core_properties.title == "Bilaga: Göteborgs Stads avgift till SKR 2025 och fördelning per nämnd"
    assert doc.core_properties.language == "sv-SE"
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in names if n.endswith((".xml", ".rels")))
    assert not any("vba" in n.lower() for n in names)
    for forbidden in ("<w:instrText", "<w:hyperlink", 'TargetMode="External"', "<m:oMath", "thumbnail"):
        assert forbidden not in xml, forbidden
    assert sorted(set(re.findall(r'w:fldSimple w:instr="([^"]*)"', xml))) == ["NUMPAGES", "PAGE"]  # page numbers only
    assert 'w:lang w:val="sv-SE"' in xml and 'w:val="en-US"' not in xml
    for table in doc.tables:
        assert table.style.name == "Table Grid"
        header = table.rows[0]._tr
        assert header.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    numbers = [c for t in doc.tables for row in t.rows[1:] for c in row.cells[1:2] if kronor(c.text)]
    assert numbers and all(c.paragraphs[0].alignment == 2 for c in numbers)  # right-aligned
    nested = [p for t in doc.tables for row in t.rows for p in row.cells[0].paragraphs
              if p.text.startswith("Socialnämnden ") and p.paragraph_format.left_indent]
    assert nested  # boards in a group are indented
    headings = [p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Heading 1" and "Heading 2" in headings


def test_the_draft_text(goteborg):
    out, code = goteborg
    draft = Document(out.with_name("bilaga_utkast.docx"))
    text = "\n".join(p.text for p in draft.paragraphs).replace("\u00a0", " ")
    assert text.startswith("UTKAST – läs och redigera texten före beslut.")
    assert "Kommunstyrelsen beslutar\n1. att fördela kostnaden för tilläggsfinansieringen 2025, 1 032 899 kr, mellan " \
        "nämnderna enligt bilagan.\n2. att Äldre- samt vård- och omsorgsnämnden (ÄVO) tar emot och betalar SKR:s " \
        "fakturor för 2025." in text
    assert ("Avgiften för 2025 är 1 032 899 kr, som SKR fakturerar i 2 delar: faktura 1 (kvalitetsregister) på "
            "317 815 kr och faktura 2 (förfogandemedel) på 715 084 kr.") in text
    assert not re.search(r"faktura \d \d", text)  # "faktura 1 317 815 kr" read as 1 317 815
    assert text.startswith("UTKAST") and "Göteborgs Stad deltar" in text and "fördelas på 3 nämnder" in text
    assert "Socialnämnderna (SF): 211 876 kr, varav\nSocialnämnden Hisingen: 52 969 kr" in text
    assert "31 december 2023, 604 616 invånare" in text and "2025–2028" in text
    assert "Äldre- samt vård- och omsorgsnämnden (ÄVO): 609 146 kr" in text
    assert f"Bilagan har kontrollsumman {code}." in text


def structure(pdf: Path) -> Counter:
    tags = Counter()

    def walk(e):
        if isinstance(e, pikepdf.Dictionary):
            if "/S" in e:
                tags[str(e.S)] += 1
            k = e.get("/K")
            for x in (k if isinstance(k, pikepdf.Array) else [k] if isinstance(k, pikepdf.Dictionary) else []):
                walk(x)

    with pikepdf.open(pdf) as p:
        walk(p.Root.StructTreeRoot)
    return tags


def test_the_annex_pdf_is_accessible_and_archivable(goteborg):
    out, _ = goteborg
    pdf = out.with_suffix(".pdf")
    tags = structure(pdf)
    assert tags["/Table"] >= 4 and tags["/TH"] >= 12 and tags["/TD"] > 40 and tags["/H1"] == 1
    with pikepdf.open(pdf) as p:
        assert str(p.Root.Lang) == "sv-SE"
        assert bool(p.Root.ViewerPreferences.DisplayDocTitle) is True
        assert bool(p.Root.MarkInfo.Marked) is True
        meta = p.open_metadata()
        assert meta.get("pdfuaid:part") == "1"  # PDF/UA-1
        assert meta.get("pdfaid:part") == "2" and meta.get("pdfaid:conformance") == "B"  # and PDF/A-2b
        assert meta.get("dc:title") == "Bilaga: Göteborgs Stads avgift till SKR 2025 och fördelning per nämnd"


def test_the_word_annex_prints_the_amounts_of_the_xlsx_annex(goteborg, tmp_path):
    """Converted by LibreOffice, the Word annex shows the amounts the xlsx annex's PDF shows."""
    from skr_fee.documents.pdf import convert_to_pdf
    out, _ = goteborg
    convert_to_pdf(out, tmp_path / "fran_xlsx.pdf")
    text = {name: subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                 check=True).stdout
            for name, path in (("xlsx", tmp_path / "fran_xlsx.pdf"), ("docx", out.with_suffix(".pdf")))}
    assert set(kronor(text["xlsx"])) == set(kronor(text["docx"]))
    assert 1032899 in kronor(text["docx"])


def test_formula_like_names_are_text_in_word(tmp_path):
    key = tmp_path / "k.toml"
    key.write_text('kommun = "Tyresö"\n[[namnd]]\nnamn = "=HYPERLINK(\\"http://x\\",\\"FFS\\")"\nandel = 100\n',
                   encoding="utf-8")
    out = tmp_path / "b.xlsx"
    assert cli("annex", "Tyresö", "--year", "2025", "--key", str(key), "-o", str(out), "--docx",
               "--password", "x").returncode == 0
    doc = Document(out.with_suffix(".docx"))
    assert any(c.text == '=HYPERLINK("http://x","FFS")' for t in doc.tables for row in t.rows for c in row.cells)
    with zipfile.ZipFile(out.with_suffix(".docx")) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "<w:hyperlink" not in body and "<w:fldSimple" not in body and "<w:instrText" not in body


def test_verify_says_what_can_be_verified(goteborg):
    out, code = goteborg
    p = cli("verify", str(out.with_suffix(".docx")))
    assert p.returncode == 1 and "en Word-bilaga kan inte kontrolleras" in p.stderr
    assert cli("verify", str(out), "--kontrollsumma", code).returncode == 0
