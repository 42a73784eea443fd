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
    (r"ambiguous option: (\S+) could match (.*)", r"tvetydig flagga: \1 kan vara \2"),
    (r"argument (\S+): not allowed with argument (.*)", r"argument \1: kan inte användas med \2"),
    (r"argument (\S+): expected at least one argument", r"argument \1: minst ett värde behövs"),
    (r"invalid choice: (.*)", r"ogiltigt val: \1"),
]


# Each command by its Swedish name, with the names it also answers to: the English ones the
# commands had until version 0.1 (so nothing a user wrote breaks) and spellings without å, ä, ö.
COMMANDS = {
    "avgift": ("fee",),
    "tabell": ("table",),
    "jämför": ("jamfor", "compare"),
    "bilaga": ("annex",),
    "fördela": ("fordela", "split"),
    "kontrollera": ("verify",),
    "importera-scb": ("import-scb",),
    "hämta-scb": ("hamta-scb",),
    "importera-deltagare": ("import-deltagare",),
    "data": (),
    "server": ("serve",),
}


def command(sub, name: str, **kwargs) -> argparse.ArgumentParser:
    """The subcommand ``name`` (a key of COMMANDS) with its other names."""
    return sub.add_parser(name, aliases=list(COMMANDS[name]), **kwargs)


class SwedishFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class SwedishParser(argparse.ArgumentParser):
    """argparse with its own words in Swedish: usage, the group titles, the help flag, its errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", SwedishFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "visa den här hjälpen och avsluta"

    def error(self, message: str):  # noqa: D401 - argparse's hook
        original = message
        for pattern, repl in _ARGPARSE_SV:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, repl, message)
                break
        year = re.fullmatch(r"unrecognized arguments: .*?\b((?:19|20)\d\d)\b.*", original)
        if year:  # a year written after the municipality, as one says it
            message += f". Året anges med --år, t.ex. --år {year.group(1)}"
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"skr-fee: fel: {message}\n")


def what_if(p: argparse.ArgumentParser) -> None:
    """--år, --preliminär, --med and --utan: which table a command computes from."""
    p.add_argument("--år", "--ar", "--year", dest="year", metavar="ÅR",
                   help="avgiftsår, t.ex. 2027 (standard: det senaste år vars folkmängd finns; det skrivs ut)")
    p.add_argument("--preliminär", "--preliminar", "--preliminary", dest="preliminary", action="store_true",
                   help="saknas årets folkmängd: räkna med den senaste och märk allt som preliminärt")
    p.add_argument("--med", action="append", default=[], metavar="KOMMUN",
                   help="räkna som om KOMMUN deltog (kan upprepas)")
    p.add_argument("--utan", action="append", default=[], metavar="KOMMUN",
                   help="räkna som om KOMMUN inte deltog (kan upprepas)")


def table_of(args):
    """The fee table a command's --år/--preliminär/--med/--utan ask for; a preliminary note on stderr."""
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


def write_out(output: str | None, text: str) -> bool:
    """``text`` to the file ``output`` (whole or not at all), or to standard out; True when to a file."""
    if not output:
        sys.stdout.write(text)
        return False
    from ..data.atomic import atomic_path

    with atomic_path(output) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return True


def print_seal(password: str, generated: bool, code: str, what: str = "Bilagan") -> None:
    if generated:
        print(f"Lösenord för skyddet (visas bara nu, spara det): {password}")
    print(f"Kontrollsumma: {code}")
    print(f"  Skriv i tjänsteutlåtandet: \"{what} har kontrollsumman {code}.\" "
          f"Kontrollera en fil mot den med: skr-fee kontrollera FIL --kontrollsumma {code}")
