"""A verifiable add-in folder (issue 24): two builds of one commit are the same bytes, the folder
checks with ``sha256sum -c SHA256SUMS``, its SBOM validates against CycloneDX's schema (by the
generator's own validator) and names what is in the folder, and every wheel is the one the lock
pins: its SHA-256 is among the lock's hashes for that version (babel, trimmed to Swedish, through
its recorded original)."""

import hashlib
import json
import re
import subprocess
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "addin" / "wasm"))
import provenance  # noqa: E402

pytestmark = pytest.mark.slow
URL = "http://127.0.0.1:8123/skr-avgift"


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    folders = []
    for n in (1, 2):
        out = tmp_path_factory.mktemp(f"build{n}") / "addin"
        p = subprocess.run([sys.executable, str(ROOT / "addin" / "wasm" / "make_addin.py"), URL, "-o", str(out)],
                           capture_output=True, text=True, timeout=300, cwd=ROOT)
        assert p.returncode == 0, p.stdout + p.stderr
        assert p.stderr == "", p.stderr
        folders.append(out)
    return folders


def lock_hashes():
    text = (ROOT / "requirements-dev.txt").read_text()
    return {(m.group(1).lower().replace("_", "-"), m.group(2)): set(re.findall(r"sha256:([0-9a-f]{64})", m.group(3)))
            for m in provenance.LOCK_ENTRY.finditer(text)}


def test_two_builds_of_one_commit_are_the_same_bytes(builds):
    p = subprocess.run(["diff", "-r", str(builds[0]), str(builds[1])], capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout == "", p.stdout[:2000]


def test_sha256sum_checks_the_folder_and_finds_a_changed_byte(builds, tmp_path):
    folder = builds[0]
    p = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert listed == on_disk - {"SHA256SUMS"}
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(folder), str(copy)], check=True)
    manifest = copy / "manifest.xml"
    manifest.write_text(manifest.read_text().replace("SKR", "SKX", 1))
    p = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=copy, capture_output=True, text=True)
    assert p.returncode == 1 and "manifest.xml: FAILED" in p.stdout


def test_the_sbom_validates_and_names_every_part(builds):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    folder = builds[0]
    text = (folder / "sbom.cdx.json").read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    sbom = json.loads(text)
    from skr_fee import __version__

    assert sbom["metadata"]["component"]["name"] == "skr-avgift"
    assert sbom["metadata"]["component"]["version"] == __version__
    by_name = {c["name"]: c for c in sbom["components"]}
    wheels = sorted((folder / "static" / "wheels").glob("*.whl.zip"))  # served as .zip (hosting.py)
    assert {w.name.split("-")[0].replace("_", "-") for w in wheels} == {
        "skr-avgift", "babel", "platformdirs", "openpyxl", "et-xmlfile", "xlwings"}
    for wheel in wheels:
        entry = next(c for c in sbom["components"] if c["bom-ref"] == f"wheel:{wheel.name}")
        assert entry["hashes"][0]["content"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
        if not wheel.name.startswith("skr_avgift-"):
            assert entry["licenses"], wheel.name
    assert by_name["pyodide"]["version"] == "0.27.5" and by_name["pyodide"]["purl"] == "pkg:npm/pyodide@0.27.5"
    assert "office-js" in by_name and by_name["office-js"]["licenses"]
    shipped = {f["name"]: f["hashes"][0]["content"] for c in sbom["components"] for f in c.get("components", [])}
    wasm = "static/vendor/pyodide/v0.27.5/full/pyodide.asm.wasm"
    assert shipped[wasm] == hashlib.sha256((folder / wasm).read_bytes()).hexdigest()


def test_every_wheel_is_the_one_the_lock_pins(builds):
    folder = builds[0]
    pins = lock_hashes()
    sbom = json.loads((folder / "sbom.cdx.json").read_text())
    for wheel in sorted((folder / "static" / "wheels").glob("*.whl.zip")):
        if wheel.name.startswith("skr_avgift-"):
            continue
        name, version = wheel.name.split("-")[:2]
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        entry = next(c for c in sbom["components"] if c["bom-ref"] == f"wheel:{wheel.name}")
        if "pedigree" in entry:  # babel, trimmed to the Swedish locale data: its original is PyPI's
            digest = entry["pedigree"]["ancestors"][0]["hashes"][0]["content"]
            assert name == "babel"
        assert digest in pins[(name.lower().replace("_", "-"), version)], wheel.name


def test_a_wheel_the_lock_does_not_pin_stops_the_build(tmp_path):
    lock = tmp_path / "lock.txt"
    lock.write_text("babel==2.19.0 \\\n    --hash=sha256:" + "0" * 64 + "\n")
    with pytest.raises(provenance.ProvenanceError, match="saknar openpyxl"):
        provenance.locked(["babel", "openpyxl"], lock)
    assert provenance.locked(["Babel"], lock) == ["babel==2.19.0 --hash=sha256:" + "0" * 64]
