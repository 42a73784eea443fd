"""Commands about fees: ``fee`` (one municipality), ``table`` (SKR's national table), ``compare``."""

from __future__ import annotations

import sys

from ..data.tables import fee_table
from ..documents import formatting
from ..rules.errors import SkrFeeError
from ..rules.fees import Fee
from ..rules.rounding import decimals
from .parser import command, preliminary_note, print_seal, table_of, what_if, write_out


def add(sub) -> None:
    p = command(sub, "avgift", help="en kommuns avgift för ett år")
    p.add_argument("kommun", help="kommunens namn eller kod, t.ex. Göteborg eller 1480")
    what_if(p)
    p.set_defaults(func=cmd_fee)

    p = command(sub, "tabell", help="SKR:s tabell över alla kommuners avgifter")
    what_if(p)
    p.add_argument("--format", choices=["csv", "excel-csv", "xlsx"], default=None,
                   help="csv (standard: komma, UTF-8, för program), excel-csv (semikolon och BOM: öppnas rätt "
                   "av ett dubbelklick i svenskt Excel) eller xlsx (låst arbetsbok; kräver -o)")
    p.add_argument("-o", "--utfil", "--output", dest="output", metavar="FIL", help="skriv till FIL i stället för standard ut")
    p.add_argument("--lösenord", "--losenord", "--password", dest="password", metavar="LÖSENORD",
                   help="lösenord för skyddet av xlsx (utelämnat: ett skapas och skrivs ut en gång)")
    p.set_defaults(func=cmd_table)

    p = command(sub, "jämför", help="jämför avgifter mellan två år, eller alla år i en period (--period)")
    p.add_argument("kommun", nargs="?", help="kommunens namn eller kod (eller --all)")
    p.add_argument("--alla", "--all", dest="all", action="store_true", help="alla deltagande kommuner")
    p.add_argument("--från", "--fran", "--from", dest="from_year", metavar="ÅR", help="första året, t.ex. --från 2025")
    p.add_argument("--till", "--to", dest="to_year", metavar="ÅR", help="andra året, t.ex. --till 2026")
    p.add_argument("--period", nargs="?", const="", default=None, metavar="ÅÅÅÅ-ÅÅÅÅ",
                   help="avgiften varje år i perioden (standard: den period nästa budgetår ligger i); "
                   "år utan SCB:s siffror räknas preliminärt")
    p.add_argument("--preliminär", "--preliminar", "--preliminary", dest="preliminary", action="store_true",
                   help="år utan SCB:s siffror räknas med den senaste folkmängden och märks preliminära")
    p.add_argument("--format", choices=["csv", "xlsx"], default=None,
                   help="csv eller xlsx (standard: en tabell att läsa på skärmen; -o FIL.xlsx ger xlsx)")
    p.add_argument("-o", "--utfil", "--output", dest="output", metavar="FIL", help="tabellen till FIL (.csv eller .xlsx)")
    p.add_argument("--diagram", "--chart", dest="chart", metavar="FIL.png", help="diagram som PNG")
    p.set_defaults(func=cmd_compare)


def fee_lines(f: Fee) -> list[str]:
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
    lines.append(f"  Avgift per viktad invånare:  {formatting.kr(decimals(f.rate, 7), 7)}")
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
    top = sum(a.amount for a in f.areas if a.level == 0)
    if top != f.total:
        lines.append(f"  (områdena summerar till {formatting.kr(top)}, {formatting.kr(abs(top - f.total))} "
                     f"{'mer' if top > f.total else 'mindre'} än totalen: varje belopp är avrundat för sig)")
    return lines


def cmd_fee(args) -> int:
    table = fee_table(args.year, args.med, args.utan, args.preliminary)
    f = table.fee(args.kommun)
    note = preliminary_note(table)
    if note:
        print(note)
    print("\n".join(fee_lines(f)))
    if args.med or args.utan:
        print(f"\n  Obs: beräknat med ändrat deltagande ({len(table.participants)} kommuner).")
    return 0


def output_format(args) -> str:
    return args.format or ("xlsx" if args.output and args.output.lower().endswith(".xlsx") else "csv")



def cmd_table(args) -> int:
    from ..documents import national_table

    table = table_of(args)
    if output_format(args) == "xlsx":
        if not args.output:
            raise SkrFeeError("Ange en fil med -o för xlsx, till exempel -o avgifter_2025.xlsx.")
        sealed = national_table.write_xlsx(table, args.output, password=args.password)
        print(f"Skrev {args.output}: {len(table.fees)} kommuner, avgiftsår {table.year}.")
        print_seal(sealed.password, sealed.password_generated, sealed.fingerprint, "Tabellen")
    else:
        text = national_table.to_excel_csv(table) if output_format(args) == "excel-csv" else national_table.to_csv(table)
        if write_out(args.output, text):
            print(f"Skrev {args.output}: {len(table.fees)} kommuner, avgiftsår {table.year}.", file=sys.stderr)
        else:
            year_note(args, table)
    return 0


def year_note(args, table) -> None:
    """Without --år the year is the latest with data: say which, where it does not mix with the data."""
    if args.year is None:
        print(f"Avgiftsår {table.year} (det senaste med folkmängd, per {table.population_date.isoformat()}); "
              "ange --år för ett annat år.", file=sys.stderr)


def cmd_compare(args) -> int:
    from ..documents.compare import compare, write_chart, write_table

    if bool(args.kommun) == bool(args.all):
        raise SkrFeeError("Ange en kommun eller --alla.")
    if args.period is not None:
        return _period_view(args)
    if not args.from_year or not args.to_year:
        raise SkrFeeError("Ange två år med --från och --till, t.ex. --från 2025 --till 2026, eller --period.")
    result = compare(None if args.all else args.kommun, args.from_year, args.to_year, args.preliminary)
    fmt = output_format(args)
    if args.output:
        write_table(result, args.output, fmt)
        print(f"Skrev {args.output}.", file=sys.stderr)
    elif args.format == "csv":
        sys.stdout.write(write_table(result, None, "csv"))
    else:
        from ..documents.compare import text_table

        sys.stdout.write(text_table(result))
    if args.chart:
        write_chart(result, args.chart)
        print(f"Skrev diagrammet {args.chart}.", file=sys.stderr)
    return 0


def _period_view(args) -> int:
    from ..documents import fee_years

    if args.all:
        raise SkrFeeError("--period visar en kommun: ange kommunen, t.ex. skr-fee jämför Tyresö --period.")
    period = fee_years.find_period(args.period)
    name, rows = fee_years.fee_years(args.kommun, period)
    if output_format(args) == "csv" and (args.format or args.output):
        text = fee_years.csv_table(rows)
    else:
        text = fee_years.text_table(name, period, rows)
    if write_out(args.output, text):
        print(f"Skrev {args.output}.", file=sys.stderr)
    if args.chart:
        fee_years.write_chart(name, period, rows, args.chart)
        print(f"Skrev diagrammet {args.chart}.", file=sys.stderr)
    return 0
