"""SCB's PxWeb API: its tables of population per municipality and its two response formats.

JSON-stat2 is decoded by the dataset's own ``id``/``size`` and each category's
index, never by key order; PxWeb's CSV ("0114 Upplands Väsby", ..., value) with
pandas. Any other layout is a ``FetchError`` with a Swedish message.
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass

from ..rules.errors import SkrFeeError


class FetchError(SkrFeeError):
    """SCB could not be asked, or answered something the product cannot use."""


@dataclass(frozen=True)
class Table:
    id: str
    v1_path: str
    content: str
    first_year: int
    last_year: int | None
    fixed: dict  # variable -> value codes (summed over when more than one)


TABLES = (
    Table("TAB638", "BE/BE0101/BE0101A/BefolkningNy", "BE0101N1", 1968, 2024,
          {"Civilstand": ["OG", "G", "SK", "ÄNKL"], "Alder": ["tot"], "Kon": ["1", "2"]}),
    Table("TAB5557", "BE/BE0101/BE0101A/BefolkningCKM", "000007ME", 2025, None,
          {"Alder": ["TotSA"], "Civilstand": ["SC"], "Kon": ["TotSa"]}),
)


# ------------------------------------------------------------------ decoding

def decode_jsonstat(data: bytes, table: Table, year: int) -> dict[str, int]:
    """Region code -> the sum of its cells for ``year``, from a JSON-stat2 dataset.

    Decoded by the dataset's own ``id``/``size`` and each category's index
    (never by key order); any layout other than the expected one is an error.
    """
    try:
        doc = json.loads(data.decode("utf-8"))
        ids, sizes, values, dims = doc["id"], doc["size"], doc["value"], doc["dimension"]
        if not (isinstance(ids, list) and isinstance(sizes, list) and len(ids) == len(sizes)):
            raise ValueError
        positions = {d: _index(dims[d]["category"]["index"]) for d in ids}
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise FetchError("SCB:s svar är inte den väntade tabellen (JSON-stat2 med id, size, dimension och value)") from None
    if "Region" not in ids or "Tid" not in ids:
        raise FetchError(f"SCB:s tabell {table.id} har ändrat utseende: dimensionerna är {', '.join(ids)}")
    if str(year) not in positions["Tid"]:
        raise FetchError(f"SCB:s svar gäller inte år {year} (år i svaret: {', '.join(positions['Tid'])})")
    if "ContentsCode" in positions and table.content not in positions["ContentsCode"]:
        raise FetchError(f"SCB:s svar innehåller inte {table.content} (folkmängd) utan {', '.join(positions['ContentsCode'])}")
    _check_reference_date(dims.get("ContentsCode", {}), table)
    if math.prod(sizes) != len(values) or [len(positions[d]) for d in ids] != sizes:
        raise FetchError("SCB:s svar har fel antal värden för sina dimensioner")
    strides = [math.prod(sizes[i + 1:]) for i in range(len(sizes))]
    t = ids.index("Tid")
    out: dict[str, int] = {}
    for code, r in positions["Region"].items():
        total = 0
        for flat in _cells(sizes, strides, {ids.index("Region"): r, t: positions["Tid"][str(year)]}):
            v = values[flat]
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise FetchError(f"SCB:s svar saknar ett helt antal för region {code} ({v!r})")
            total += v
        out[code] = total
    return out


def _index(index) -> dict[str, int]:
    if isinstance(index, list):
        return {str(c): i for i, c in enumerate(index)}
    if isinstance(index, dict):
        return {str(c): int(i) for c, i in index.items()}
    raise ValueError


def _cells(sizes, strides, fixed: dict[int, int]):
    """Flat positions of every cell with the dimensions in ``fixed`` at the given index."""
    flats = [0]
    for i, size in enumerate(sizes):
        choices = [fixed[i]] if i in fixed else range(size)
        flats = [f + c * strides[i] for f in flats for c in choices]
    return flats


def _check_reference_date(contents: dict, table: Table) -> None:
    ref = (contents.get("extension") or {}).get("refperiod") or {}
    text = ref.get(table.content) if isinstance(ref, dict) else None
    if text and "31 december" not in str(text):
        raise FetchError(f"SCB:s folkmängd i {table.id} avser '{text}', inte 31 december")


def decode_csv(data: bytes, table: Table, year: int) -> dict[str, int]:
    """Region code -> the sum of its rows for ``year``, from PxWeb's CSV ("0114 Upplands Väsby",..., value)."""
    import pandas as pd

    try:
        frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        raise FetchError("SCB:s svar är ingen läsbar CSV") from None
    value_cols = [c for c in frame.columns if str(year) in str(c)]
    if frame.empty or len(value_cols) != 1:
        raise FetchError(f"SCB:s CSV har ändrat utseende: ingen kolumn för {year} bland {', '.join(map(str, frame.columns))}")
    regions = frame.iloc[:, 0].str.extract(r"^\s*(\d{2}|\d{4})\b", expand=False)
    values = pd.to_numeric(frame[value_cols[0]].str.replace(r"\s", "", regex=True), errors="coerce")
    if regions.isna().any() or values.isna().any() or (values < 0).any() or (values % 1 != 0).any():
        raise FetchError("SCB:s CSV har rader utan region eller utan ett helt antal invånare")
    summed = values.groupby(regions).sum()
    return {str(code): int(n) for code, n in summed.items()}
