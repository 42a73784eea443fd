"""verify as an auditor meets it, line by line: a mistyped code (what is said, and that nothing was
compared), a code of the older form typed as people type it, the code of the other form quoted from
a decision (computed here by tests/kontrollsumma_doc.py from docs/kontrollsumma.md, not by the
product), the note on the workbook's structure and the changes of an old annex."""

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kontrollsumma_doc import code_of_form_1, listing
from skr_fee.data.tables import fee_table
from skr_fee.documents import fingerprint, protection
from skr_fee.documents.annex import build_annex
from skr_fee.documents.annex_files import write_annex
from skr_fee.documents.fingerprint import verify
from skr_fee.rules.errors import SkrFeeError
from skr_fee.rules.key_toml import parse_key
from test_annex_reader import CROCKFORD, kungsbacka  # noqa: F401 (kungsbacka is a fixture)

ROOT = Path(__file__).resolve().parents[1]
ADVICE = ("Skriv av koden igen från beslutet: O läses som 0, I och L som 1, och mellanslag, bindestreck och "
          "små bokstäver spelar ingen roll.")
STRUCTURE = ("arbetsbokens strukturskydd saknas (det tas bort när filen sparas i t.ex. LibreOffice); "
             "bladen är skyddade och innehållet täcks av kontrollsumman.")


@pytest.fixture(scope="module")
def old_annex(tmp_path_factory):
    """Tyresö 2025 as versions before 0.2 stamped it: form 1 (RFC 4648 base32, no check symbol)."""
    t = fee_table(2025)
    key = parse_key((ROOT / "keys" / "tyreso.toml").read_text(), "tyreso.toml")
    for minute in range(60):  # the annex of the first minute whose code has an I and no O (most codes)
        draft = build_annex(t, t.fee("Tyresö"), key, generated=datetime(2025, 3, 3, 9, minute))
        protection.lock(draft.workbook, "x")
        code = fingerprint.stamp(draft.workbook, draft.fingerprint_cell, form=1)
        if "I" in code and "O" not in code:
            break
    out = tmp_path_factory.mktemp("old") / "gammal.xlsx"
    draft.workbook.save(out)
    return out, code


def saved(path: Path, to: Path, edit) -> Path:
    wb = load_workbook(path)
    edit(wb)
    wb.save(to)
    return to


def test_a_mistyped_code_is_said_and_nothing_is_compared(kungsbacka, tmp_path):
    path, code = kungsbacka
    raw = code.replace("-", "")
    typed = raw[:3] + CROCKFORD[(CROCKFORD.index(raw[3]) + 7) % 32] + raw[4:]
    v = verify(path, typed)
    assert (v.intact, v.code, v.computed, v.quoted, v.changes) == (False, code, code, None, ())
    assert v.mistyped == "kontrolltecknet stämmer inte: ett tecken är fel eller två tecken har bytt plats"
    assert v.message("bilaga.xlsx") == (
        f"Felskriven kontrollsumma: det du angav är inte en giltig kod ({v.mistyped}). {ADVICE}\n"
        f"  Filen bilaga.xlsx anger själv kontrollsumman {code} och stämmer med den.")
    changed = saved(path, tmp_path / "andrad.xlsx", lambda wb: wb["Bilaga"].__setitem__("E1", "UTKAST"))
    v = verify(changed, typed)
    assert v.code == code and v.computed != code
    assert v.message("andrad.xlsx").endswith(f"anger själv kontrollsumman {code} men stämmer inte med den.")


def test_the_files_own_code_alone_says_what_it_shows_and_what_it_does_not(kungsbacka):
    path, code = kungsbacka
    assert verify(path).message("bilaga.xlsx").splitlines()[:2] == [
        f"Oförändrad: bilaga.xlsx stämmer med kontrollsumman den själv anger, {code}.",
        "  Det visar bara att filen stämmer med sig själv. Jämför med kontrollsumman i beslutet: "
        "skr-fee kontrollera bilaga.xlsx --kontrollsumma KOD"]
    same = verify(path, code)
    assert same.ok and same.changes == () and same.notes == () and same.quoted == code


def test_an_old_code_typed_with_digits_for_letters_and_a_typo_in_it(old_annex):
    path, code = old_annex
    assert "I" in code and "O" not in code  # as the fixture chose it, for the typing below
    assert verify(path, code.replace("I", "1").lower()).ok
    typo = code[:5] + ("A" if code[5] != "A" else "B") + code[6:]
    v = verify(path, typo)
    assert v.mistyped == "ett tecken skiljer från filens kod, eller två tecken har bytt plats"
    assert (v.intact, v.code, v.computed, v.quoted) == (False, code, code, None)


def test_a_change_to_an_old_annex_is_named(old_annex, tmp_path):
    path, code = old_annex
    v = verify(saved(path, tmp_path / "g.xlsx", lambda wb: wb["Bilaga"].__setitem__("E1", "UTKAST")), code)
    assert not v.intact and v.changes == ("Bilaga!E1: ny UTKAST",)


def test_the_decisions_code_of_the_other_form_decides_what_it_covers(kungsbacka, tmp_path):
    """A decision that quotes the form-1 code of a form-2 annex: the annex is checked against the form
    the decision quotes; the code is the document's, computed here."""
    path, code = kungsbacka
    wb = load_workbook(path)
    cell = {p.name: p.value for p in wb.custom_doc_props}["Kontrollsummans cell"]
    form_1 = code_of_form_1(listing(wb, cell, code))
    assert verify(path, form_1).ok
    changed = saved(path, tmp_path / "andrad.xlsx", lambda wb: wb["Bilaga"].__setitem__("E1", "UTKAST"))
    assert not verify(changed, form_1).intact


def test_a_workbook_without_its_structure_lock_is_noted(kungsbacka, tmp_path):
    path, code = kungsbacka

    def unlock(wb):
        wb.security.lockStructure = False
    v = verify(saved(path, tmp_path / "olast.xlsx", unlock), code)
    assert v.notes == (STRUCTURE,) and v.message("x.xlsx").endswith(f"  Obs: {STRUCTURE}")


def with_property(path: Path, to: Path, name: str, value: str) -> Path:
    def edit(wb):
        next(p for p in wb.custom_doc_props if p.name == name).value = value
    return saved(path, to, edit)


@pytest.mark.parametrize("ref", ["Bilaga!B2!x", "Bilaga!inte en cell", "Bilaga!A1:B2", "Bilaga!XFD1048577",
                                 "Bilaga!XFE1", "Bilaga!A0", "!B2", "B2"])
def test_a_check_code_cell_that_is_no_cell_is_refused_in_swedish(kungsbacka, tmp_path, ref):
    path, _ = kungsbacka
    changed = with_property(path, tmp_path / "b.xlsx", "Kontrollsummans cell", ref)
    with pytest.raises(SkrFeeError) as e:
        verify(changed)
    assert str(e.value) in (f"'{changed}' anger kontrollsummans cell som '{ref}', som inte är en cell: filen är "
                            "ändrad och kan inte kontrolleras.",
                            f"'{changed}' saknar kontrollsumma: den är inte skapad av skr-fee (eller av en äldre "
                            "version, som angav ett fingeravtryck i stället).")  # "B2" names no sheet at all


@pytest.mark.parametrize("ref", ["Bilaga!XFD1048576", "Bilaga!Z1", "Nej!B2", "Blad!med!B2"])
def test_a_cell_at_excels_last_row_and_column_or_on_a_missing_sheet_is_a_changed_code(kungsbacka, tmp_path, ref):
    path, code = kungsbacka
    v = verify(with_property(path, tmp_path / "b.xlsx", "Kontrollsummans cell", ref))
    assert not v.intact and v.changes[0] == f"{ref}: den visade kontrollsumman är ändrad (är (tom))."


def test_damaged_records_of_the_computation_leave_an_intact_annex_intact(kungsbacka, tmp_path):
    path, code = kungsbacka

    def damage(wb):
        wb["Kontroll"]["B1"] = '{"år": 2027}'
    v = verify(saved(path, tmp_path / "b.xlsx", damage), code)
    assert v.intact and v.ok and v.follows_rules is None
    assert v.findings == ("Beräkningen kan inte göras om: bilagans uppgifter om hur den räknades är skadade.",)


def test_the_control_sheet_is_hidden_from_readers_and_locked_like_the_annex(tmp_path):
    t = fee_table(2025)  # stamped here: a fixture's annex is stamped once, for another test
    path = tmp_path / "b.xlsx"
    write_annex(t, t.fee("Tyresö"), parse_key((ROOT / "keys" / "tyreso.toml").read_text(), "t.toml"), path,
                password="x")
    wb = load_workbook(path)
    control, annex = wb["Kontroll"], wb["Bilaga"]
    assert control.sheet_state == "veryHidden"
    assert control.protection.sheet and control.protection.password == annex.protection.password
    assert control["A1"].value == "post" and control["A2"].value.startswith('["bok", "blad", "Bilaga", "visas"]')


def test_a_value_in_excels_last_cell_is_named_without_unfolding_the_sheet(kungsbacka, tmp_path):
    """One value at XFD1048576: a sheet of 17 billion cells if every cell up to it were made. verify
    names the change within 2 GB of memory and a minute (it once ran out of 24 GB)."""
    import resource
    import subprocess
    import sys

    path, code = kungsbacka
    changed = saved(path, tmp_path / "b.xlsx", lambda wb: wb["Bilaga"].__setitem__("XFD1048576", 1))

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
    p = subprocess.run([sys.executable, "-m", "skr_fee.cli", "kontrollera", str(changed), "--kontrollsumma", code],
                       capture_output=True, text=True, timeout=60, preexec_fn=limit)
    assert p.returncode == 1 and "  Bilaga!XFD1048576: ny 1\n" in p.stdout, (p.stdout[-1000:], p.stderr[-1000:])


def test_the_code_a_file_states_is_read_without_opening_more(kungsbacka, tmp_path):
    """What a new annex compares with before it replaces a file: the code the file states, or None."""
    path, code = kungsbacka
    assert fingerprint.stamped_code(path) == code
    (tmp_path / "text.xlsx").write_text("ingen bilaga")
    assert fingerprint.stamped_code(tmp_path / "text.xlsx") is None
    assert fingerprint.stamped_code(tmp_path / "saknas.xlsx") is None
