"""What is in the add-in folder, and whether it is what this commit builds (issue 24).

Three steps after xlwings Server's build, each deterministic, so that two builds of one commit
are the same bytes and IT can check a deployed folder against the project's own:

- :func:`pin_build_tag`: xlwings Server tags its static files with a random id per build
  (``core.1a2b3c4d.css``, for cache-busting); the tag becomes one derived from the folder's
  content, so it still changes whenever a file does;
- :func:`write_sbom`: ``sbom.cdx.json``, a CycloneDX 1.6 SBOM made with CycloneDX's own library
  (cyclonedx-python-lib) and checked by its schema validator: the product, every wheel, Pyodide,
  office.js (or its CDN address), and the web libraries xlwings Server ships, with versions,
  licences and SHA-256;
- :func:`write_sums`: ``SHA256SUMS`` for ``sha256sum -c``, every file but itself.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from datetime import datetime, timezone
from email.parser import HeaderParser
from pathlib import Path

SUMS = "SHA256SUMS"
SBOM = "sbom.cdx.json"
TEXT_SUFFIXES = {".html", ".js", ".css", ".json", ".xml", ".txt", ".map", ".config"}
# the web libraries xlwings Server vendors, by their folder under static/vendor: SPDX licence ids
# as their own LICENSE files or headers state them (a folder not listed here stops the build)
VENDOR_LICENCES = {
    "@alpinejs/csp": "MIT",
    "bootstrap": "MIT",
    "bootstrap-xlwings": "MIT",
    "htmx.org": "0BSD",
    "htmx-ext-head-support": "0BSD",
    "htmx-ext-loading-states": "0BSD",
    "office-js": "LicenseRef-Microsoft-Office-JavaScript-API",
}


class ProvenanceError(Exception):
    pass


LOCK_ENTRY = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)[^\n]*\n((?:[ \t]+--hash=sha256:[0-9a-f]{64}[ \t\\]*\n)+)", re.M)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(names: list[str], lock: Path) -> list[str]:
    """``name==version --hash=sha256:…`` lines for ``names``, as the lock file pins them."""
    entries = {_normal(m.group(1)): m for m in LOCK_ENTRY.finditer(lock.read_text())}
    missing = [n for n in names if _normal(n) not in entries]
    if missing:
        raise ProvenanceError(f"{lock.name} saknar {', '.join(missing)}: kör 'make lock'")
    lines = []
    for n in names:
        m = entries[_normal(n)]
        hashes = " ".join(re.findall(r"--hash=sha256:[0-9a-f]{64}", m.group(3)))
        lines.append(f"{m.group(1)}=={m.group(2)} {hashes}")
    return lines


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())


def pin_build_tag(folder: Path, probe: str = "static/css/core.*.css") -> str:
    """Replaces xlwings Server's random per-build tag, in file names and in every reference to
    them, by the first 8 hex digits of a SHA-256 over the folder with the tag taken out."""
    found = sorted(folder.glob(probe))
    match = re.fullmatch(r"core\.([0-9a-f]{8})\.css", found[0].name) if len(found) == 1 else None
    if not match:
        raise ProvenanceError(f"xlwings Servers bygge har inte märkt {probe} som väntat")
    old = match.group(1)
    digest = hashlib.sha256()
    for path in _files(folder):
        data = path.read_bytes()
        digest.update(path.relative_to(folder).as_posix().replace(old, "TAG").encode() + b"\0")
        digest.update((data.replace(old.encode(), b"TAG") if path.suffix in TEXT_SUFFIXES else data) + b"\0")
    new = digest.hexdigest()[:8]
    for path in _files(folder):
        if path.suffix in TEXT_SUFFIXES:
            text = path.read_bytes()
            if old.encode() in text:
                path.write_bytes(text.replace(old.encode(), new.encode()))
        if f".{old}." in path.name:
            path.rename(path.with_name(path.name.replace(f".{old}.", f".{new}.")))
    return new


def write_sums(folder: Path) -> Path:
    lines = [f"{sha256(p)}  {p.relative_to(folder).as_posix()}\n" for p in _files(folder) if p.name != SUMS]
    out = folder / SUMS
    out.write_text("".join(lines))
    return out


def _wheel_metadata(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        return HeaderParser().parsestr(z.read(name).decode("utf-8"))


def _licences(text: str | None):
    from cyclonedx.contrib.license.factories import LicenseFactory

    return [LicenseFactory().make_from_string(text)] if text else []


def _hash(path: Path):
    from cyclonedx.model import HashAlgorithm, HashType

    return [HashType(alg=HashAlgorithm.SHA_256, content=sha256(path))]


def _wheel_component(wheel: Path, pypi_hashes: dict[str, str]):
    from cyclonedx.model.component import Component, Pedigree
    from packageurl import PackageURL

    meta = _wheel_metadata(wheel)
    name_on_pypi = wheel.name.removesuffix(".zip")  # served as .zip (hosting.py)
    name, version = meta["Name"], meta["Version"]
    licence = meta.get("License-Expression") or meta.get("License")
    purl = PackageURL("pypi", None, name.lower(), version, {"file_name": name_on_pypi})
    pedigree = None
    original = pypi_hashes.get(name_on_pypi)
    if original and original != sha256(wheel):  # babel: the locale data the product does not use left out
        from cyclonedx.model import HashAlgorithm, HashType

        ancestor = Component(name=name, version=version, purl=purl, bom_ref=f"pypi-original:{name_on_pypi}",
                             hashes=[HashType(alg=HashAlgorithm.SHA_256, content=original)])
        pedigree = Pedigree(ancestors=[ancestor], notes="PyPI:s hjul med endast den lokaldata produkten använder "
                                                        "(sv, sv_SE, root); RECORD är uppdaterad därefter.")
    return Component(name=name, version=version, purl=purl, bom_ref=f"wheel:{wheel.name}", hashes=_hash(wheel),
                     licenses=_licences(licence), pedigree=pedigree, modified=pedigree is not None)


def _folder_component(folder: Path, root: Path, name: str, version: str, licence: str, purl=None):
    """A vendored library: one component, its files as components of their own with their hashes."""
    from cyclonedx.model.component import Component, ComponentType

    files = [Component(name=p.relative_to(root).as_posix(), type=ComponentType.FILE,
                       bom_ref=f"file:{p.relative_to(root).as_posix()}", hashes=_hash(p)) for p in _files(folder)]
    return Component(name=name, version=version, purl=purl, bom_ref=f"vendor:{name}@{version}",
                     licenses=_licences(licence), components=files)


def _vendor_components(root: Path, pyodide_licence: str, officejs_cdn: str | None):
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri
    from cyclonedx.model.component import Component
    from packageurl import PackageURL

    vendor = root / "static" / "vendor"
    out = []
    for version_dir in sorted(p for p in vendor.glob("*/*") if p.is_dir()):
        name, version = version_dir.parent.name, version_dir.name
        if name.startswith("@"):  # a scoped package: vendor/@scope/name/version
            continue
        if name == "pyodide":
            out.append(_folder_component(version_dir, root, "pyodide", version.lstrip("v"), pyodide_licence,
                                         PackageURL("npm", None, "pyodide", version.lstrip("v"))))
            continue
        if name not in VENDOR_LICENCES:
            raise ProvenanceError(f"static/vendor/{name}: licensen är okänd; lägg till den i VENDOR_LICENCES")
        out.append(_folder_component(version_dir, root, name, version, VENDOR_LICENCES[name]))
    for version_dir in sorted(p for p in vendor.glob("@*/*/*") if p.is_dir()):
        name = f"{version_dir.parent.parent.name}/{version_dir.parent.name}"
        if name not in VENDOR_LICENCES:
            raise ProvenanceError(f"static/vendor/{name}: licensen är okänd; lägg till den i VENDOR_LICENCES")
        out.append(_folder_component(version_dir, root, name, version_dir.name, VENDOR_LICENCES[name]))
    if officejs_cdn:
        out.append(Component(name="office-js", version="1", bom_ref="cdn:office-js",
                             licenses=_licences(VENDOR_LICENCES["office-js"]),
                             external_references=[ExternalReference(type=ExternalReferenceType.DISTRIBUTION,
                                                                    url=XsUri(officejs_cdn))]))
    return out


def write_sbom(root: Path, product_version: str, epoch: int, pypi_hashes: dict[str, str],
               pyodide_licence: str, xlwings_server_version: str, officejs_cdn: str | None = None) -> Path:
    """``sbom.cdx.json`` for the folder at ``root``, validated against CycloneDX 1.6's schema."""
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.output.json import JsonV1Dot6
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator
    from packageurl import PackageURL

    wheels = [_wheel_component(w, pypi_hashes) for w in sorted((root / "static" / "wheels").glob("*.whl.zip"))]
    xlwings_server = Component(name="xlwings-server", version=xlwings_server_version, bom_ref="xlwings-server",
                               purl=PackageURL("pypi", None, "xlwings-server", xlwings_server_version),
                               licenses=_licences("xlwings PRO License OR PolyForm Noncommercial License 1.0.0"),
                               description="Sidorna, skripten och Wasm-körningen i mappen kommer från xlwings Server.")
    product = Component(name="skr-avgift", version=product_version, type=ComponentType.APPLICATION,
                        bom_ref="skr-avgift", description="SKR-avgift: Excel-tillägget som statisk mapp.")
    components = [*wheels, xlwings_server, *_vendor_components(root, pyodide_licence, officejs_cdn)]
    digest = hashlib.sha256(json.dumps(sorted(f"{p.relative_to(root)}:{sha256(p)}" for p in _files(root)
                                              if p.name not in (SUMS, SBOM))).encode()).digest()
    bom = Bom(components=components, serial_number=uuid.UUID(bytes=digest[:16], version=5),
              metadata=BomMetaData(component=product, timestamp=datetime.fromtimestamp(epoch, timezone.utc)))
    bom.register_dependency(product, components)  # everything in the folder is the product's to run
    text = JsonV1Dot6(bom).output_as_string(indent=1)
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if error:
        raise ProvenanceError(f"SBOM:en följer inte CycloneDX 1.6: {error}")
    out = root / SBOM
    out.write_text(text + "\n")
    return out
