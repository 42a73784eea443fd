"""The command line, ``skr-fee``, in Swedish: the top layer, a few lines per command.

One module per command group (``fees``, ``keys``, ``data``, ``serve``), each
adding its subcommands to the parser. Every error the user can cause ends as
one Swedish line on stderr and a non-zero exit code, never a traceback.

May import every layer below: server, excel, documents, data, rules.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .. import __version__
from ..rules.errors import SkrFeeError
from ..rules.quiet import route_warnings_to_log
from . import data, fees, keys, serve
from .parser import EXIT_ERROR, EXIT_USAGE, SwedishParser  # noqa: F401

COMMAND_GROUPS = (fees, keys, data, serve)


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishParser(
        prog="skr-fee",
        description="SKR:s tilläggsfinansiering för en kunskapsbaserad socialtjänst: "
        "avgift per kommun, fördelning och bilaga.",
        epilog="Exempel: skr-fee avgift Tyresö --år 2027   ·   skr-fee KOMMANDO --help visar kommandots flaggor.",
    )
    parser.add_argument("--version", action="version", version=f"skr-fee {__version__}",
                        help="visa versionen och avsluta")
    parser.add_argument("--data", metavar="MAPP",
                        help="mapp för importerade data (standard: användarens datamapp; även SKR_FEE_DATA)")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=SwedishParser,
                                title="kommandon", help="skr-fee KOMMANDO --help visar kommandots flaggor")
    sub.required = True
    for group in COMMAND_GROUPS:
        group.add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    route_warnings_to_log()
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
