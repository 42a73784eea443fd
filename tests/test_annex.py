"""The locked annex as a PDF by a real LibreOffice, and the command's errors (values, lock and code: test_annex_values.py)."""

import re
import os
import shutil
import subprocess

import pytest
from annex_read import KEYS, cli, goteborg_annex

import pictures
import reference
from openpyxl import load_workbook

from skr_fee.documents.key_files import read_key
from skr_fee.documents.annex_files import write_annex
from skr_fee.rules.errors import SkrFeeError
from skr_fee.data.tables import fee_table
from skr_fee.documents.fingerprint import verify
from reference import excel_password_matches as verify_password


@pytest.fixture(scope="module")
def goteborg(tmp_path_factory):
    """One annex with its PDF, made through the command line as a user would."""
    return goteborg_annex(tmp_path_factory.mktemp("annex"), "--pdf")


def test_verify_rejects_other_files(tmp_path):
    plain = tmp_path / "vanlig.xlsx"
    from openpyxl import Workbook
    Workbook().save(plain)
    p = cli("verify", str(plain))
    assert p.returncode == 1 and "saknar kontrollsumma" in p.stderr
    junk = tmp_path / "skrap.xlsx"
    junk.write_text("inte en arbetsbok")
    p = cli("verify", str(junk))
    assert p.returncode == 1 and "ingen läsbar xlsx-fil" in p.stderr


def test_pdf_text_and_picture(goteborg, tmp_path):
    out, _ = goteborg
    pdf = out.with_suffix(".pdf")
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    for board in ("Äldre- samt vård- och omsorgsnämnden (ÄVO)", "Nämnden för funktionsstöd (FFS)", "Socialnämnden Hisingen"):
        assert board in text
    assert "1 032 899" in text and "609 146" in text and "52 969" in text
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+[12]\n", pages)  # A4, no page-number fields (the Word annex has none)
    meta = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "pdfaid:part" in meta  # PDF/A
    png_base = tmp_path / "sida"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(png_base)], check=True)
    png = next(tmp_path.glob("sida*.png"))
    seen = pictures.look(png.read_bytes())
    width, height = seen["size"]
    assert abs(height / width - 297 / 210) < 0.02  # an A4 page, upright
    assert 0.01 < seen["inked"] < 0.25  # text and rules on a white page
    assert pictures.near(seen["colours"], "#DDEBF7", 6)  # the table headers' fill is printed
    keep = os.environ.get("SKR_FEE_KEEP_PNG")
    if keep:
        shutil.copy(png, keep)


def test_generated_password_is_printed_once(tmp_path):
    out = tmp_path / "b.xlsx"
    p = cli("annex", "Tyresö", "--key", str(KEYS / "tyreso.toml"), "-o", str(out))
    assert p.returncode == 0, p.stderr
    line = next(l for l in p.stdout.splitlines() if l.startswith("Lösenord"))
    password = line.split(": ", 1)[1]
    assert len(password) == 19
    ws = load_workbook(out).worksheets[0]
    assert verify_password(password, ws.protection.saltValue, ws.protection.hashValue, ws.protection.spinCount)


@pytest.mark.parametrize("args,message", [
    (["annex", "Götborg", "--key", "keys/goteborg.toml", "-o", "X.xlsx"], "Menar du Göteborg"),
    (["annex", "Göteborg", "--key", "keys/saknas.toml", "-o", "X.xlsx"], "finns inte"),
    (["annex", "Göteborg", "--key", "keys/goteborg.toml", "-o", "X.pdf"], "slutar på .xlsx"),
    (["annex", "Karlskoga", "--key", "keys/goteborg.toml", "-o", "X.xlsx"], "deltar inte"),
])
def test_annex_errors_leave_no_file(tmp_path, args, message):
    args = [a.replace("keys/", str(KEYS) + "/").replace("X.", str(tmp_path / "X.")) for a in args]
    p = cli(*args)
    assert p.returncode == 1 and message in p.stderr and "Traceback" not in p.stderr
    assert list(tmp_path.iterdir()) == []


def test_failed_pdf_leaves_no_xlsx_and_keeps_an_existing_annex(tmp_path, monkeypatch):
    t = fee_table(2025)
    key = read_key(KEYS / "goteborg.toml")
    target = tmp_path / "bilaga.xlsx"
    target.write_bytes(b"the annex the board already decided on")
    monkeypatch.setenv("PATH", "/nonexistent")  # no LibreOffice to be found
    with pytest.raises(SkrFeeError, match="LibreOffice saknas"):
        write_annex(t, t.fee("Göteborg"), key, target, pdf=True, replace=True)  # as with --ersätt
    assert target.read_bytes() == b"the annex the board already decided on"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bilaga.xlsx"]


def test_national_table_is_sealed_too(tmp_path):
    out = tmp_path / "avgifter.xlsx"
    p = cli("table", "--year", "2025", "-o", str(out), "--password", "x")
    assert p.returncode == 0, p.stderr
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    assert ws.protection.algorithmName == "SHA-512" and wb.security.lockStructure
    props = {x.name: x.value for x in wb.custom_doc_props}
    assert props["Avgiftsår"] == "2025" and len(props["Kontrollsumma"]) == 35
    assert verify(out).intact


def test_national_table_prints_without_hashes(tmp_path):
    """SKR's own print showed Göteborg's and Stockholm's totals as #######; ours prints them."""
    from skr_fee.documents.pdf import convert_to_pdf
    out = tmp_path / "avgifter.xlsx"
    assert cli("table", "--year", "2025", "-o", str(out), "--password", "x").returncode == 0
    convert_to_pdf(out, tmp_path / "avgifter.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "avgifter.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout.replace("\u00a0", " ")
    assert "#" not in text
    # independent (tests/reference.py over SCB's 2023-12-31): Stockholm's Totalt, which SKR printed as
    # #######, Göteborg's (SKR's table) and the total row
    expected = reference.shared_out(reference.population(2023), reference.participants_2025_2028())
    stockholm, total = expected["0180"][2], sum(row[2] for row in expected.values())
    assert (stockholm, total) == (1689466, 19500007)
    assert "1 689 466" in text and "1 032 899" in text
    assert "19 500 007" in text


def test_a_sheet_key_with_area_names_makes_an_annex(tmp_path):
    """Areas written by name ('Kvalitetsregister') are resolved as the allocation resolves them."""
    from skr_fee.rules.keys import key_from_rows
    t = fee_table(2025)
    key = key_from_rows([["Kvalitetsregister", "A", 100], ["Stöd för uppföljning", "A", 100],
                         ["kunskapsstyrning", "B", 100]])
    r = write_annex(t, t.fee("Ale"), key, tmp_path / "b.xlsx", password="x")
    assert r.allocation.total == 61588
    labels = [row[0] for row in load_workbook(r.xlsx)["Bilaga"].iter_rows(values_only=True)]
    assert "Kvalitetsregister" in labels and "Stöd för uppföljning" in labels
