"""What a reader now sees differently in a workbook, in Swedish, in reading order: the lines
``verify`` prints, from the listing kept in the control sheet and the listing of the file now."""

from __future__ import annotations

from . import canonical


def _key(r: list) -> tuple:
    if r[0] == "cell":
        return ("cell", r[1], r[2])
    if r[0] == "bok":
        return tuple(r[:3])
    if r[2] in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        return tuple(r[:4])
    if r[2] in ("skydd", "utskriftsområde", "utskriftsrubriker", "standardstorlek", "visning", "utskriftsskala"):
        return tuple(r[:3])
    if r[2] in ("radhöjd", "kolumnbredd"):
        return tuple(r[:4])
    return tuple(r)


def describe(before: list[list], after: list[list]) -> list[str]:
    """What a reader now sees differently, in Swedish, in reading order."""
    old, new = {_key(r): r for r in before}, {_key(r): r for r in after}
    out = []
    for k in sorted(set(old) | set(new), key=_order):
        a, b = old.get(k), new.get(k)
        if a != b:
            out.append(_line(k, a, b))
    return out


def _order(k: tuple) -> tuple:
    if k[0] == "cell":
        letters = k[2].rstrip("0123456789")
        return (1, k[1], int(k[2][len(letters):]), letters.rjust(3))
    return (0, str(k[1]), str(k[2:]))


FONT = ("typsnitt", "storlek", "fet", "kursiv", "understruken", "genomstruken", "färg", "upphöjd/nedsänkt")
PLACEMENT = ("vågrät justering", "lodrät justering", "indrag", "radbrytning", "krymp till storlek", "textriktning")


def _fill(x) -> str:
    if isinstance(x, list):
        return " ".join(x[1:] if x[:1] == ["solid"] else x)
    return x


def _line(k: tuple, a: list | None, b: list | None) -> str:
    if k[0] == "cell":
        ref = f"{k[1]}!{k[2]}"
        if a is None:
            return f"{ref}: ny {canonical.shown(b[5], b[4])}"
        if b is None:
            return f"{ref}: var {canonical.shown(a[5], a[4])}, är tom"
        if a[3:5] != b[3:5]:
            kind = " (nu en formel)" if b[3] == "formel" else ""
            return f"{ref}: {canonical.shown(a[5], a[4])} → {canonical.shown(b[5], b[4])}{kind}"
        parts = []
        if a[5] != b[5]:
            parts.append(f"talformatet ändrat: visas nu {canonical.shown(b[5], b[4])}, var {canonical.shown(a[5], a[4])}")
        parts += [f"{label} {y} (var {x})" for label, x, y in zip(FONT, a[6], b[6]) if x != y]
        if a[7] != b[7]:
            parts.append(f"fyllning {_fill(b[7]) or 'ingen'} (var {_fill(a[7]) or 'ingen'})")
        if a[8] != b[8]:
            parts.append("kantlinjerna ändrade")
        if a[9] != b[9]:
            parts.append(f"kommentar '{b[9]}'" if b[9] else "kommentaren borttagen")
        if a[10] != b[10]:
            parts.append(f"länk {b[10]}" if b[10] else "länken borttagen")
        if a[11:] != b[11:]:
            parts += [f"{label} {y} (var {x})" for label, x, y in zip(PLACEMENT, a[11], b[11]) if x != y]
        return f"{ref}: " + "; ".join(parts)
    if k[0] == "bok" and k[1] == "blad":
        return (f"Bladet {k[2]} finns inte längre." if b is None else f"Bladet {k[2]} är nytt." if a is None
                else f"Bladet {k[2]} är nu {'dolt' if b[3] == 'dolt' else 'synligt'}.")
    if k[0] == "bok":
        return f"Namnet {k[2]} är {'nytt' if a is None else 'borttaget' if b is None else 'ändrat'}."
    sheet, what = k[1], k[2]
    if what == "skydd":
        return f"Blad {sheet}: bladskyddet är borttaget." if b and b[3] == "av" else f"Blad {sheet}: bladskyddet är ändrat."
    if "Header" in what or "Footer" in what:
        place = "sidhuvudet är ändrat" if "Header" in what else "sidfoten är ändrad"
        return f"Blad {sheet}: {place}: '{b[4] if b else ''}' (var '{a[4] if a else ''}')."
    if what in ("radhöjd", "kolumnbredd"):
        thing, unit = ("rad", "punkter") if what == "radhöjd" else ("kolumn", "tecken")
        size = "höjd" if what == "radhöjd" else "bredd"
        def amount(r):
            return format(r[4], "g").replace(".", ",") if r else ("15" if what == "radhöjd" else "standard")
        return f"Blad {sheet}: {thing} {k[3]} har {size}en {amount(b)} {unit} (var {amount(a)})."
    if what in ("dold rad", "dold kolumn"):
        thing = "rad" if what == "dold rad" else "kolumn"
        return f"Blad {sheet}: {thing} {k[3]} är {'dold' if b else 'synlig igen'}."
    if what == "villkorsformat":
        rule = ", ".join(str(x) for x in (b or a)[4:] if x != "")
        return f"Blad {sheet}: villkorsstyrd formatering {'ny' if b else 'borttagen'} på {k[3]} ({rule})."
    now = ", ".join(str(x) for x in (b or a)[3:] if x != "") or "inget"
    return f"Blad {sheet}: {what} är ändrat{'' if b else ' (borttaget)'}: {now}."
