"""The annex's values, lock, properties and check code, read back with openpyxl: fast (no LibreOffice),
so that they run in make test-fast and under mutation testing. The PDF is test_annex.py's.

Expected figures: DOMAIN.md (Göteborg 2025: 317 815 + 715 084 = 1 032 899 kr; population 604 616) and
the decision document's key (ÄVO 59 %, FFS 20,5 %, four social boards of the rest)."""

import base64
import re
from datetime import datetime

import pytest
from annex_read import cli, find, goteborg_annex, values
from openpyxl import load_workbook

from reference import excel_password_matches as verify_password
from skr_fee import __version__


@pytest.fixture(scope="module")
def goteborg(tmp_path_factory):
    """One annex, made through the command line as a user would (without a PDF)."""
    return goteborg_annex(tmp_path_factory.mktemp("annex"))


def test_annex_values(goteborg):
    out, _ = goteborg
    wb = load_workbook(out)
    ws = wb["Bilaga"]
    assert find(ws, "Folkmängd 31 december 2023")[1] == 604616
    assert find(ws, "Faktura 1, kvalitetsregister")[1] == 317815
    assert find(ws, "Faktura 2, förfogandemedel")[1] == 715084
    assert find(ws, "Totalt enligt SKR:s tabell")[1] == 1032899
    assert find(ws, "Att fördela (Faktura 1 + Faktura 2)")[1] == 1032899
    rows = values(ws)
    start = next(i for i, r in enumerate(rows) if r[0] == "Fördelning per nämnd")
    end = next(i for i, r in enumerate(rows) if r[0] == "Summa")
    amounts = {str(r[0]).strip(): r[1] for r in rows[start + 2:end]}
    assert amounts["Äldre- samt vård- och omsorgsnämnden (ÄVO)"] == 609146
    assert amounts["Nämnden för funktionsstöd (FFS)"] == 211877
    for sf in ("Hisingen", "Nordost", "Centrum", "Sydväst"):
        assert amounts[f"Socialnämnden {sf}"] == 52969
    assert rows[end][1] == 1032899
    # values, not formulas: the annex opens in any Excel without the add-in
    assert not any(isinstance(v, str) and v.startswith("=") for r in rows for v in r)
    assert "#,##0" in ws.cell(row=start + 3, column=2).number_format


def test_annex_is_locked_with_sha512(goteborg):
    out, _ = goteborg
    wb = load_workbook(out)
    for ws in wb.worksheets:
        p = ws.protection
        assert p.sheet is True
        assert p.algorithmName == "SHA-512"
        assert p.spinCount == 100000
        assert len(base64.b64decode(p.hashValue)) == 64 and len(base64.b64decode(p.saltValue)) == 16
        assert not p.password  # no legacy 16-bit hash
        assert verify_password("hemligt-lösen", p.saltValue, p.hashValue, p.spinCount)
        assert not verify_password("fel", p.saltValue, p.hashValue, p.spinCount)
    sec = wb.security
    assert sec.lockStructure is True
    assert sec.workbookAlgorithmName == "SHA-512"
    assert verify_password("hemligt-lösen", sec.workbookSaltValue, sec.workbookHashValue, sec.workbookSpinCount)
    assert wb["Kontroll"].sheet_state == "veryHidden"


def test_annex_properties_and_fingerprint(goteborg):
    out, stdout = goteborg
    wb = load_workbook(out)
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props["Kommun"] == "Göteborg" and props["Kommunkod"] == "1480"
    assert props["Avgiftsår"] == "2025" and props["Rekommendationsperiod"] == "2025–2028"
    assert props["Folkmängdsdatum"] == "2023-12-31"
    assert props["Produktversion"] == __version__
    assert datetime.fromisoformat(props["Skapad"]) <= datetime.now()
    fp = props["Kontrollsumma"]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{3}(-[0-9A-HJKMNP-TV-Z]{3}){8}", fp)  # 130 bits and a check symbol, Crockford base32
    assert f"Kontrollsumma: {fp}" in stdout and f'"Bilagan har kontrollsumman {fp}."' in stdout
    assert find(wb["Bilaga"], "Kontrollsumma")[1] == fp
    assert fp in wb["Bilaga"].oddFooter.left.text
    assert wb.properties.title.startswith("Bilaga: Göteborgs Stads avgift till SKR 2025")
    assert "Lösenord" not in stdout  # the user gave one: nothing to print


def test_verify_intact_then_changed(goteborg, tmp_path):
    out, _ = goteborg
    p = cli("verify", str(out))
    assert p.returncode == 0 and "Oförändrad" in p.stdout
    changed = tmp_path / "andrad.xlsx"
    wb = load_workbook(out)
    ws = wb["Bilaga"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == 609146)
    cell.value = 609147
    wb.save(changed)
    p = cli("verify", str(changed))
    assert p.returncode == 1
    # figures are written one way: a no-break space between groups, in the change and the finding alike
    assert f"Bilaga!{cell.coordinate}: 609\u00a0146 kr → 609\u00a0147 kr" in p.stdout
    assert "Bilagan anger 609\u00a0147 kr för Äldre- samt vård- och omsorgsnämnden (ÄVO); reglerna ger 609\u00a0146 kr." \
        in p.stdout
    assert "Traceback" not in p.stderr
