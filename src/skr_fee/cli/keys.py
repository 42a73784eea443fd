"""Commands about keys and the annex: ``split``, ``annex`` and ``verify``."""

from __future__ import annotations

from ..documents import formatting
from ..rules.errors import SkrFeeError
from .parser import EXIT_ERROR, print_seal, table_of, what_if


def add(sub) -> None:
    p = sub.add_parser("annex", help="låst bilaga med avgift och fördelning per nämnd (xlsx, PDF)")
    p.add_argument("kommun", help="kommunens namn eller kod")
    what_if(p)
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
    what_if(p)
    p.add_argument("--key", "--nyckel", dest="key", required=True, metavar="NYCKELFIL")
    p.add_argument("--belopp", type=int, metavar="KRONOR", help="fördela detta belopp i stället för avgiften")
    p.add_argument("--grund", choices=["fakturerat", "totalt"], default=None)
    p.add_argument("--avrunda", type=int, choices=[1, 100], default=1)
    p.add_argument("--som-beslutet", dest="like_decision", action="store_true",
                   help="visa även beslutsunderlagets räknesätt (andelar med två decimaler, "
                   "nedåt till hundratal) och vad det tappar")
    p.set_defaults(func=cmd_split)

    p = sub.add_parser("verify", help="kontrollera att en bilaga eller tabell är oförändrad")
    p.add_argument("file", metavar="FIL.xlsx")
    p.set_defaults(func=cmd_verify)


def _key_and_table(args):
    from ..documents.key_files import read_key

    key = read_key(args.key)
    return key, table_of(args)


def cmd_annex(args) -> int:
    from ..documents.annex import write_annex

    key, table = _key_and_table(args)
    f = table.fee(args.kommun)
    r = write_annex(table, f, key, args.output, pdf=args.pdf, password=args.password,
                    basis=args.grund, unit=args.avrunda)
    print(f"Skrev bilagan {r.xlsx}" + (f" och {r.pdf}" if r.pdf else "") +
          f": {f.municipality.name} {f.year}, {formatting.kr(r.allocation.amount)} på "
          f"{len(r.allocation.leaves)} nämnder.")
    print_seal(r.password, r.password_generated, r.fingerprint)
    return 0


def split_lines(allocation, title: str) -> list[str]:
    width = max(len(p.board) + 2 * p.level for p in allocation.parts) + 2
    lines = [title]
    for p in allocation.parts:
        label = "  " * p.level + p.board
        lines.append(f"  {label:<{width}}{formatting.kr(p.amount):>14}  {formatting.percent(p.share, 2):>9}")
    lines.append(f"  {'Summa':<{width}}{formatting.kr(allocation.total):>14}")
    return lines


def cmd_split(args) -> int:
    from ..documents.annex import amount_to_split
    from ..rules.split import allocate, allocate_like_decision

    key, table = _key_and_table(args)
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
    print("\n".join(split_lines(exact, f"{key.name}: {what}, exakt fördelat")))
    if args.like_decision:
        d = allocate_like_decision(amount, key, table.period)
        print()
        print("\n".join(split_lines(d, "Som i beslutsunderlaget (andelar med två decimaler, nedåt till hundratal)")))
        print(f"  Tappat jämfört med beloppet: {formatting.kr(d.lost)}")
    return 0


def cmd_verify(args) -> int:
    from ..documents.fingerprint import verify

    verdict = verify(args.file)
    print(verdict.message(args.file))
    return 0 if verdict.intact else EXIT_ERROR
