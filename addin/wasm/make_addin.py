"""Builds the static add-in: ``python addin/wasm/make_addin.py URL [-o dist/addin]`` (``make addin``).

One folder that any static HTTPS host serves (IIS, nginx, Azure Static Web Apps, the
intranet's web server), with manifest.xml at its root, the task pane, the functions page,
Pyodide and the wheels: nothing is fetched from another host at run time.

xlwings Server renders the add-in in its Wasm mode (``xlwings-server build wasm``) from a
copy of addin/server into which this script puts, beside it:
- ``static/vendor/pyodide/v0.27.5/full``: the Pyodide runtime from npm ``pyodide`` at the
  version xlwings Server's page loads;
- ``static/wheels``: the project's own wheel and the pure-Python wheels the browser needs
  (the fee path: babel, platformdirs; the task pane's annex and check: openpyxl,
  et_xmlfile; xlwings for the task pane's scripts), each at the version installed here,
  babel with its Swedish locale data only;
- ``wasm/``: xlwings Server's runtime and settings, and the list of wheels (requirements.txt);
- ``static/js/wasm.js``: this folder's start-up (wheels unpacked in parallel, no micropip).
After the build, ``xlwings/custom-functions-code.js`` is replaced by this folder's
functions.js, which queues every call and hands them to Python in one list.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import hosting
import provenance

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SERVER_PROJECT = ROOT / "addin" / "server"
LOCK = ROOT / "requirements-dev.txt"
PYODIDE_VERSION = "0.27.5"  # the version xlwings Server's base.html loads
PYODIDE_FILES = ["pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
# pure-Python distributions the browser imports, at the versions installed with the project
BROWSER_WHEELS = ["babel", "platformdirs", "openpyxl", "et_xmlfile", "xlwings"]
OFFICEJS_CDN = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js"
DEFAULT_PYODIDE = ROOT / "tests" / "js" / "node_modules" / "pyodide"


# the browser add-in's own identity in Microsoft 365 (the add-in server has another, in
# addin/server/pyproject.toml, so both can be deployed in one tenant): keep it, a changed Id is a
# new add-in to Excel and to the admin center
BROWSER_MANIFEST_ID = "76e7c835-97f8-4941-92b9-ca9d4d7851ab"
BROWSER_NAME = "SKR-avgift"
SAFE_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:]+\](:[0-9]{1,5})?")
SAFE_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)*/?")


class BuildError(Exception):
    pass


def _run(cmd, **kwargs):
    p = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if p.returncode:
        raise BuildError(f"{' '.join(map(str, cmd))} misslyckades:\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
    return p


def collect_wheels(target: Path, epoch: int) -> tuple[list[str], dict[str, str]]:
    """The project's wheel and the browser's pure-Python dependencies as py3-none-any wheels, each
    fetched by the lock's hashes; returns the names and PyPI's SHA-256 of each fetched wheel."""
    target.mkdir(parents=True, exist_ok=True)
    pip = [sys.executable, "-m", "pip", "-q"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch)}
    with tempfile.TemporaryDirectory(prefix="skr-wheel-") as tmp:  # built outside the checkout
        shutil.copytree(ROOT, Path(tmp) / "src", ignore=shutil.ignore_patterns(
            ".git", ".venv*", "node_modules", "dist", "build", "out", "mutants", "*.egg-info", "__pycache__"))
        _run([*pip, "wheel", "--no-deps", "--no-build-isolation", str(Path(tmp) / "src"), "-w", str(target)],
             env=env)
        requirements = Path(tmp) / "browser-requirements.txt"
        requirements.write_text("\n".join(provenance.locked(BROWSER_WHEELS, LOCK)) + "\n")
        # --platform any: the pure wheel (xlwings also publishes Windows and macOS builds)
        _run([*pip, "download", "--no-deps", "--require-hashes", "--only-binary=:all:", "--platform", "any",
              "--implementation", "py", "--python-version", "3.12", "-r", str(requirements), "-d", str(target)])
    names = sorted(p.name for p in target.glob("*.whl"))
    impure = [n for n in names if not n.endswith("-none-any.whl")]
    if impure:
        raise BuildError(f"Hjul som inte är rent Python: {', '.join(impure)}")
    pypi = {p.name: provenance.sha256(p) for p in target.glob("*.whl") if not p.name.startswith("skr_avgift-")}
    for babel in target.glob("babel-*.whl"):
        slim_babel(babel)
    return names, pypi


# Babel's wheel carries every locale's data (11 MB packed, 32 MB unpacked); the product formats in
# Swedish only (documents/formatting.py, sv_SE), with root as the fallback chain's end
KEPT_LOCALES = re.compile(r"babel/locale-data/(root|sv|sv_SE)\.dat")


def slim_babel(wheel: Path) -> None:
    """Babel's wheel with the locale data the product uses only: the other locales' files and
    their lines in RECORD left out (what stays is byte for byte Babel's own)."""
    slim = wheel.with_suffix(".slim")
    with zipfile.ZipFile(wheel) as src, zipfile.ZipFile(slim, "w", zipfile.ZIP_DEFLATED) as dst:
        def kept(name: str) -> bool:
            return not name.startswith("babel/locale-data/") or bool(KEPT_LOCALES.fullmatch(name))

        for info in src.infolist():
            if not kept(info.filename):
                continue
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode().splitlines(keepends=True)
                data = "".join(line for line in lines if kept(line.split(",", 1)[0])).encode()
            dst.writestr(info, data)
    slim.replace(wheel)


def vendor_pyodide(source: Path, target: Path) -> None:
    version = json.loads((source / "package.json").read_text())["version"]
    if version != PYODIDE_VERSION:
        raise BuildError(f"npm pyodide är {version}; xlwings Server laddar {PYODIDE_VERSION}")
    target.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(source / name, target / name)


def functions_js() -> str:
    """addin/wasm/functions.js with the registry's names and parameter counts, and the error-cell
    mark and codes of skr_fee.excel.officejs, filled in."""
    from skr_fee.excel.functions import REGISTRY
    from skr_fee.excel.officejs import ERROR_MARK, OFFICE_CODES

    arity = {fn.officejs_name: len(fn.args) for fn in REGISTRY}
    text = (HERE / "functions.js").read_text()
    for marker, value in (("const ARITY = {};", arity), ('const MARK = "";', ERROR_MARK),
                          ("const CODES = {};", OFFICE_CODES)):
        if marker not in text:
            raise BuildError(f"functions.js saknar raden '{marker}'")
        text = text.replace(marker, f"{marker.split(' = ')[0]} = {json.dumps(value)};")
    return text


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the checkout's last commit: the time stamps the
    build writes (the product's wheel, the SBOM) depend on the commit, not on the day of the build."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    p = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True)
    if p.returncode or not p.stdout.strip().isdigit():
        raise BuildError("Bygget behöver SOURCE_DATE_EPOCH eller en git-utcheckning (tiden för senaste commit)")
    return int(p.stdout.strip())


def prepare_project(folder: Path, pyodide: Path, epoch: int) -> dict[str, str]:
    shutil.copytree(SERVER_PROJECT, folder, ignore=shutil.ignore_patterns("__pycache__", "certs", ".env"))
    import xlwings_server

    package_wasm = Path(xlwings_server.__file__).parent / "wasm"
    (folder / "wasm").mkdir()
    for name in ("wasm_runtime.py", "config.py"):
        shutil.copy2(package_wasm / name, folder / "wasm" / name)
    wheels, pypi_hashes = collect_wheels(folder / "static" / "wheels", epoch)
    (folder / "wasm" / "requirements.txt").write_text("".join(f"/static/wheels/{n}\n" for n in wheels))
    vendor_pyodide(pyodide, folder / "static" / "vendor" / "pyodide" / f"v{PYODIDE_VERSION}" / "full")
    shutil.copy2(HERE / "wasm.js", folder / "static" / "js" / "wasm.js")
    return pypi_hashes


def check_url(url: str) -> str:
    """The address as it goes into the manifest and the pages (a plain https host and path; http
    only on this computer, for testing), or one Swedish line on why not."""
    parsed = urlparse(url)
    if (len(url) > 200 or parsed.scheme not in ("http", "https") or not SAFE_HOST.fullmatch(parsed.netloc)
            or not SAFE_PATH.fullmatch(parsed.path) or parsed.query or parsed.fragment or parsed.params):
        raise BuildError(f"URL måste vara en adress som https://intranat.kommun.se/skr-avgift "
                         f"(https, värd och sökväg, högst 200 tecken), inte {url[:200]!r}")
    if parsed.scheme == "http" and parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise BuildError(f"Office kräver https: {url[:200]!r} går inte att använda i Excel. Ange adressen med "
                         "https:// (http:// går bara för test på den egna datorn, 127.0.0.1 eller localhost).")
    return parsed.path.rstrip("/")


def build(url: str, out: Path, pyodide: Path = DEFAULT_PYODIDE, officejs: str = "cdn") -> Path:
    app_path = check_url(url)
    if officejs not in ("cdn", "bundled"):
        raise BuildError(f"OFFICEJS ska vara cdn (standard) eller bundled, inte {officejs[:40]!r}")
    if not (pyodide / "package.json").exists():
        raise BuildError(f"Pyodide saknas i {pyodide}: kör 'make addin' (installerar npm-paketet)")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    # built beside the target and moved there whole: a failed build leaves no half folder
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent)) / out.name
    try:
        _build_into(url, app_path, staging, pyodide, officejs)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging.parent, ignore_errors=True)
    return out


def _build_into(url: str, app_path: str, out: Path, pyodide: Path, officejs: str) -> None:
    epoch = source_date_epoch()
    with tempfile.TemporaryDirectory(prefix="skr-addin-") as tmp:
        project = Path(tmp) / "project"
        pypi_hashes = prepare_project(project, pyodide, epoch)
        env = {
            **os.environ,
            "XLWINGS_PROJECT_DIR": str(project),
            "XLWINGS_ENABLE_WASM": "true",
            "XLWINGS_ENVIRONMENT": "prod",
            "XLWINGS_FUNCTIONS_NAMESPACE": "",
            "XLWINGS_PYODIDE_BASE_URL": f"{app_path}/static/vendor/pyodide",
            # xlwings Server's build reads these only from the environment it starts in
            "XLWINGS_APP_PATH": app_path,
            "XLWINGS_STATIC_URL_PATH": f"{app_path}/static",
            # office.js from Microsoft's CDN, as Microsoft advises (fixes and new hosts arrive);
            # OFFICEJS=bundled keeps xlwings Server's copy in the folder, for closed networks
            "XLWINGS_CDN_OFFICEJS": "true" if officejs == "cdn" else "false",
            "XLWINGS_MANIFEST_ID_PROD": BROWSER_MANIFEST_ID,
            "XLWINGS_PROJECT_NAME": BROWSER_NAME,
            "XLWINGS_ENABLE_SOCKETIO": "false",
            "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY", "noncommercial"),
        }
        cli = Path(sys.executable).with_name("xlwings-server")
        p = _run([str(cli), "build", "wasm", url.rstrip("/"), "-o", str(out)], cwd=project, env=env)
        if "Failed to fetch" in p.stdout:
            raise BuildError(p.stdout)
    (out / "xlwings" / "custom-functions-code.js").write_text(functions_js())
    (out / "index.html").write_text((HERE / "index.html").read_text())
    pane = out / "taskpane.html"  # xlwings Server's page template has no block for these two
    pane.write_text(pane.read_text().replace('<html lang="en">', '<html lang="sv">', 1)
                    .replace("<title>Task pane</title>", f"<title>{BROWSER_NAME}</title>", 1))
    if officejs == "cdn":  # xlwings Server's build keeps its copy even when the pages take the CDN's
        shutil.rmtree(out / "static" / "vendor" / "office-js", ignore_errors=True)
    hosting.make_static_friendly(out, app_path, epoch)
    if refused := hosting.unservable(out):  # a file a stock web server would refuse or mislabel
        raise BuildError("Filer som en vanlig webbserver vägrar eller märker fel: " + ", ".join(refused[:10]))
    _provenance(out, epoch, pypi_hashes, pyodide, officejs)


def _provenance(out: Path, epoch: int, pypi_hashes: dict[str, str], pyodide: Path, officejs: str) -> None:
    """A stable build tag, the SBOM and SHA256SUMS (addin/wasm/provenance.py), in that order."""
    import xlwings_server

    from skr_fee import __version__

    try:
        provenance.pin_build_tag(out)
        pyodide_licence = json.loads((pyodide / "package.json").read_text())["license"]
        provenance.write_sbom(out, __version__, epoch, pypi_hashes, pyodide_licence, xlwings_server.__version__,
                              OFFICEJS_CDN if officejs == "cdn" else None)
        provenance.write_sums(out)
    except provenance.ProvenanceError as e:
        raise BuildError(str(e)) from None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Bygger SKR-avgifts tillägg som en statisk mapp.")
    parser.add_argument("url", help="adressen mappen ska ligga på, t.ex. https://intranat.kommun.se/skr-avgift")
    parser.add_argument("-o", "--out", default=str(ROOT / "dist" / "addin"), help="mappen att skriva (dist/addin)")
    parser.add_argument("--pyodide", default=str(DEFAULT_PYODIDE), help="npm-paketet pyodide (mapp)")
    parser.add_argument("--officejs", default="cdn", help="cdn (standard: Microsofts CDN) eller bundled (en kopia "
                        "i mappen, för nät utan internet)")
    args = parser.parse_args(argv)
    try:
        out = build(args.url, Path(args.out), Path(args.pyodide), args.officejs)
    except (BuildError, provenance.ProvenanceError) as e:
        print(f"Fel: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"Fel: kunde inte skriva tillägget till {args.out}: {e.strerror}", file=sys.stderr)
        return 1
    print(f"Tillägget är byggt i {out}; manifestet: {out / 'manifest.xml'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
