"""Commands about data: ``importera-scb``, ``hämta-scb``, ``importera-deltagare`` and ``data``."""

from __future__ import annotations

from ..documents import formatting
from ..rules.errors import SkrFeeError
from .parser import command


def add(sub) -> None:
    p = command(sub, "importera-scb", help="importera SCB:s folkmängd (CSV eller xlsx)")
    p.add_argument("file", metavar="FIL", help="SCB:s fil (CSV eller xlsx), t.ex. BE0101_2026.csv")
    p.add_argument("--datum", "--date", dest="date", metavar="ÅÅÅÅ-12-31",
                   help="folkmängdens datum, om filen inte anger året, t.ex. --datum 2026-12-31")
    p.set_defaults(func=cmd_import_scb)

    p = command(sub, "hämta-scb",
                       help="hämta SCB:s folkmängd per kommun från SCB:s öppna API och spara den")
    p.add_argument("--år", "--ar", dest="year", type=int, metavar="ÅR",
                   help="folkmängden den 31 december ÅR (standard: senaste år SCB har publicerat)")
    p.set_defaults(func=cmd_fetch_scb)

    p = command(sub, "importera-deltagare", help="importera vilka kommuner som deltar en period")
    p.add_argument("file", metavar="FIL", help="CSV med kolumnerna kommunkod och deltar (1/0)")
    p.add_argument("--period", required=True, metavar="ÅÅÅÅ-ÅÅÅÅ", help="perioden listan gäller, t.ex. --period 2025-2028")
    p.set_defaults(func=cmd_import_participants)

    p = command(sub, "data", help="visa vilka folkmängder och deltagarlistor som finns")
    p.set_defaults(func=cmd_data)


def cmd_import_scb(args) -> int:
    from datetime import date

    from ..data.scb_import import import_file

    day = None
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise SkrFeeError(f"Ogiltigt datum: '{args.date}'. Skriv t.ex. --datum 2024-12-31.") from None
    for r in import_file(args.file, day):
        print(f"Importerade folkmängd per {r.date.isoformat()}: 290 kommuner, "
              f"{formatting.number(r.total)} invånare, sparad i {r.path}.")
        print_checks(r.notes, r.warnings)
    return 0


def print_checks(notes, warnings) -> None:
    """What the checks of population figures found that is worth saying (population_checks)."""
    for note in notes:
        print(f"  Obs: {note}")
    if warnings:
        print(f"  Varning: {len(warnings)} kommuner ändrades mer än 5 %:")
        for w in warnings:
            print(f"    {w}")


def cmd_fetch_scb(args) -> int:
    from ..data.scb_api import fetch_and_store, latest_published

    year = args.year or latest_published()
    r = fetch_and_store(year)
    f = r.fetched
    print(f"Hämtade folkmängd per {f.day.isoformat()} från SCB ({f.table.id}, {f.api}): 290 kommuner, "
          f"{formatting.number(sum(f.counts.values()))} invånare, sparad i {r.path}.")
    print(f"  Källa: {f.url}, sha256 {f.sha256[:16]}…")
    print_checks(r.notes, r.warnings)
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
    from ..data.population import fetch_command, files

    print(f"Datamapp: {store.data_dir()}")
    print("Folkmängd:")
    for f in files():
        m = f.meta
        if f.shipped:
            print(f"  {f.date.isoformat()}  medföljer skr-avgift: {f.source}")
        elif "url" in m:
            print(f"  {f.date.isoformat()}  {f.source}, sha256 {str(m.get('sha256', '?'))[:16]}…  {f.path}")
            print(f"              {m['url']}")
        else:
            print(f"  {f.date.isoformat()}  {m.get('fil', '?')}, importerad {m.get('importerad', '?')}, "
                  f"sha256 {str(m.get('sha256', '?'))[:16]}…  {f.path}")
    from ..data.tables import next_missing
    missing = next_missing()
    if missing:
        print(f"  Saknas: folkmängd per {missing.isoformat()} (avgiftsår {missing.year + 2}); "
              f"hämta den med '{fetch_command(missing)}' när SCB har publicerat den.")
    print("Deltagare:")
    for p in periods():
        src = source(p)
        print(f"  {p.name}  {src if src else 'alla kommuner (ingen lista importerad)'}")
    return 0
