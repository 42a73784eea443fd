"""The annex's words, in one place: the xlsx, the Word annex and its PDF say the same thing.

Written for the board that reads the annex, not for its author: no commands,
no instructions, no SCB table codes; the municipality by the name it uses for
itself (kommunnamn.csv, or the key's ``kommunnamn``).
"""

from __future__ import annotations

from . import formatting

SUMS = "Indragna rader är delar av nämnden ovanför; nämndens rad visar summan av delarna."
CODE_NOTE = ("Kontrollsumman gäller bilagans xlsx-fil och står i beslutet; det här dokumentet återger "
             "bilagan.")
INVOICED = "Faktura 1 + Faktura 2"
TOTAL = "Totalt enligt SKR:s tabell"


def own_name(municipality, key) -> str:
    """"Göteborgs Stad", "Kungsbacka kommun", "Region Gotland": the key's, else the shipped one."""
    return (getattr(key, "own_name", None) or municipality.called).strip()


def genitive(name: str) -> str:
    """Swedish genitive: Kungsbacka kommuns, Göteborgs Stads, Region Gotlands (no s after s, x, z)."""
    return name if name[-1:].lower() in ("s", "x", "z") else name + "s"


def title(name: str, year: int, preliminary: bool) -> str:
    return (("PRELIMINÄR " if preliminary else "")
            + f"Bilaga: {genitive(name)} avgift till SKR {year} och fördelning per nämnd")


def intro(name: str, code: str, period_name: str) -> str:
    return (f"SKR:s tilläggsfinansiering för en kunskapsbaserad socialtjänst, rekommendation {period_name}. "
            f"{name}, kommunkod {code}.")


def population_source(table, fee) -> str:
    """Plain words: "SCB, folkmängd 31 december 2023" (an imported file: its source, same form)."""
    source = table.population.source
    who = "SCB" if source.startswith("SCB") else source.split("(")[0].split(",")[0].strip()
    return f"{who}, folkmängd {formatting.long_date(fee.population_date)}"


def rounding(unit: int) -> str:
    if unit == 1:
        return ("Beloppen är hela kronor. Varje nämnd får först sin andel avrundad nedåt till hela kronor; "
                "de kronor som då återstår går en i taget till de nämnder vars andelar avrundades ned mest. "
                "Summan blir därför exakt beloppet att fördela.")
    return ("Beloppen är avrundade nedåt till hela hundratal kronor; de hundralappar som då återstår går till "
            "de nämnder vars andelar avrundades ned mest, och de sista kronorna under hundra till den nämnd "
            "som avrundades ned mest. Summan blir därför exakt beloppet att fördela.")


def basis(basis_name: str) -> str:
    return INVOICED if basis_name == "fakturerat" else TOTAL


def invoice_parts(name: str) -> tuple[str, str]:
    """("Faktura 1", "kvalitetsregister") from SKR's "Faktura 1, kvalitetsregister"."""
    head, _, what = name.partition(",")
    return head.strip(), what.strip()
