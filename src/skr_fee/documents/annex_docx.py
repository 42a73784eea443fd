"""The annex as a Word document for the decision text, and a draft of that text (python-docx).

The same content as the xlsx annex (``annex.py``): the computation, SKR's
areas, the key and each board's amount, as real Word tables (the header row
repeats on every page, numbers right-aligned in Swedish format, boards in a
group indented), Word's built-in heading and table styles so a municipality's
template restyles it, title and language sv-SE, no fields, macros or links.
It carries the check code of the xlsx annex: the xlsx is what ``verify``
checks; this document and its PDF render it.

The PDF of the annex is made from this document by LibreOffice Writer, tagged
(PDF/UA-1, with Table and TH cells) and archivable (PDF/A-2b).
"""

from __future__ import annotations

from fractions import Fraction

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import formatting
from ..rules.rounding import decimals
from .annex import amount_to_split

LANGUAGE = "sv-SE"
HEADER_FILL = "DDEBF7"


def _document(title: str):
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.language = LANGUAGE
    doc.core_properties.author = "skr-avgift"
    for lang in doc.styles.element.iter(qn("w:lang")):  # python-docx's template says en-US
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    for lang in doc.settings.element.iter(qn("w:themeFontLang")):
        lang.set(qn("w:val"), LANGUAGE)
    for part in doc.part.package.iter_parts():
        if str(part.partname).endswith("stylesWithEffects.xml"):
            part._blob = part.blob.replace(b'w:val="en-US"', b'w:val="sv-SE"').replace(
                b'w:eastAsia="en-US"', b'w:eastAsia="sv-SE"')
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.0)
    return doc


def _text(cell, text: str, right: bool = False, bold: bool = False, indent: int = 0) -> None:
    p = cell.paragraphs[0]
    run = p.add_run(text)  # a run of text: never a field, a formula or a link
    run.bold = bold
    if right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        p.paragraph_format.left_indent = Cm(0.6 * indent)


def _table(doc, headers: list[str], rows: list[tuple], numeric: set[int]):
    """A table with a repeating, shaded header row; ``rows`` are (cells, bold, indent)."""
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    head = t.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    head._tr.get_or_add_trPr().append(repeat)
    for i, label in enumerate(headers):
        _text(head.cells[i], label, right=i in numeric, bold=True)
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:fill"), HEADER_FILL)
        head.cells[i]._tc.get_or_add_tcPr().append(shade)
    for cells, bold, indent in rows:
        row = t.add_row()
        for i, value in enumerate(cells):
            _text(row.cells[i], value, right=i in numeric, bold=bold, indent=indent if i == 0 else 0)
    t.autofit = False
    widths = [Cm(10)] + [Cm(7 / (len(headers) - 1))] * (len(headers) - 1) if len(headers) > 1 else [Cm(17)]
    for column, width in zip(t.columns, widths):
        column.width = width
    for row in t.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    return t


def _key_rows(nodes, weight: Fraction, level: int) -> list[tuple]:
    """The key as the xlsx annex shows it: each board's share within its group and of the whole."""
    total = sum((n.share for n in nodes), Fraction(0))
    out = []
    for n in nodes:
        within = n.share / total if total else Fraction(0)
        out.append(((n.name, formatting.percent(within, 2), formatting.percent(weight * within, 2)), False, level))
        out += _key_rows(n.children, weight * within, level + 1) if n.children else []
    return out


def build_docx(table, fee, key, allocation, code: str, basis: str, unit: int, generated):
    """The Word annex: the same figures as the xlsx annex, and its check code."""
    m, p = fee.municipality, fee.period
    title = (("PRELIMINÄR " if table.preliminary else "")
             + f"Bilaga: {m.name}s avgift till SKR {fee.year} och fördelning per nämnd")
    doc = _document(title)
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"SKR:s tilläggsfinansiering för en kunskapsbaserad socialtjänst, rekommendation {p.name}. "
                      f"Kommun {m.name} ({m.code}).")
    if table.preliminary:
        doc.add_paragraph(f"PRELIMINÄR: folkmängd per {p.population_date(fee.year).isoformat()} saknas; beräknat "
                          f"med folkmängd per {fee.population_date.isoformat()}.").runs[0].bold = True
    kr, pct = formatting.kr, formatting.percent
    doc.add_heading("Beräkning", level=2)
    rows = [((f"Folkmängd {formatting.long_date(fee.population_date)}", formatting.number(fee.population),
              table.population.source.split(",")[0]), False, 0),
            (("Viktad folkmängd", formatting.quantity(fee.weighted),
              p.discount.description if fee.discounted else "ingen rabatt"), False, 0),
            (("Viktad folkmängd, alla deltagande kommuner", formatting.quantity(table.weighted_sum),
              f"{len(table.participants)} kommuner"), False, 0),
            (("Avgift per viktad invånare", formatting.kr(decimals(fee.rate, 7), 7),
              f"{formatting.kr(p.total)} / viktad folkmängd, högst {formatting.kr(p.cap_per_inhabitant, 2)}"),
             False, 0)]
    rows += [((i.name, kr(i.amount), ""), False, 0) for i in fee.invoices]
    rows.append((("Totalt enligt SKR:s tabell", kr(fee.total),
                  "avrundat för sig; kan skilja 1 kr från fakturornas summa" if fee.total != fee.invoiced else ""),
                 False, 0))
    basis_text = "Faktura 1 + Faktura 2" if basis == "fakturerat" else "Totalt enligt SKR:s tabell"
    rows.append(((f"Att fördela ({basis_text})", kr(allocation.amount), ""), True, 0))
    _table(doc, ["Uppgift", "Värde", "Anmärkning"], rows, {1})
    doc.add_heading("SKR:s områden", level=2)
    budget = {a.id: a.amount for a in p.all_areas()}
    _table(doc, ["Område", "Belopp", "Andel av SKR:s budget"],
           [((a.name, kr(a.amount), pct(Fraction(budget[a.id]) / Fraction(p.total), 2)), False, a.level)
            for a in fee.areas], {1, 2})
    doc.add_heading("Fördelningsnyckel", level=2)
    if key.by_area:
        rows = []
        for ak in key.areas:
            area = p.find_area(ak.area_id)
            share = Fraction(area.amount) / Fraction(p.total)
            rows.append(((area.name, "", formatting.percent(share, 2)), True, 0))
            rows += _key_rows(ak.boards, share, 1)
        _table(doc, ["Område och nämnd", "Andel inom området", "Andel av beloppet"], rows, {1, 2})
    else:
        _table(doc, ["Nämnd", "Andel inom gruppen", "Andel av beloppet"], _key_rows(key.boards, Fraction(1), 0), {1, 2})
    doc.add_heading("Fördelning per nämnd", level=2)
    parts = [((part.board, kr(part.amount), pct(part.share, 2)), not part.leaf, part.level)
             for part in allocation.parts]
    parts.append((("Summa", kr(allocation.total), pct(1, 2)), True, 0))
    _table(doc, ["Nämnd", "Belopp", "Andel av beloppet"], parts, {1, 2})
    how = ("Beloppen är hela kronor fördelade med största-rest-metoden och summerar exakt till beloppet att fördela."
           if unit == 1 else "Beloppen är avrundade till hundratal med största-rest-metoden; de udda kronorna ligger "
           "på den nämnd med störst rest, så att summan är exakt.")
    doc.add_paragraph(how + (" Fetstilta rader är summor av raderna under." if any(not x.leaf for x in allocation.parts)
                             else ""))
    doc.add_heading("Underlag", level=2)
    _table(doc, ["Uppgift", "Värde"], [(("Nyckel", key.name), False, 0),
                                        (("Källa, folkmängd", table.population.source), False, 0),
                                        (("Källa, regler", p.source), False, 0),
                                        (("Skapad", generated.strftime("%Y-%m-%d %H:%M")), False, 0)], set())
    doc.add_heading("Kontrollsumma", level=2)
    para = doc.add_paragraph("Bilagans kontrollsumma: ")
    para.add_run(code).bold = True
    doc.add_paragraph(f"Skriv i tjänsteutlåtandet: \u201dBilagan har kontrollsumman {code}.\u201d Kontrollsumman "
                      "gäller bilagans xlsx-fil; det här dokumentet och dess PDF återger den. Kontrollera med "
                      f"skr-fee kontrollera bilaga.xlsx --kontrollsumma {code}.")
    doc.styles["Normal"].font.size = Pt(10)
    return doc


def build_draft(table, fee, key, allocation, code: str, basis: str):
    """A draft of the decision text around the annex, in the form the seeds' decisions use."""
    m, p = fee.municipality, fee.period
    title = f"UTKAST: Tilläggsfinansiering av SKR:s program för en kunskapsbaserad socialtjänst {fee.year}"
    doc = _document(title)
    doc.add_paragraph("UTKAST – redigera texten före beslut. Alla belopp kommer från samma beräkning som bilagan."
                      ).runs[0].bold = True
    doc.add_heading(title.replace("UTKAST: ", ""), level=1)
    kr = formatting.kr
    invoices = " och ".join(f"{i.name.split(',')[0].lower()} {kr(i.amount)}" for i in fee.invoices)
    doc.add_heading("Sammanfattning", level=2)
    doc.add_paragraph(
        f"{m.name} kommun deltar i SKR:s rekommendation om tilläggsfinansiering {p.name}. Avgiften för {fee.year} "
        f"är {kr(amount_to_split(fee, 'fakturerat'))} ({invoices}), beräknad på folkmängden den "
        f"{formatting.long_date(fee.population_date)}, {formatting.number(fee.population)} invånare."
        + (" Beräkningen är preliminär: SCB har ännu inte publicerat folkmängden för året." if table.preliminary
           else ""))
    doc.add_heading("Fördelning mellan nämnderna", level=2)
    leaves = [x for x in allocation.parts if x.leaf]
    doc.add_paragraph(f"Kostnaden, {kr(allocation.amount)}, fördelas enligt fördelningsnyckeln \u201d{key.name}\u201d:")
    for part in leaves:
        doc.add_paragraph(f"{part.board}: {kr(part.amount)}", style="List Bullet")
    doc.add_heading("Förslag till beslut", level=2)
    doc.add_paragraph("Kommunstyrelsen beslutar att")
    doc.add_paragraph(f"fördela kostnaden för tilläggsfinansieringen {fee.year}, {kr(allocation.amount)}, mellan "
                      "nämnderna enligt bilagan,", style="List Bullet")
    if key.invoice_recipient:
        doc.add_paragraph(f"{key.invoice_recipient} tar emot SKR:s fakturor.", style="List Bullet")
    doc.add_heading("Bilaga", level=2)
    doc.add_paragraph(f"Bilaga: {m.name}s avgift till SKR {fee.year} och fördelning per nämnd. "
                      f"Bilagan har kontrollsumman {code}.")
    return doc
