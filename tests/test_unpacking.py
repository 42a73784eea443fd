"""What verify refuses before it reads anything (canonical.refuse_what_cannot_be_covered): a zip that
unpacks too far (parts, megabytes, a bomb's ratio), each bound on both sides, and the parts an annex
never has (macros, external links, anything else), each named in the message."""

import os
import struct
import zipfile

import pytest

from skr_fee.documents.canonical import refuse_what_cannot_be_covered
from skr_fee.rules.errors import SkrFeeError

MB = 1024 * 1024


def zipped(path, entries, how=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", how) as z:
        for name, data in entries:
            z.writestr(name, data)
    return path


def claims(path, size: int):
    """The zip's central directory rewritten to say its one part unpacks to ``size`` bytes: how a bomb
    states its ratio (nothing is unpacked to find out)."""
    data = bytearray(path.read_bytes())
    at = data.index(b"PK\x01\x02")
    data[at + 24:at + 28] = struct.pack("<I", size)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("entries,refused", [
    ([(f"xl/worksheets/sheet{i}.xml", b"x") for i in range(1, 201)], False),  # 200 parts: allowed
    ([(f"xl/worksheets/sheet{i}.xml", b"x") for i in range(1, 202)], True),  # 201: refused
    ([("xl/worksheets/sheet1.xml", b"\0" * (2 * MB))], True),  # 2 MB that packs 1 000 times
    ([("xl/worksheets/sheet1.xml", b"\0" * MB)], False),  # 1 MB: small enough to read, however packed
    ([("xl/worksheets/sheet1.xml", b"\0" * (MB + 1))], True),  # one byte more, packed 1 000 times
    ([("xl/", b""), ("xl/worksheets/sheet1.xml", b"x")], False),  # a folder entry is no part
])
def test_what_is_unpacked_before_anything_is_read(tmp_path, entries, refused):
    path = zipped(tmp_path / "z.xlsx", entries)
    if refused:
        with pytest.raises(SkrFeeError, match=r"packas upp till \d+ MB i \d+ delar: det är ingen bilaga"):
            refuse_what_cannot_be_covered(path)
    else:
        refuse_what_cannot_be_covered(path)


def test_a_part_that_unpacks_100_times_is_read_and_more_is_not(tmp_path):
    stored = [("xl/worksheets/sheet1.xml", os.urandom(20_000))]
    refuse_what_cannot_be_covered(claims(zipped(tmp_path / "a.xlsx", stored, zipfile.ZIP_STORED), 2_000_000))
    with pytest.raises(SkrFeeError, match="packas upp till 1 MB i 1 delar"):
        refuse_what_cannot_be_covered(claims(zipped(tmp_path / "b.xlsx", stored, zipfile.ZIP_STORED), 2_000_001))


def test_50_mb_unpacked_is_read_and_more_is_not(tmp_path):
    parts = [os.urandom(25 * MB), os.urandom(25 * MB)]  # random bytes do not pack: no ratio to refuse
    refuse_what_cannot_be_covered(zipped(tmp_path / "ok.xlsx", [("xl/worksheets/sheet1.xml", parts[0]),
                                                                ("xl/worksheets/sheet2.xml", parts[1])]))
    big = zipped(tmp_path / "big.xlsx", [("xl/worksheets/sheet1.xml", parts[0]),
                                         ("xl/worksheets/sheet2.xml", parts[1] + b"x")])
    with pytest.raises(SkrFeeError, match="packas upp till 50 MB i 2 delar"):
        refuse_what_cannot_be_covered(big)


@pytest.mark.parametrize("part,what", [
    ("xl/vbaProject.bin", "makron"),
    ("xl/externalLinks/externalLink1.xml", "externa länkar"),
    ("xl/embeddings/oleObject1.bin", "delar som kontrollen inte täcker"),
])
def test_parts_an_annex_never_has_are_named(tmp_path, part, what):
    path = zipped(tmp_path / "bilaga.xlsx", [("xl/workbook.xml", b"<x/>"), (part, b"x")])
    with pytest.raises(SkrFeeError) as e:
        refuse_what_cannot_be_covered(path)
    assert str(e.value) == (f"'bilaga.xlsx' innehåller {what} ({part}) och kan inte kontrolleras: "
                            "en bilaga från skr-fee har inga sådana.")
