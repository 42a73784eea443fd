"""'Kontrollera bilaga' on a chosen file (skr_fee.documents.check), as the server and the
browser's task pane both run it: the file's own name in every message, never a path."""

import json

import pytest

from skr_fee.cli import main
from skr_fee.documents.check import MAX_UPLOAD_BYTES, check_upload, check_upload_json
from skr_fee.rules.errors import SkrFeeError

from conftest import ROOT


@pytest.fixture(scope="module")
def annex(tmp_path_factory):
    out = tmp_path_factory.mktemp("a") / "bilaga.xlsx"
    assert main(["annex", "Tyresö", "--year", "2025", "--key", str(ROOT / "keys" / "tyreso.toml"), "-o", str(out),
                 "--password", "x"]) == 0
    return out.read_bytes()


def test_an_intact_annex(annex):
    answer = check_upload(annex, "Bilaga Tyresö.xlsx")
    assert answer["intakt"] is True and answer["meddelande"].startswith("Oförändrad: Bilaga Tyresö.xlsx")
    assert json.loads(check_upload_json(annex, "b.xlsx"))["intakt"] is True


@pytest.mark.parametrize("name, shown", [("../../etc/passwd.xlsx", "passwd.xlsx"), ("", "bilaga.xlsx"),
                                         ("..", "bilaga.xlsx"), ("a\x00b\n.xlsx", "ab.xlsx"),
                                         (None, "bilaga.xlsx")])
def test_a_name_is_only_ever_a_file_name(name, shown):
    with pytest.raises(SkrFeeError) as e:
        check_upload(b"inte en arbetsbok", name)
    assert shown in e.value.message and "/tmp" not in e.value.message and "skr-fee-kontroll" not in e.value.message


def test_empty_and_oversized_files_are_refused_in_swedish():
    assert json.loads(check_upload_json(b"", "x.xlsx")) == {"detail": "x.xlsx är tom. Välj bilagans xlsx-fil."}
    with pytest.raises(SkrFeeError, match="större än 20 MB"):
        check_upload(b"0" * (MAX_UPLOAD_BYTES + 1), "x.xlsx")
