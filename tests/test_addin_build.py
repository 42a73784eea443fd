"""make_addin.py's refusals, before anything is built: one Swedish line, exit 1, no folder."""

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "addin" / "wasm"))
import make_addin  # noqa: E402


@pytest.mark.parametrize("url", ["intranat.kommun.se", "ftp://intranat.kommun.se/a", "https://", "javascript:alert(1)",
                                 'https://x.se/"><script>', "https://x.se/a?b=1", "https://x.se/a#b",
                                 "https://x.se/" + "a" * 200, "https://user@x.se/", "https://x.se/a b"])
def test_an_address_that_cannot_go_into_a_manifest_is_refused(url, tmp_path, capsys):
    out = tmp_path / "addin"
    assert make_addin.main([url, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Fel: URL måste vara en adress som https://") and err.count("\n") == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["https://intranat.kommun.se/skr-avgift", "http://127.0.0.1:8765",
                                 "https://[::1]:8443/a/b/", "https://x.se"])
def test_plain_addresses_pass_the_check(url, tmp_path, capsys):
    # the check passes; with no Pyodide folder the build stops at the next step, still with no files
    assert make_addin.main([url, "-o", str(tmp_path / "addin"), "--pyodide", str(tmp_path / "none")]) == 1
    assert "Pyodide saknas" in capsys.readouterr().err and list(tmp_path.iterdir()) == []
