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


def _columns(rows: list[list], h: int, rcol: int) -> dict[int, int | None] | tuple[int, int]:
    """Where the figures are: (year column, value column) for a long table (one row per region
    and year), or {column: year, or None when the header names no year} for a wide one."""
    header = [str(c).strip() for c in rows[h]] if h >= 0 else []
    lower = [c.casefold() for c in header]
    year_col = next((j for j, c in enumerate(lower) if c in ("år", "ar", "year", "tid")), None)
    if year_col is not None:
        value_col = next((j for j, c in enumerate(lower) if j not in (rcol, year_col)
                          and any(w in c for w in ("folkmängd", "antal", "värde", "value", "invånare"))), None)
        if value_col is None:
            value_col = max(j for j in range(len(header)) if j not in (rcol, year_col))
        return year_col, value_col
    value_cols: dict[int, int | None] = {}
    for j, c in enumerate(header):
        if j == rcol:
            continue
        m = YEAR.search(c)
        if m:
            value_cols[j] = int(m.group(1))
        elif any(w in c.casefold() for w in ("folkmängd", "antal", "invånare")):
            value_cols[j] = None
    # no header at all: the first numeric-looking column after the region
    return value_cols or {rcol + 1: None}


def _cells_of(row: list, line: int, columns, problems: list[str]) -> dict[int, int | None] | None:
    """{column: year} of one row; None (with the problem noted) when a long table's year is unreadable."""
    if isinstance(columns, dict):
        return columns
    year_col, value_col = columns
    y_raw = row[year_col] if year_col < len(row) else ""
    ym = YEAR.search(str(y_raw))
    if not ym:
        problems.append(f"rad {line}: året '{y_raw}' känns inte igen.")
        return None
    return {value_col: int(ym.group(1))}


def _read_rows(rows: list[list], h: int, rcol: int, problems: list[str]):
    """(the municipalities' figures per year, the country's figure per year) of the table's rows."""
    columns = _columns(rows, h, rcol)
    per_year: dict[int | None, Parsed] = {}
    country: dict[int | None, int] = {}
    known_codes = registry().by_code
    for i in range(h + 1, len(rows)):
        row, line = rows[i], i + 1
        cell = row[rcol] if rcol < len(row) else ""
        text = str(cell).strip() if cell is not None else ""
        m = REGION.match(text)
        cols = _cells_of(row, line, columns, problems) if m else None
        if cols is None:
            continue  # title rows above the table, notes below it, blank lines, an unreadable year
        code, rname = m.groups()
        for col, year in cols.items():
            raw = row[col] if col < len(row) else ""
            if raw == "" or raw is None:
                problems.append(f"rad {line}: värde saknas för {text}" + (f" ({year})" if year else "") + ".")
                continue
            n = _number(raw, f"rad {line}", problems)
            if n is None or len(code) == 2:  # county rows are not municipalities; 00 is the country
                if n is not None and code == "00":
                    country[year] = n
                continue
            p = per_year.setdefault(year, Parsed(date.min, {}))
            known = known_codes.get(code)
            if code in p.counts:
                problems.append(f"rad {line}: {code} {rname} står två gånger (förra gången rad {p.lines[code]}).")
            elif known is None:
                problems.append(f"rad {line}: {code} är ingen kommunkod.")
            elif name_key(rname) not in (name_key(known.name), name_key(known.skr_name)):
                problems.append(f"rad {line}: kod {code} är {known.name}, men filen säger '{rname}'.")
            else:
                p.counts[code] = n
                p.lines[code] = line
    return per_year, country


def _dated(per_year: dict, country: dict, day: date | None, problems: list[str]) -> list[Parsed]:
    """Each year's figures with their date, complete and summing to the country's, or a problem."""
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
        else:
            sum_problems, p.notes = population_checks.national_sum(p.counts, when, country.get(year))
            problems += sum_problems
        p.date = when
        p.country = country.get(year)
        out.append(p)
    return out


def parse(rows: list[list], name: str, day: date | None = None) -> list[Parsed]:
    """The figures per date found in ``rows``; raises DataImportError with every problem."""
    try:
        h, rcol = _header(rows)
    except DataImportError as e:
        raise DataImportError(name, e.problems) from None
    problems: list[str] = []
    per_year, country = _read_rows(rows, h, rcol, problems)
    if not per_year and not problems:
        problems.append("inga kommuner hittades i filen (regioner som '0114 Upplands Väsby').")
    out = _dated(per_year, country, day, problems)
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
