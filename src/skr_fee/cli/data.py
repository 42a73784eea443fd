"""Commands about data: ``import-scb``, ``import-deltagare`` and ``data``."""

from __future__ import annotations

from ..documents import formatting
from ..rules.errors import SkrFeeError


def add(sub) -> None:
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


def cmd_import_scb(args) -> int:
    from datetime import date

    from ..data.scb_import import import_file

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
    from ..data.participation_import import import_participants

    path, count = import_participants(args.file, args.period)
    print(f"Importerade deltagarlistan för {args.period}: {count} deltagande kommuner, sparad i {path}.")
    return 0


def cmd_data(args) -> int:
    from ..data import store
    from ..data.participation import source
    from ..data.periods import periods
    from ..data.population import files

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
