"""A folder any static web server serves as it is configured, by default or hardened (issue 27).

xlwings Server's Wasm build leaves files a careful server refuses: ``wasm/.env`` (a dotfile: nginx's
common ``location ~ /\\. { deny all; }`` answers 403), Python sources and wheels (``.py``, ``.whl``:
IIS serves no file whose extension it does not know), source maps. Here, after the build:

- the files the page copies into Python's file system (the settings ``.env``, xlwings Server's
  Wasm runtime, the project's ``custom_functions`` and ``custom_scripts``) are packed into one
  ``static/python/app.zip``, and the page unpacks it (Pyodide's ``unpackArchive``);
- each wheel is served as ``….zip`` (a wheel is a zip; the page unpacks it as a wheel);
- source maps are left out, licence files are named ``….txt``;
- ``web.config`` tells IIS the types it lacks (``.wasm``, ``.json``), how long to cache what, and
  the Content-Security-Policy the folder needs.

Every file left then has a type that nginx's and Apache's stock ``mime.types`` and IIS's defaults
(with this web.config) know; tests/test_addin_hosting.py serves the folder with Debian's nginx
and Apache under a path and runs it in Chromium.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

ARCHIVE = "static/python/app.zip"
# what a stock server knows: IIS's built-in MIME map (with web.config's additions), nginx's and
# Apache's mime.types; SHA256SUMS is for IT's own check in the folder, not for the page
SERVED_SUFFIXES = {".html", ".js", ".css", ".json", ".xml", ".png", ".svg", ".ico", ".wasm", ".zip", ".txt",
                   ".config"}
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval' https://appsforoffice.microsoft.com; "
       "connect-src 'self' https://appsforoffice.microsoft.com; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:")
WEB_CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<!-- IIS: the types IIS does not serve by default, caching, and the Content-Security-Policy of the
     SKR-avgift add-in (docs/addin.md). Files whose names carry the build's tag (main.1a2b3c4d.js)
     never change: a year in the cache. The manifest, the pages and the settings are revalidated. -->
<configuration>
  <system.webServer>
    <staticContent>
      <remove fileExtension=".wasm" />
      <mimeMap fileExtension=".wasm" mimeType="application/wasm" />
      <remove fileExtension=".json" />
      <mimeMap fileExtension=".json" mimeType="application/json" />
      <remove fileExtension=".zip" />
      <mimeMap fileExtension=".zip" mimeType="application/zip" />
      <clientCache cacheControlMode="DisableCache" />
    </staticContent>
    <httpProtocol>
      <customHeaders>
        <add name="Content-Security-Policy" value="{csp}" />
        <add name="X-Content-Type-Options" value="nosniff" />
      </customHeaders>
    </httpProtocol>
  </system.webServer>
  <location path="static">
    <system.webServer>
      <staticContent>
        <clientCache cacheControlMode="UseMaxAge" cacheControlMaxAge="365.00:00:00" />
      </staticContent>
    </system.webServer>
  </location>
</configuration>
"""


def _zip(target: Path, members: dict[str, Path], epoch: int) -> None:
    """A zip whose bytes depend only on its members: sorted, fixed times and permissions."""
    import time

    stamp = time.gmtime(max(epoch, 315532800))[:6]
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, members[name].read_bytes())


def make_static_friendly(out: Path, app_path: str, epoch: int) -> None:
    """Rewrites xlwings Server's Wasm build in ``out`` as described above."""
    config_path = next(out.glob("xlwings/pyodide*.json"))
    config = json.loads(config_path.read_text())
    members = {}
    for endpoint, local in config["files"].items():
        source = out / endpoint[len(app_path):].lstrip("/")
        members[local.removeprefix("./")] = source
    _zip(out / ARCHIVE, members, epoch)
    packages = []
    for url in config["packages"]:
        wheel = out / url[len(app_path):].lstrip("/")
        served = wheel.with_name(wheel.name + ".zip")
        wheel.rename(served)
        packages.append(url + ".zip")
    config_path.write_text(json.dumps({"packages": packages, "archive": f"{app_path}/{ARCHIVE}"}))
    for folder in ("wasm", "custom_functions", "custom_scripts"):
        shutil.rmtree(out / folder, ignore_errors=True)
    for path in list(out.rglob("*")):
        if path.is_file() and (path.name.startswith(".") or path.suffix == ".map"):
            path.unlink()
        elif path.is_file() and path.stem.upper() in ("LICENSE", "LICENCE") and path.suffix in ("", ".md"):
            path.rename(path.with_name(path.stem + ".txt"))
    (out / "web.config").write_text(WEB_CONFIG.format(csp=CSP))


def unservable(out: Path) -> list[str]:
    """Files a stock static server would refuse or mislabel (none, after make_static_friendly)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and p.name != "SHA256SUMS"
                  and (p.name.startswith(".") or any(part.startswith(".") for part in p.relative_to(out).parts)
                       or p.suffix not in SERVED_SUFFIXES))
