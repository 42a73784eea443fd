"""SKR's national table: every participating municipality's fee for a year."""

from __future__ import annotations

import csv
import io
from typing import TextIO

from . import formatting
from ..rules.fees import FeeTable
from ..rules.rounding import decimals


def columns(table: FeeTable) -> list[str]:
    return (
        ["kommunkod", "kommun", "folkmangd"]
        + [f"faktura_{i.number}" for i in table.period.invoices]
        + ["totalt"]
        + (["preliminar"] if table.preliminary else [])
    )


def rows(table: FeeTable) -> list[list]:
    """One row per participant: code, name, population, invoices..., total."""
    mark = [1] if table.preliminary else []
    out = []
    for f in table.fees:
        invoices, total = f.whole_amounts()
        out.append([f.municipality.code, f.municipality.name, f.population, *invoices, total, *mark])
    return out


def write_csv(table: FeeTable, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(table))
    writer.writerows(rows(table))


def to_csv(table: FeeTable) -> str:
    buf = io.StringIO()
    write_csv(table, buf)
    return buf.getvalue()


def to_excel_csv(table: FeeTable) -> str:
    """The table as a Swedish Excel opens it by a double click: semicolons, a UTF-8 BOM,
    Swedish column names. (Excel shows the code 0114 as 114; the name is beside it.)"""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    labels = ["Kommunkod", "Kommun", "Folkmängd"] + [i.name for i in table.period.invoices] + ["Totalt"]
    writer.writerow(labels + (["Preliminär"] if table.preliminary else []))
    writer.writerows([*r[:-1], "ja"] if table.preliminary else r for r in rows(table))
    return "\ufeff" + buf.getvalue()


def parameters(table: FeeTable) -> list[tuple[str, str]]:
    """The table's parameters in Swedish, for headers and annexes."""
    p = table.period
    marks = []
    if table.preliminary:
        marks = [("PRELIMINÄR", f"folkmängd per {p.population_date(table.year).isoformat()} saknas; "
                                f"beräknat med folkmängd per {table.population_date.isoformat()}")]
    return marks + [
        ("Rekommendationsperiod", p.name),
        ("Avgiftsår", str(table.year)),
        ("Folkmängd per", formatting.long_date(table.population_date)),
        ("Källa, folkmängd", table.population.source),
        *((("Pris per invånare", formatting.kr(p.cap_per_inhabitant, 2)
            + " (fast pris; påverkas inte av antalet deltagande kommuner)"),
           ("Högst per år, alla kommuner", formatting.kr(p.total)))
          if p.pricing == "per_inhabitant" else
          (("Totalbelopp per år", formatting.kr(p.total)),
           ("Tak per invånare", formatting.kr(p.cap_per_inhabitant, 2)))),
        ("Rabatt", p.discount.description),
        ("Deltagande kommuner", str(len(table.participants))),
        ("Viktad folkmängd, summa", formatting.number(table.weighted_sum, 1)),
        ("Avgift per viktad invånare", formatting.kr(decimals(table.rate, 7), 7)
         + (" (taket)" if table.cap_binds else "")),
    ]


def write_xlsx(table: FeeTable, path, password: str | None = None):
    """The national table as a workbook formatted for people, locked and fingerprinted."""
    from . import workbooks as wbk
    from ..data.atomic import atomic_path
    from .sealing import seal

    wb, ws = wbk.new_workbook()
    ws.title = f"Avgifter {table.year}"
    title = ("PRELIMINÄR: " if table.preliminary else "") + f"SKR:s tilläggsfinansiering {table.year}, avgift per kommun"
    ws["A1"] = title
    ws["A1"].font = wbk.TITLE
    r = 3
    for label, value in parameters(table):
        ws.cell(row=r, column=1, value=label).font = wbk.BOLD
        ws.cell(row=r, column=3, value=value)
        r += 1
    r += 1
    labels = ["Kommunkod", "Kommun", "Folkmängd"] + [i.name for i in table.period.invoices] + ["Totalt"]
    labels += ["Preliminär"] if table.preliminary else []
    wbk.header_row(ws, r, labels)
    header = r
    formats = [None, None, wbk.INTEGER] + [wbk.INTEGER] * (len(labels) - 3)
    for values in rows(table):
        r += 1
        for col, (value, fmt) in enumerate(zip(values, formats), start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if fmt:
                cell.number_format = fmt
    r += 1
    sums = table.column_sums()
    total_values = ["", "Summa", sum(f.population for f in table.fees)]
    total_values += [sums[f"faktura_{i.number}"] for i in table.period.invoices] + [sums["totalt"]]
    for col, (value, fmt) in enumerate(zip(total_values, formats), start=1):
        cell = ws.cell(row=r, column=col, value=value if value != "" else None)
        cell.font = wbk.BOLD
        cell.border = wbk.TOP_BORDER
        if fmt:
            cell.number_format = fmt
    wbk.fit_columns(ws, first_row=header)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width, 12)
    ws.freeze_panes = ws.cell(row=header + 1, column=1)
    wbk.print_setup(ws, title, repeat_rows=f"{header}:{header}")
    r += 2
    ws.cell(row=r, column=1, value="Kontrollsumma").font = wbk.BOLD
    wb.properties.title = title
    wb.properties.subject = f"Tilläggsfinansiering {table.period.name}, avgiftsår {table.year}"
    properties = {
        "Avgiftsår": str(table.year), "Rekommendationsperiod": table.period.name,
        "Folkmängdsdatum": table.population_date.isoformat(),
        "Preliminär": "ja" if table.preliminary else "nej",
    }
    sealed = seal(wb, f"{ws.title}!C{r}", password, properties)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return sealed
