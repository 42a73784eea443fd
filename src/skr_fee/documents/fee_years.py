"""One municipality's fee for every year of a recommendation period: the budget view.

Years whose population SCB has published are computed as the rule says; a
later year of the period is computed from the latest population and marked
preliminary (its fee will change when SCB publishes); a year with no data at
all is left out. As a Swedish text table, CSV, or a bar chart where the
preliminary years are hatched.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from ..data.municipalities import lookup
from ..data.periods import period_for_year, periods
from ..data.tables import fee_table
from ..rules.errors import InvalidArgument, MissingData
from ..rules.periods import Period
from . import formatting


@dataclass(frozen=True)
class YearRow:
    year: int
    population_date: date
    population: int
    fee: int
    preliminary: bool


def find_period(text: str | None) -> Period:
    """A period by its name ("2025-2028", "2025–2028") or any of its years; none: the current one."""
    if not text:
        return period_for_year(date.today().year + 1 if date.today().month >= 6 else date.today().year)
    wanted = text.replace("–", "-").strip()
    for p in periods():
        if wanted == f"{p.first_year}-{p.last_year}":
            return p
    return period_for_year(wanted)


def fee_years(kommun, period: Period) -> tuple[str, list[YearRow]]:
    m = lookup(kommun)
    rows = []
    for y in period.years:
        try:
            t = fee_table(y)
        except MissingData:
            try:
                t = fee_table(y, preliminary=True)
            except MissingData:
                continue
        f = t.fee(m.code)
        rows.append(YearRow(y, t.population_date, f.population, f.total, t.preliminary))
    if not rows:
        raise InvalidArgument(f"Ingen folkmängd finns för något år av perioden {period.name}.")
    return m.name, rows


def change_text(before: int, after: int) -> str:
    return formatting.change_kr(before, after, 1)


def text_table(name: str, period: Period, rows: list[YearRow]) -> str:
    lines = [f"{name}: avgift till SKR per år, rekommendation {period.name}", "",
             f"  {'År':<6}{'Folkmängd per':<16}{'Folkmängd':>12}{'Avgift':>16}  Förändring"]
    for i, r in enumerate(rows):
        change = change_text(rows[i - 1].fee, r.fee) if i else ""
        mark = "  PRELIMINÄR" if r.preliminary else ""
        lines.append(f"  {r.year:<6}{r.population_date.isoformat():<16}{formatting.number(r.population):>12}"
                     f"{formatting.kr(r.fee):>16}  {change}{mark}")
    if any(r.preliminary for r in rows):
        lines += ["", "  PRELIMINÄR: SCB har ännu inte publicerat årets folkmängd; beräknat med den senaste. "
                      "Avgiften ändras när SCB:s siffror finns (skr-fee hämta-scb)."]
    return "\n".join(lines) + "\n"


def csv_table(rows: list[YearRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["ar", "folkmangd_per", "folkmangd", "avgift", "preliminar"])
    w.writerows([r.year, r.population_date.isoformat(), r.population, r.fee, int(r.preliminary)] for r in rows)
    return buf.getvalue()


def write_chart(name: str, period: Period, rows: list[YearRow], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from ..data.atomic import atomic_path

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    bars = ax.bar([str(r.year) for r in rows], [r.fee for r in rows], width=0.55,
                  color=["#9DB4D3" if r.preliminary else "#1F4E79" for r in rows],
                  hatch=None, edgecolor="#1F4E79")
    for b, r in zip(bars, rows):
        if r.preliminary:
            b.set_hatch("//")
        label = formatting.kr(r.fee).replace("\u00a0", " ") + ("\npreliminär" if r.preliminary else "")
        ax.annotate(label, (b.get_x() + b.get_width() / 2, r.fee), ha="center", va="bottom", fontsize=10,
                    xytext=(0, 4), textcoords="offset points")
    ax.set_title(f"{name}: avgift till SKR {period.name}", fontsize=12)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: formatting.number(int(v)).replace("\u00a0", " ")))
    ax.set_ylabel("kronor")
    ax.set_ylim(0, max(r.fee for r in rows) * 1.22)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.01, 0.01, "Källa: SCB folkmängd, SKR:s rekommendation; randiga staplar är preliminära",
             fontsize=7, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    plt.close(fig)
