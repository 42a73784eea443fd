"""Population per municipality on 31 December, as Statistics Sweden counts it.

The product ships SCB's figures (``population/YYYY-12-31.csv`` beside this
module); users import newer ones from SCB
(``skr-fee importera-scb``) into their data directory (``store.py``). An
imported date takes precedence over a shipped one.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from ..rules.errors import MissingData
from ..rules.population import Population
from . import store
from .municipalities import registry

SOURCE_SCB = "SCB, Folkmängd efter region (Statistikdatabasen)"


def fetch_command(day: date) -> str:
    """The one command that brings in the population of ``day``."""
    return f"skr-fee hämta-scb --år {day.year}"


@dataclass(frozen=True)
class PopulationFile:
    """Where one date's figures come from (for ``skr-fee data``)."""

    date: date
    path: Path
    shipped: bool
    meta: dict

    @property
    def source(self) -> str:
        """Provenance in one line: SCB's table and date, or the imported file or fetch."""
        if "källa_text" in self.meta:
            return self.meta["källa_text"]
        what = self.meta.get("källa", SOURCE_SCB)
        where = self.meta.get("tabell") or self.meta.get("fil")
        return f"{what} ({where}), {self.date.isoformat()}" if where else f"{what}, {self.date.isoformat()}"


@lru_cache(maxsize=1)
def _packaged() -> dict[date, Path]:
    folder = resources.files(__package__) / "population"
    return {date.fromisoformat(f.name[:-4]): Path(str(f)) for f in folder.iterdir() if f.name.endswith(".csv")}


@lru_cache(maxsize=1)
def shipped_sources() -> dict[date, dict]:
    """``population/sources.toml``: SCB's table, national figure and the line to show, per shipped date."""
    text = (resources.files(__package__) / "population" / "sources.toml").read_text(encoding="utf-8")
    return {date.fromisoformat(d): entry for d, entry in tomllib.loads(text).items()}


def _imported() -> dict[date, Path]:
    folder = store.folder("population")
    try:
        stamp = folder.stat().st_mtime_ns  # a file added, replaced or removed changes it
    except OSError:
        return {}
    return _listing(folder, stamp)


@lru_cache(maxsize=8)
def _listing(folder: Path, _stamp: int) -> dict[date, Path]:
    out = {}
    for f in folder.glob("*.csv"):
        try:
            out[date.fromisoformat(f.stem)] = f
        except ValueError:
            continue
    return out


def files() -> list[PopulationFile]:
    """Every available date, imported ones over shipped ones (each imported file's description read
    every time: a re-import with other metadata is seen at once)."""
    imported = tuple((d, p, json.dumps(store.read_meta(p), sort_keys=True, ensure_ascii=False))
                     for d, p in sorted(_imported().items()))
    return list(_files(imported))


@lru_cache(maxsize=8)
def _files(imported: tuple) -> tuple[PopulationFile, ...]:
    """Keyed by the content of the descriptions, not by their paths."""
    sources = shipped_sources()
    found = {d: PopulationFile(d, p, True, {"källa_text": sources[d]["source"], **sources[d]})
             for d, p in _packaged().items()}
    for d, p, meta in imported:
        found[d] = PopulationFile(d, p, False, json.loads(meta))
    return tuple(found[d] for d in sorted(found))


def available_dates() -> list[date]:
    return [f.date for f in files()]


def latest_before(day: date) -> date | None:
    earlier = [d for d in available_dates() if d <= day]
    return max(earlier) if earlier else None


def publication_note(day: date, today: date | None = None) -> str:
    """When SCB publishes the population of ``day`` (in the February after it), in the tense that
    is true today, and what to do until then."""
    today = today or date.today()
    if today >= date(day.year + 1, 3, 1):
        return f"SCB publicerade den i februari {day.year + 1}."
    return (f"SCB publicerar den i februari {day.year + 1}; till dess går det att räkna preliminärt på den "
            f"senaste folkmängden med --preliminär.")


def population_on(day: date) -> Population:
    """The population of every municipality on ``day``, or MissingData."""
    found = {f.date: f for f in files()}
    if day not in found:
        have = ", ".join(d.isoformat() for d in found) or "inget"
        raise MissingData(
            f"Folkmängd per {day.isoformat()} saknas (tillgängligt: {have}). "
            f"Hämta den från SCB med '{fetch_command(day)}' (eller importera en fil med "
            f"'skr-fee importera-scb FIL --datum {day.isoformat()}'). {publication_note(day)}"
        )
    f = found[day]
    return _read(f.path.read_text(encoding="utf-8"), day, f.source, str(f.path))


@lru_cache(maxsize=32)
def _read(text: str, day: date, source: str, path: str) -> Population:
    """Keyed by the file's content (about 10 kB), so a replaced file is read again."""
    counts = {r["kommunkod"]: int(r["folkmangd"]) for r in csv.DictReader(io.StringIO(text))}
    if set(counts) != set(registry().by_code):
        raise MissingData(f"Folkmängdsfilen för {day.isoformat()} ({path}) täcker inte alla 290 kommuner.")
    return Population(day, MappingProxyType(counts), source)


def to_csv(counts: Mapping[str, int]) -> str:
    """The stored form: kommunkod,kommun,folkmangd, one row per municipality."""
    lines = ["kommunkod,kommun,folkmangd"]
    by_code = registry().by_code
    for code in sorted(counts):
        name = by_code[code].name
        lines.append(f"{code},{name},{counts[code]}")
    return "\n".join(lines) + "\n"
