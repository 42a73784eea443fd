"""The user's own data: imported population figures and participation lists.

Kept in a per-user data directory (``platformdirs``), overridable by the
``SKR_FEE_DATA`` environment variable or the command line's ``--data``.
Every file is versioned by its date or period and has a JSON description
beside it (source file, import time, SHA-256 checksum). Writes are atomic.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir

ENV = "SKR_FEE_DATA"


def data_dir() -> Path:
    chosen = os.environ.get(ENV)
    return Path(chosen) if chosen else _default_dir()


@lru_cache(maxsize=1)
def _default_dir() -> Path:
    return Path(user_data_dir("skr-fee", appauthor=False))


def folder(kind: str) -> Path:
    """``population`` or ``participants`` under the data directory (not created)."""
    return data_dir() / kind


def read_meta(path: Path) -> dict:
    meta = path.with_suffix(".json")
    if meta.is_file():
        try:
            return json.loads(meta.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            return {}
    return {}


def write(kind: str, name: str, csv_text: str, meta: dict) -> Path:
    """Store ``name``.csv and its description; all or nothing."""
    from .atomic import atomic_path

    target = folder(kind)
    target.mkdir(parents=True, exist_ok=True)
    csv_path = target / f"{name}.csv"
    meta_path = target / f"{name}.json"
    with atomic_path(csv_path) as tmp_csv, atomic_path(meta_path) as tmp_meta:
        tmp_csv.write_text(csv_text, encoding="utf-8")
        tmp_meta.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return csv_path
