"""The Swedish argument parser every command is built on, and options commands share."""

from __future__ import annotations

import argparse
import re
import sys

EXIT_ERROR = 1
EXIT_USAGE = 2

# argparse has no Swedish catalogue: its few messages a user meets, translated.
_ARGPARSE_SV = [
    (r"the following arguments are required: (.*)", r"argument saknas: \1"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"argument \1: ogiltigt val \2 (välj bland \3)"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"argument \1: ogiltigt värde \3"),
    (r"argument (\S+): expected one argument", r"argument \1: ett värde behövs"),
    (r"unrecognized arguments: (.*)", r"okända argument: \1"),
    (r"invalid choice: (.*)", r"ogiltigt val: \1"),
]


class SwedishParser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D401 - argparse's hook
        for pattern, repl in _ARGPARSE_SV:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, repl, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"skr-fee: fel: {message}\n")


def what_if(p: argparse.ArgumentParser) -> None:
    """--year, --preliminary, --med and --utan: which table a command computes from."""
    p.add_argument("--year", "--ar", dest="year", help="avgiftsår (standard: senaste år med folkmängd)")
    p.add_argument("--preliminar", "--preliminär", "--preliminary", dest="preliminary", action="store_true",
                   help="saknas årets folkmängd: räkna med den senaste och märk allt som preliminärt")
    p.add_argument("--med", action="append", default=[], metavar="KOMMUN",
                   help="räkna som om KOMMUN deltog (kan upprepas)")
    p.add_argument("--utan", action="append", default=[], metavar="KOMMUN",
                   help="räkna som om KOMMUN inte deltog (kan upprepas)")


def table_of(args):
    """The fee table a command's --year/--preliminary/--med/--utan ask for; a preliminary note on stderr."""
    from ..data.tables import fee_table

    table = fee_table(args.year, args.med, args.utan, args.preliminary)
    note = preliminary_note(table)
    if note:
        print(note, file=sys.stderr)
    return table


def preliminary_note(table) -> str | None:
    if not table.preliminary:
        return None
    wanted = table.period.population_date(table.year)
    return (f"PRELIMINÄR: folkmängd per {wanted.isoformat()} saknas; beräknat med folkmängd per "
            f"{table.population_date.isoformat()}.")


def print_seal(password: str, generated: bool, fp: str) -> None:
    if generated:
        print(f"Lösenord för skyddet (visas bara nu, spara det): {password}")
    print(f"Fingeravtryck (SHA-256): {fp}")
