"""The ``serve`` command: the Office.js add-in's xlwings Server."""

from __future__ import annotations

from ..rules.errors import SkrFeeError
from .parser import command


def add(sub) -> None:
    p = command(sub, "server", help="starta Excel-tillägget (xlwings Server) för Excel på webben, Windows och Mac")
    p.add_argument("--värd", "--host", dest="host", default="127.0.0.1", help="adress att lyssna på (standard 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (standard 8000)")
    p.add_argument("--utan-tls", "--no-tls", dest="tls", action="store_false",
                   help="vanlig HTTP: för tester och bakom en proxy som sköter TLS")
    p.add_argument("--cert", metavar="FIL.pem", help="certifikat (PEM); standard addin/server/certs/localhost+2.pem")
    p.add_argument("--cert-nyckel", "--cert-key", dest="cert_key", metavar="FIL.pem", help="certifikatets nyckel (PEM)")
    p.add_argument("--arbetsprocesser", "--workers", dest="workers", type=int, default=1, help="antal arbetsprocesser (produktion: 2–4 per kärna)")
    p.add_argument("--projekt", "--project", dest="project", metavar="MAPP", help="xlwings Server-projektet (standard addin/server i repot)")
    p.add_argument("--kontrollera", action="store_true",
                   help="starta inte: kontrollera att servern kan skapa bilagans PDF (gör en PDF med LibreOffice "
                        "Writer) och avsluta med 0 om den kan, annars 1")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    from ..server.run import configure, serve

    if args.kontrollera:
        from ..server.health import pdf_ready

        configure(args.project)
        ready, sentence = pdf_ready()
        if not ready:
            raise SkrFeeError(sentence)
        print(sentence)
        return 0

    serve(host=args.host, port=args.port, tls=args.tls, cert=args.cert, cert_key=args.cert_key,
          workers=args.workers, project=args.project)
    return 0
