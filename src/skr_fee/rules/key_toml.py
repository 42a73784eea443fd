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


# What people write that TOML does not take, made TOML where the meaning is not in doubt.
_HEADER = re.compile(r"^(\s*\[\[)([^\]]*)(\]\])", re.M)
_SV_FIELD = re.compile(r"^(\s*)(nämnd|område)(\s*=)", re.M)
_SHARE = re.compile(r"^(\s*andel\s*=\s*)(\d[\d ]*(?:[,.]\d+)?\s*%?)(\s*(?:#.*)?)$", re.M)
ASCII = {"nämnd": "namnd", "område": "omrade"}


def normalise(text: str) -> str:
    """A BOM, Windows line endings, [[nämnd]] and [[område]] spelt in Swedish, and shares written
    the Swedish way (andel = 12,5 or andel = 70 %) are accepted; line numbers stay as they were."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _HEADER.sub(lambda m: m[1] + re.sub("nämnd|område", lambda w: ASCII[w[0]], m[2]) + m[3], text)
    text = _SV_FIELD.sub(lambda m: m[1] + ASCII[m[2]] + m[3], text)
    return _SHARE.sub(lambda m: f'{m[1]}"{m[2].strip()}"{m[3]}' if ("," in m[2] or "%" in m[2]) else m[0], text)


# tomllib's messages, in Swedish (each with what to write instead)
_TOML_SV = (
    ("Expected newline or end of document after a statement",
     'efter värdet står mer på raden. Skriv ett värde per rad, text inom citattecken '
     '(namn = "Socialnämnden") och tal med punkt eller komma (andel = 12.5)'),
    ("Invalid value", 'värdet kan inte läsas. Skriv text inom citattecken, t.ex. namn = "Socialnämnden", '
                      "och tal som andel = 40 eller andel = 12.5"),
    ("Expected ']]' at the end of an array declaration", "rubriken ska sluta med ]], t.ex. [[namnd]]"),
    ("Expected ']' at the end of a table declaration", "rubriken ska sluta med ], t.ex. [[namnd]]"),
    ("Cannot overwrite a value", "fältet står två gånger i samma nämnd eller område"),
    ("Cannot declare", "fältet eller rubriken står två gånger"),
    ("Expected '=' after a key in a key/value pair", 'ett likhetstecken saknas. Skriv t.ex. namn = "Socialnämnden"'),
    ("Invalid statement", 'raden kan inte läsas. Skriv fält som namn = "..." och rubriker som [[namnd]]'),
    ("Unterminated string", "ett citattecken saknas i slutet av texten"),
    ("Illegal character '\\n'", "ett citattecken saknas i slutet av texten: en text står inom citattecken på "
                                  'en rad, t.ex. namn = "Socialnämnden"'),
    ("Illegal character", "raden har ett tecken som inte får stå där (t.ex. ett tabbtecken i en text)"),
    ("Invalid initial character for a key part", 'fältets namn kan inte läsas. Skriv t.ex. namn = "..." eller andel = 40'),
    ("Expected ']' at the end of an array", "listan ska sluta med ]"),
)
_AT = re.compile(r"\(at line (?P<line>\d+), column (?P<column>\d+)\)|\(at end of document\)")


def toml_error(e: tomllib.TOMLDecodeError, source: str) -> KeyFileError:
    text = str(e)
    at = _AT.search(text)
    where = f"{source}, rad {at['line']}" if at and at["line"] else f"{source}, i slutet av filen"
    reason = next((sv for en, sv in _TOML_SV if text.startswith(en)), None)
    if reason is None:
        col = f", kolumn {at['column']}" if at and at["column"] else ""
        reason = f"raden kan inte läsas som en nyckel{col}. Jämför med keys/tyreso.toml"
    return KeyFileError(f"{where}: {reason}.")


MAX_TEXT = 200
EXAMPLES = {"kommunnamn": "Kungsbacka kommun", "beslutande": "Kommunstyrelsen",
            "fakturamottagare": "Socialnämnden"}


def parse_key(text: str, source: str = "nyckeln") -> Key:
    """A key from TOML text; raises KeyFileError with the place (line) and the reason."""
    text = normalise(text)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise toml_error(e, source) from None
    unknown = set(raw) - {"namn", "kommun", "kommunnamn", "beslutande", "grund", "fakturamottagare", "namnd",
                          "omrade", "period"}
    if unknown:
        raise KeyFileError(
            f"{source}: okänt fält {', '.join(sorted(unknown))}. Tillåtna fält: namn, kommun, kommunnamn, "
            "beslutande, grund, fakturamottagare, period, namnd, omrade."
        )
    texts = {f: raw.get(f) for f in ("kommunnamn", "beslutande", "fakturamottagare")}
    for field_name, value in texts.items():
        if value is not None and (not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT):
            raise KeyFileError(f"{source}: {field_name} ska vara en text på 1–{MAX_TEXT} tecken, "
                               f"t.ex. {field_name} = \"{EXAMPLES[field_name]}\".")
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
    kommun_line = next((n for n, line in enumerate(text.splitlines(), start=1)
                        if re.match(r"\s*kommun\s*=", line)), None)
    key = Key(
        name=str(raw.get("namn") or source),
        municipality=raw.get("kommun"),
        municipality_line=kommun_line,
        basis=basis,
        invoice_recipient=(texts["fakturamottagare"] or "").strip() or None,
        own_name=(texts["kommunnamn"] or "").strip() or None,
        deciding_body=(texts["beslutande"] or "").strip() or None,
        boards=boards,
        areas=tuple(areas),
        source=source,
    )
    check_groups(key)
    return key
