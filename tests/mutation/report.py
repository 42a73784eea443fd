"""make mutation: the score of a finished ``mutmut run`` over the rules and the fingerprint.

Reads ``mutmut results --all true``, leaves out the mutants listed as
equivalent (with a reason each) in ``equivalent.toml`` beside this file, and
ends with one line ``mutation score: K/M killed (P %)`` and the survivors.
Exits 1 when the score is below the goal (90 %).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

GOAL = 90.0
HERE = Path(__file__).resolve().parent


def main() -> int:
    mutmut = Path(sys.executable).parent / "mutmut"
    out = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    status = {}
    for line in out.splitlines():
        name, sep, state = line.strip().rpartition(": ")
        if sep:
            status[name] = state
    equivalent = tomllib.loads((HERE / "equivalent.toml").read_text(encoding="utf-8")).get("mutant", {})
    unknown = sorted(set(equivalent) - set(status))
    counted = {n: s for n, s in status.items() if n not in equivalent}
    killed = sum(1 for s in counted.values() if s == "killed")
    survivors = sorted(n for n, s in counted.items() if s != "killed")
    total = len(counted)
    score = 100.0 * killed / total if total else 0.0
    print(f"equivalent mutants left out: {len(equivalent)} (tests/mutation/equivalent.toml)")
    for name in unknown:
        print(f"  listed as equivalent but not generated any more: {name}")
    print(f"survivors ({len(survivors)}):")
    for name in survivors:
        print(f"  {name}: {counted[name]}")
    print(f"mutation score: {killed}/{total} killed ({score:.1f} %)")
    return 0 if score >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
