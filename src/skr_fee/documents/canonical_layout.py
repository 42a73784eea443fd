"""Form 2 of the canonical listing: form 1 (``canonical.records``) and the layout that decides
whether a figure can be seen.

Decided from SpreadsheetML, element by element (docs/kontrollsumma.md has the
table): the sizes of rows and columns as they take effect (a row without a
height has the sheet's default; ``zeroHeight`` makes that 0), each cell's
alignment (indent, horizontal and vertical placement, wrapping, shrinking,
rotation), the whole font (also super- and subscript), every fill pattern with
both its colours, colours resolved through the file's own theme and palette
(a theme may redefine "dark text" as white), the sheet's view (zeros shown,
formulas shown, zoom, right to left) and print scaling, and every conditional
format rule with the formats it applies. Sizes are taken to half a character
and whole points: LibreOffice writes 8.68 where Excel writes 8.43, and the
product's columns have more than a character to spare (tested).
"""

from __future__ import annotations

import re

from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.workbook.workbook import Workbook

from . import canonical

# the theme's colour slots in the order Excel numbers them (ECMA-376, 18.8.3 and 20.1.6.2)
THEME_SLOTS = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
               "hlink", "folHlink")
# a file without a theme (LibreOffice writes none) is read with the Office theme openpyxl writes
OFFICE_THEME = {"lt1": "FFFFFF", "dk1": "000000", "lt2": "EEECE1", "dk2": "1F497D", "accent1": "4F81BD",
                "accent2": "C0504D", "accent3": "9BBB59", "accent4": "8064A2", "accent5": "4BACC6",
                "accent6": "F79646", "hlink": "0000FF", "folHlink": "800080"}
DEFAULT_ROW_HEIGHT = 15.0
DEFAULT_COLUMN_WIDTH = 8.43


def theme_colours(wb: Workbook) -> list[str]:
    """The colours the theme's slots stand for (Office's, as openpyxl writes it, when the file has
    no theme yet or none at all)."""
    found = dict(OFFICE_THEME)
    xml = wb.loaded_theme.decode("utf-8", "replace") if isinstance(wb.loaded_theme, bytes) else ""
    scheme = re.search(r"<a:clrScheme\b.*?</a:clrScheme>", xml, re.S)
    for slot in THEME_SLOTS if scheme else ():
        m = re.search(rf"<a:{slot}>\s*<a:(?:srgbClr val|sysClr [^>]*?lastClr)=\"([0-9A-Fa-f]{{6}})\"",
                      scheme.group(0))
        if m:
            found[slot] = m.group(1).upper()
    return [found[s] for s in THEME_SLOTS]


class Colours:
    def __init__(self, wb: Workbook):
        self.theme = theme_colours(wb)
        palette = getattr(wb, "_colors", None) or COLOR_INDEX
        self.indexed = [c[-6:].upper() for c in palette]

    def of(self, c, default: str) -> str:
        if c is None:
            return default
        kind = getattr(c, "type", None)
        if kind == "auto":
            return default
        if kind == "theme":
            rgb = self.theme[c.theme] if 0 <= c.theme < len(self.theme) else f"tema {c.theme}"
        elif kind == "indexed":
            rgb = ({64: "000000", 65: "FFFFFF"}.get(c.indexed)
                   or (self.indexed[c.indexed] if 0 <= c.indexed < len(self.indexed) else f"index {c.indexed}"))
        else:
            rgb = c.rgb[-6:].upper() if isinstance(c.rgb, str) and c.rgb else default
        tint = round(float(getattr(c, "tint", 0) or 0), 2)
        return f"{rgb} ljushet {tint}" if tint else rgb


def style(cell, colours: Colours) -> list:
    f, fill, b, a = cell.font, cell.fill, cell.border, cell.alignment
    font = [f.name or "", float(f.sz or 11), bool(f.b), bool(f.i), f.u or "", bool(f.strike),
            colours.of(f.color, "000000"), f.vertAlign or ""]
    pattern = getattr(fill, "patternType", None) or ""
    if getattr(fill, "type", "") == "gradient" or type(fill).__name__ == "GradientFill":
        filled = ["gradient"] + [colours.of(s.color, "") for s in fill.stop]
    elif pattern and pattern != "none":
        filled = [pattern, colours.of(fill.fgColor, "000000")] + (
            [] if pattern == "solid" else [colours.of(fill.bgColor, "FFFFFF")])
    else:
        filled = []
    borders = [getattr(getattr(b, side), "style", None) or "" for side in ("left", "right", "top", "bottom")]
    placed = [a.horizontal if a.horizontal not in (None, "general") else "",
              a.vertical if a.vertical not in (None, "bottom") else "", int(a.indent or 0),
              bool(a.wrap_text), bool(a.shrink_to_fit), int(a.text_rotation or 0)]
    return [cell.number_format or "General", font, filled, borders, placed]


def cell_records(ws, skip: str | None, colours: Colours) -> list[list]:
    return canonical.cell_records(ws, skip, lambda c: style(c, colours))


def _sizes(ws, cells: list[list]) -> list[list]:
    """The effective height of each row and width of each column that holds a listed cell (a row
    or column with nothing in it hides nothing)."""
    t, fmt = ws.title, ws.sheet_format
    rows = sorted({coordinate_from_string(c[2])[1] for c in cells})
    columns = sorted({column_index_from_string(coordinate_from_string(c[2])[0]) for c in cells})
    default_height = 0.0 if fmt.zeroHeight else float(fmt.defaultRowHeight or DEFAULT_ROW_HEIGHT)
    out = []
    for r in rows:
        d = ws.row_dimensions.get(r)
        height = float(d.ht) if d is not None and d.ht is not None else default_height
        if round(height) != DEFAULT_ROW_HEIGHT:
            out.append(["blad", t, "radhöjd", r, round(height)])
    widths: dict[int, float] = {}
    for d in ws.column_dimensions.values():
        if d.width is not None and (d.customWidth or d.width):
            first = d.min or column_index_from_string(d.index)  # in memory, openpyxl sets min only on saving
            for i in range(first, (d.max or first) + 1):
                widths[i] = float(d.width)
    default_width = float(fmt.defaultColWidth or DEFAULT_COLUMN_WIDTH)
    for i in columns:
        out.append(["blad", t, "kolumnbredd", get_column_letter(i), round(widths.get(i, default_width) * 2) / 2])
    return out


def _view_and_print(ws) -> list[list]:
    v, ps = ws.sheet_view, ws.page_setup
    fit = bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
    return [["blad", ws.title, "visning", v.showZeros is not False, bool(v.showFormulas), int(v.zoomScale or 100),
             bool(v.rightToLeft)],
            ["blad", ws.title, "utskriftsskala", int(ps.scale or 100) if not fit else "anpassad",
             int(ps.fitToWidth if ps.fitToWidth is not None else 1) if fit else "",
             int(ps.fitToHeight if ps.fitToHeight is not None else 1) if fit else ""]]


def _conditional(ws, wb: Workbook, colours: Colours) -> list[list]:
    out = []
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            dxf = rule.dxf or (wb._differential_styles[rule.dxfId] if rule.dxfId is not None
                               and rule.dxfId < len(wb._differential_styles) else None)
            look = []
            if dxf is not None:
                if dxf.font is not None:
                    look.append(" ".join(["text", colours.of(dxf.font.color, "")] + ([f"{dxf.font.sz:g}"] if dxf.font.sz else [])))
                if dxf.fill is not None:
                    look.append(f"fyllning {colours.of(getattr(dxf.fill, 'bgColor', None), '')}")
                if dxf.numFmt is not None:
                    look.append(f"talformat {dxf.numFmt.formatCode}")
            out.append(["blad", ws.title, "villkorsformat", str(rng.sqref), rule.type or "", rule.operator or "",
                        " ; ".join(str(f) for f in rule.formula or []), " ; ".join(look)])
    return out


def records(wb: Workbook, skip: str | None = None, code: str | None = None) -> list[list]:
    """The form 2 listing of ``wb``; ``skip`` is the cell that shows ``code``."""
    colours = Colours(wb)
    out: list[list] = [r for r in canonical.records(wb, skip, code, cells=False) if r[2] != "villkorsformat"]
    for ws in wb.worksheets:
        if ws.title == canonical.CONTROL_SHEET:
            continue
        fmt = ws.sheet_format
        out.append(["blad", ws.title, "standardstorlek", round(float(fmt.defaultRowHeight or DEFAULT_ROW_HEIGHT)),
                    bool(fmt.zeroHeight)])
        cells = cell_records(ws, skip, colours)
        out += _sizes(ws, cells) + _view_and_print(ws) + _conditional(ws, wb, colours) + cells
    return out
