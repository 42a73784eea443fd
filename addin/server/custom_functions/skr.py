"""The SKR_* custom functions (Office.js), described by the one registry.

Each function is its namesake in ``skr_fee.excel.udf`` behind xlwings Server's ``@func``, named as on
the desktop (``SKR_FEE``): the production manifest has no namespace, so Excel
shows ``=SKR_FEE`` (a development add-in keeps a ``DEV.`` prefix so that it
does not clash with the production one). Parameters carry their Swedish
labels (``år``), which is what Excel shows while typing. An error
cell travels as a string marked with ``ERROR_MARK``; the add-in's JavaScript
(``/skr/custom-functions-code.js``) turns it into a real ``#N/A`` or
``#VALUE!`` with the Swedish message on hover.

In the browser build (addin/wasm) this module gives the metadata only: the page's own
JavaScript hands the calls to ``skr_fee.excel.batch.call_many``.
"""

import logging

from xlwings.server import arg, func

from skr_fee.excel import udf
from skr_fee.excel.functions import BY_NAME, REGISTRY
from skr_fee.excel.officejs import as_cells, compute_cells
from skr_fee.server.limits import CALL_TIME_LIMIT_S

__all__ = [fn.officejs_name for fn in REGISTRY]


INLINE_CELLS = 300


def _cells(arg) -> int:
    return sum(len(r) if isinstance(r, list) else 1 for r in arg) if isinstance(arg, list) else 1


def _officejs(name: str):
    """xlwings Server's ``@func`` and ``@arg`` for the registry's function ``name``."""
    fn = BY_NAME[name]

    def decorate(wrapper):
        wrapper.__doc__ = fn.doc
        wrapper = func(wrapper)
        for a in fn.args:
            options = {"ndim": 2} if (a.per_row or a.range) else {}
            wrapper = arg(a.label, doc=a.doc, **options)(wrapper)
        return wrapper

    return decorate


async def _run(name: str, *args):
    """One call: inline when small; a big one in a worker thread, bounded in time, so that it holds
    up no other call (a column of all municipalities computes in about a millisecond, inline)."""
    fn = BY_NAME[name]

    def guarded():  # a value no check foresaw: the cell shows it, the server goes on
        return compute_cells(fn, list(args), logging.getLogger(__name__))

    if sum(_cells(a) for a in args) <= INLINE_CELLS:
        return guarded()
    import anyio  # the server only: in the browser build calls go to skr_fee.excel.batch

    try:
        with anyio.fail_after(CALL_TIME_LIMIT_S):
            return await anyio.to_thread.run_sync(guarded, abandon_on_cancel=True)
    except TimeoutError:
        return as_cells(udf.CellError("#VALUE!", f"{name} tog längre än {CALL_TIME_LIMIT_S:g} s och "
                                                 "avbröts. Dela upp området i mindre delar."))


# Swedish parameter names (år, preliminär): Excel shows them while typing
@_officejs("SKR_FEE")
async def SKR_FEE(kommun, år=None, preliminär=None):
    return await _run("SKR_FEE", kommun, år, preliminär)


@_officejs("SKR_INVOICE")
async def SKR_INVOICE(kommun, fakturadel, år=None, preliminär=None):
    return await _run("SKR_INVOICE", kommun, fakturadel, år, preliminär)


@_officejs("SKR_AREA")
async def SKR_AREA(kommun, område, år=None, preliminär=None):
    return await _run("SKR_AREA", kommun, område, år, preliminär)


@_officejs("SKR_RATE")
async def SKR_RATE(år=None, preliminär=None):
    return await _run("SKR_RATE", år, preliminär)


@_officejs("SKR_POPULATION")
async def SKR_POPULATION(kommun, år=None, preliminär=None):
    return await _run("SKR_POPULATION", kommun, år, preliminär)


@_officejs("SKR_SPLIT")
async def SKR_SPLIT(kommun, nyckel, år=None, preliminär=None):
    return await _run("SKR_SPLIT", kommun, nyckel, år, preliminär)
