"""The canonical form of what a reader of a workbook sees: the content the check code covers.

One record a line (a JSON array), in a fixed order; docs/kontrollsumma.md
describes it so that a third party can re-implement the check. It covers the
sheets and whether each is shown; per sheet its protection, headers and footers,
print area and titles, merged cells, hidden rows and columns, data validation
and conditional formats; per cell its value (15 significant digits, as Excel
keeps them), number format, font (name, size, bold, italic, underline, strike,
colour), fill, borders, comment and hyperlink. It leaves out how a writer
happens to spell the same thing: default colours written out or not, a
hidden sheet's 'hidden' against 'veryHidden', column widths, the order of
document properties. The check code itself (in its cell and in the footers)
is replaced by ``CODE_MARK`` before the listing is made.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from ..rules import swedish
from ..rules.errors import SkrFeeError

CONTROL_SHEET = "Kontroll"
CODE_MARK = "<KONTROLLSUMMA>"
# The parts an annex or table may have: anything else (macros, external links, embedded
# objects, connections) could show or do what the listing does not cover, and is refused.
ALLOWED_PARTS = re.compile(
    r"^(\[Content_Types\]\.xml|_rels/\.rels|docProps/(app|core|custom)\.xml|docProps/thumbnail\.(png|jpeg)"
    r"|xl/(workbook|styles|sharedStrings|calcChain)\.xml|xl/_rels/workbook\.xml\.rels|xl/theme/theme\d+\.xml"
    r"|xl/worksheets/sheet\d+\.xml|xl/worksheets/_rels/sheet\d+\.xml\.rels|xl/comments/comment\d+\.xml"
    r"|xl/comments\d+\.xml|xl/drawings/(vmlDrawing|commentsDrawing)\d+\.vml"
    r"|xl/printerSettings/printerSettings\d+\.bin)$")
MAX_PARTS = 200
MAX_INFLATED = 50 * 1024 * 1024
MAX_RATIO = 100  # an annex's parts compress 5-20 times; a bomb's a thousand
THEME_TEXT = {0: "FFFFFF", 1: "000000"}  # the theme colours Excel uses for light and dark text
INDEXED = {8: "000000", 9: "FFFFFF", 64: "000000"}


def refuse_what_cannot_be_covered(path: Path) -> None:
    """A part the canonical form does not cover makes the file unverifiable: say which."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = [i.filename for i in infos if not i.filename.endswith("/")]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SkrFeeError(f"'{path.name}' är ingen läsbar xlsx-fil.") from None
    # a zip bomb is refused before anything is unpacked
    inflated = sum(i.file_size for i in infos)
    if len(infos) > MAX_PARTS or inflated > MAX_INFLATED or any(
            i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos):
        raise SkrFeeError(f"'{path.name}' packas upp till {inflated // (1024 * 1024)} MB i {len(infos)} delar: "
                          "det är ingen bilaga (en bilaga är några tiotal kB) och kontrolleras inte.")
    odd = [n for n in names if not ALLOWED_PARTS.match(n)]
    if odd:
        what = ("makron" if any("vba" in n.lower() for n in odd) else
                "externa länkar" if any("externalLink" in n for n in odd) else "delar som kontrollen inte täcker")
        raise SkrFeeError(f"'{path.name}' innehåller {what} ({', '.join(odd[:3])}) och kan inte kontrolleras: "
                          "en bilaga från skr-fee har inga sådana.")


def value(v) -> str:
    """One spelling per value: 1032899 whether stored as int, float or Decimal."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, Decimal)):
        return format(Decimal(v).normalize(), "f")
    if isinstance(v, float):
        # Excel keeps 15 significant digits; a writer may print 16 or 17
        return format(Decimal(format(v, ".15g")).normalize(), "f")
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return str(v)


def colour(c, default: str = "000000") -> str:
    if c is None:
        return default
    kind = getattr(c, "type", None)
    if kind == "theme":
        return THEME_TEXT.get(c.theme, f"tema {c.theme}")
    if kind == "indexed":
        return INDEXED.get(c.indexed, f"index {c.indexed}")
    rgb = c.rgb if isinstance(c.rgb, str) else ""
    return rgb[-6:].upper() if rgb else default


def style(cell) -> list:
    f, fill, b = cell.font, cell.fill, cell.border
    font = [f.name or "", float(f.sz or 11), bool(f.b), bool(f.i), f.u or "", bool(f.strike), colour(f.color)]
    filled = colour(fill.fgColor, "") if fill is not None and fill.patternType == "solid" else ""
    borders = [getattr(getattr(b, side), "style", None) or "" for side in ("left", "right", "top", "bottom")]
    fmt = cell.number_format or "General"
    return [fmt, font, filled, borders]


def held_cells(ws) -> list:
    """The cells the file holds, row by row and left to right (the code's cell among them: stamp makes
    it). Never openpyxl's iter_rows over the whole sheet: it makes every cell of the rectangle up to the
    farthest one, and one value at XFD1048576 would be 17 billion cells."""
    return [c for _, c in sorted(ws._cells.items())]


def cell_records(ws, skip: str | None, style_of=style) -> list[list]:
    """One record per cell a reader can see something in; ``style_of`` gives [format, font, fill,
    borders, ...] (form 2 adds the alignment, which goes last)."""
    out = []
    for c in held_cells(ws):
        ref = f"{ws.title}!{c.coordinate}"
        has = c.value is not None and c.value != ""
        comment = c.comment.text if c.comment else ""
        link = c.hyperlink.target if c.hyperlink is not None and c.hyperlink.target else ""
        s = style_of(c)
        if not has and not s[2] and not any(s[3]) and not comment and not link and ref != skip:
            continue
        v = CODE_MARK if ref == skip else ("" if not has else value(c.value))
        kind = "formel" if c.data_type == "f" else ("tal" if isinstance(c.value, (int, float, Decimal)) else "text")
        out.append(["cell", ws.title, c.coordinate, kind, v, *s[:4], comment, link, *s[4:]])
    return out


def _header_footer(ws, code: str | None) -> list[list]:
    out = []
    for which in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        hf = getattr(ws, which)
        for part in ("left", "center", "right"):
            text = getattr(hf, part).text or ""
            if code:
                text = text.replace(code, CODE_MARK)
            if text:
                out.append(["blad", ws.title, which, part, text])
    return out


def records(wb: Workbook, skip: str | None = None, code: str | None = None, cells: bool = True) -> list[list]:
    """The canonical listing of ``wb`` (form 1); ``skip`` is the cell that shows ``code``, the check code.
    Without ``cells`` only the book's and sheets' records (form 2 adds its own, canonical_layout.py)."""
    out: list[list] = []
    for ws in wb.worksheets:
        if ws.title == CONTROL_SHEET:
            continue
        out.append(["bok", "blad", ws.title, "visas" if ws.sheet_state == "visible" else "dolt"])
    for name, dn in sorted(wb.defined_names.items()):
        out.append(["bok", "namn", name, str(dn.attr_text)])
    for ws in wb.worksheets:
        if ws.title == CONTROL_SHEET:
            continue
        t = ws.title
        out.append(["blad", t, "skydd", "på" if ws.protection.sheet else "av"])
        out += _header_footer(ws, code)
        out.append(["blad", t, "utskriftsområde", str(ws.print_area or "")])
        out.append(["blad", t, "utskriftsrubriker", str(ws.print_title_rows or ""), str(ws.print_title_cols or "")])
        out += [["blad", t, "sammanfogat", str(r)] for r in sorted(ws.merged_cells.ranges, key=str)]
        out += [["blad", t, "dold rad", r] for r, d in sorted(ws.row_dimensions.items()) if d.hidden]
        out += [["blad", t, "dold kolumn", c] for c, d in sorted(ws.column_dimensions.items()) if d.hidden]
        out += [["blad", t, "validering", str(v.sqref), v.type or "", v.formula1 or ""]
                for v in ws.data_validations.dataValidation]
        out += [["blad", t, "villkorsformat", str(rng.sqref)] for rng in ws.conditional_formatting]
        out += cell_records(ws, skip) if cells else []
    return out


def shown(fmt: str, v: str) -> str:
    """How a number in the product's own formats reads (Swedish): 37 335 kr, 51,28 %, 1,8981723 kr."""
    percent = "%" in fmt  # a locale tag such as [$-41D] is hex digits: it holds no %, "kr" or "0."
    decimals = len(m[1]) if (m := re.search(r"0\.(0+)", fmt)) else 0
    try:
        number = Decimal(v)
        if not number.is_finite() or abs(number.adjusted()) > 30:  # NaN, infinity, 1E+999999: as it is
            return v
    except ArithmeticError:  # text
        return v or "(tom)"
    text = swedish.number(number * 100 if percent else number, min(decimals, 20))
    return text + (" %" if percent else "") + (" kr" if "kr" in fmt else "")
