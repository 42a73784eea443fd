"""Faults while one annex file is written, in-process and fast: a power cut half-way, a full disk, a
read-only target, a folder that refuses new files, a PDF that fails. Each leaves the folder as it
was: the old file byte for byte and no half-written one beside it (the whole set across files,
with real LibreOffice: test_annex_transaction.py)."""

import errno
import os
from pathlib import Path

import pytest

from skr_fee.data.tables import fee_table
from skr_fee.documents.annex_files import write_annex
from skr_fee.documents.key_files import read_key
from skr_fee.rules.errors import SkrFeeError

ROOT = Path(__file__).resolve().parents[1]
OLD = b"the annex the board decided on"


@pytest.fixture()
def annex_inputs():
    t = fee_table(2025)
    return t, t.fee("Göteborg"), read_key(ROOT / "keys" / "goteborg.toml")


def power_cut(real_save, self, filename):
    Path(filename).write_bytes(b"PK\x03\x04 half a zip")
    raise RuntimeError("power cut")


def full_disk(real_save, self, filename):
    real_save(self, filename)
    with open(filename, "r+b") as f:
        f.truncate(100)
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# the fault inside openpyxl's save, and what the economist is told
@pytest.mark.parametrize("fault,raised,says", [(power_cut, RuntimeError, "power cut"),
                                              (full_disk, SkrFeeError, "Kunde inte skriva .*No space left on device")])
def test_a_save_that_fails_half_way_leaves_the_old_file(tmp_path, annex_inputs, monkeypatch, fault, raised, says):
    from openpyxl.workbook.workbook import Workbook
    target = tmp_path / "bilaga.xlsx"
    target.write_bytes(OLD)
    real_save = Workbook.save
    monkeypatch.setattr(Workbook, "save", lambda self, filename: fault(real_save, self, filename))
    with pytest.raises(raised, match=says):
        write_annex(*annex_inputs, target, replace=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert target.read_bytes() == OLD


def test_read_only_target_leaves_nothing(tmp_path, annex_inputs, monkeypatch):
    target = tmp_path / "bilaga.xlsx"
    target.write_bytes(OLD)
    real_replace = os.replace

    def refuse(src, dst):  # what a read-only file or folder answers (root is never refused for real)
        if Path(dst) == target:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(SkrFeeError, match="Kunde inte skriva"):
        write_annex(*annex_inputs, target, replace=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert target.read_bytes() == OLD


def test_unwritable_folder_for_real(annex_inputs):
    """/sys refuses new files even to root: a real refusal, not a simulated one."""
    with pytest.raises(SkrFeeError, match="Kan inte skriva i mappen '/sys'"):
        write_annex(*annex_inputs, Path("/sys/bilaga.xlsx"))


def test_pdf_failure_keeps_the_existing_pair(tmp_path, annex_inputs, monkeypatch):
    import skr_fee.documents.pdf as pdf
    target = tmp_path / "bilaga.xlsx"
    target.write_bytes(OLD)
    (tmp_path / "bilaga.pdf").write_bytes(b"%PDF old")

    def broken(xlsx, out):
        Path(out).write_bytes(b"%PDF-half")
        raise SkrFeeError("LibreOffice kunde inte skapa PDF:en (test).")

    monkeypatch.setattr(pdf, "convert_to_pdf", broken)
    with pytest.raises(SkrFeeError, match="LibreOffice kunde inte"):
        write_annex(*annex_inputs, target, pdf=True, replace=True)
    assert target.read_bytes() == OLD and (tmp_path / "bilaga.pdf").read_bytes() == b"%PDF old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bilaga.pdf", "bilaga.xlsx"]
