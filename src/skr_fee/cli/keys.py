"""Commands about keys and the annex: ``split``, ``annex`` and ``verify``."""

from __future__ import annotations

from ..documents import formatting
from ..rules.errors import SkrFeeError, UnknownMunicipality
from .parser import EXIT_ERROR, command, print_seal, table_of, what_if


def add(sub) -> None:
    p = command(sub, "bilaga", help="låst bilaga med avgift och fördelning per nämnd (xlsx, PDF)")
    p.add_argument("kommun", help="kommunens namn eller kod, t.ex. Tyresö eller 0138")
    what_if(p)
    p.add_argument("--nyckel", "--key", dest="key", required=True, metavar="NYCKELFIL",
                   help="fördelningsnyckel: en TOML-fil (keys/tyreso.toml) eller ett blad i en "
                   "fördelningsbok (fordelning.xlsx#Tyresö)")
    p.add_argument("-o", "--utfil", "--output", dest="output", required=True, metavar="FIL.xlsx", help="bilagans xlsx-fil, t.ex. -o bilaga.xlsx")
    p.add_argument("--pdf", action="store_true",
                   help="skriv även FIL.pdf: tillgänglig (PDF/UA, taggade tabeller, svenska) och arkivbar (PDF/A)")
    p.add_argument("--docx", action="store_true",
                   help="skriv även FIL.docx: bilagan som Word-tabeller att klistra in i tjänsteutlåtandet")
    p.add_argument("--utkast", action="store_true",
                   help="skriv även FIL_utkast.docx: ett utkast till texten kring bilagan, med förslag till beslut")
    p.add_argument("--lösenord", "--losenord", "--password", dest="password", metavar="LÖSENORD",
                   help="lösenord för skyddet (utelämnat: ett skapas och skrivs ut en gång)")
    p.add_argument("--grund", choices=["fakturerat", "totalt"], default=None,
                   help="belopp att fördela: fakturerat (Faktura 1 + 2, det som betalas) eller totalt "
                   "(SKR:s kolumn Totalt); standard: nyckelns grund, annars fakturerat")
    p.add_argument("--avrunda", type=int, choices=[1, 100], default=1,
                   help="1: hela kronor (standard); 100: hundratal, och de udda kronorna på nämnden med "
                   "störst rest så att summan stämmer, t.ex. --avrunda 100")
    p.add_argument("--annan-kommun", dest="other_municipality", action="store_true",
                   help="använd nyckeln fast den är skriven för en annan kommun (kommun = ... i filen)")
    p.add_argument("--ersätt", "--ersatt", "--replace", dest="replace", action="store_true",
                   help="ersätt en befintlig bilaga med en annan kontrollsumma (annars vägras det)")
    p.add_argument("--signera", "--sign", dest="sign", metavar="CERT.p12",
                   help="signera PDF:en (PAdES) med kommunens certifikat (PKCS#12); lösenordet tas från "
                   "SKR_FEE_SIGN_PASSWORD eller frågas efter, aldrig på kommandoraden; kräver --pdf")
    p.set_defaults(func=cmd_annex)

    p = command(sub, "fördela", help="fördela en avgift eller ett belopp med en nyckel")
    p.add_argument("kommun", nargs="?", help="kommunens namn eller kod (utelämnas med --belopp)")
    what_if(p)
    p.add_argument("--nyckel", "--key", dest="key", required=True, metavar="NYCKELFIL",
                   help="fördelningsnyckel, t.ex. keys/tyreso.toml eller fordelning.xlsx#Tyresö")
    p.add_argument("--belopp", type=int, metavar="KRONOR",
                   help="fördela detta belopp i stället för avgiften, t.ex. --belopp 1000000")
    p.add_argument("--grund", choices=["fakturerat", "totalt"], default=None,
                   help="fakturerat (Faktura 1 + 2) eller totalt (SKR:s Totalt); standard: nyckelns grund")
    p.add_argument("--avrunda", type=int, choices=[1, 100], default=1,
                   help="1: hela kronor (standard); 100: hundratal, summan stämmer ändå")
    p.add_argument("--annan-kommun", dest="other_municipality", action="store_true",
                   help="använd nyckeln fast den är skriven för en annan kommun")
    p.add_argument("--som-beslutet", dest="like_decision", action="store_true",
                   help="visa även beslutsunderlagets räknesätt (andelar med två decimaler, "
                   "nedåt till hundratal) och vad det tappar")
    p.set_defaults(func=cmd_split)

    p = command(sub, "kontrollera", help="kontrollera att en bilaga eller tabell är oförändrad")
    p.add_argument("file", metavar="FIL", help="bilagan eller tabellen (xlsx), eller den signerade PDF:en")
    p.add_argument("--ca", metavar="UTFÄRDARE.pem",
                   help="för en PDF: utfärdarens certifikat att lita på när signaturens kedja kontrolleras")
    p.add_argument("--kontrollsumma", metavar="KOD",
                   help="kontrollsumman som står i beslutet, t.ex. --kontrollsumma K7QF-...; utan den kan "
                   "filen bara jämföras med sig själv")
    p.set_defaults(func=cmd_verify)


def _key_and_table(args):
    from ..documents.key_files import read_key

    key = read_key(args.key)
    return key, table_of(args)


def _same_municipality(key, f, args) -> None:
    """A key written for Tyresö is not applied to Göteborg without being asked to; a workbook key
    that states its fee year is not applied to another year."""
    if key.year is not None and f.year != key.year:
        raise SkrFeeError(f"Nyckeln {key.source} gäller avgiftsår {key.year} (cellen Avgiftsår), inte {f.year}. "
                          f"Ange --år {key.year}, eller ändra avgiftsåret i arbetsboken.")
    if not key.municipality or args.other_municipality or f.municipality is None:
        return
    from ..data.municipalities import lookup

    try:
        written_for = lookup(key.municipality)
    except UnknownMunicipality as e:
        where = f"{key.source}, rad {key.municipality_line}" if key.municipality_line else key.source
        hint = f" Menar du {' eller '.join(m.name for m in e.suggestions)}?" if e.suggestions else ""
        raise SkrFeeError(f"{where}: kommun = '{key.municipality}' är ingen kommun.{hint} Skriv kommunens namn "
                          "eller fyrsiffriga kod, eller ta bort raden.") from None
    if written_for.code != f.municipality.code:
        raise SkrFeeError(f"Nyckeln {key.source} är skriven för {written_for.name}, inte {f.municipality.name}. "
                          f"Välj {f.municipality.name}s nyckel, eller ange --annan-kommun för att ändå använda den.")


def cmd_annex(args) -> int:
    from ..documents.annex_files import write_annex

    signer = None
    if args.sign:
        if not args.pdf:
            raise SkrFeeError("--signera signerar PDF:en: ange även --pdf.")
        from ..documents.signing import load_signer

        signer = load_signer(args.sign, _sign_password())
    key, table = _key_and_table(args)
    f = table.fee(args.kommun)
    _same_municipality(key, f, args)
    r = write_annex(table, f, key, args.output, pdf=args.pdf, password=args.password,
                    basis=args.grund, unit=args.avrunda, signer=signer, docx=args.docx, draft=args.utkast,
                    replace=args.replace)
    also = [str(x) for x in (r.docx, r.draft) if x] + ([f"{r.pdf}" + (" (signerad)" if signer else "")] if r.pdf else [])
    print(f"Skrev bilagan {r.xlsx}" + (f" och {', '.join(also)}" if also else "") +
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
    from ..rules.fees import amount_to_split
    from ..rules.split import allocate, allocate_like_decision

    key, table = _key_and_table(args)
    if args.belopp is not None:
        if args.belopp < 0:
            raise SkrFeeError(f"Beloppet {args.belopp} är negativt. Ange ett belopp i hela kronor, 0 eller mer.")
        amount, what = args.belopp, f"{formatting.kr(args.belopp)}"
    elif args.kommun:
        f = table.fee(args.kommun)
        _same_municipality(key, f, args)
        amount = amount_to_split(f, args.grund or key.basis)
        what = f"{f.municipality.name}s avgift {f.year}, {formatting.kr(amount)}"
    else:
        raise SkrFeeError("Ange en kommun eller ett belopp med --belopp.")
    exact = allocate(amount, key, table.period, args.avrunda)
    how = ("exakt fördelat i hela kronor" if args.avrunda == 1 else
           "fördelat i hundratal; de udda kronorna ligger på nämnden med störst rest, så att summan stämmer")
    print("\n".join(split_lines(exact, f"{key.name}: {what}, {how}")))
    if args.kommun and args.belopp is None and f.invoiced != f.total:
        basis = args.grund or key.basis
        print(f"  Obs: SKR:s Totalt är {formatting.kr(f.total)}, fakturorna summerar till {formatting.kr(f.invoiced)} "
              f"(varje belopp avrundas för sig). Fördelat: {'fakturorna' if basis == 'fakturerat' else 'Totalt'}.")
    if args.like_decision:
        d = allocate_like_decision(amount, key, table.period)
        print()
        print("\n".join(split_lines(d, "Som i beslutsunderlaget (andelar med två decimaler, nedåt till hundratal)")))
        print(f"  Tappat jämfört med beloppet: {formatting.kr(d.lost)}")
    return 0


def _sign_password() -> str:
    import os
    import sys

    from ..documents.signing import ENV_PASSWORD

    if os.environ.get(ENV_PASSWORD) is not None:
        return os.environ[ENV_PASSWORD]
    if not sys.stdin.isatty():
        raise SkrFeeError(f"Lösenordet till certifikatet saknas: sätt {ENV_PASSWORD}, eller kör i ett fönster "
                          "där det kan frågas efter.")
    import getpass

    return getpass.getpass("Lösenord för certifikatet: ")


def cmd_verify(args) -> int:
    if str(args.file).lower().endswith(".docx"):
        raise SkrFeeError(f"{args.file}: en Word-bilaga kan inte kontrolleras. Kontrollsumman gäller bilagans xlsx-fil "
                          "(skr-fee kontrollera bilaga.xlsx --kontrollsumma KOD); en signerad PDF kontrolleras med "
                          "skr-fee kontrollera bilaga.pdf.")
    if str(args.file).lower().endswith(".pdf"):
        from ..documents import signing

        result = signing.check(args.file, signing.trust_roots(args.ca))
        print(result.message(args.file))
        return 0 if result.ok and (result.trusted or not args.ca) else EXIT_ERROR
    from ..documents.fingerprint import verify

    verdict = verify(args.file, args.kontrollsumma)
    print(verdict.message(args.file))
    return 0 if verdict.ok else EXIT_ERROR
