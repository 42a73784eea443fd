"""An annex a board can rely on: the check code, tampers made in the package XML, a re-save in
LibreOffice, and text that is never a formula (issues 12 and 19)."""

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]
KEYS = ROOT / "keys"
CODE = re.compile(r"Kontrollsumma: ([0-9A-HJKMNP-TV-Z]{3}(?:-[0-9A-HJKMNP-TV-Z]{3}){8})")


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "skr_fee.cli", *args], capture_output=True, text=True,
                          timeout=180, cwd=cwd)


@pytest.fixture(scope="module")
def goteborg(tmp_path_factory):
    folder = tmp_path_factory.mktemp("trust")
    out = folder / "bilaga.xlsx"
    p = cli("annex", "Göteborg", "--year", "2025", "--key", str(KEYS / "goteborg.toml"), "-o", str(out),
            "--password", "x")
    assert p.returncode == 0, p.stderr
    code = CODE.search(p.stdout)[1]
    assert f'"Bilagan har kontrollsumman {code}."' in p.stdout
    return out, code


def edit(src: Path, dst: Path, part: str, change) -> Path:
    """A copy of ``src`` with one part of the package rewritten as text (no spreadsheet library)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                new = change(data.decode("utf-8"))
                assert new != data.decode("utf-8"), f"the edit of {part} changed nothing"
                data = new.encode("utf-8")
            zout.writestr(item, data)
    return dst


def the_largest_amount(xml: str) -> str:
    """The <c> element of the cell holding 609146 (ÄVO), the largest board amount."""
    return re.search(r'<c r="B\d+"[^>]*><v>609146</v></c>', xml)[0]


def add_style(styles: str, kind: str, element: str) -> tuple[str, int]:
    """Append a font/fill... to styles.xml and an xf using it; return the new styles and the xf index."""
    count = int(re.search(rf'<{kind}s count="(\d+)"', styles)[1])
    styles = re.sub(rf'<{kind}s count="\d+">(.*?)</{kind}s>',
                    lambda m: f'<{kind}s count="{count + 1}">{m[1]}{element}</{kind}s>', styles, count=1, flags=re.S)
    xfs = int(re.search(r'<cellXfs count="(\d+)"', styles)[1])
    attr = {"font": "fontId", "numFmt": "numFmtId"}[kind]
    xf = f'<xf numFmtId="3" fontId="{count}" fillId="0" borderId="0" applyFont="1"/>' if kind == "font" else \
        f'<xf numFmtId="{element}" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
    styles = re.sub(r'<cellXfs count="\d+">(.*?)</cellXfs>',
                    lambda m: f'<cellXfs count="{xfs + 1}">{m[1]}{xf}</cellXfs>', styles, count=1, flags=re.S)
    assert attr
    return styles, xfs


def restyle(xf: int):
    return lambda xml: xml.replace(the_largest_amount(xml), re.sub(r' s="\d+"', f' s="{xf}"', the_largest_amount(xml)))


SHEET = "xl/worksheets/sheet1.xml"


def tampers(src: Path, folder: Path):
    styles = zipfile.ZipFile(src).read("xl/styles.xml").decode("utf-8")
    white, white_xf = add_style(styles, "font", '<font><color rgb="FFFFFFFF"/><sz val="11"/><name val="Calibri"/></font>')
    fmt, fmt_xf = add_style(styles, "numFmt", "10")  # built-in 0.00%
    row = lambda xml: re.search(r'<c r="B(\d+)"[^>]*><v>609146</v>', xml)[1]  # noqa: E731
    return {
        "changed value": [(SHEET, lambda x: x.replace("<v>609146</v>", "<v>609147</v>"))],
        "changed number format": [("xl/styles.xml", lambda x: fmt), (SHEET, restyle(fmt_xf))],
        "white font": [("xl/styles.xml", lambda x: white), (SHEET, restyle(white_xf))],
        "hidden row": [(SHEET, lambda x: re.sub(rf'<row r="{row(x)}"', f'<row r="{row(x)}" hidden="1"', x, count=1))],
        "protection removed": [(SHEET, lambda x: re.sub(r"<sheetProtection[^>]*/>", "", x))],
        "added footer": [(SHEET, lambda x: x.replace("&amp;R", "&amp;CUTKAST&amp;R", 1))],
        # Excel needs one visible sheet: the control sheet is shown, the annex hidden
        "hidden sheet": [("xl/workbook.xml", lambda x: x.replace('state="veryHidden"', 'state="VISIBLE"')
                          .replace('name="Bilaga" sheetId="1" state="visible"', 'name="Bilaga" sheetId="1" state="hidden"')
                          .replace('state="VISIBLE"', 'state="visible"'))],
    }


def test_the_untouched_annex_passes_with_the_quoted_code(goteborg):
    out, code = goteborg
    p = cli("verify", str(out), "--kontrollsumma", code.lower().replace("-", " "))
    assert p.returncode == 0 and p.stdout.startswith(f"Oförändrad: {out} har kontrollsumman {code}, samma som i beslutet.")
    p = cli("verify", str(out))
    assert p.returncode == 0 and "Det visar bara att filen stämmer med sig själv" in p.stdout
    wb = load_workbook(out)
    assert {x.name: x.value for x in wb.custom_doc_props}["Kontrollsumma"] == code
    assert code in wb["Bilaga"].oddFooter.left.text
    assert any(c.value == code for row in wb["Bilaga"].iter_rows() for c in row)


EXPECTED = {
    "changed value": "609 146 kr → 609 147 kr",
    "changed number format": "talformatet ändrat",
    "white font": "färg FFFFFF (var 000000)",
    "hidden row": "är dold",
    "protection removed": "bladskyddet är borttaget",
    "added footer": "sidfoten är ändrad: 'UTKAST' (var '')",
    "hidden sheet": "Bladet Bilaga är nu dolt",
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_tamper_made_in_the_xml_fails(goteborg, tmp_path, case):
    out, code = goteborg
    src = out
    for i, (part, change) in enumerate(tampers(out, tmp_path)[case]):
        src = edit(src, tmp_path / f"step{i}.xlsx", part, change)
    p = cli("verify", str(src), "--kontrollsumma", code)
    assert p.returncode == 1, p.stdout
    assert p.stdout.startswith(f"Ändrad: {src} har kontrollsumman ") and f"inte {code} som i beslutet" in p.stdout
    assert EXPECTED[case] in p.stdout.replace("\u00a0", " "), p.stdout
    assert "Traceback" not in p.stderr


def test_a_restamped_copy_fails_against_the_quoted_code(goteborg, tmp_path):
    """Changing a number and stamping the file anew with the product's own code: the quoted code catches it."""
    from skr_fee.documents import fingerprint
    out, code = goteborg
    wb = load_workbook(out)
    cell = next(c for row in wb["Bilaga"].iter_rows() for c in row if c.value == 609146)
    cell.value = 600000
    del wb["Kontroll"]
    wb.custom_doc_props = type(wb.custom_doc_props)()
    fingerprint.stamp(wb, f"Bilaga!{next(c.coordinate for row in wb['Bilaga'].iter_rows() for c in row if c.value == code)}")
    wb.save(tmp_path / "forfalskad.xlsx")
    assert cli("verify", str(tmp_path / "forfalskad.xlsx")).returncode == 0  # it agrees with itself...
    p = cli("verify", str(tmp_path / "forfalskad.xlsx"), "--kontrollsumma", code)
    assert p.returncode == 1 and f"inte {code} som i beslutet" in p.stdout  # ...but not with the decision


def test_macros_and_external_links_are_refused(goteborg, tmp_path):
    out, code = goteborg
    for extra, word in (("xl/vbaProject.bin", "makron"), ("xl/externalLinks/externalLink1.xml", "externa länkar"),
                        ("xl/embeddings/oleObject1.bin", "delar som kontrollen inte täcker")):
        dst = tmp_path / "x.xlsx"
        shutil.copy(out, dst)
        with zipfile.ZipFile(dst, "a") as z:
            z.writestr(extra, b"x")
        p = cli("verify", str(dst), "--kontrollsumma", code)
        assert p.returncode == 1 and word in p.stderr and "kan inte kontrolleras" in p.stderr


def test_names_that_look_like_formulas_are_text(tmp_path):
    key = tmp_path / "k.toml"
    key.write_text('kommun = "Tyresö"\n[[namnd]]\nnamn = "=HYPERLINK(\\"http://x\\",\\"FFS\\")"\nandel = 40\n'
                   '[[namnd]]\nnamn = "+Vård"\nandel = 30\n[[namnd]]\nnamn = "@Omsorg"\nandel = 20\n'
                   '[[namnd]]\nnamn = "-Stöd"\nandel = 10\n', encoding="utf-8")
    out = tmp_path / "b.xlsx"
    p = cli("annex", "Tyresö", "--year", "2025", "--key", str(key), "-o", str(out), "--password", "x")
    assert p.returncode == 0, p.stderr
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml and "<hyperlink" not in xml, name
    names = {c.value for row in load_workbook(out)["Bilaga"].iter_rows() for c in row if isinstance(c.value, str)}
    assert '=HYPERLINK("http://x","FFS")' in {n.strip() for n in names}
    assert cli("verify", str(out)).returncode == 0


def soffice_convert(src: Path, to: str, outdir: Path, home: Path) -> Path:
    outdir.mkdir(exist_ok=True)
    p = subprocess.run(["soffice", f"-env:UserInstallation={(home / 'lo').as_uri()}", "--headless", "--norestore",
                        "--convert-to", to, "--outdir", str(outdir), str(src)], capture_output=True, text=True,
                       timeout=180)
    assert p.returncode == 0, p.stderr
    return outdir / (src.stem + "." + to.split(":")[0])


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_an_innocent_resave_in_libreoffice_still_verifies(tmp_path):
    """Issue 19's acceptance: the re-saved copy prints the same, verifies, and a change in it fails."""
    out = tmp_path / "b.xlsx"
    p = cli("annex", "Tyresö", "--year", "2025", "--key", str(KEYS / "tyreso.toml"), "-o", str(out), "--password", "x")
    assert p.returncode == 0, p.stderr
    code = CODE.search(p.stdout)[1]
    resaved = soffice_convert(out, "xlsx", tmp_path / "lo", tmp_path)
    original_pdf = pdf_text(soffice_convert(out, "pdf", tmp_path / "pdf1", tmp_path))
    resaved_pdf = pdf_text(soffice_convert(resaved, "pdf", tmp_path / "pdf2", tmp_path))
    assert resaved_pdf == original_pdf
    assert "51,28 %" in original_pdf and "70,00 %" in original_pdf and "0,05%" not in resaved_pdf
    p = cli("verify", str(resaved), "--kontrollsumma", code)
    assert p.returncode == 0, p.stdout
    assert "strukturskydd saknas" in p.stdout  # what LibreOffice did drop, said as it is
    changed = edit(resaved, tmp_path / "andrad.xlsx", SHEET, lambda x: x.replace("<v>37335</v>", "<v>37336</v>"))
    p = cli("verify", str(changed), "--kontrollsumma", code)
    assert p.returncode == 1 and "37\u00a0335 kr → 37\u00a0336 kr" in p.stdout


def test_verify_computes_the_figures_again(goteborg, tmp_path):
    """Issue 12: verify re-derives fee and split from what the annex records; a mismatch is its own finding."""
    out, code = goteborg
    p = cli("verify", str(out), "--kontrollsumma", code)
    assert "Beräkning: Beräkningen stämmer med reglerna: Göteborg 2025, 1 032 899 kr på 6 nämnder" in \
        p.stdout.replace("\u00a0", " ")
    # a forgery stamped anew but keeping the recorded inputs: it agrees with itself, not with the rules
    from skr_fee.documents import fingerprint
    wb = load_workbook(out)
    cell = next(c for row in wb["Bilaga"].iter_rows() for c in row if c.value == 609146)
    cell.value = 600000
    inputs = wb["Kontroll"]["B1"].value
    del wb["Kontroll"]
    kept = [x for x in wb.custom_doc_props if x.name not in ("Kontrollsumma", "Kontrollsummans cell")]
    wb.custom_doc_props = type(wb.custom_doc_props)()
    for x in kept:
        wb.custom_doc_props.append(x)
    shown = next(c.coordinate for row in wb["Bilaga"].iter_rows() for c in row if c.value == code)
    fingerprint.stamp(wb, f"Bilaga!{shown}")
    wb["Kontroll"]["B1"] = inputs
    wb.save(tmp_path / "f.xlsx")
    p = cli("verify", str(tmp_path / "f.xlsx"))
    assert p.returncode == 1
    assert "Bilagan anger 600 000 kr för Äldre- samt vård- och omsorgsnämnden (ÄVO); reglerna ger 609 146 kr." in \
        p.stdout.replace("\u00a0", " ")


def test_the_templates_print_without_the_add_in(tmp_path):
    """Issue 19: opened anywhere but Excel with the add-in, the allocation template shows figures,
    no #NAME?. (avgifter.xlsx computes with range formulas since issue 11; LibreOffice computes an
    array formula again on opening, so there it needs the add-in: its stored results, which Excel
    and a preview show, are checked in test_templates.py.)"""
    text = pdf_text(soffice_convert(ROOT / "workbook_templates" / "fordelning.xlsx", "pdf", tmp_path / "pdf",
                                    tmp_path))
    assert "#NAME" not in text and "#N/A" not in text
    assert "1 032 899 kr" in text and "Stämmer" in text
    assert "40,0 %" in text  # shares in Swedish format, not 40.00
