"""The annex as a Word document for the decision text, and a draft of that text (python-docx).

The same content and words as the xlsx annex (``annex.py``, ``wording.py``):
the computation, SKR's areas, the key and each board's amount, as real Word
tables (the header row repeats on every page, numbers right-aligned in Swedish
format, a board's parts indented under it), Word's built-in heading and table
styles so a municipality's template restyles it, page numbers, title and
language sv-SE, no macros or links (the only fields are the page numbers). It
carries the check code of the xlsx annex: the xlsx is what ``verify`` checks;
this document and its PDF render it. Nothing in it is addressed to its author:
the CLI says what to write in the decision.

The PDF of the annex is made from this document by LibreOffice Writer, tagged
(PDF/UA-1, with Table and TH cells) and archivable (PDF/A-2b).
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from . import docx_base, formatting, wording
from ..rules.rounding import decimals
from ..rules.fees import amount_to_split

# column widths in cm (17 cm of text): notes get room for two lines at most
CALCULATION = [6.8, 2.9, 7.3]
THREE = [10.0, 3.5, 3.5]
TWO = [4.0, 13.0]


def _key_rows(nodes, weight: Fraction, level: int) -> list[tuple]:
    """The key as the xlsx annex shows it: each board's share within its group and of the whole."""
    total = sum((n.share for n in nodes), Fraction(0))
    out = []
    for n in nodes:
        within = n.share / total if total else Fraction(0)
        out.append(((n.name, formatting.percent(within, 2), formatting.percent(weight * within, 2)), "", level))
        out += _key_rows(n.children, weight * within, level + 1) if n.children else []
    return out


def _calculation(table, fee, allocation, basis: str) -> list[tuple]:
    p, kr = fee.period, formatting.kr
    rows = [((f"Folkmängd {formatting.long_date(fee.population_date)}", formatting.number(fee.population), "SCB"
              if table.population.source.startswith("SCB") else ""), "", 0),
            (("Viktad folkmängd", formatting.quantity(fee.weighted),
              p.discount.description if fee.discounted else "ingen rabatt"), "", 0),
            (("Viktad folkmängd, alla deltagande kommuner", formatting.quantity(table.weighted_sum),
              f"{len(table.participants)} kommuner"), "", 0),
            (("Avgift per viktad invånare", formatting.kr(decimals(fee.rate, 7), 7),
              f"{kr(p.total)} / viktad folkmängd, högst {kr(p.cap_per_inhabitant, 2)}"), "", 0)]
    rows += [((i.name, kr(i.amount), ""), "", 0) for i in fee.invoices]
    rows.append(((wording.TOTAL, kr(fee.total),
                  "avrundat för sig; kan skilja 1 kr från fakturornas summa" if fee.total != fee.invoiced else ""),
                 "", 0))
    rows.append(((f"Att fördela ({wording.basis(basis)})", kr(allocation.amount), ""), "fet", 0))
    return rows


def _key_table(doc, key, p) -> None:
    if key.by_area:
        rows = []
        for ak in key.areas:
            area = p.find_area(ak.area_id)
            share = Fraction(area.amount) / Fraction(p.total)
            rows.append(((area.name, "", formatting.percent(share, 2)), "fet", 0))
            rows += _key_rows(ak.boards, share, 1)
        docx_base.table(doc, ["Område och nämnd", "Andel inom området", "Andel av beloppet"], rows, {1, 2}, THREE)
    else:
        docx_base.table(doc, ["Nämnd", "Andel inom gruppen", "Andel av beloppet"], _key_rows(key.boards, Fraction(1), 0),
                        {1, 2}, THREE)


def build_docx(table, fee, key, allocation, code: str, basis: str, unit: int, generated):
    """The Word annex: the same figures and words as the xlsx annex, and its check code."""
    m, p = fee.municipality, fee.period
    name = wording.own_name(m, key)
    title = wording.title(name, fee.year, table.preliminary)
    doc = docx_base.document(title, name, generated, f"Tilläggsfinansiering {p.name}, avgiftsår {fee.year}")
    docx_base.footer(doc, code)
    doc.add_heading(title, level=1)
    doc.add_paragraph(wording.intro(name, m.code, p.name))
    if table.preliminary:
        doc.add_paragraph(f"PRELIMINÄR: folkmängd per {p.population_date(fee.year).isoformat()} saknas; beräknat "
                          f"med folkmängd per {fee.population_date.isoformat()}.").runs[0].bold = True
    kr, pct = formatting.kr, formatting.percent
    doc.add_heading("Beräkning", level=2)
    docx_base.table(doc, ["Uppgift", "Värde", "Anmärkning"], _calculation(table, fee, allocation, basis), {1},
                    CALCULATION)
    doc.add_heading("SKR:s områden", level=2)
    budget = {a.id: a.amount for a in p.all_areas()}
    docx_base.table(doc, ["Område", "Belopp", "Andel av SKR:s budget"],
                    [((a.name, kr(a.amount), pct(Fraction(budget[a.id]) / Fraction(p.total), 2)), "", a.level)
                     for a in fee.areas], {1, 2}, THREE)
    doc.add_heading("Fördelningsnyckel", level=2)
    _key_table(doc, key, p)
    doc.add_heading("Fördelning per nämnd", level=2)
    parts = [((part.board, kr(part.amount), pct(part.share, 2)), "" if part.leaf else "kursiv", part.level)
             for part in allocation.parts]
    parts.append((("Summa", kr(allocation.total), pct(1, 2)), "fet", 0))
    docx_base.table(doc, ["Nämnd", "Belopp", "Andel av beloppet"], parts, {1, 2}, THREE)
    doc.add_paragraph(wording.rounding(unit) + (" " + wording.SUMS if any(not x.leaf for x in allocation.parts)
                                                else ""))
    doc.add_heading("Underlag", level=2)
    rows = [(("Nyckel", key.name), "", 0)]
    rows += [(("Fakturamottagare", key.invoice_recipient), "", 0)] if key.invoice_recipient else []
    rows += [(("Källa, folkmängd", wording.population_source(table, fee)), "", 0),
             (("Källa, regler", p.source), "", 0), (("Skapad", generated.strftime("%Y-%m-%d %H:%M")), "", 0)]
    docx_base.table(doc, ["Uppgift", "Värde"], rows, set(), TWO)
    para = doc.add_paragraph("Kontrollsumma: ")
    para.paragraph_format.space_before = docx_base.Pt(12)
    docx_base.code_run(para, code)
    doc.add_paragraph(wording.CODE_NOTE)
    return doc


def _decision_points(fee, key, allocation) -> list[str]:
    kr = formatting.kr
    points = [f"fördela kostnaden för tilläggsfinansieringen {fee.year}, {kr(allocation.amount)}, mellan nämnderna "
              "enligt bilagan"]
    if key.invoice_recipient:
        points.append(f"{key.invoice_recipient} tar emot och betalar SKR:s fakturor för {fee.year}")
    return points


def build_draft(table, fee, key, allocation, code: str, basis: str, generated=None):
    """A draft of the decision text around the annex, in the form Swedish decisions take."""
    m, p = fee.municipality, fee.period
    name = wording.own_name(m, key)
    kr = formatting.kr
    title = f"Tilläggsfinansiering av SKR:s program för en kunskapsbaserad socialtjänst {fee.year}"
    doc = docx_base.document(f"UTKAST: {title}", name, generated or datetime.now().replace(microsecond=0))
    docx_base.footer(doc, None)
    doc.add_paragraph("UTKAST – läs och redigera texten före beslut. Alla belopp kommer från samma beräkning som "
                      "bilagan.").runs[0].bold = True
    doc.add_heading(title, level=1)
    invoices = " och ".join(f"{head.lower()} ({what}) på {kr(i.amount)}" if what else f"{head.lower()} på "
                            f"{kr(i.amount)}" for i in fee.invoices for head, what in [wording.invoice_parts(i.name)])
    doc.add_heading("Sammanfattning", level=2)
    doc.add_paragraph(
        f"{name} deltar i SKR:s rekommendation om tilläggsfinansiering {p.name}. Avgiften för {fee.year} är "
        f"{kr(amount_to_split(fee, 'fakturerat'))}, som SKR fakturerar i {len(fee.invoices)} delar: {invoices}. Den är beräknad på folkmängden den "
        f"{formatting.long_date(fee.population_date)}, {formatting.number(fee.population)} invånare."
        + (" Beräkningen är preliminär: SCB har ännu inte publicerat folkmängden för året." if table.preliminary
           else ""))
    doc.add_heading("Fördelning mellan nämnderna", level=2)
    boards = [x for x in allocation.parts if x.level == 0]
    doc.add_paragraph(f"Kostnaden, {kr(allocation.amount)}, fördelas på {len(boards)} "
                      f"{'nämnd' if len(boards) == 1 else 'nämnder'} enligt fördelningsnyckeln \u201d{key.name}\u201d:")
    for part in allocation.parts:
        style = "List Bullet" if part.level == 0 else "List Bullet 2"
        text = f"{part.board}: {kr(part.amount)}" + ("" if part.leaf else ", varav")
        doc.add_paragraph(text, style=style)
    doc.add_heading("Förslag till beslut", level=2)
    body = key.deciding_body or "Kommunstyrelsen"
    doc.add_paragraph(f"{body} beslutar")
    for i, point in enumerate(_decision_points(fee, key, allocation), start=1):
        doc.add_paragraph(f"{i}. att {point}.")
    doc.add_heading("Bilaga", level=2)
    para = doc.add_paragraph(f"{wording.title(name, fee.year, table.preliminary).replace('Bilaga: ', '')}. "
                             "Bilagan har kontrollsumman ")
    docx_base.code_run(para, code, bold=False)
    para.add_run(".")
    return doc
