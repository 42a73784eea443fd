"""The exact split of an amount between boards by a key, and the decision document's lossy way.

``allocate`` gives whole kronor (or hundreds) that sum exactly to the amount,
by the largest-remainder method (``rules.rounding``); ``allocate_like_decision``
reproduces Göteborg's decision document, which lost 200 kr of 1 000 000.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from .errors import InvalidArgument
from .keys import AreaKey, Key, KeyFileError, Node
from .swedish import points
from .periods import AmbiguousArea, Period
from .rounding import decimals, largest_remainder, round_down, round_kr


@dataclass(frozen=True)
class Part:
    """One board's share of the fee."""

    board: str
    share: Fraction  # of the whole, 0..1
    exact: Fraction  # kronor
    amount: int  # whole kronor (or hundreds)
    path: tuple[str, ...] = ()  # the groups above the board, outermost first
    level: int = 0
    leaf: bool = True  # False for a group whose amount is its members' sum


@dataclass(frozen=True)
class Allocation:
    amount: int  # whole kronor
    parts: tuple[Part, ...]
    unit: int = 1
    lost: int = 0  # only the decision-document mode loses kronor

    @property
    def leaves(self) -> list[Part]:
        """The parts that receive money (no group subtotals)."""
        return [p for p in self.parts if p.leaf]

    @property
    def total(self) -> int:
        return sum(p.amount for p in self.leaves)


# ------------------------------------------------------------------ shares

def _leaves(nodes: tuple[Node, ...], weight: Fraction, path: tuple[str, ...]):
    """(path, board, share of the whole) for every board at every depth."""
    total = sum(n.share for n in nodes)  # 0 (an int) for no boards: no share is given then
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
        except AmbiguousArea as e:
            raise KeyFileError(f"{a.where}: {e.message}") from None
        except InvalidArgument:
            valid = ", ".join(f"'{x.id}'" for x in period.areas)
            raise KeyFileError(f"{a.where}: okänt område '{a.area_id}' för perioden {period.name}. Områden: {valid}.") from None
        if area.id in resolved:
            raise KeyFileError(f"{a.where}: området '{area.name}' står två gånger.")
        resolved.append(area.id)
        out.append((a, Fraction(area.amount) / Fraction(period.total)))
    covered = sum(w for _, w in out)
    ids = set(resolved)
    overlap = [x.id for x in period.all_areas() if x.id in ids and any(p.id in ids for p in x.parts)]
    if overlap or covered != 1:
        missing = [x.id for x in period.areas if x.id not in ids and not any(p.id in ids for p in x.parts)]
        raise KeyFileError(
            f"{key.source}: områdena täcker {points(covered * 100)} av SKR:s budget för {period.name}; "
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
    weighted: list[tuple[tuple[Node, ...], Fraction]] = (
        [(a.boards, w) for a, w in area_weights(key, period)] if key.by_area else [(key.boards, Fraction(1))])
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


def allocate(amount: int, key: Key, period: Period, unit: int = 1) -> Allocation:
    """Split ``amount`` by ``key``: boards' amounts sum exactly to ``amount``.

    Amounts are computed for the boards that receive money (the leaves), by
    the largest-remainder method; a group's amount is the sum of its members.
    """
    amount_int = int(amount)
    if amount_int != amount:
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
        parts.append(Part(board, share, share * amount_int, value, path, len(path), is_leaf))
    return Allocation(amount_int, tuple(parts), unit)


def allocate_like_decision(amount: int, key: Key, period: Period,
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
        share_sum = sum(n.share for n in nodes)  # a group is never empty (the parsers refuse it)
        for n in nodes:
            part = value * n.share / share_sum
            if first:
                part = round_down(part, floor_to)
            add((path, n.name), part)
            if n.children:
                walk(n.children, part, path + (n.name,), False)

    for area, weight in area_weights(key, period):
        rounded = Fraction(decimals(weight, share_decimals))
        walk(area.boards, amount_int * rounded, (), True)
    groups = {p for p, _ in order}  # a board is a group when some board's path ends with it
    parts = tuple(
        Part(b, v / amount_int if amount_int else Fraction(0), v, round_kr(v), p, len(p), p + (b,) not in groups)
        for (p, b), v in ((i, totals[i]) for i in order)
    )
    allocation = Allocation(amount_int, parts, floor_to)
    return replace(allocation, lost=allocation.amount - allocation.total)
