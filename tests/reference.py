"""An independent computation of SKR's fees, for expected values in the tests.

Written from DOMAIN.md's rules alone, in plain fractions, reading SCB's
published files and the participation list in ../shared/data with the csv
module: nothing here imports the product. Where a test needs a figure that
neither SKR's table nor DOMAIN.md prints (a what-if, a whole year's table),
it comes from here.

- 2025–2028: w = population × 0.9 above 200 000, else population;
  rate = min(19 500 000 / Σw, 1.95); each amount = rate × w × part / 19.5 mkr,
  rounded half up (Faktura 1 = 6.0 mkr, Faktura 2 = 13.5 mkr, Totalt on its own).
- 2020–2024: a flat 1.95 kr × population, × 0.9 for the four largest municipalities.
"""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

SHARED = next(p / "shared" / "data" for p in Path(__file__).resolve().parents if (p / "shared" / "data").is_dir())
TOTAL = 19_500_000
CAP = Fraction(195, 100)
INVOICES = (6_000_000, 13_500_000)


def half_up(x: Fraction) -> int:
    """Round half up, for non-negative x: the integer part of x + 1/2."""
    assert x >= 0
    x = x + Fraction(1, 2)
    return x.numerator // x.denominator


def population(year: int) -> dict[str, int]:
    """SCB's published population per municipality on 31 December ``year``."""
    with open(SHARED / f"folkmangd_{year}-12-31.csv", encoding="utf-8", newline="") as f:
        return {r["kommunkod"]: int(r["folkmangd"]) for r in csv.DictReader(f)}


def participants_2025_2028() -> set[str]:
    with open(SHARED / "deltagare_2025-2028.csv", encoding="utf-8", newline="") as f:
        return {r["kommunkod"] for r in csv.DictReader(f) if r["deltar"] == "1"}


def names() -> dict[str, str]:
    with open(SHARED / "deltagare_2025-2028.csv", encoding="utf-8", newline="") as f:
        return {r["kommunkod"]: r["kommun"] for r in csv.DictReader(f)}


def weighted(n: int) -> Fraction:
    return Fraction(n) * Fraction(9, 10) if n > 200_000 else Fraction(n)


def shared_out(pop: dict[str, int], codes: set[str]) -> dict[str, tuple[int, int, int]]:
    """2025–2028: code -> (Faktura 1, Faktura 2, Totalt) for every participant."""
    w_sum = sum(weighted(pop[c]) for c in codes)
    rate = min(Fraction(TOTAL) / w_sum, CAP)
    out = {}
    for c in codes:
        fee = rate * weighted(pop[c])
        f1, f2 = (half_up(fee * part / TOTAL) for part in INVOICES)
        out[c] = (f1, f2, half_up(fee))
    return out


def rate_2025_2028(pop: dict[str, int], codes: set[str]) -> Fraction:
    return min(Fraction(TOTAL) / sum(weighted(pop[c]) for c in codes), CAP)


def flat(pop: dict[str, int]) -> dict[str, int]:
    """2020–2024: code -> the fee, 1.95 kr per inhabitant, the four largest 10 % off."""
    largest = set(sorted(pop, key=lambda c: -pop[c])[:4])
    return {c: half_up(Fraction(n) * CAP * (Fraction(9, 10) if c in largest else 1)) for c, n in pop.items()}


def excel_password_matches(password: str, salt_b64: str, hash_b64: str, spin_count: int) -> bool:
    """ECMA-376's agile password check, from the standard (not the product's code): H0 =
    SHA-512(salt + password in UTF-16LE), then Hn = SHA-512(Hn-1 + n as 4 bytes little-endian)."""
    import base64
    import hashlib

    digest = hashlib.sha512(base64.b64decode(salt_b64) + password.encode("utf-16-le")).digest()
    for n in range(spin_count):
        digest = hashlib.sha512(digest + n.to_bytes(4, "little")).digest()
    return digest == base64.b64decode(hash_b64)
