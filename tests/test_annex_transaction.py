"""An annex set is written all or nothing (issue 26): with any one file of the set failing (locked
by another program, as Excel locks an open file on Windows; a folder in the way), the folder is
byte for byte as before and holds no leftovers; an existing annex with another check code is not
replaced without --ersätt. The whole command runs in-process, with the operating system's rename
made to fail for the one file."""

import os
from pathlib import Path

import pytest

from skr_fee.cli import main
from skr_fee.data import atomic

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
SET = ["bilaga.xlsx", "bilaga.docx", "bilaga_utkast.docx", "bilaga.pdf"]


def annex(folder: Path, year: int, *extra) -> int:
    return main(["bilaga", "Kungsbacka", "--år", str(year), "--nyckel", str(folder / "kungsbacka.toml"),
                 "-o", str(folder / "bilaga.xlsx"), "--pdf", "--docx", "--utkast", "--lösenord", "x", *extra])


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture()
def folder(tmp_path):
    text = (ROOT / "keys" / "tyreso.toml").read_text()
    (tmp_path / "kungsbacka.toml").write_text(
        "\n".join('kommun = "Kungsbacka"' if line.startswith("kommun") else line for line in text.splitlines()))
    return tmp_path


@pytest.fixture(scope="module")
def made_2027(tmp_path_factory):
    """Kungsbacka's 2027 set, made once; each test copies it."""
    folder = tmp_path_factory.mktemp("set2027")
    text = (ROOT / "keys" / "tyreso.toml").read_text()
    (folder / "kungsbacka.toml").write_text(
        "\n".join('kommun = "Kungsbacka"' if line.startswith("kommun") else line for line in text.splitlines()))
    assert annex(folder, 2027) == 0
    return contents(folder)


def locked(monkeypatch, name: str):
    """os.replace refuses to touch ``name``, as Windows refuses for a file Excel has open."""
    real = os.replace

    def replace(src, dst):
        if Path(src).name == name or Path(dst).name == name:
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)


@pytest.mark.parametrize("failing", SET)
def test_a_locked_file_leaves_the_whole_set_as_it_was(failing, made_2027, tmp_path, monkeypatch, capsys):
    for name, data in made_2027.items():
        (tmp_path / name).write_bytes(data)
    locked(monkeypatch, failing)
    assert annex(tmp_path, 2026, "--ersätt") == 1
    assert contents(tmp_path) == made_2027  # every file byte for byte, nothing left over
    err = capsys.readouterr().err
    assert f"Kunde inte skriva '{failing}'" in err and "inga filer ändrades" in err


@pytest.mark.parametrize("failing", SET)
def test_a_first_run_failing_on_any_file_leaves_nothing(failing, folder, monkeypatch):
    locked(monkeypatch, failing)
    assert annex(folder, 2027) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["kungsbacka.toml"]


def test_a_folder_in_the_way_leaves_nothing(folder, capsys):
    (folder / "bilaga_utkast.docx").mkdir()
    assert annex(folder, 2027) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["bilaga_utkast.docx", "kungsbacka.toml"]
    assert "'" + str(folder / "bilaga_utkast.docx") + "' är en mapp" in capsys.readouterr().err


def test_another_annex_is_not_replaced_without_being_asked(made_2027, tmp_path, capsys):
    for name, data in made_2027.items():
        (tmp_path / name).write_bytes(data)
    assert annex(tmp_path, 2026) == 1
    assert contents(tmp_path) == made_2027
    assert "Ange --ersätt" in capsys.readouterr().err
    assert annex(tmp_path, 2026, "--ersätt") == 0
    assert contents(tmp_path)["bilaga.xlsx"] != made_2027["bilaga.xlsx"]
