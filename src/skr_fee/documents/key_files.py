"""Reading an allocation key from a file: a TOML key, or a sheet of an allocation workbook."""

from __future__ import annotations

from pathlib import Path

from ..rules.key_toml import parse_key
from ..rules.keys import Key, KeyFileError, key_from_rows


def read_key(path: str | Path) -> Key:
    """A key from a TOML file, or from a sheet of an allocation workbook
    (``fordelning.xlsx`` for its active sheet, ``fordelning.xlsx#Tyresö`` for a named one)."""
    text_path = str(path)
    sheet = None
    if "#" in text_path and text_path.split("#", 1)[0].lower().endswith(".xlsx"):
        text_path, sheet = text_path.split("#", 1)
    path = Path(text_path)
    if path.suffix.lower() == ".xlsx":
        return _read_sheet_key(path, sheet)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyFileError(f"Nyckelfilen '{path}' finns inte.") from None
    except UnicodeDecodeError:
        raise KeyFileError(f"Nyckelfilen '{path}' är inte UTF-8. Spara den som UTF-8.") from None
    except OSError as e:
        raise KeyFileError(f"Nyckelfilen '{path}' kan inte läsas: {e.strerror}.") from None
    return parse_key(text, source=path.name)


def _read_sheet_key(path: Path, sheet: str | None) -> Key:
    from openpyxl import load_workbook

    from .layout import KEY_FIRST_ROW, KEY_RANGE

    if not path.is_file():
        raise KeyFileError(f"Nyckelfilen '{path}' finns inte.")
    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path)
    except Exception:
        raise KeyFileError(f"'{path.name}' är ingen läsbar xlsx-fil.") from None
    if sheet is not None and sheet not in values.sheetnames:
        raise KeyFileError(f"Bladet '{sheet}' finns inte i {path.name}. Blad: {', '.join(values.sheetnames)}.")
    ws = values[sheet] if sheet else values.active
    rows = [[c.value for c in row] for row in ws[KEY_RANGE]]
    for row, frow in zip(ws[KEY_RANGE], formulas[ws.title][KEY_RANGE]):
        for c, f in zip(row, frow):
            if c.value is None and isinstance(f.value, str) and f.value.startswith("="):
                raise KeyFileError(
                    f"{path.name}, blad {ws.title}, cell {c.coordinate}: formeln {f.value} har inget beräknat "
                    "värde i filen. Öppna filen i Excel och spara den, eller skriv andelen som ett tal."
                )
    key = key_from_rows(rows, source=f"{path.name}, blad {ws.title}", first_row=KEY_FIRST_ROW)
    return _with_municipality_and_year(key, ws, path)


def _with_municipality_and_year(key: Key, ws, path: Path) -> Key:
    """The sheet's Kommun and Avgiftsår cells, checked as a TOML key's ``kommun`` is."""
    from dataclasses import replace

    from .layout import AR_CELL, KOMMUN_CELL

    kommun, year = ws[KOMMUN_CELL].value, ws[AR_CELL].value
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year.strip())
    if year is not None and (not isinstance(year, (int, float)) or isinstance(year, bool) or year != int(year)
                             or not 2000 <= int(year) <= 2100):
        raise KeyFileError(f"{path.name}, blad {ws.title}, cell {AR_CELL}: avgiftsåret {str(year)[:20]!r} är inget "
                           "år. Skriv året med fyra siffror, t.ex. 2027, eller lämna cellen tom.")
    municipality = str(kommun).strip() if kommun is not None and str(kommun).strip() else None
    return replace(key, municipality=municipality, year=int(year) if year is not None else None)
