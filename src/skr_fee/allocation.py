"""Allocation keys (fördelningsnycklar) and the exact split of a fee between boards.

A key is a tree. Its top level is either boards (nämnder) with shares of the
whole, or SKR's areas (each taking its share of SKR's area budget) with boards
under each. Any board may be split further into parts, as deep as needed. The
shares of a group's members sum either to 100 (per cent of the group) or to the
group's own share (per cent of the whole); a share may be written as a number
(40, 12.5) or a fraction ("1/3").

Keys are read from TOML files a user writes (see ``keys/*.toml``): boards are
``[[namnd]]`` tables (name ``namn``, share ``andel``), their parts ``[[namnd.del]]``,
areas ``[[omrade]]`` with ``[[omrade.namnd]]`` (TOML's bare keys are ASCII, so the
keys are written without å, ä, ö; names and texts keep them). Every error names
the place in the file and the sum found, in Swedish.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from .errors import InvalidArgument, SkrFeeError
from .fees import round_kr
from .periods import Period

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

    @property
    def by_area(self) -> bool:
        return bool(self.areas)


@dataclass(frozen=True)
class Part:
    """One board's share of the fee."""

    board: str
    share: Fraction  # of the whole, 0..1
    exact: Fraction  # kronor
    amount: Decimal  # whole kronor (or hundreds)
    path: tuple[str, ...] = ()  # the groups above the board, outermost first
    level: int = 0
    leaf: bool = True  # False for a group whose amount is its members' sum


@dataclass(frozen=True)
class Allocation:
    amount: Decimal
    parts: tuple[Part, ...]
    unit: int = 1
    lost: Decimal = Decimal(0)  # only the decision-document mode loses kronor

    @property
    def leaves(self) -> list[Part]:
        """The parts that receive money (no group subtotals)."""
        return [p for p in self.parts if p.leaf]

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.leaves), Decimal(0))


# ---------------------------------------------------------------- reading keys

def parse_share(raw: object, where: str) -> Fraction:
    """A share as written in a key: 40, 12.5, "12,5", "1/3", "33,3 %"."""
    if isinstance(raw, bool):
        raise KeyFileError(f"{where}: andelen {raw!r} är inte ett tal. Skriv t.ex. andel = 40 eller andel = \"1/3\".")
    try:
        if isinstance(raw, int):
            value = Fraction(raw)
        elif isinstance(raw, float):
            value = Fraction(Decimal(repr(raw)))
        elif isinstance(raw, str):
            text = raw.replace("%", "").replace(",", ".").replace(" ", "").strip()
            if "/" in text:
                num, den = text.split("/", 1)
                value = Fraction(Decimal(num)) / Fraction(Decimal(den)) * 100
            else:
                value = Fraction(Decimal(text))
        else:
            raise ValueError
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise KeyFileError(
            f"{where}: andelen {raw!r} är inte ett tal. Skriv t.ex. andel = 40, andel = 12.5 eller andel = \"1/3\"."
        ) from None
    if value < 0:
        raise KeyFileError(f"{where}: andelen {show_percent(value)} är negativ. En andel är 0 eller mer.")
    return value


def show_percent(p: Fraction) -> str:
    """A share in per cent for messages: 100, 33,33, 12,5."""
    d = Decimal(p.numerator) / Decimal(p.denominator)
    text = f"{d.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %"


class _Headers:
    """Line numbers of a key file's [[...]] headers, handed out in reading order.

    TOML keeps no line numbers; the headers of arrays of tables stand in the
    file in the order the parsed tree is walked, so each table can still be
    named by its line. If the file is written in another order, lines are
    left out of the messages rather than guessed.
    """

    HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z_.\s]+?)\s*\]\]")

    def __init__(self, text: str):
        self.items = [(m.group(1).replace(" ", ""), n) for n, line in enumerate(text.splitlines(), start=1)
                      if (m := self.HEADER.match(line))]
        self.pos = 0
        self.ok = True

    def next(self, kind: str) -> int | None:
        if not self.ok or self.pos >= len(self.items) or self.items[self.pos][0] != kind:
            self.ok = False
            return None
        self.pos += 1
        return self.items[self.pos - 1][1]


def _place(where: str, line: int | None, source: str) -> str:
    return f"{source}, rad {line}" if line else where


def _node(raw: dict, where: str, kind: str, headers: _Headers, source: str) -> Node:
    line = headers.next(kind) if isinstance(raw, dict) else None
    where = _place(where, line, source)
    if not isinstance(raw, dict):
        raise KeyFileError(f"{where}: en nämnd skrivs som en tabell med namn och andel.")
    unknown = set(raw) - {"namn", "andel", "del"}
    if unknown:
        raise KeyFileError(f"{where}: okänt fält {', '.join(sorted(unknown))}. Tillåtna fält: namn, andel, del.")
    name = raw.get("namn")
    if not isinstance(name, str) or not name.strip():
        raise KeyFileError(f"{where}: nämnden saknar namn. Skriv namn = \"...\".")
    here = f"{where} ('{name.strip()}')"
    if "andel" not in raw:
        raise KeyFileError(f"{here}: andel saknas. Skriv t.ex. andel = 50.")
    share = parse_share(raw["andel"], here)
    children = _nodes(raw.get("del", []), f"{here}, del", f"{kind}.del", headers, source)
    return Node(name.strip(), share, children, here)


def _nodes(raw: object, where: str, kind: str, headers: _Headers, source: str) -> tuple[Node, ...]:
    if not isinstance(raw, list):
        raise KeyFileError(f"{where}: skriv nämnderna som [[namnd]]-tabeller (och delar som [[namnd.del]]).")
    return tuple(_node(item, f"{where} {i}", kind, headers, source) for i, item in enumerate(raw, start=1))


def parse_key(text: str, source: str = "nyckeln") -> Key:
    """A key from TOML text; raises KeyFileError with the place (line) and the reason."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise KeyFileError(f"{source}: filen går inte att läsa som TOML ({e}).") from None
    unknown = set(raw) - {"namn", "kommun", "grund", "fakturamottagare", "namnd", "omrade", "period"}
    if unknown:
        raise KeyFileError(
            f"{source}: okänt fält {', '.join(sorted(unknown))}. Tillåtna fält: namn, kommun, grund, "
            "fakturamottagare, period, namnd, omrade."
        )
    basis = raw.get("grund", "fakturerat")
    if basis not in BASES:
        raise KeyFileError(f"{source}: grund = {basis!r} är ogiltigt. Välj \"fakturerat\" (Faktura 1 + Faktura 2) eller \"totalt\".")
    headers = _Headers(text)
    boards = _nodes(raw.get("namnd", []), f"{source}: nämnd", "namnd", headers, source)
    areas_raw = raw.get("omrade", [])
    if not isinstance(areas_raw, list):
        raise KeyFileError(f"{source}: skriv områdena som [[omrade]]-tabeller.")
    areas = []
    for i, a in enumerate(areas_raw, start=1):
        line = headers.next("omrade") if isinstance(a, dict) else None
        where = _place(f"{source}: område {i}", line, source)
        if not isinstance(a, dict) or not isinstance(a.get("omrade"), str):
            raise KeyFileError(f"{where}: ange vilket område, t.ex. omrade = \"kvalitetsregister\".")
        extra = set(a) - {"omrade", "namnd"}
        if extra:
            raise KeyFileError(f"{where}: okänt fält {', '.join(sorted(extra))}. Tillåtna fält: omrade, namnd.")
        where = f"{where} ('{a['omrade']}')"
        areas.append(AreaKey(a["omrade"].strip(),
                             _nodes(a.get("namnd", []), f"{where}, nämnd", "omrade.namnd", headers, source), where))
    if boards and areas:
        raise KeyFileError(f"{source}: en nyckel har antingen [[namnd]] för hela beloppet eller [[omrade]] per område, inte båda.")
    if not boards and not areas:
        raise KeyFileError(f"{source}: nyckeln är tom. Ange [[namnd]] med namn och andel, eller [[omrade]].")
    key = Key(
        name=str(raw.get("namn") or source),
        municipality=raw.get("kommun"),
        basis=basis,
        invoice_recipient=raw.get("fakturamottagare"),
        boards=boards,
        areas=tuple(areas),
        source=source,
    )
    _check_groups(key)
    return key


def read_key(path: str | Path) -> Key:
    """A key from a TOML file, or from a sheet of an allocation workbook
    (``fordelning.xlsx`` for its active sheet, ``fordelning.xlsx#Tyresö`` for a named one)."""
    text_path = str(path)
    sheet = None
    if "#" in text_path and text_path.split("#", 1)[0].lower().endswith(".xlsx"):
        text_path, sheet = text_path.split("#", 1)
    path = Path(text_path)
    if path.suffix.lower() == ".xlsx":
        return _read_sheet_key(path, sheet)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyFileError(f"Nyckelfilen '{path}' finns inte.") from None
    except UnicodeDecodeError:
        raise KeyFileError(f"Nyckelfilen '{path}' är inte UTF-8. Spara den som UTF-8.") from None
    except OSError as e:
        raise KeyFileError(f"Nyckelfilen '{path}' kan inte läsas: {e.strerror}.") from None
    return parse_key(text, source=path.name)


def _read_sheet_key(path: Path, sheet: str | None) -> Key:
    from openpyxl import load_workbook

    from .templates import KEY_RANGE

    if not path.is_file():
        raise KeyFileError(f"Nyckelfilen '{path}' finns inte.")
    try:
        values = load_workbook(path, data_only=True)
        formulas = load_workbook(path)
    except Exception:
        raise KeyFileError(f"'{path.name}' är ingen läsbar xlsx-fil.") from None
    if sheet is not None and sheet not in values.sheetnames:
        raise KeyFileError(f"Bladet '{sheet}' finns inte i {path.name}. Blad: {', '.join(values.sheetnames)}.")
    ws = values[sheet] if sheet else values.active
    rows = [[c.value for c in row] for row in ws[KEY_RANGE]]
    for row, frow in zip(ws[KEY_RANGE], formulas[ws.title][KEY_RANGE]):
        for c, f in zip(row, frow):
            if c.value is None and isinstance(f.value, str) and f.value.startswith("="):
                raise KeyFileError(
                    f"{path.name}, blad {ws.title}, cell {c.coordinate}: formeln {f.value} har inget beräknat "
                    "värde i filen. Öppna filen i Excel och spara den, eller skriv andelen som ett tal."
                )
    return key_from_rows(rows, source=f"{path.name}, blad {ws.title}")


def _check_groups(key: Key) -> None:
    def check(nodes: tuple[Node, ...], parent_share: Fraction, where: str) -> None:
        if not nodes:
            raise KeyFileError(f"{where}: inga nämnder. Ange minst en nämnd med namn och andel.")
        seen: set[str] = set()
        for n in nodes:
            folded = n.name.casefold()
            if folded in seen:
                raise KeyFileError(f"{n.where}: nämnden står två gånger i samma grupp. Slå ihop raderna.")
            seen.add(folded)
        total = sum((n.share for n in nodes), Fraction(0))
        if total != HUNDRED and total != parent_share:
            target = "100 %" if parent_share == HUNDRED else f"100 % (av gruppen) eller {show_percent(parent_share)} (av helheten)"
            raise KeyFileError(f"{where}: andelarna summerar till {show_percent(total)}; de ska summera till {target}.")
        for n in nodes:
            if n.children:
                check(n.children, n.share, f"{n.where}, del")

    if key.boards:
        check(key.boards, HUNDRED, f"{key.source}: nämnd")
    seen_areas: set[str] = set()
    for a in key.areas:
        if a.area_id in seen_areas:
            raise KeyFileError(f"{a.where}: området '{a.area_id}' står två gånger.")
        seen_areas.add(a.area_id)
        check(a.boards, HUNDRED, a.where)


# ------------------------------------------------------------------ shares

def _leaves(nodes: tuple[Node, ...], weight: Fraction, path: tuple[str, ...]):
    """(path, board, share of the whole) for every board at every depth."""
    total = sum((n.share for n in nodes), Fraction(0))
    for n in nodes:
        share = weight * n.share / total if total else Fraction(0)
        yield path, n, share
        if n.children:
            yield from _leaves(n.children, share, path + (n.name,))


def area_weights(key: Key, period: Period) -> list[tuple[AreaKey, Fraction]]:
    """Each keyed area's share of the whole: its part of SKR's area budget."""
    out = []
    resolved = []
    for a in key.areas:
        try:
            area = period.find_area(a.area_id)
        except InvalidArgument:
            valid = ", ".join(f"'{x.id}'" for x in period.areas)
            raise KeyFileError(f"{a.where}: okänt område '{a.area_id}' för perioden {period.name}. Områden: {valid}.") from None
        if area.id in resolved:
            raise KeyFileError(f"{a.where}: området '{area.name}' står två gånger.")
        resolved.append(area.id)
        out.append((a, Fraction(area.amount) / Fraction(period.total)))
    covered = sum((w for _, w in out), Fraction(0))
    ids = set(resolved)
    overlap = [x.id for x in period.all_areas() if x.id in ids and any(p.id in ids for p in x.parts)]
    if overlap or covered != 1:
        missing = [x.id for x in period.areas if x.id not in ids and not any(p.id in ids for p in x.parts)]
        raise KeyFileError(
            f"{key.source}: områdena täcker {show_percent(covered * 100)} av SKR:s budget för {period.name}; "
            f"de ska täcka 100 % en gång var"
            + (f" (saknas: {', '.join(missing)})" if missing else "")
            + (f" (både område och dess delar: {', '.join(overlap)})" if overlap else "")
            + "."
        )
    return out


def board_shares(key: Key, period: Period) -> list[tuple[tuple[str, ...], str, Fraction, bool]]:
    """(path, board, share of the whole, is_leaf), boards in key order.

    A board that appears in several areas (ÄVO in Göteborg's key) is one board
    whose shares add up; a group's share is the sum of its members'.
    """
    weighted: list[tuple[tuple[Node, ...], Fraction]] = []
    if key.by_area:
        weighted = [(a.boards, w) for a, w in area_weights(key, period)]
    else:
        weighted = [(key.boards, Fraction(1))]
    order: list[tuple[tuple[str, ...], str]] = []
    shares: dict[tuple[tuple[str, ...], str], Fraction] = {}
    leaf: dict[tuple[tuple[str, ...], str], bool] = {}
    for nodes, w in weighted:
        for path, node, share in _leaves(nodes, w, ()):
            ident = (path, node.name)
            if ident not in shares:
                order.append(ident)
                shares[ident] = Fraction(0)
                leaf[ident] = not node.children
            elif leaf[ident] != (not node.children):
                raise KeyFileError(
                    f"{node.where}: '{node.name}' är delad i en del av nyckeln men inte i en annan. "
                    "Dela nämnden på samma sätt överallt."
                )
            shares[ident] += share
    return [(p, b, shares[(p, b)], leaf[(p, b)]) for p, b in order]


# ------------------------------------------------------------------ rounding

def largest_remainder(amount: int, weights: list[Fraction], unit: int = 1) -> list[int]:
    """Whole numbers of ``unit`` in proportion to ``weights`` that sum exactly to ``amount``.

    Each part is floored, and the units left over go to the largest
    remainders (earlier parts first on a tie). With unit > 1 the amount's odd
    kronor (amount mod unit) go to the part with the largest remainder too, so
    the sum is still exact.
    """
    if unit < 1:
        raise InvalidArgument(f"Ogiltig avrundning: {unit}. Ange 1 (kronor) eller 100 (hundratal).")
    total_w = sum(weights, Fraction(0))
    if total_w == 0:
        raise InvalidArgument("Nyckelns andelar summerar till 0; beloppet kan inte fördelas.")
    units, odd = divmod(amount, unit)
    exact = [units * w / total_w for w in weights]
    floors = [math.floor(x) for x in exact]
    left = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    out = [f * unit for f in floors]
    if odd:
        out[order[0] if weights[order[0]] else weights.index(max(weights))] += odd
    return out


def allocate(amount: Decimal | int, key: Key, period: Period, unit: int = 1) -> Allocation:
    """Split ``amount`` by ``key``: boards' amounts sum exactly to ``amount``.

    Amounts are computed for the boards that receive money (the leaves), by
    the largest-remainder method; a group's amount is the sum of its members.
    """
    amount_int = int(amount)
    if Decimal(amount_int) != Decimal(amount):
        raise InvalidArgument(f"Beloppet {amount} är inte ett helt antal kronor.")
    rows = board_shares(key, period)
    leaves = [r for r in rows if r[3]]
    leaf_amounts = largest_remainder(amount_int, [r[2] for r in leaves], unit)
    by_leaf = {(r[0], r[1]): a for r, a in zip(leaves, leaf_amounts)}
    parts = []
    for path, board, share, is_leaf in rows:
        if is_leaf:
            value = by_leaf[(path, board)]
        else:
            inner = path + (board,)
            value = sum(a for (p, _), a in by_leaf.items() if p[: len(inner)] == inner)
        parts.append(Part(board, share, share * amount_int, Decimal(value), path, len(path), is_leaf))
    return Allocation(Decimal(amount_int), tuple(parts), unit)


def allocate_like_decision(amount: Decimal | int, key: Key, period: Period,
                           share_decimals: int = 2, floor_to: int = 100) -> Allocation:
    """Göteborg's decision document's own illustration, reproduced as it was done.

    The area shares are rounded to ``share_decimals`` decimals (0.51 / 0.26 /
    0.23), each board's part of an area is rounded down to ``floor_to`` kronor
    (a third of 230 000 is 76 600), and deeper parts are exact shares of that.
    The kronor this loses are reported in ``lost``: 200 kr of 1 000 000 for
    Göteborg's key. Kept to show the difference; ``allocate`` is the method
    that loses nothing.
    """
    if not key.by_area:
        raise InvalidArgument("Beslutsunderlagets räknesätt gäller nycklar per område.")
    amount_int = int(amount)
    totals: dict[tuple[tuple[str, ...], str], Fraction] = {}
    order: list[tuple[tuple[str, ...], str]] = []

    def add(ident, value):
        if ident not in totals:
            order.append(ident)
            totals[ident] = Fraction(0)
        totals[ident] += value

    def walk(nodes, value, path, first):
        share_sum = sum((n.share for n in nodes), Fraction(0))
        for n in nodes:
            part = value * n.share / share_sum
            if first:
                part = Fraction(math.floor(part / floor_to) * floor_to)
            add((path, n.name), part)
            if n.children:
                walk(n.children, part, path + (n.name,), False)

    q = Decimal(1).scaleb(-share_decimals)
    for area, weight in area_weights(key, period):
        rounded = Fraction((Decimal(weight.numerator) / Decimal(weight.denominator)).quantize(q))
        walk(area.boards, amount_int * rounded, (), True)
    groups = {p[: i + 1] for p, _ in order for i in range(len(p))}
    parts = tuple(
        Part(b, v / amount_int if amount_int else Fraction(0), v, round_kr(v), p, len(p), p + (b,) not in groups)
        for (p, b), v in ((i, totals[i]) for i in order)
    )
    allocation = Allocation(Decimal(amount_int), parts, floor_to)
    return replace(allocation, lost=allocation.amount - allocation.total)


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
    share = Fraction(Decimal(format(raw, ".15g")))
    if share < 0:
        raise KeyFileError(f"{where}: andelen {show_percent(share)} är negativ. En andel är 0 eller mer.")
    return share


def key_from_rows(rows, source: str = "nyckelområdet") -> Key:
    """A key typed in a sheet: rows of (nämnd, andel) or (område, nämnd, andel).

    A header row (a text where the share should be) and blank rows are
    skipped. Shares are per cent (50) or fractions as Excel stores a
    percentage cell (0.5); each group must sum to 100 % (within Excel's
    precision).
    """
    rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in rows]
    rows = [r for r in rows if not all(is_blank(v) for v in r)]
    if not rows:
        raise KeyFileError(f"{source}: nyckeln är tom. Ange nämnd och andel på varje rad.")
    width = len(rows[0])
    if width not in (2, 3):
        raise KeyFileError(
            f"{source}: nyckeln har {width} kolumner. Använd två (nämnd, andel) eller tre (område, nämnd, andel)."
        )
    first = rows[0][-1]
    if isinstance(first, str) and not first.strip().replace(",", "").replace(".", "").replace("%", "").replace("/", "").isdigit():
        rows = rows[1:]  # a header
    if width == 3 and all(is_blank(r[0]) for r in rows):
        rows, width = [r[1:] for r in rows], 2  # no areas given: a flat key
    groups: dict[str, list[tuple[str, Fraction, str]]] = {}
    for i, r in enumerate(rows, start=1):
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
        total = sum((s for _, s, _ in members), Fraction(0))
        scale = Fraction(100) if abs(total - 1) < Fraction(1, 10**9) else Fraction(1)
        if abs(total * scale - 100) >= Fraction(1, 10**9):
            raise KeyFileError(f"{label}: andelarna summerar till {show_percent(total)}; de ska summera till 100 %.")
        built[area] = tuple(Node(name, s * scale, (), where) for name, s, where in members)
    if width == 2:
        return Key(name=source, boards=built[""], source=source)
    return Key(name=source, areas=tuple(AreaKey(a, nodes, f"{source}, område '{a}'") for a, nodes in built.items()),
               source=source)
