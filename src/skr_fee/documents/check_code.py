"""How a check code (kontrollsumma) is written and read back from a decision text.

Form 2, issued from version 0.2: the first 130 bits of the SHA-256 in
Crockford's base32 (``0-9`` and ``A-Z`` without ``I``, ``L``, ``O``, ``U``:
no two characters look alike), then one check symbol, in nine groups of three:
``7KQ-F2M-...``. The check symbol is the last of a Damm-style check over the
field of 32 elements (x^5 + x^2 + 1, multiplier x): every single wrong
character and every swap of two neighbours changes it, so a mistyped code is
reported as mistyped, never as another annex. Read back, ``O`` is ``0`` and
``I``/``L`` are ``1``; spaces, any kind of hyphen, lower case and the words of
a pasted sentence around it are ignored.

Form 1, issued before: the first 160 bits in RFC 4648's base32 (``A-Z2-7``),
groups of four, no check symbol. Such codes keep verifying; one that differs
from the file's by one character or a swap of neighbours is called mistyped
(a different annex with a code that close cannot be made).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
READ_AS = {"O": "0", "I": "1", "L": "1"}
BITS = 130  # 26 characters of 5 bits: at least the 128 docs/kontrollsumma.md argues for
DATA_CHARS = BITS // 5
LENGTH = DATA_CHARS + 1
GROUP = 3
OLD_LENGTH = 32
CURRENT_FORM = 2  # the form stamped now; form 1 is only read
_POLY = 0b100101  # x^5 + x^2 + 1, primitive
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"


def _times_x(v: int) -> int:
    v <<= 1
    return v ^ _POLY if v & 0b100000 else v


def _interim(digits: list[int]) -> int:
    acc = 0
    for d in digits:
        acc = _times_x(acc) ^ d
    return acc


def check_symbol(digits: list[int]) -> int:
    """The symbol that makes the whole code's interim zero."""
    return _times_x(_interim(digits))


def encode(digest: bytes) -> str:
    """Form 2: the first 130 bits of ``digest``, a check symbol, groups of three."""
    n = int.from_bytes(digest[:17], "big") >> (17 * 8 - BITS)
    digits = [(n >> (5 * (DATA_CHARS - 1 - i))) & 31 for i in range(DATA_CHARS)]
    raw = "".join(ALPHABET[d] for d in digits + [check_symbol(digits)])
    return "-".join(raw[i:i + GROUP] for i in range(0, LENGTH, GROUP))


def encode_old(digest: bytes) -> str:
    """Form 1: the first 160 bits in RFC 4648 base32, groups of four."""
    raw = base64.b32encode(digest[:20]).decode().rstrip("=")
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def form_of(code: str) -> int:
    return 1 if len(_alnum(code)) == OLD_LENGTH else CURRENT_FORM


def _alnum(text: str) -> str:
    return "".join(ch for ch in str(text).upper() if ch.isascii() and ch.isalnum())


def _valid(raw: str) -> bool:
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return False
    return _interim([ALPHABET.index(ch) for ch in raw]) == 0


def _candidates(text: str) -> list[str]:
    """The code in what someone typed or pasted: the longest run of code-like words, and that
    run trimmed of plain words at either end ("kontrollsumman", "är", a full stop)."""
    for dash in DASHES:
        text = text.replace(dash, "-")
    words = [w.strip(".,:;!?\"'()[]\u201d\u201c\u00bb\u00ab") for w in str(text).split()]
    code_like = [bool(w) and (bool(re.fullmatch(r"[0-9A-Za-z]{1,4}(-[0-9A-Za-z]{1,4})*-?", w))
                              or len(_alnum(w)) in (LENGTH, OLD_LENGTH)) for w in words]
    runs, start = [], None
    for i, ok in enumerate(code_like + [False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            runs.append(words[start:i])
            start = None
    out = []
    for run in sorted(runs, key=lambda r: -len("".join(r))):
        for a in range(len(run)):
            for b in range(len(run), a, -1):
                out.append(_alnum("".join(run[a:b])))
    return out or [_alnum(text)]


@dataclass(frozen=True)
class Reading:
    """A code as read from a decision text: ``code`` in its printed form when it is well formed,
    else None and ``problem`` says what is wrong, in Swedish."""

    code: str | None
    typed: str
    problem: str = ""


def read(text: str, expected_form: int = CURRENT_FORM) -> Reading:
    """Read a quoted code; ``expected_form`` is the form of the code the file states."""
    typed = " ".join(str(text).split())[:200]
    candidates = _candidates(str(text)[:1000])
    if expected_form == 1:
        for raw in candidates:
            if len(raw) == OLD_LENGTH:
                raw = raw.replace("0", "O").replace("1", "I")
                return Reading("-".join(raw[i:i + 4] for i in range(0, OLD_LENGTH, 4)), typed)
    for raw in candidates:
        fixed = "".join(READ_AS.get(ch, ch) for ch in raw)
        if _valid(fixed):
            return Reading("-".join(fixed[i:i + GROUP] for i in range(0, LENGTH, GROUP)), typed)
    longest = next((c for c in candidates if len(c) == LENGTH), max(candidates, key=len))
    if len(longest) == OLD_LENGTH:
        raw = longest.replace("0", "O")
        return Reading("-".join(raw[i:i + 4] for i in range(0, OLD_LENGTH, 4)), typed)
    if len(longest) != LENGTH:
        return Reading(None, typed, f"den har {len(longest)} tecken, en kontrollsumma har {LENGTH} "
                                    f"(nio grupper om tre, t.ex. 7KQ-F2M-…)")
    bad = sorted({ch for ch in longest if ch not in ALPHABET and ch not in READ_AS})
    if bad:
        return Reading(None, typed, f"tecknet {', '.join(bad)} förekommer inte i en kontrollsumma")
    return Reading(None, typed, "kontrolltecknet stämmer inte: ett tecken är fel eller två tecken har bytt plats")


def near(a: str, b: str) -> bool:
    """One character different, or two neighbours swapped (form 1 codes, which have no check
    symbol)."""
    x, y = _alnum(a), _alnum(b)
    if len(x) != len(y) or x == y:
        return False
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                              and x[diff[0]] == y[diff[1]] and x[diff[1]] == y[diff[0]])
