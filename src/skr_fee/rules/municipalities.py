"""Sweden's 290 municipalities and how people write their names.

The list itself is data (``skr_fee/data/kommuner.csv``, loaded by
``skr_fee.data.municipalities``). Lookups accept the four-digit code, the official name, SKR's spellings
(MALUNG, OLOFSSTRÖM, TOMMELILLA), any case, and the everyday forms
"Göteborgs Stad", "Region Gotland", "Tyresö kommun".
"""

from __future__ import annotations

import difflib
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import UnknownMunicipality


MAX_NAME = 60  # the longest municipality name is 15 letters; longer text gets no suggestions
# Closest-name suggestions cost a fuzzy search each: a call may ask for at most this many
# (the rest of a range of unknown names gets the message without them).
SUGGESTIONS_PER_CALL = 50
_suggestions_left: ContextVar[list[int] | None] = ContextVar("skr_fee_suggestions_left", default=None)


@contextmanager
def suggestion_budget(n: int = SUGGESTIONS_PER_CALL):
    token = _suggestions_left.set([n])
    try:
        yield
    finally:
        _suggestions_left.reset(token)


def _may_suggest() -> bool:
    left = _suggestions_left.get()
    if left is None:
        return True
    left[0] -= 1
    return left[0] >= 0


@dataclass(frozen=True, order=True)
class Municipality:
    code: str  # four digits, "0114"
    name: str  # official name, "Upplands Väsby"
    skr_name: str  # spelling in SKR's published table, "UPPLANDS VÄSBY"
    own_name: str = ""  # the name it uses for itself in decisions, "Göteborgs Stad" (kommunnamn.csv)

    @property
    def called(self) -> str:
        """The name a reader of its own documents expects: its own, else "X kommun"."""
        return self.own_name or f"{self.name} kommun"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


_PREFIXES = ("region ", "kommun ")
_SUFFIXES = (" kommun", " stad", " kommunen", " municipality")


def name_key(text: str) -> str:
    """Case, spacing and hyphens folded: the form names are compared in."""
    return re.sub(r"[\s\-–]+", " ", text).strip().casefold()


def _keys_for_query(text: str) -> list[str]:
    """The forms a typed name may stand for, most literal first."""
    key = name_key(text)
    keys = [key]
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix):].strip()
            keys.append(key)
    for suffix in _SUFFIXES:
        if key.endswith(suffix):
            key = key[: -len(suffix)].strip()
            keys.append(key)
    # the genitive of "Göteborgs Stad", "Stockholms kommun"
    if key.endswith("s"):
        keys.append(key[:-1])
    return keys


class Registry:
    """The municipalities, indexed by code and by every accepted spelling."""

    def __init__(self, municipalities: list[Municipality]):
        self.all = tuple(sorted(municipalities))
        self.by_code = {m.code: m for m in self.all}
        self._by_key: dict[str, Municipality] = {}
        for m in self.all:
            for spelling in (m.name, m.skr_name):
                self._by_key[name_key(spelling)] = m

    def __len__(self) -> int:
        return len(self.all)

    def __iter__(self):
        return iter(self.all)

    def lookup(self, query: object) -> Municipality:
        """The municipality a code or name stands for, or UnknownMunicipality."""
        if isinstance(query, Municipality):
            return query
        if isinstance(query, float) and query.is_integer():
            query = int(query)
        if isinstance(query, int):
            code = str(query).zfill(4)
            if code in self.by_code:
                return self.by_code[code]
            raise self._unknown(query)
        text = str(query).strip()
        if text.isdigit():
            code = text.zfill(4)
            if code in self.by_code:
                return self.by_code[code]
            raise self._unknown(query)
        # "1480 Göteborg", as SCB writes regions
        match = re.fullmatch(r"(\d{4})\s+(.+)", text)
        if match and match.group(1) in self.by_code:
            return self.by_code[match.group(1)]
        for key in _keys_for_query(text):
            if key in self._by_key:
                return self._by_key[key]
        raise self._unknown(query)

    def suggestions(self, query: object, n: int = 3) -> list[Municipality]:
        keys = _keys_for_query(str(query))
        found: list[Municipality] = []
        for key in keys[::-1]:
            for close in difflib.get_close_matches(key, self._by_key, n=n):  # difflib's cutoff, 0.6
                m = self._by_key[close]
                if m not in found:
                    found.append(m)
        return found[:n]

    def _unknown(self, query: object) -> UnknownMunicipality:
        shown = "" if query is None else str(query).strip()
        too_long = len(shown) > MAX_NAME  # shown cut, and no suggestions for it
        if too_long:
            shown = shown[:MAX_NAME] + "…"
        suggestions = self.suggestions(shown) if shown and not too_long and _may_suggest() else []
        if suggestions:
            names = " eller ".join(m.name for m in suggestions)
            hint = f" Menar du {names}?"
        else:
            hint = ""
        message = (
            f"Okänd kommun: '{shown}'.{hint} Ange kommunens namn eller "
            "fyrsiffriga kommunkod (till exempel Göteborg eller 1480)."
        )
        return UnknownMunicipality(message, query=query, suggestions=suggestions)
