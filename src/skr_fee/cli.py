"""The command line, ``skr-fee``, in Swedish.

Every error the user can cause ends as one Swedish line on stderr and a
non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Sequence

from . import __version__, formatting
from .errors import SkrFeeError
from .fees import Fee, fee_table, to_decimal

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


def _what_if(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", "--ar", dest="year", help="avgiftsår (standard: senaste år med folkmängd)")
    p.add_argument("--med", action="append", default=[], metavar="KOMMUN",
                   help="räkna som om KOMMUN deltog (kan upprepas)")
    p.add_argument("--utan", action="append", default=[], metavar="KOMMUN",
                   help="räkna som om KOMMUN inte deltog (kan upprepas)")


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishParser(
        prog="skr-fee",
        description="SKR:s tilläggsfinansiering för en kunskapsbaserad socialtjänst: "
        "avgift per kommun, fördelning och bilaga.",
    )
    parser.add_argument("--version", action="version", version=f"skr-fee {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=SwedishParser)
    sub.required = True

    p = sub.add_parser("fee", help="en kommuns avgift för ett år")
    p.add_argument("kommun", help="kommunens namn eller kod, t.ex. Göteborg eller 1480")
    _what_if(p)
    p.set_defaults(func=cmd_fee)

    p = sub.add_parser("table", help="SKR:s tabell över alla kommuners avgifter")
    _what_if(p)
    p.add_argument("--format", choices=["csv", "xlsx"], default=None,
                   help="csv (standard) eller xlsx; xlsx kräver -o")
    p.add_argument("-o", "--output", metavar="FIL", help="skriv till FIL i stället för standard ut")
    p.set_defaults(func=cmd_table)
    return parser


def _fee_lines(f: Fee) -> list[str]:
    p = f.period
    name = f"{f.municipality.name} ({f.municipality.code})" if f.municipality else "Tänkt kommun"
    lines = [
        f"{name}, avgiftsår {f.year} (rekommendation {p.name})",
        f"  Folkmängd {formatting.long_date(f.population_date)}:  {formatting.number(f.population)} invånare",
    ]
    if f.discounted:
        lines.append(f"  Viktad folkmängd:  {formatting.quantity(f.weighted)} ({p.discount.description})")
    else:
        lines.append(f"  Viktad folkmängd:  {formatting.quantity(f.weighted)} (ingen rabatt)")
    lines.append(f"  Avgift per viktad invånare:  {formatting.kr(to_decimal(f.rate, 7), 7)}")
    lines.append("")
    width = max(len(i.name) for i in f.invoices + f.areas) + 4
    for i in f.invoices:
        lines.append(f"  {i.name:<{width}}{formatting.kr(i.amount):>14}")
    lines.append(f"  {'Totalt':<{width}}{formatting.kr(f.total):>14}")
    if f.invoiced != f.total:
        lines.append(f"  (fakturorna summerar till {formatting.kr(f.invoiced)}; varje belopp är avrundat för sig)")
    lines.append("")
    lines.append("  Per område:")
    for a in f.areas:
        indent = "    " * (a.level + 1)
        lines.append(f"{indent}{a.name:<{width - 4 * a.level}}{formatting.kr(a.amount):>14}")
    return lines


def cmd_fee(args) -> int:
    table = fee_table(args.year, args.med, args.utan)
    f = table.fee(args.kommun)
    print("\n".join(_fee_lines(f)))
    if args.med or args.utan:
        print(f"\n  Obs: beräknat med ändrat deltagande ({len(table.participants)} kommuner).")
    return 0


def cmd_table(args) -> int:
    from . import national_table

    table = fee_table(args.year, args.med, args.utan)
    fmt = args.format or ("xlsx" if args.output and args.output.lower().endswith(".xlsx") else "csv")
    if fmt == "xlsx":
        if not args.output:
            raise SkrFeeError("Ange en fil med -o för xlsx, till exempel -o avgifter_2025.xlsx.")
        national_table.write_xlsx(table, args.output)
        print(f"Skrev {args.output}: {len(table.fees)} kommuner, avgiftsår {table.year}.", file=sys.stderr)
    elif args.output:
        from .output import atomic_path

        with atomic_path(args.output) as tmp:
            tmp.write_text(national_table.to_csv(table), encoding="utf-8")
        print(f"Skrev {args.output}: {len(table.fees)} kommuner, avgiftsår {table.year}.", file=sys.stderr)
    else:
        sys.stdout.write(national_table.to_csv(table))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except SkrFeeError as e:
        print(f"skr-fee: {e.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("skr-fee: avbrutet.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
