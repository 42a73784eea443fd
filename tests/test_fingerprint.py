"""The check code and verify, fast: an annex written in a temporary folder, changed with openpyxl."""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from skr_fee.data.tables import fee_table
from skr_fee.documents.annex_files import write_annex
from skr_fee.documents.canonical import CODE_MARK, CONTROL_SHEET, value as canonical
from skr_fee.documents import check_code
from skr_fee.documents.fingerprint import PROPERTY, code_of, records, verify
from skr_fee.documents.key_files import read_key
from skr_fee.rules.errors import SkrFeeError

KEYS = Path(__file__).resolve().parents[1] / "keys"


@pytest.fixture(scope="module")
def annex(tmp_path_factory):
    t = fee_table(2025)
    out = tmp_path_factory.mktemp("fp") / "bilaga.xlsx"
    r = write_annex(t, t.fee("Tyresö"), read_key(KEYS / "tyreso.toml"), out, password="x")
    return out, r.fingerprint


def test_canonical_spelling_of_values():
    assert canonical(1032899) == canonical(1032899.0) == canonical(Decimal("1032899.00")) == "1032899"
    assert canonical(0.5128205128205128) == canonical(0.512820512820513) == "0.512820512820513"
    assert canonical(True) == "TRUE" and canonical(False) == "FALSE"
    assert canonical(date(2025, 12, 31)) == "2025-12-31" and canonical(datetime(2025, 1, 2, 3, 4)) == "2025-01-02T03:04:00"
    assert canonical("Tyresö") == "Tyresö"


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def gf32_times(a: int, b: int) -> int:
    """Multiplication in GF(2^5) modulo x^5 + x^2 + 1, bit by bit (the test's own arithmetic)."""
    product = 0
    for i in range(5):
        if b >> i & 1:
            product ^= a << i
    for bit in range(9, 4, -1):
        if product >> bit & 1:
            product ^= 0b100101 << (bit - 5)
    return product


def test_the_code_is_130_bits_of_sha256_in_crockford_base32_with_a_check_symbol():
    recs = [["cell", "Bilaga", "A1", "text", "x"], ["cell", "Bilaga", "B2", "tal", "1"]]
    text = '["cell", "Bilaga", "A1", "text", "x"]\n["cell", "Bilaga", "B2", "tal", "1"]'
    bits = bin(int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big"))[2:].zfill(256)[:130]
    digits = [int(bits[i:i + 5], 2) for i in range(0, 130, 5)]
    # the check symbol c makes sum(x^(27-i) * d_i) + c = 0 over the 26 digits d_1..d_26
    check, power = 0, 1
    for d in reversed(digits):
        power = gf32_times(power, 2)
        check ^= gf32_times(power, d)
    raw = "".join(CROCKFORD[d] for d in digits + [check])
    assert code_of(recs) == "-".join(raw[i:i + 3] for i in range(0, 27, 3))
    assert len(code_of(recs)) == 35 and json.dumps(recs[0], ensure_ascii=False) == text.splitlines()[0]
    assert check_code.read(code_of(recs).lower().replace("-", " "), 2).code == code_of(recs)
    assert check_code.read(code_of(recs).replace("0", "O").replace("1", "l"), 2).code == code_of(recs)
    import base64
    old = base64.b32encode(hashlib.sha256(text.encode("utf-8")).digest()[:20]).decode()
    assert code_of(recs, form=1) == "-".join(old[i:i + 4] for i in range(0, 32, 4))  # codes issued before


def test_untouched_annex_verifies(annex):
    path, fp = annex
    v = verify(path)
    assert v.intact and v.code == fp == v.computed and v.changes == ()
    assert v.message("b.xlsx").startswith(f"Oförändrad: b.xlsx stämmer med kontrollsumman den själv anger, {fp}.")
    assert verify(path, fp).message("b.xlsx").splitlines()[0] == \
        f"Oförändrad: b.xlsx har kontrollsumman {fp}, samma som i beslutet."
    wb = load_workbook(path)
    assert {p.name: p.value for p in wb.custom_doc_props}[PROPERTY] == fp
    shown = [c.coordinate for row in wb["Bilaga"].iter_rows() for c in row if c.value == fp]
    assert len(shown) == 1
    listing = records(wb, skip=f"Bilaga!{shown[0]}", code=fp)
    assert ["cell", "Bilaga", shown[0], "text", CODE_MARK] == listing[[r[:3] for r in listing].index(["cell", "Bilaga", shown[0]])][:5]
    assert code_of(listing) == fp


def changed(path, tmp_path, edit):
    wb = load_workbook(path)
    edit(wb)
    out = tmp_path / "changed.xlsx"
    wb.save(out)
    return verify(out)


def test_a_changed_amount_is_named(annex, tmp_path):
    path, fp = annex
    def edit(wb):
        cell = next(c for row in wb["Bilaga"].iter_rows() for c in row if c.value == 37335)
        cell.value = 37336
        edit.where = cell.coordinate
    v = changed(path, tmp_path, edit)
    assert not v.intact and v.code == fp and v.computed != fp
    assert f"Bilaga!{edit.where}: 37\u00a0335 kr → 37\u00a0336 kr" in v.changes
    assert v.message("b.xlsx").splitlines()[0] == f"Ändrad: b.xlsx har kontrollsumman {v.computed}, inte {fp}."


def test_a_new_value_and_a_removed_one(annex, tmp_path):
    path, _ = annex
    v = changed(path, tmp_path, lambda wb: wb["Bilaga"].__setitem__("E1", "UTKAST"))
    assert "Bilaga!E1: ny UTKAST" in v.changes
    def clear(wb):
        cell = next(c for row in wb["Bilaga"].iter_rows() for c in row if c.value == 37335)
        cell.value = None
        clear.where = cell.coordinate
    v = changed(path, tmp_path, clear)
    assert f"Bilaga!{clear.where}: var 37\u00a0335 kr, är tom" in v.changes


def test_hiding_the_sheet_or_editing_the_control_sheet_or_the_shown_fingerprint(annex, tmp_path):
    path, fp = annex
    def hide(wb):
        wb.create_sheet("Tom")
        wb["Bilaga"].sheet_state = "hidden"
    assert not changed(path, tmp_path, hide).intact
    def control(wb):
        wb[CONTROL_SHEET]["A2"] = "x"
    v = changed(path, tmp_path, control)
    # the control sheet only helps to name changes: what a reader sees is still as stamped
    assert v.intact and "Kontrollbladet saknas eller är ändrat: ändringarna kan inte visas en och en." in v.changes
    def drop_control(wb):
        del wb[CONTROL_SHEET]
    assert "Kontrollbladet saknas eller är ändrat: ändringarna kan inte visas en och en." in \
        changed(path, tmp_path, drop_control).changes
    def shown(wb):
        cell = next(c for row in wb["Bilaga"].iter_rows() for c in row if c.value == fp)
        cell.value = "0" * 64
        shown.where = cell.coordinate
    v = changed(path, tmp_path, shown)
    assert not v.intact and any(c.startswith(f"Bilaga!{shown.where}: den visade kontrollsumman är ändrad") for c in v.changes)


def test_files_verify_refuses(tmp_path):
    from openpyxl import Workbook
    Workbook().save(tmp_path / "plain.xlsx")
    with pytest.raises(SkrFeeError, match="saknar kontrollsumma: den är inte skapad av skr-fee"):
        verify(tmp_path / "plain.xlsx")
    (tmp_path / "junk.xlsx").write_text("x")
    with pytest.raises(SkrFeeError, match="ingen läsbar xlsx-fil"):
        verify(tmp_path / "junk.xlsx")
    with pytest.raises(SkrFeeError, match="finns inte"):
        verify(tmp_path / "none.xlsx")


def test_verify_with_another_decisions_code(annex):
    path, code = annex
    other = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"
    v = verify(path, other.lower())
    assert not v.intact and v.quoted == other and v.code == code == v.computed
    assert v.changes[-1] == f"Filen anger kontrollsumman {code}: det är en annan bilaga än den i beslutet."
    assert v.message("b.xlsx").splitlines()[0] == f"Ändrad: b.xlsx har kontrollsumman {code}, inte {other} som i beslutet."
    assert verify(path, code.replace("-", " ")).intact
    assert v.notes == () and v.follows_rules is True and v.ok is False
    assert v.findings[0].startswith("Beräkningen stämmer med reglerna: Tyresö 2025")
