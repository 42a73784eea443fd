"""The one registry of the Excel functions: each described once, in Swedish.

Both Excel routes are made from this list: the classic xlwings UDFs
(``=SKR_FEE``, ``addin/desktop/skr_udfs.py``) and the xlwings Server custom
functions (``addin/server/custom_functions/``): the same bare names ``=SKR_FEE``
on both, so a workbook reads the same everywhere. Each entry names
the core function that computes one value; ``skr_fee.excel.udf`` adds what every
route shares: ranges in, one result per cell out, and Excel error values
carrying the Swedish message.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

from . import cells


@dataclass(frozen=True)
class Arg:
    name: str  # the Python parameter
    label: str  # what Excel's function wizard shows
    doc: str  # Swedish help
    optional: bool = False
    per_row: bool = False  # a range here gives one result per cell
    range: bool = False  # the whole range is one value (a key)


@dataclass(frozen=True)
class ExcelFunction:
    name: str  # FEE: =SKR_FEE on every route
    doc: str
    args: tuple[Arg, ...]
    compute: Callable  # one value from scalar arguments (cells.py)

    @property
    def desktop_name(self) -> str:
        return f"SKR_{self.name}"

    @property
    def python_name(self) -> str:
        return f"skr_{self.name.lower()}"

    @property
    def officejs_name(self) -> str:
        """The same bare name as on the desktop: the production manifest has no namespace."""
        return self.desktop_name

    def signature(self, compute: Callable) -> inspect.Signature:
        """``compute``'s signature with the Swedish labels as parameter names: Excel shows the
        parameter's name (IntelliSense, the function wizard), so ``år``, not ``ar``."""
        sig = inspect.signature(compute)
        labels = {a.name: a.label for a in self.args}
        return sig.replace(parameters=[p.replace(name=labels.get(p.name, p.name)) for p in sig.parameters.values()])


KOMMUN = Arg(
    "kommun", "kommun",
    "Kommunens namn (Göteborg), kod (1480) eller en folkmängd (från 10 000) för en tänkt kommun. "
    "Ett område med flera celler ger ett svar per cell.",
    per_row=True,
)
AR = Arg("ar", "år", "Avgiftsår, t.ex. 2025. Utelämnat: senaste år med folkmängd.", optional=True)
PRELIM = Arg(
    "preliminar", "preliminär",
    "SANT: saknas årets folkmängd, räkna med den senaste (resultatet är då preliminärt). Utelämnat: FALSKT.",
    optional=True,
)

REGISTRY: tuple[ExcelFunction, ...] = (
    ExcelFunction(
        "FEE", "Kommunens årsavgift till SKR (Totalt i SKR:s tabell), i hela kronor.",
        (KOMMUN, AR, PRELIM), cells.fee_total,
    ),
    ExcelFunction(
        "INVOICE", "Kommunens faktura 1 (kvalitetsregister) eller 2 (förfogandemedel), i hela kronor.",
        (KOMMUN, Arg("fakturadel", "fakturadel", "Fakturans nummer: 1 (kvalitetsregister) eller 2 (förfogandemedel)."),
         AR, PRELIM), cells.invoice,
    ),
    ExcelFunction(
        "AREA", "Kommunens avgift för ett av SKR:s områden, i hela kronor.",
        (KOMMUN, Arg("omrade", "område",
                     "Området: kvalitetsregister, uppfoljning, kunskapsstyrning (eller en del, t.ex. isu)."),
         AR, PRELIM), cells.area,
    ),
    ExcelFunction(
        "RATE", "Avgift per viktad invånare i kronor (19,5 mkr delat med deltagarnas viktade folkmängd, högst taket).",
        (AR, PRELIM), cells.rate,
    ),
    ExcelFunction(
        "POPULATION", "Kommunens folkmängd den 31 december två år före avgiftsåret (SCB).",
        (KOMMUN, AR, PRELIM), cells.population,
    ),
    ExcelFunction(
        "SPLIT",
        "Kommunens avgift (faktura 1 + 2) fördelad per nämnd med nyckeln i bladet: två kolumner "
        "(nämnd, belopp) som summerar exakt till avgiften. Svaret har lika många rader som nyckeln; "
        "överblivna rader är tomma.",
        (Arg("kommun", "kommun", "Kommunens namn eller kod."),
         Arg("nyckel", "nyckel",
             "Nyckeln i bladet: kolumnerna nämnd och andel, eller område, nämnd och andel "
             "(andel i procent; varje grupp summerar till 100 %).", range=True),
         AR, PRELIM),
        cells.split,
    ),
)

BY_NAME = {f.officejs_name: f for f in REGISTRY}  # by the name Excel calls it: SKR_FEE
