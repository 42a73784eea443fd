"""Comparing fees between two fee years, as a table and as a chart for the decision text."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from . import formatting
from ..rules.errors import InvalidArgument
from ..data.tables import fee_table
from ..rules.fees import FeeTable
from ..rules.rounding import decimals
from ..data.municipalities import lookup

COLUMNS = ["kommunkod", "kommun", "folkmangd_fran", "folkmangd_till", "avgift_fran", "avgift_till",
           "forandring_kr", "forandring_procent"]


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    population_from: int
    population_to: int
    fee_from: int
    fee_to: int

    @property
    def change(self) -> int:
        return self.fee_to - self.fee_from

    @property
    def change_percent(self) -> Decimal | None:
        if not self.fee_from:
            return None
        return decimals(Fraction(self.change * 100, self.fee_from), 2)


@dataclass(frozen=True)
class Comparison:
    before: FeeTable
    after: FeeTable
    rows: tuple[Row, ...]


def compare(kommun, year_from, year_to, preliminary: bool = False) -> Comparison:
    before = fee_table(year_from, preliminary=preliminary)
    after = fee_table(year_to, preliminary=preliminary)
    if before.year == after.year:
        raise InvalidArgument(f"Jämför två olika år, inte {before.year} med sig självt.")
    if kommun is not None:
        codes = [lookup(kommun).code]
        before.fee(codes[0]), after.fee(codes[0])  # NotParticipating, with its message
    else:
        codes = sorted(set(before.by_code) & set(after.by_code))
    rows = tuple(
        Row(c, before.by_code[c].municipality.name, before.by_code[c].population, after.by_code[c].population,
            before.by_code[c].total, after.by_code[c].total)
        for c in codes
    )
    return Comparison(before, after, rows)


def _values(r: Row) -> list:
    pct = r.change_percent
    return [r.code, r.name, r.population_from, r.population_to, r.fee_from, r.fee_to, r.change,
            "" if pct is None else str(pct)]


def text_table(result: Comparison) -> str:
    """The comparison as a Swedish table to read on the screen."""
    y0, y1 = result.before.year, result.after.year
    lines = [f"SKR-avgiften {y0} och {y1} (folkmängd per {result.before.population_date.isoformat()} och "
             f"{result.after.population_date.isoformat()})"
             + (" PRELIMINÄR" if result.before.preliminary or result.after.preliminary else ""), "",
             f"  {'Kommun':<22}{'Avgift ' + str(y0):>16}{'Avgift ' + str(y1):>16}{'Förändring':>16}{'':>10}"]
    for r in result.rows:
        pct = "" if r.change_percent is None else f"{formatting.number(r.change_percent, 2)} %"
        lines.append(f"  {r.name:<22}{formatting.kr(r.fee_from):>16}{formatting.kr(r.fee_to):>16}"
                     f"{('+' if r.change > 0 else '') + formatting.kr(r.change):>16}{pct:>10}")
    return "\n".join(lines) + "\n"


def write_table(result: Comparison, path: str | None, fmt: str) -> str | None:
    """CSV text (to stdout) when no path is given, else the file (csv or xlsx)."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(_values(r) for r in result.rows)
        if path is None:
            return buf.getvalue()
        from ..data.atomic import atomic_path

        with atomic_path(path) as tmp:
            tmp.write_text(buf.getvalue(), encoding="utf-8")
        return None
    if not path:
        raise InvalidArgument("Ange en fil med -o för xlsx.")
    from . import workbooks as wbk
    from ..data.atomic import atomic_path

    wb, ws = wbk.new_workbook()
    ws.title = f"{result.before.year}–{result.after.year}"
    title = f"SKR-avgiften {result.before.year} och {result.after.year}"
    ws["A1"] = title
    ws["A1"].font = wbk.TITLE
    ws["A2"] = (f"Folkmängd per {formatting.long_date(result.before.population_date)} och "
                f"{formatting.long_date(result.after.population_date)}"
                + (" (PRELIMINÄR)" if result.before.preliminary or result.after.preliminary else ""))
    labels = ["Kommunkod", "Kommun", f"Folkmängd {result.before.year}", f"Folkmängd {result.after.year}",
              f"Avgift {result.before.year}", f"Avgift {result.after.year}", "Förändring, kr", "Förändring, %"]
    wbk.header_row(ws, 4, labels)
    for i, r in enumerate(result.rows, start=5):
        values = _values(r)
        values[7] = float(r.change_percent) / 100 if r.change_percent is not None else None
        for col, v in enumerate(values, start=1):
            c = ws.cell(row=i, column=col, value=v)
            if col in (3, 4, 5, 6, 7):
                c.number_format = wbk.INTEGER
            elif col == 8:
                c.number_format = wbk.PERCENT
    wbk.fit_columns(ws, first_row=4)
    wbk.print_setup(ws, title, landscape=True, repeat_rows="4:4")
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return None


def write_chart(result: Comparison, path: str) -> None:
    """A bar chart: one municipality's fee in both years, or the largest changes of all."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from ..data.atomic import atomic_path

    y0, y1 = result.before.year, result.after.year
    kr = FuncFormatter(lambda v, _: formatting.number(v).replace("\u00a0", " "))
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    if len(result.rows) == 1:
        r = result.rows[0]
        bars = ax.bar([str(y0), str(y1)], [r.fee_from, r.fee_to], color=["#9DB4D3", "#1F4E79"], width=0.5)
        for b, v in zip(bars, [r.fee_from, r.fee_to]):
            ax.annotate(formatting.kr(v).replace("\u00a0", " "), (b.get_x() + b.get_width() / 2, v),
                        ha="center", va="bottom", fontsize=11, xytext=(0, 4), textcoords="offset points")
        change = formatting.change_kr(r.fee_from, r.fee_to, 2).replace("\u00a0", " ")
        ax.set_title(f"{r.name}: avgift till SKR {y0} och {y1}\nFörändring {change}", fontsize=12)
        ax.yaxis.set_major_formatter(kr)
        ax.set_ylabel("kronor")
        ax.set_ylim(0, max(r.fee_from, r.fee_to) * 1.18)
    else:
        rows = sorted((r for r in result.rows if r.change_percent is not None),
                      key=lambda r: abs(r.change_percent), reverse=True)[:20][::-1]
        values = [float(r.change_percent) for r in rows]
        ax.barh([r.name for r in rows], values, color=["#1F4E79" if v >= 0 else "#C0504D" for v in values])
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlabel("förändring av avgiften, %")
        ax.set_title(f"Största förändringarna av SKR-avgiften {y0}–{y1} (20 kommuner)", fontsize=12)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: formatting.signed(v, 1)))
        ax.tick_params(axis="y", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    src = "Källa: SCB folkmängd, SKR:s rekommendation; beräknat med skr-avgift"
    fig.text(0.01, 0.01, src, fontsize=7, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
