"""docs/kontrollsumma.md re-implemented from the document alone, as a third party would write it:
the listing of what a reader sees (form 1, and form 2 with the file's theme) and the code over it.
Nothing of skr_fee is imported; tests/test_kontrollsumma_spec.py checks it against the product."""

import base64
import hashlib
import json
import re
from datetime import date, datetime
from decimal import Decimal

from openpyxl.utils import column_index_from_string, get_column_letter

MARK = "<KONTROLLSUMMA>"
PARTS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


def value(v):
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return format(Decimal(format(v, ".15g")).normalize(), "f")
    if isinstance(v, (int, Decimal)):
        return format(Decimal(v).normalize(), "f")
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    return str(v)


def colour(c, default="000000"):
    if c is None:
        return default
    if c.type == "theme":
        return {0: "FFFFFF", 1: "000000"}.get(c.theme, f"tema {c.theme}")
    if c.type == "indexed":
        return {8: "000000", 9: "FFFFFF", 64: "000000"}.get(c.indexed, f"index {c.indexed}")
    return c.rgb[-6:].upper() if isinstance(c.rgb, str) and c.rgb else default


def listing(wb, code_cell, code):
    sheets = [ws for ws in wb.worksheets if ws.title != "Kontroll"]
    out = [["bok", "blad", ws.title, "visas" if ws.sheet_state == "visible" else "dolt"] for ws in sheets]
    out += [["bok", "namn", n, str(d.attr_text)] for n, d in sorted(wb.defined_names.items())]
    for ws in sheets:
        t = ws.title
        out.append(["blad", t, "skydd", "på" if ws.protection.sheet else "av"])
        for part in PARTS:
            for side in ("left", "center", "right"):
                text = (getattr(getattr(ws, part), side).text or "").replace(code, MARK)
                if text:
                    out.append(["blad", t, part, side, text])
        out += [["blad", t, *line] for line in sheet_lines(ws)]
        out += cell_lines(ws, code_cell, style1)
    return out


def sheet_lines(ws):
    """The document's sheet lines after the header and footer, in its order: print area and titles
    (empty when none), each merged range, hidden row and hidden column in order, each validation
    (range, type, first formula) and each range with conditional formats."""
    text = lambda v: "" if v is None else str(v)  # noqa: E731
    lines = [["utskriftsområde", text(ws.print_area)],
             ["utskriftsrubriker", text(ws.print_title_rows), text(ws.print_title_cols)]]
    lines += [["sammanfogat", merged] for merged in sorted(map(str, ws.merged_cells.ranges))]
    for kind, dims in (("dold rad", ws.row_dimensions), ("dold kolumn", ws.column_dimensions)):
        lines += [[kind, index] for index in sorted(dims) if dims[index].hidden]
    lines += [["validering", str(rule.sqref), text(rule.type), text(rule.formula1)]
              for rule in ws.data_validations.dataValidation]
    lines += [["villkorsformat", str(formats.sqref)] for formats in ws.conditional_formatting]
    return lines


def style1(c):
    """Form 1: a solid fill's colour, the font with its colour as written (theme and index by number)."""
    f = c.font
    fill = colour(c.fill.fgColor, "") if c.fill.patternType == "solid" else ""
    return fill, [f.name or "", float(f.sz or 11), bool(f.b), bool(f.i), f.u or "", bool(f.strike), colour(f.color)], []


def cell_lines(ws, code_cell, style):
    """The cell lines of a sheet as the document lists them: every cell with a value, a fill, a border,
    a comment or a link, and the code's cell; ``style`` gives the form's fill, font and placement."""
    out = []
    for row in ws.iter_rows():
        for c in row:
            ref = f"{ws.title}!{c.coordinate}"
            fill, font, placed = style(c)
            borders = [getattr(getattr(c.border, s), "style", None) or "" for s in ("left", "right", "top", "bottom")]
            comment = c.comment.text if c.comment else ""
            link = c.hyperlink.target if c.hyperlink is not None and c.hyperlink.target else ""
            has = c.value not in (None, "")
            if not (has or fill or any(borders) or comment or link or ref == code_cell):
                continue
            kind = "formel" if c.data_type == "f" else "tal" if isinstance(c.value, (int, float, Decimal)) else "text"
            out.append(["cell", ws.title, c.coordinate, kind, MARK if ref == code_cell else (value(c.value) if has else ""),
                        c.number_format or "General", font, fill, borders, comment, link] + ([placed] if placed else []))
    return out


CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SLOTS = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "hlink",
         "folHlink")
OFFICE = ("FFFFFF", "000000", "EEECE1", "1F497D", "4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646",
          "0000FF", "800080")  # the Office theme of 2007, which openpyxl writes


def theme(wb):
    xml = (wb.loaded_theme or b"").decode()
    found = []
    for slot, default in zip(SLOTS, OFFICE):
        m = re.search(rf'<a:{slot}>\s*<a:(?:srgbClr val|sysClr [^>]*?lastClr)="(\w{{6}})"', xml)
        found.append(m[1].upper() if m else default)
    return found


def colour2(c, default, wb):
    """Form 2: theme and indexed colours looked up in the file's own theme and palette, with tint."""
    if c is None or c.type == "auto":
        return default
    if c.type == "theme":
        rgb = theme(wb)[c.theme]
    elif c.type == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX
        palette = getattr(wb, "_colors", None) or COLOR_INDEX
        rgb = {64: "000000", 65: "FFFFFF"}.get(c.indexed) or palette[c.indexed][-6:].upper()
    else:
        rgb = c.rgb[-6:].upper() if isinstance(c.rgb, str) and c.rgb else default
    return f"{rgb} ljushet {round(c.tint, 2)}" if c.tint else rgb


def style2(c, wb):
    """Form 2: every fill pattern with its colours, the font with vertAlign, and the placement, colours
    through the file's own theme and palette."""
    f, a, fill = c.font, c.alignment, c.fill
    pattern = fill.patternType or ""
    filled = ([] if pattern in ("", "none") else [pattern, colour2(fill.fgColor, "000000", wb)]
              + ([] if pattern == "solid" else [colour2(fill.bgColor, "FFFFFF", wb)]))
    font = [f.name or "", float(f.sz or 11), bool(f.b), bool(f.i), f.u or "", bool(f.strike),
            colour2(f.color, "000000", wb), f.vertAlign or ""]
    placed = ["" if a.horizontal in (None, "general") else a.horizontal,
              "" if a.vertical in (None, "bottom") else a.vertical, int(a.indent or 0),
              bool(a.wrap_text), bool(a.shrink_to_fit), int(a.text_rotation or 0)]
    return filled, font, placed


def listing2(wb, code_cell, code):
    """Form 2, as docs/kontrollsumma.md describes it."""
    out = [r for r in listing(wb, code_cell, code) if r[0] != "cell" and r[2] != "villkorsformat"]
    for ws in [ws for ws in wb.worksheets if ws.title != "Kontroll"]:
        t, fmt = ws.title, ws.sheet_format
        out.append(["blad", t, "standardstorlek", round(float(fmt.defaultRowHeight or 15)), bool(fmt.zeroHeight)])
        cells = cell_lines(ws, code_cell, lambda c: style2(c, wb))
        rows = sorted({int(re.sub(r"[A-Z]", "", c[2])) for c in cells})
        default = 0.0 if fmt.zeroHeight else float(fmt.defaultRowHeight or 15)
        for r in rows:
            d = ws.row_dimensions.get(r)
            height = round(float(d.ht) if d is not None and d.ht is not None else default)
            if height != 15:
                out.append(["blad", t, "radhöjd", r, height])
        widths = {}
        for letter, d in ws.column_dimensions.items():
            if d.width:
                for i in range(d.min or column_index_from_string(letter), (d.max or d.min or column_index_from_string(letter)) + 1):
                    widths[i] = float(d.width)
        for i in sorted({column_index_from_string(re.sub(r"\d", "", c[2])) for c in cells}):
            out.append(["blad", t, "kolumnbredd", get_column_letter(i),
                        round(widths.get(i, float(fmt.defaultColWidth or 8.43)) * 2) / 2])
        v, ps, fit = ws.sheet_view, ws.page_setup, bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
        out.append(["blad", t, "visning", v.showZeros is not False, bool(v.showFormulas), int(v.zoomScale or 100),
                    bool(v.rightToLeft)])
        out.append(["blad", t, "utskriftsskala", "anpassad" if fit else int(ps.scale or 100),
                    int(1 if ps.fitToWidth is None else ps.fitToWidth) if fit else "",
                    int(1 if ps.fitToHeight is None else ps.fitToHeight) if fit else ""])
        for rng in ws.conditional_formatting:
            for rule in rng.rules:
                dxf = rule.dxf or (wb._differential_styles[rule.dxfId] if rule.dxfId is not None else None)
                look = []
                if dxf is not None and dxf.font is not None:
                    look.append(" ".join(["text", colour2(dxf.font.color, "", wb)] + ([f"{dxf.font.sz:g}"] if dxf.font.sz else [])))
                if dxf is not None and dxf.fill is not None:
                    look.append(f"fyllning {colour2(dxf.fill.bgColor, '', wb)}")
                if dxf is not None and dxf.numFmt is not None:
                    look.append(f"talformat {dxf.numFmt.formatCode}")
                out.append(["blad", t, "villkorsformat", str(rng.sqref), rule.type or "", rule.operator or "",
                            " ; ".join(str(x) for x in rule.formula or []), " ; ".join(look)])
        out += cells
    return out


def code_of(recs):
    """Form 2: 130 bits of SHA-256 in Crockford's base32, a check symbol, groups of three."""
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in recs).encode("utf-8")
    n = int.from_bytes(hashlib.sha256(text).digest(), "big") >> (256 - 130)
    digits = [n >> (5 * (25 - i)) & 31 for i in range(26)]
    acc = 0
    for d in digits + [0]:  # Horner's rule in GF(32) modulo x^5 + x^2 + 1: the check symbol is x * sum
        acc = (acc << 1) ^ (0b100101 if acc & 0b10000 else 0)
        acc ^= d
    raw = "".join(CROCKFORD[d] for d in digits + [acc])
    return "-".join(raw[i:i + 3] for i in range(0, 27, 3))


def code_of_form_1(recs):
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in recs).encode("utf-8")
    raw = base64.b32encode(hashlib.sha256(text).digest()[:20]).decode().rstrip("=")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def stated(wb):
    props = {p.name: p.value for p in wb.custom_doc_props}
    return props["Kontrollsummans cell"], props["Kontrollsumma"]
