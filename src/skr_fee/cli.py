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
    p.add_argument("--preliminary", "--preliminar", dest="preliminary", action="store_true",
                   help="saknas årets folkmängd: räkna med den senaste och märk allt som preliminärt")
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
    parser.add_argument("--data", metavar="MAPP",
                        help="mapp för importerade data (standard: användarens datamapp; även SKR_FEE_DATA)")
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
    p.add_argument("--password", "--losenord", dest="password", metavar="LÖSENORD",
                   help="lösenord för skyddet av xlsx (utelämnat: ett skapas och skrivs ut en gång)")
    p.set_defaults(func=cmd_table)

    p = sub.add_parser("annex", help="låst bilaga med avgift och fördelning per nämnd (xlsx, PDF)")
    p.add_argument("kommun", help="kommunens namn eller kod")
    _what_if(p)
    p.add_argument("--key", "--nyckel", dest="key", required=True, metavar="NYCKELFIL",
                   help="fördelningsnyckel (TOML), t.ex. keys/goteborg.toml")
    p.add_argument("-o", "--output", required=True, metavar="FIL.xlsx", help="bilagans xlsx-fil")
    p.add_argument("--pdf", action="store_true", help="skriv även FIL.pdf (PDF/A, via LibreOffice)")
    p.add_argument("--password", "--losenord", dest="password", metavar="LÖSENORD",
                   help="lösenord för skyddet (utelämnat: ett skapas och skrivs ut en gång)")
    p.add_argument("--grund", choices=["fakturerat", "totalt"], default=None,
                   help="belopp att fördela: fakturerat (Faktura 1 + 2, standard) eller totalt")
    p.add_argument("--avrunda", type=int, choices=[1, 100], default=1,
                   help="fördela i hela kronor (1, standard) eller hundratal (100)")
    p.set_defaults(func=cmd_annex)

    p = sub.add_parser("split", help="fördela en avgift eller ett belopp med en nyckel")
    p.add_argument("kommun", nargs="?", help="kommunens namn eller kod (utelämnas med --belopp)")
    _what_if(p)
    p.add_argument("--key", "--nyckel", dest="key", required=True, metavar="NYCKELFIL")
    p.add_argument("--belopp", type=int, metavar="KRONOR", help="fördela detta belopp i stället för avgiften")
    p.add_argument("--grund", choices=["fakturerat", "totalt"], default=None)
    p.add_argument("--avrunda", type=int, choices=[1, 100], default=1)
    p.add_argument("--som-beslutet", dest="like_decision", action="store_true",
                   help="visa även beslutsunderlagets räknesätt (andelar med två decimaler, "
                   "nedåt till hundratal) och vad det tappar")
    p.set_defaults(func=cmd_split)

    p = sub.add_parser("import-scb", help="importera SCB:s folkmängd (CSV eller xlsx)")
    p.add_argument("file", metavar="FIL")
    p.add_argument("--date", metavar="ÅÅÅÅ-12-31", help="folkmängdens datum, om filen inte anger året")
    p.set_defaults(func=cmd_import_scb)

    p = sub.add_parser("import-deltagare", help="importera vilka kommuner som deltar en period")
    p.add_argument("file", metavar="FIL", help="CSV med kolumnerna kommunkod och deltar (1/0)")
    p.add_argument("--period", required=True, metavar="ÅÅÅÅ-ÅÅÅÅ", help="t.ex. 2025-2028")
    p.set_defaults(func=cmd_import_participants)

    p = sub.add_parser("data", help="visa vilka folkmängder och deltagarlistor som finns")
    p.set_defaults(func=cmd_data)

    p = sub.add_parser("compare", help="jämför avgifter mellan två år")
    p.add_argument("kommun", nargs="?", help="kommunens namn eller kod (eller --all)")
    p.add_argument("--all", "--alla", dest="all", action="store_true", help="alla deltagande kommuner")
    p.add_argument("--from", dest="from_year", required=True, metavar="ÅR")
    p.add_argument("--to", dest="to_year", required=True, metavar="ÅR")
    p.add_argument("--preliminary", "--preliminar", dest="preliminary", action="store_true")
    p.add_argument("--format", choices=["csv", "xlsx"], default=None)
    p.add_argument("-o", "--output", metavar="FIL", help="tabellen till FIL (.csv eller .xlsx)")
    p.add_argument("--chart", "--diagram", dest="chart", metavar="FIL.png", help="diagram som PNG")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("serve", help="starta Excel-tillägget (xlwings Server) för Excel på webben, Windows och Mac")
    p.add_argument("--host", default="127.0.0.1", help="adress att lyssna på (standard 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (standard 8000)")
    p.add_argument("--no-tls", dest="tls", action="store_false",
                   help="vanlig HTTP: för tester och bakom en proxy som sköter TLS")
    p.add_argument("--cert", help="certifikat (PEM); standard addin/server/certs/localhost+2.pem")
    p.add_argument("--cert-key", dest="cert_key", help="certifikatets nyckel (PEM)")
    p.add_argument("--workers", type=int, default=1, help="antal arbetsprocesser (produktion: 2–4 per kärna)")
    p.add_argument("--project", help="xlwings Server-projektet (standard addin/server i repot)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("verify", help="kontrollera att en bilaga eller tabell är oförändrad")
    p.add_argument("file", metavar="FIL.xlsx")
    p.set_defaults(func=cmd_verify)
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


def _preliminary_note(table) -> str | None:
    if not table.preliminary:
        return None
    wanted = table.period.population_date(table.year)
    return (f"PRELIMINÄR: folkmängd per {wanted.isoformat()} saknas; beräknat med folkmängd per "
            f"{table.population_date.isoformat()}.")


def cmd_fee(args) -> int:
    table = fee_table(args.year, args.med, args.utan, args.preliminary)
    f = table.fee(args.kommun)
    note = _preliminary_note(table)
    if note:
        print(note)
    print("\n".join(_fee_lines(f)))
    if args.med or args.utan:
        print(f"\n  Obs: beräknat med ändrat deltagande ({len(table.participants)} kommuner).")
    return 0


def _print_seal(password: str, generated: bool, fp: str) -> None:
    if generated:
        print(f"Lösenord för skyddet (visas bara nu, spara det): {password}")
    print(f"Fingeravtryck (SHA-256): {fp}")


def cmd_table(args) -> int:
    from . import national_table

    table = fee_table(args.year, args.med, args.utan, args.preliminary)
    note = _preliminary_note(table)
    if note:
        print(note, file=sys.stderr)
    fmt = args.format or ("xlsx" if args.output and args.output.lower().endswith(".xlsx") else "csv")
    if fmt == "xlsx":
        if not args.output:
            raise SkrFeeError("Ange en fil med -o för xlsx, till exempel -o avgifter_2025.xlsx.")
        sealed = national_table.write_xlsx(table, args.output, password=args.password)
        print(f"Skrev {args.output}: {len(table.fees)} kommuner, avgiftsår {table.year}.")
        _print_seal(sealed.password, sealed.password_generated, sealed.fingerprint)
    elif args.output:
        from .output import atomic_path

        with atomic_path(args.output) as tmp:
            tmp.write_text(national_table.to_csv(table), encoding="utf-8")
        print(f"Skrev {args.output}: {len(table.fees)} kommuner, avgiftsår {table.year}.", file=sys.stderr)
    else:
        sys.stdout.write(national_table.to_csv(table))
    return 0


def _key_and_fee(args):
    from .allocation import read_key

    key = read_key(args.key)
    table = fee_table(args.year, args.med, args.utan, args.preliminary)
    note = _preliminary_note(table)
    if note:
        print(note, file=sys.stderr)
    return key, table


def cmd_annex(args) -> int:
    from .annex import write_annex

    key, table = _key_and_fee(args)
    f = table.fee(args.kommun)
    r = write_annex(table, f, key, args.output, pdf=args.pdf, password=args.password,
                    basis=args.grund, unit=args.avrunda)
    print(f"Skrev bilagan {r.xlsx}" + (f" och {r.pdf}" if r.pdf else "") +
          f": {f.municipality.name} {f.year}, {formatting.kr(r.allocation.amount)} på "
          f"{len(r.allocation.leaves)} nämnder.")
    _print_seal(r.password, r.password_generated, r.fingerprint)
    return 0


def _split_lines(allocation, title: str) -> list[str]:
    width = max(len(p.board) + 2 * p.level for p in allocation.parts) + 2
    lines = [title]
    for p in allocation.parts:
        label = "  " * p.level + p.board
        lines.append(f"  {label:<{width}}{formatting.kr(p.amount):>14}  {formatting.percent(p.share, 2):>9}")
    lines.append(f"  {'Summa':<{width}}{formatting.kr(allocation.total):>14}")
    return lines


def cmd_split(args) -> int:
    from .allocation import allocate, allocate_like_decision
    from .annex import amount_to_split

    key, table = _key_and_fee(args)
    if args.belopp is not None:
        if args.belopp < 0:
            raise SkrFeeError(f"Beloppet {args.belopp} är negativt. Ange ett belopp i hela kronor, 0 eller mer.")
        amount, what = args.belopp, f"{formatting.kr(args.belopp)}"
    elif args.kommun:
        f = table.fee(args.kommun)
        amount = amount_to_split(f, args.grund or key.basis)
        what = f"{f.municipality.name}s avgift {f.year}, {formatting.kr(amount)}"
    else:
        raise SkrFeeError("Ange en kommun eller ett belopp med --belopp.")
    exact = allocate(amount, key, table.period, args.avrunda)
    print("\n".join(_split_lines(exact, f"{key.name}: {what}, exakt fördelat")))
    if args.like_decision:
        d = allocate_like_decision(amount, key, table.period)
        print()
        print("\n".join(_split_lines(d, "Som i beslutsunderlaget (andelar med två decimaler, nedåt till hundratal)")))
        print(f"  Tappat jämfört med beloppet: {formatting.kr(d.lost)}")
    return 0


def cmd_import_scb(args) -> int:
    from datetime import date

    from .scb import import_file

    day = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise SkrFeeError(f"Ogiltigt datum: '{args.date}'. Skriv t.ex. --date 2024-12-31.") from None
    for r in import_file(args.file, day):
        print(f"Importerade folkmängd per {r.date.isoformat()}: 290 kommuner, "
              f"{formatting.number(r.total)} invånare, sparad i {r.path}.")
        if r.warnings:
            print(f"  Varning: {len(r.warnings)} kommuner ändrades mer än 5 %:")
            for w in r.warnings:
                print(f"    {w}")
    return 0


def cmd_import_participants(args) -> int:
    from .participation_import import import_participants

    path, count = import_participants(args.file, args.period)
    print(f"Importerade deltagarlistan för {args.period}: {count} deltagande kommuner, sparad i {path}.")
    return 0


def cmd_data(args) -> int:
    from . import store
    from .participation import source
    from .periods import periods
    from .population import files

    print(f"Datamapp: {store.data_dir()}")
    print("Folkmängd:")
    for f in files():
        m = f.meta
        if f.shipped:
            print(f"  {f.date.isoformat()}  medföljer skr-avgift (SCB)  {f.path}")
        else:
            print(f"  {f.date.isoformat()}  {m.get('fil', '?')}, importerad {m.get('importerad', '?')}, "
                  f"sha256 {str(m.get('sha256', '?'))[:16]}…  {f.path}")
    print("Deltagare:")
    for p in periods():
        src = source(p)
        print(f"  {p.name}  {src if src else 'alla kommuner (ingen lista importerad)'}")
    return 0


def cmd_compare(args) -> int:
    from .compare import compare, write_chart, write_table

    if bool(args.kommun) == bool(args.all):
        raise SkrFeeError("Ange en kommun eller --all.")
    result = compare(None if args.all else args.kommun, args.from_year, args.to_year, args.preliminary)
    fmt = args.format or ("xlsx" if args.output and args.output.lower().endswith(".xlsx") else "csv")
    if args.output or fmt == "csv":
        text = write_table(result, args.output, fmt)
        if text is not None:
            sys.stdout.write(text)
        else:
            print(f"Skrev {args.output}.", file=sys.stderr)
    if args.chart:
        write_chart(result, args.chart)
        print(f"Skrev diagrammet {args.chart}.", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    from .server import serve

    serve(host=args.host, port=args.port, tls=args.tls, cert=args.cert, cert_key=args.cert_key,
          workers=args.workers, project=args.project)
    return 0


def cmd_verify(args) -> int:
    from .fingerprint import verify

    verdict = verify(args.file)
    print(verdict.message(args.file))
    return 0 if verdict.intact else EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data:
        import os

        os.environ["SKR_FEE_DATA"] = args.data
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
