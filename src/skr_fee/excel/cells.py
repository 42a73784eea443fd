"""One Excel cell's worth of the core: the values behind the SKR_* functions.

Each function takes the arguments of one cell as Excel passes them (numbers as
floats, empty as None) and returns a plain value, or raises SkrFeeError with a
Swedish message. ``skr_fee.excel.udf`` maps ranges over these and turns errors into
Excel error values; the registry in ``functions.py`` describes them.
"""

from __future__ import annotations

from ..documents import formatting
from ..rules.keys import key_from_rows
from ..rules.split import allocate
from ..rules.errors import InvalidArgument, UnknownMunicipality
from ..data.tables import fee_table
from ..rules.fees import Fee
from ..data.municipalities import registry

SMALLEST_POPULATION_ARGUMENT = 10_000


def _year(ar):
    return None if ar is None or ar == "" else ar


def _flag(value) -> bool:
    """An Excel boolean: SANT/FALSKT, TRUE/FALSE, 1/0, ja/nej; empty is false."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    text = str(value).strip().casefold()
    if text in ("sant", "true", "ja", "1", "yes"):
        return True
    if text in ("falskt", "false", "nej", "0", "no"):
        return False
    raise InvalidArgument(f"Ogiltigt värde för preliminär: '{value}'. Ange SANT eller FALSKT.")


def _fee(kommun, ar, preliminar=None) -> Fee:
    table = fee_table(_year(ar), preliminary=_flag(preliminar))
    if isinstance(kommun, float) and kommun.is_integer():
        kommun = int(kommun)
    if isinstance(kommun, int) and not isinstance(kommun, bool):
        if str(kommun).zfill(4) in registry().by_code:
            return table.fee(kommun)
        if kommun >= SMALLEST_POPULATION_ARGUMENT:
            return table.fee_for_population(kommun)
        raise UnknownMunicipality(
            f"{kommun} är ingen kommunkod. Ange en kommunkod (t.ex. 1480), ett namn, "
            f"eller en folkmängd från {formatting.number(SMALLEST_POPULATION_ARGUMENT)} för en tänkt kommun.",
            query=kommun,
        )
    if isinstance(kommun, float):
        raise InvalidArgument(f"Ogiltig kommun: {kommun}. Ange ett namn, en kommunkod eller en hel folkmängd.")
    return table.fee(kommun)


def fee_total(kommun, ar=None, preliminar=None) -> int:
    return _fee(kommun, ar, preliminar).total


def invoice(kommun, fakturadel, ar=None, preliminar=None) -> int:
    f = _fee(kommun, ar, preliminar)
    del_ = fakturadel
    if isinstance(del_, float) and del_.is_integer():
        del_ = int(del_)
    if isinstance(del_, str) and del_.strip().isdigit():
        del_ = int(del_.strip())
    if not isinstance(del_, int) or isinstance(del_, bool):
        valid = " eller ".join(str(i.number) for i in f.period.invoices)
        raise InvalidArgument(f"Ogiltig fakturadel: '{del_}'. Ange {valid}.")
    return f.invoice(del_).amount


def area(kommun, omrade, ar=None, preliminar=None) -> int:
    if omrade is None or str(omrade).strip() == "":
        raise InvalidArgument("Område saknas. Ange t.ex. kvalitetsregister, uppfoljning eller kunskapsstyrning.")
    return _fee(kommun, ar, preliminar).area(omrade).amount


def rate(ar=None, preliminar=None) -> float:
    r = fee_table(_year(ar), preliminary=_flag(preliminar)).rate
    return r.numerator / r.denominator


def population(kommun, ar=None, preliminar=None) -> int:
    return _fee(kommun, ar, preliminar).population


def split(kommun, nyckel, ar=None, preliminar=None) -> list[list]:
    """(board, amount) rows, padded with empty rows to the key's height."""
    if not isinstance(nyckel, (list, tuple)) or not nyckel or not isinstance(nyckel[0], (list, tuple)):
        raise InvalidArgument("Nyckeln ska vara ett område i bladet med kolumnerna nämnd och andel "
                              "(eller område, nämnd och andel).")
    f = _fee(kommun, ar, preliminar)
    if f.municipality is None:
        raise InvalidArgument("SKR_SPLIT behöver en kommun, inte en folkmängd.")
    key = key_from_rows(nyckel)
    allocation = allocate(f.invoiced, key, f.period)
    out = [[" / ".join((*p.path, p.board)), p.amount] for p in allocation.leaves]
    out += [["", ""] for _ in range(len(nyckel) - len(out))]
    return out

