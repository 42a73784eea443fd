"""Importing a participation list for a recommendation period (``skr-fee import-deltagare``)."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import datetime
from pathlib import Path

from . import store
from ..rules.errors import SkrFeeError
from .municipalities import registry
from .periods import periods
from .scb_import import DataImportError, _decode


def import_participants(path: str | Path, period_name: str) -> tuple[Path, int]:
    """Check a CSV (kommunkod, deltar 1/0 for all 290) and store it for the period."""
    path = Path(path)
    wanted = period_name.replace("–", "-").strip()
    period = next((p for p in periods() if f"{p.first_year}-{p.last_year}" == wanted), None)
    if period is None:
        valid = ", ".join(f"{p.first_year}-{p.last_year}" for p in periods())
        raise SkrFeeError(f"Okänd period '{period_name}'. Perioder: {valid}.")
    try:
        data = path.read_bytes()
    except OSError:
        raise SkrFeeError(f"Filen '{path}' finns inte eller kan inte läsas.") from None
    text = _decode(data, path.name)
    sample = text[:2000]
    delimiter = max(";\t,", key=sample.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = [f.strip().casefold() for f in (reader.fieldnames or [])]
    if "kommunkod" not in fields or "deltar" not in fields:
        raise DataImportError(path.name, ["kolumnerna kommunkod och deltar (1 eller 0) saknas."])
    problems, flags = [], {}
    for line, row in enumerate(reader, start=2):
        row = {k.strip().casefold(): (v or "").strip() for k, v in row.items() if k}
        code = row["kommunkod"].zfill(4)
        if code not in registry().by_code:
            problems.append(f"rad {line}: '{row['kommunkod']}' är ingen kommunkod.")
        elif code in flags:
            problems.append(f"rad {line}: {code} står två gånger.")
        elif row["deltar"] not in ("0", "1"):
            problems.append(f"rad {line}: deltar ska vara 1 eller 0, inte '{row['deltar']}'.")
        else:
            flags[code] = row["deltar"]
    missing = sorted(set(registry().by_code) - set(flags))
    if missing and not problems:
        problems.append(f"{len(missing)} kommuner saknas, t.ex. {', '.join(missing[:5])}.")
    if problems:
        raise DataImportError(path.name, problems)
    lines = ["kommunkod,kommun,deltar"] + [f"{c},{registry().by_code[c].name},{flags[c]}" for c in sorted(flags)]
    meta = {"fil": path.name, "importerad": datetime.now().replace(microsecond=0).isoformat(),
            "sha256": hashlib.sha256(data).hexdigest(), "period": period.name}
    stored = store.write("participants", f"{period.first_year}-{period.last_year}", "\n".join(lines) + "\n", meta)
    return stored, sum(1 for v in flags.values() if v == "1")
