"""make mutation: the score of a finished ``mutmut run``, by module, with equivalents known by content.

An equivalent mutant (one that cannot change what the product computes, shows
or refuses) is listed in ``equivalent.toml`` beside this file by *what it
changes*: the function and the source lines mutmut removed and added, never
by mutmut's running number, which names another mutant as soon as the code
above it changes. Every entry must still name a mutant that survives: an
entry that matches none (the code changed, or a test now kills it) is stale
and fails the run, so the list is re-checked each time the score is.

Prints the survivors with their diffs, one line per module, and ends with
``mutation score: K/M killed (P %)``. Exits 1 when the score is below the goal
(90 %), when an entry is stale, or when README.md's table of the figures by
module (between the ``mutation-score`` markers) differs from this run's;
``--readme`` writes this run's table into README.md instead.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from mutmut.__main__ import SourceFileMutationData, status_by_exit_code, walk_mutatable_files
from mutmut.mutation.diff_apply import get_diff_for_mutant

GOAL = 90.0
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
README = ROOT / "README.md"
BEGIN, END = "<!-- mutation-score -->", "<!-- /mutation-score -->"
CAUGHT = ("killed", "timeout")  # a mutant that makes the suite fail or hang is caught either way


def change(diff: str) -> tuple[str, str]:
    """(removed, added): the changed lines of a mutant's diff, stripped, one per line."""
    lines = [ln for ln in diff.splitlines() if not ln.startswith(("---", "+++", "@@"))]
    removed = "\n".join(ln[1:].strip() for ln in lines if ln.startswith("-"))
    added = "\n".join(ln[1:].strip() for ln in lines if ln.startswith("+"))
    return removed, added


def function_of(mutant: str) -> str:
    """skr_fee.rules.split.x__leaves__mutmut_5 -> skr_fee.rules.split.x__leaves"""
    return mutant.rpartition("__mutmut_")[0]


def module_of(mutant: str) -> str:
    return mutant.rpartition(".x")[0] if ".x" in mutant else mutant.rpartition(".")[0]


def mutants() -> dict[str, tuple[str, Path]]:
    """Every mutant of the last run: name -> (status, the mutated file)."""
    out = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in data.exit_code_by_key.items():
            out[name] = (status_by_exit_code[code], path)
    return out


def main(argv=None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--readme", action="store_true", help="write this run's table into README.md")
    opts = args.parse_args(argv)
    status = mutants()
    unchecked = sum(1 for s, _ in status.values() if s == "not checked")
    if unchecked:  # the run stopped early: its tests failed before any mutant was tried
        print(f"mutmut run did not finish: {unchecked} of {len(status)} mutants not checked "
              "(run .venv/bin/mutmut run to see why)")
        return 1
    survivors = {n: s for n, (s, _) in status.items() if s not in CAUGHT}
    diffs = {n: get_diff_for_mutant(n, path=status[n][1]) for n in survivors}
    entries = tomllib.loads((HERE / "equivalent.toml").read_text(encoding="utf-8")).get("equivalent", [])
    content = {n: (function_of(n), *change(d)) for n, d in diffs.items()}
    equivalent, stale = set(), []
    for e in entries:
        key = (e["function"], e["removed"].strip(), e["added"].strip())
        matched = [n for n, k in content.items() if k == key]
        if not matched:
            stale.append(e)
        equivalent.update(matched)
    counted = {n: s for n, (s, _) in status.items() if n not in equivalent}
    table = by_module(counted)
    print(f"equivalent mutants left out: {len(equivalent)} ({len(entries)} entries, tests/mutation/equivalent.toml)")
    for e in stale:
        print(f"  STALE, matches no surviving mutant: {e['function']}: {e['removed']!r} -> {e['added']!r}")
    left = sorted(n for n in survivors if n not in equivalent)
    print(f"survivors ({len(left)}):")
    for name in left:
        print(f"  {name}: {survivors[name]}")
        print("\n".join("      " + ln for ln in diffs[name].splitlines()[2:]))
    print(table)
    killed = sum(1 for s in counted.values() if s in CAUGHT)
    score = 100.0 * killed / len(counted) if counted else 0.0
    print(f"mutation score: {killed}/{len(counted)} killed ({score:.1f} %)")
    return _readme(table, opts.readme) or (1 if stale or score < GOAL else 0)


def by_module(counted: dict[str, str]) -> str:
    """The README's table: killed, counted and the score per module and in all."""
    killed, total = Counter(), Counter()
    for name, s in counted.items():
        total[module_of(name)] += 1
        killed[module_of(name)] += s in CAUGHT
    rows = ["| Modul | Dödade | Räknade | Andel |", "|---|---:|---:|---:|"]
    for m in sorted(total):
        rows.append(f"| `{m}` | {killed[m]} | {total[m]} | {_pct(killed[m], total[m])} |")
    k, t = sum(killed.values()), sum(total.values())
    rows.append(f"| **alla** | {k} | {t} | {_pct(k, t)} |")
    return "\n".join(rows)


def _pct(k: int, t: int) -> str:
    return f"{100 * k / t:.1f} %".replace(".", ",") if t else "–"


def _readme(table: str, write: bool) -> int:
    text = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), re.S)
    m = pattern.search(text)
    if m is None:
        print(f"README.md saknar markeringarna {BEGIN} … {END}")
        return 1
    if write:
        README.write_text(text[:m.start(1)] + table + "\n" + text[m.end(1):], encoding="utf-8")
        print("README.md: tabellen är uppdaterad")
        return 0
    if m.group(1).strip() != table.strip():
        print("README.md: tabellen per modul stämmer inte med den här körningen; "
              "python tests/mutation/report.py --readme skriver in den")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
