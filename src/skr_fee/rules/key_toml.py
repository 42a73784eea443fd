"""Allocation keys written as TOML files (``keys/*.toml``), read with their line numbers.

Boards are ``[[namnd]]`` tables (name ``namn``, share ``andel``), their parts
``[[namnd.del]]``, areas ``[[omrade]]`` with ``[[omrade.namnd]]`` (TOML's bare
keys are ASCII, so the keys are written without å, ä, ö; names and texts keep
them). Every error names the place in the file and the sum found, in Swedish.
"""

from __future__ import annotations

import re
import tomllib

from .keys import BASES, AreaKey, Key, KeyFileError, Node, check_groups, parse_share


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
    check_groups(key)
    return key
