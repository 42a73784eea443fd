"""Importing population figures as Statistics Sweden (SCB) exports them.

Read with pandas. Accepted: CSV (comma, semicolon or tab; UTF-8 with or
without BOM, or Latin-1/cp1252) and xlsx, with title rows above the table and notes below it;
wide (one column per year) or long (a year column and a value column)
tables; regions written like "0114 Upplands Väsby", the country row
("00 Riket") and county rows ("01 Stockholms län") used only for checking;
numbers with spaces as thousands separators; and the product's own shape
(``kommunkod,kommun,folkmangd``, as shipped). A year column means 31 December
of that year; ``--datum`` names the date when the file does not.

Everything is checked before anything is stored: all 290 municipalities once
each, names that match the codes, whole non-negative numbers, the sum against
the country row (``population_checks``: from 2025 SCB's figures carry noise, and a
small difference is a note). A bad file is rejected whole, with messages naming the line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..rules.errors import SkrFeeError
from . import population, population_checks, store
from .tabular import DataImportError, own_shape, read_rows
from ..rules.municipalities import name_key
from .municipalities import registry

REGION = re.compile(r"^\s*(\d{2}|\d{4})\s+(.+?)\s*$")
YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


@dataclass
class Parsed:
    """One date's figures from a file, before they are stored."""

    date: date
    counts: dict[str, int]
    country: int | None = None
    lines: dict[str, int] = field(default_factory=dict)  # code -> line in the file
    notes: list[str] = field(default_factory=list)  # e.g. SCB's noise from 2025


@dataclass
class Imported:
    date: date
    path: Path
    total: int
    warnings: list[str]
    notes: list[str] = field(default_factory=list)


def _number(raw, where: str, problems: list[str]) -> int | None:
    if isinstance(raw, bool):
        problems.append(f"{where}: {raw!r} är inget antal invånare.")
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            problems.append(f"{where}: {raw} är inget helt antal invånare.")
            return None
        value = int(raw)
    else:
        text = str(raw).replace("\u00a0", "").replace("\u202f", "").replace(" ", "").strip()
        if not re.fullmatch(r"-?\d+", text):
            problems.append(f"{where}: '{raw}' är inget tal (en sifferkolumn får bara innehålla hela antal).")
            return None
        value = int(text)
    if value < 0:
        problems.append(f"{where}: {value} är negativt.")
        return None
    return value


def _header(rows: list[list]) -> tuple[int, int]:
    """(header row index, region column index)."""
    for i, row in enumerate(rows[:60]):
        for j, cell in enumerate(row):
            if isinstance(cell, str) and cell.strip().casefold() in ("region", "kommun", "region/kommun"):
                return i, j
    # no header: the first row that starts with a region
    for i, row in enumerate(rows[:60]):
        for j, cell in enumerate(row):
            if isinstance(cell, str) and REGION.match(cell):
                return i - 1, j
    raise DataImportError("", ["hittar ingen kolumn 'region' med regioner som '0114 Upplands Väsby'."])


def parse(rows: list[list], name: str, day: date | None = None) -> list[Parsed]:
    """The figures per date found in ``rows``; raises DataImportError with every problem."""
    try:
        h, rcol = _header(rows)
    except DataImportError as e:
        raise DataImportError(name, e.problems) from None
    header = [str(c).strip() for c in rows[h]] if h >= 0 else []
    lower = [c.casefold() for c in header]
    year_col = next((j for j, c in enumerate(lower) if c in ("år", "ar", "year", "tid")), None)
    value_cols: dict[int, int | None] = {}  # column -> year (None: no year in the header)
    if year_col is not None:
        value_col = next((j for j, c in enumerate(lower) if j not in (rcol, year_col)
                          and any(w in c for w in ("folkmängd", "antal", "värde", "value", "invånare"))), None)
        if value_col is None:
            value_col = max(j for j in range(len(header)) if j not in (rcol, year_col))
        long_format = True
    else:
        long_format = False
        for j, c in enumerate(header):
            if j == rcol:
                continue
            m = YEAR.search(c)
            if m:
                value_cols[j] = int(m.group(1))
            elif any(w in c.casefold() for w in ("folkmängd", "antal", "invånare")):
                value_cols[j] = None
        if not value_cols:
            # no header at all: the first numeric-looking column after the region
            value_cols = {rcol + 1: None}
    problems: list[str] = []
    per_year: dict[int | None, Parsed] = {}
    country: dict[int | None, int] = {}
    for i in range(h + 1, len(rows)):
        row = rows[i]
        line = i + 1
        cell = row[rcol] if rcol < len(row) else ""
        text = str(cell).strip() if cell is not None else ""
        m = REGION.match(text)
        if not m:
            continue  # title rows above the table, notes below it, blank lines
        code, rname = m.groups()
        if long_format:
            y_raw = row[year_col] if year_col < len(row) else ""
            ym = YEAR.search(str(y_raw))
            if not ym:
                problems.append(f"rad {line}: året '{y_raw}' känns inte igen.")
                continue
            cols = {value_col: int(ym.group(1))}
        else:
            cols = value_cols
        for col, year in cols.items():
            raw = row[col] if col < len(row) else ""
            if raw == "" or raw is None:
                problems.append(f"rad {line}: värde saknas för {text}" + (f" ({year})" if year else "") + ".")
                continue
            n = _number(raw, f"rad {line}", problems)
            if n is None:
                continue
            if len(code) == 2:
                if code == "00":
                    country[year] = n
                continue  # county rows are not municipalities
            p = per_year.setdefault(year, Parsed(date.min, {}))
            if code in p.counts:
                problems.append(f"rad {line}: {code} {rname} står två gånger (förra gången rad {p.lines[code]}).")
                continue
            known = registry().by_code.get(code)
            if known is None:
                problems.append(f"rad {line}: {code} är ingen kommunkod.")
                continue
            if name_key(rname) not in (name_key(known.name), name_key(known.skr_name)):
                problems.append(f"rad {line}: kod {code} är {known.name}, men filen säger '{rname}'.")
                continue
            p.counts[code] = n
            p.lines[code] = line
    if not per_year and not problems:
        problems.append("inga kommuner hittades i filen (regioner som '0114 Upplands Väsby').")
    out = []
    for year, p in per_year.items():
        when = date(year, 12, 31) if year else day
        if day is not None and year is not None and day.year != year:
            continue  # --datum picks one year of a file with several
        if when is None:
            problems.append("filen säger inte vilket år siffrorna gäller: ange --datum, t.ex. --datum 2024-12-31.")
            continue
        missing = sorted(set(registry().by_code) - set(p.counts))
        if missing:
            names = ", ".join(f"{c} {registry().by_code[c].name}" for c in missing[:10])
            more = f" och {len(missing) - 10} till" if len(missing) > 10 else ""
            problems.append(f"{when.year}: {len(missing)} kommuner saknas: {names}{more}.")
        if not missing:
            sum_problems, p.notes = population_checks.national_sum(p.counts, when, country.get(year))
            problems += sum_problems
        p.date = when
        p.country = country.get(year)
        out.append(p)
    if day is not None and not out and not problems:
        problems.append(f"filen har inga siffror för {day.year}.")
    if problems:
        raise DataImportError(name, problems)
    return sorted(out, key=lambda p: p.date)


def import_file(path: str | Path, day: date | None = None) -> list[Imported]:
    """Check the file and store every date in it; nothing is stored if anything is wrong."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SkrFeeError(f"Filen '{path}' finns inte.") from None
    except OSError as e:
        raise SkrFeeError(f"Filen '{path}' kan inte läsas: {e.strerror}.") from None
    parsed = parse(own_shape(read_rows(data, path.name)), path.name, day)
    checksum = hashlib.sha256(data).hexdigest()
    results = []
    for p in parsed:
        warnings = population_checks.changes(p.counts, p.date)[1]
        meta = {
            "källa": "SCB (importerad fil)",
            "fil": path.name,
            "importerad": datetime.now().replace(microsecond=0).isoformat(),
            "sha256": checksum,
            "summa": sum(p.counts.values()),
            "riket": p.country,
        }
        stored = store.write("population", p.date.isoformat(), population.to_csv(p.counts), meta)
        results.append(Imported(p.date, stored, meta["summa"], warnings, p.notes))
    return results
