"""Annexes made in the task pane, kept for download for a while.

Files live in one folder (``SKR_FEE_ANNEX_STORE``, default a folder in the
system's temp dir) under an unguessable token, so every server worker can
serve what any worker made. Files older than ``KEEP_SECONDS`` are removed
whenever a new annex is stored.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

KEEP_SECONDS = 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def root() -> Path:
    folder = Path(os.environ.get("SKR_FEE_ANNEX_STORE") or Path(tempfile.gettempdir()) / "skr-fee-annex")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_folder() -> tuple[str, Path]:
    _expire()
    token = secrets.token_urlsafe(24)
    folder = root() / token
    folder.mkdir()
    return token, folder


def find(token: str, filename: str) -> Path | None:
    """The stored file, or None: tokens and names are checked, no path escapes the store."""
    if not TOKEN.match(token) or "/" in filename or "\\" in filename or filename.startswith("."):
        return None
    path = root() / token / filename
    return path if path.is_file() else None


def _expire() -> None:
    now = time.time()
    for folder in root().iterdir():
        try:
            if now - folder.stat().st_mtime > KEEP_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            pass
