"""Allocation keys (fördelningsnycklar): their shape, their shares and their checks.

A key is a tree. Its top level is either boards (nämnder) with shares of the
whole, or SKR's areas (each taking its share of SKR's area budget) with boards
under each. Any board may be split further into parts, as deep as needed. The
shares of a group's members sum either to 100 (per cent of the group) or to the
group's own share (per cent of the whole); a share may be written as a number
(40, 12.5) or a fraction ("1/3").

Keys come from TOML files (``rules.key_toml``) or from rows typed in a sheet
(``key_from_rows`` here); the split itself is ``rules.split``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from .errors import SkrFeeError
from .swedish import number, points

HUNDRED = Fraction(100)
BASES = {"fakturerat": "fakturerat", "totalt": "totalt"}


class KeyFileError(SkrFeeError):
    """A key file that cannot be used, with the place and the reason."""


@dataclass(frozen=True)
class Node:
    name: str
    share: Fraction  # as written, in per cent
    children: tuple["Node", ...] = ()
    where: str = ""  # the place in the file, for messages


@dataclass(frozen=True)
class AreaKey:
    area_id: str
    boards: tuple[Node, ...]
    where: str = ""


@dataclass(frozen=True)
class Key:
    name: str
    municipality: str | None = None
    basis: str = "fakturerat"  # fakturerat (Faktura 1 + 2) or totalt
    invoice_recipient: str | None = None
    boards: tuple[Node, ...] = ()  # a flat key
    areas: tuple[AreaKey, ...] = ()  # a key by area
    source: str = ""
    municipality_line: int | None = None  # where ``kommun =`` stands in a key file, for messages
    own_name: str | None = None  # ``kommunnamn =``: how the municipality writes its name, over kommunnamn.csv
    deciding_body: str | None = None  # ``beslutande =``: who adopts the allocation (default Kommunstyrelsen)
    year: int | None = None  # the fee year a workbook key states (its Avgiftsår cell); None: any year

    @property
    def by_area(self) -> bool:
        return bool(self.areas)


# A share is a per cent (0-100) or a plain count (a key may weigh boards by head count): bounded
# before any exact arithmetic, so that "1e99999999" is refused at once rather than computed.
MAX_SHARE = 10**9  # the largest share, inclusive
MIN_SHARE = Decimal("1e-12")  # the smallest share other than 0, inclusive
MAX_SHARE_TEXT = 40


def _bounded(d: Decimal, raw: object, where: str) -> Fraction:
    if not d.is_finite() or (d != 0 and not MIN_SHARE <= d.copy_abs() <= MAX_SHARE):  # copy_abs: no context, no overflow
        raise KeyFileError(f"{where}: andelen {str(raw)[:MAX_SHARE_TEXT]!r} är orimlig. En andel är en procentsats "
                           f"(0–100) eller ett antal upp till {number(MAX_SHARE)}, t.ex. andel = 40.")
    return Fraction(d)


def parse_share(raw: object, where: str) -> Fraction:
    """A share as written in a key: 40, 12.5, "12,5", "1/3", "33,3 %"."""
    if isinstance(raw, bool):
        raise KeyFileError(f"{where}: andelen {raw!r} är inte ett tal. Skriv t.ex. andel = 40 eller andel = \"1/3\".")
    try:
        if isinstance(raw, int):
            value = _bounded(Decimal(raw), raw, where)
        elif isinstance(raw, float):
            value = _bounded(Decimal(repr(raw)), raw, where)
        elif isinstance(raw, str):
            if len(raw) > MAX_SHARE_TEXT:
                raise ValueError
            text = raw.replace("%", "").replace(",", ".").replace(" ", "").strip()
            if "/" in text:
                num, den = text.split("/")  # not two parts: ValueError, not a number
                value = _bounded(Decimal(num), raw, where) / _bounded(Decimal(den), raw, where) * 100
            else:
                value = _bounded(Decimal(text), raw, where)
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise KeyFileError(
            f"{where}: andelen {raw!r} är inte ett tal. Skriv t.ex. andel = 40, andel = 12.5 eller andel = \"1/3\"."
        ) from None
    if value < 0:
        raise KeyFileError(f"{where}: andelen {points(value)} är negativ. En andel är 0 eller mer.")
    return value


def group_place(source: str, nodes: tuple[Node, ...]) -> str:
    """Where the boards of a group stand: their lines when the file gave them."""
    lines = [m[1] for n in nodes if (m := re.search(r", rad (\d+)", n.where))]
    if nodes and len(lines) == len(nodes):
        return f"{source}, rad {', '.join(lines)} (nämnderna)"
    return f"{source}: nämnd"


def check_groups(key: Key) -> None:
    def check(nodes: tuple[Node, ...], parent_share: Fraction, where: str) -> None:
        if not nodes:
            raise KeyFileError(f"{where}: inga nämnder. Ange minst en nämnd med namn och andel.")
        seen: set[str] = set()
        for n in nodes:
            folded = n.name.casefold()
            if folded in seen:
                raise KeyFileError(f"{n.where}: nämnden står två gånger i samma grupp. Slå ihop raderna.")
            seen.add(folded)
        total = sum(n.share for n in nodes)
        if total != HUNDRED and total != parent_share:
            target = "100 %" if parent_share == HUNDRED else f"100 % (av gruppen) eller {points(parent_share)} (av helheten)"
            raise KeyFileError(f"{where}: andelarna summerar till {points(total)}; de ska summera till {target}.")
        for n in nodes:
            if n.children:
                check(n.children, n.share, f"{n.where}, del")

    if key.boards:
        check(key.boards, HUNDRED, group_place(key.source, key.boards))
    seen_areas: set[str] = set()
    for a in key.areas:
        if a.area_id in seen_areas:
            raise KeyFileError(f"{a.where}: området '{a.area_id}' står två gånger.")
        seen_areas.add(a.area_id)
        check(a.boards, HUNDRED, a.where)


# ------------------------------------------------------------ keys in a sheet

def is_blank(v) -> bool:
    """An empty cell as Excel and pycel pass it: None, or a string of spaces."""
    return v is None or (isinstance(v, str) and not v.strip())


def _sheet_share(raw, where: str) -> Fraction:
    if isinstance(raw, bool) or is_blank(raw):
        raise KeyFileError(f"{where}: andel saknas. Skriv andelen som ett tal (50 eller 50 %).")
    if isinstance(raw, float):
        return _float_share(raw, where)
    return parse_share(raw, where)


def _float_share(raw: float, where: str) -> Fraction:
    # A cell holds a binary float: 1/3 typed as =100/3 is 33.333333333333336.
    # Excel's 15 significant digits are what the user meant.
    share = _bounded(Decimal(format(raw, ".15g")), raw, where)
    if share < 0:
        raise KeyFileError(f"{where}: andelen {points(share)} är negativ. En andel är 0 eller mer.")
    return share


GROUP_SEPARATOR = " / "


def nest(flat: list[Node]) -> tuple[Node, ...]:
    """Boards written 'grupp / nämnd' (shares of the whole) as a group with its members:
    the group's share is the sum of its members'."""
    top: list[dict] = []
    index: dict[str, dict] = {}
    for n in flat:
        parts = [p.strip() for p in n.name.split(GROUP_SEPARATOR)]
        level, idx = top, index
        for part in parts[:-1]:
            entry = idx.get(part.casefold())
            if entry is None:
                entry = idx[part.casefold()] = {"name": part, "share": Fraction(0), "kids": [], "idx": {},
                                                "where": n.where, "leaf": False}
                level.append(entry)
            elif entry["leaf"]:
                raise KeyFileError(f"{n.where}: '{part}' står både som nämnd och som grupp. Skriv den på ett sätt.")
            entry["share"] += n.share
            level, idx = entry["kids"], entry["idx"]
        if parts[-1].casefold() in idx:
            raise KeyFileError(f"{n.where}: '{parts[-1]}' står både som nämnd och som grupp. Skriv den på ett sätt.")
        idx[parts[-1].casefold()] = leaf = {"name": parts[-1], "share": n.share, "kids": [], "where": n.where,
                                            "leaf": True}
        level.append(leaf)

    def node(e: dict) -> Node:
        return Node(e["name"], e["share"], tuple(node(k) for k in e["kids"]), e["where"])

    return tuple(node(e) for e in top)


def key_from_rows(rows, source: str = "nyckelområdet", first_row: int = 1) -> Key:
    """A key typed in a sheet: rows of (nämnd, andel) or (område, nämnd, andel).

    A header row (a text where the share should be) and blank rows are
    skipped. A board in a group is written 'grupp / nämnd', its share of the whole. Shares are per cent (50) or fractions as Excel stores a
    percentage cell (0.5); each group must sum to 100 % (within Excel's
    precision). A message names the sheet's row: ``rows`` begin at row ``first_row``.
    """
    numbered = [(n, list(r) if isinstance(r, (list, tuple)) else [r]) for n, r in enumerate(rows, start=first_row)]
    numbered = [(n, r) for n, r in numbered if not all(is_blank(v) for v in r)]
    line = [n for n, _ in numbered]
    rows = [r for _, r in numbered]
    if not rows:
        raise KeyFileError(f"{source}: nyckeln är tom. Ange nämnd och andel på varje rad.")
    width = len(rows[0])
    if width not in (2, 3):
        raise KeyFileError(
            f"{source}: nyckeln har {'en kolumn' if width == 1 else f'{width} kolumner'}. "
            "Använd två (nämnd, andel) eller tre (område, nämnd, andel)."
        )
    first = rows[0][-1]
    if isinstance(first, str) and not first.strip().replace(",", "").replace(".", "").replace("%", "").replace("/", "").isdigit():
        rows, line = rows[1:], line[1:]  # a header
    if width == 3 and all(is_blank(r[0]) for r in rows):
        rows, width = [r[1:] for r in rows], 2  # no areas given: a flat key
    groups: dict[str, list[tuple[str, Fraction, str]]] = {}
    for i, r in zip(line, rows):
        where = f"{source}, rad {i}"
        *labels, raw_share = r
        area = str(labels[0]).strip() if width == 3 else ""
        board = labels[-1]
        if width == 3 and is_blank(labels[0]):
            raise KeyFileError(f"{where}: område saknas. Skriv t.ex. kvalitetsregister.")
        if is_blank(board):
            raise KeyFileError(f"{where}: nämnd saknas.")
        share = _sheet_share(raw_share, where)
        groups.setdefault(area, []).append((str(board).strip(), share, f"{where} ('{str(board).strip()}')"))
    built: dict[str, tuple[Node, ...]] = {}
    for area, members in groups.items():
        label = f"{source}, område '{area}'" if area else source
        seen = set()
        for name, _, where in members:
            if name.casefold() in seen:
                raise KeyFileError(f"{where}: nämnden står två gånger" + (f" i området '{area}'." if area else "."))
            seen.add(name.casefold())
        total = sum(s for _, s, _ in members)
        scale = Fraction(100) if abs(total - 1) < Fraction(1, 10**9) else Fraction(1)
        if abs(total * scale - 100) >= Fraction(1, 10**9):
            raise KeyFileError(f"{label}: andelarna summerar till {points(total)}; de ska summera till 100 %.")
        built[area] = nest([Node(name, s * scale, where=where) for name, s, where in members])
    if width == 2:
        return Key(name=source, boards=built[""], source=source)
    return Key(name=source, areas=tuple(AreaKey(a, nodes, f"{source}, område '{a}'") for a, nodes in built.items()),
               source=source)
