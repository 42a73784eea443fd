"""Importing a participation list for a recommendation period (``skr-fee importera-deltagare``)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from ..rules.errors import SkrFeeError
from . import store
from .municipalities import registry
from .periods import periods
from .tabular import DataImportError, read_rows


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
    rows = read_rows(data, path.name)  # pandas: CSV in any delimiter and encoding, or xlsx
    header = [str(c).strip().casefold() for c in rows[0]] if rows else []
    if "kommunkod" not in header or "deltar" not in header:
        raise DataImportError(path.name, ["kolumnerna kommunkod och deltar (1 eller 0) saknas."])
    code_col, flag_col = header.index("kommunkod"), header.index("deltar")
    problems, flags = [], {}
    for line, row in enumerate(rows[1:], start=2):
        if all(str(v).strip() == "" for v in row):
            continue
        raw_code = str(row[code_col]).strip() if code_col < len(row) else ""
        flag = str(row[flag_col]).strip() if flag_col < len(row) else ""
        code = raw_code.zfill(4)
        if code not in registry().by_code:
            problems.append(f"rad {line}: '{raw_code}' är ingen kommunkod.")
        elif code in flags:
            problems.append(f"rad {line}: {code} står två gånger.")
        elif flag not in ("0", "1"):
            problems.append(f"rad {line}: deltar ska vara 1 eller 0, inte '{flag}'.")
        else:
            flags[code] = flag
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
