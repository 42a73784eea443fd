"""Tabular files as rows, read with pandas: CSV in the encodings and delimiters people's
programs write, and xlsx (the first sheet). Title and note lines are kept as rows, so
the importers account for every line."""

from __future__ import annotations

import csv
import io

from ..rules.errors import SkrFeeError
from .municipalities import registry

MAX_ERRORS = 15


class DataImportError(SkrFeeError):
    """A file that cannot be imported; ``problems`` lists every reason found."""

    def __init__(self, source: str, problems: list[str]):
        shown = problems[:MAX_ERRORS]
        more = len(problems) - len(shown)
        text = f"{source} importerades inte:\n" + "\n".join(f"  - {p}" for p in shown)
        if more > 0:
            text += f"\n  - ... och {more} fel till"
        super().__init__(text)
        self.problems = problems


def _decode(data: bytes, name: str) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:200]:
        raise DataImportError(name, ["filen är UTF-16 (eller binär); spara den som CSV i UTF-8 eller Latin-1."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise DataImportError(name, ["filens teckenkodning känns inte igen; spara den som UTF-8 eller Latin-1."]) from None


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";\t,"}
        return max(counts, key=counts.get)


def _rows_from_csv(text: str, name: str = "") -> list[list]:
    """Every line of a CSV as a row of strings (pandas), title and note lines included."""
    import pandas as pd

    delimiter = _delimiter(text)
    if text.count('"') % 2:
        # a file cut off inside a quoted field: close it, so the lines before are read and
        # what is missing is reported as missing
        text += '"\n'

    width = max((line.count(delimiter) for line in text.splitlines()), default=0) + 1
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=range(width), dtype=str,
                            keep_default_na=False, skip_blank_lines=False, engine="python", quotechar='"')
    except (pd.errors.ParserError, csv.Error, ValueError) as e:
        raise DataImportError(name, [f"filen kan inte läsas som CSV ({str(e).splitlines()[0][:120]})."]) from None
    return frame.values.tolist()


def _rows_from_xlsx(data: bytes, name: str) -> list[list]:
    """The first sheet's cells as rows (pandas with openpyxl), empty cells as ''."""
    import pandas as pd

    try:
        frame = pd.read_excel(io.BytesIO(data), header=None, dtype=object, engine="openpyxl")
    except Exception:
        raise DataImportError(name, ["filen är ingen läsbar xlsx-fil (trasig eller avkortad?)."]) from None
    frame = frame.astype(object).where(frame.notna(), "")
    return [[_plain(v) for v in row] for row in frame.values.tolist()]


def _plain(v):
    """pandas' numbers as Python's: 32446.0 from a number cell is 32446."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def read_rows(data: bytes, name: str) -> list[list]:
    if data[:2] == b"PK":
        return _rows_from_xlsx(data, name)
    if not data.strip():
        raise DataImportError(name, ["filen är tom."])
    return _rows_from_csv(_decode(data, name), name)


def own_shape(rows: list[list]) -> list[list]:
    """The product's own CSV (kommunkod,kommun,folkmangd) as SCB's shape: region "0114 Upplands Väsby"."""
    if not rows:
        return rows
    head = [str(c).strip().casefold() for c in rows[0]]
    if "kommunkod" not in head or not ({"folkmangd", "folkmängd"} & set(head)):
        return rows
    code_col = head.index("kommunkod")
    value_col = head.index("folkmangd") if "folkmangd" in head else head.index("folkmängd")
    names = registry().by_code
    out = [["region", "folkmängd"]]
    for row in rows[1:]:
        code = str(row[code_col]).strip() if code_col < len(row) else ""
        code = code.zfill(4) if code.isdigit() else code
        name = names[code].name if code in names else (row[head.index("kommun")] if "kommun" in head else "")
        value = row[value_col] if value_col < len(row) else ""
        out.append([f"{code} {name}".strip() if code else "", value])
    return out
